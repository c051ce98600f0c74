/** Standalone debug adapter entry: DAP over stdio (default) or a loopback TCP port (`--port N`). */
import { createServer } from 'node:net';
import { BoardmapDebugSession } from './session';

const portArg = process.argv.indexOf('--port');
if (portArg >= 0) {
  const port = Number(process.argv[portArg + 1]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(
      `boardmap adapter: --port needs a port number, got '${process.argv[portArg + 1]}'`,
    );
    process.exit(2);
  }
  const server = createServer((socket) => {
    const session = new BoardmapDebugSession();
    session.setRunAsServer(true);
    session.start(socket, socket);
  });
  server.listen(port, '127.0.0.1', () => {
    const address = server.address();
    console.error(
      `boardmap adapter listening on 127.0.0.1:${typeof address === 'object' && address ? address.port : port}`,
    );
  });
} else {
  const session = new BoardmapDebugSession();
  session.start(process.stdin, process.stdout);
}
