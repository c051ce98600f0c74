/**
 * Standalone debug adapter entry: DAP over stdio (default) or a loopback TCP port
 * (`--port N [--token T]`; see docs/debugging.md for the token and VS Code's `debugServer`).
 */
import { BoardmapDebugSession, startAdapterServer } from './session';

const portArg = process.argv.indexOf('--port');
if (portArg >= 0) {
  const port = Number(process.argv[portArg + 1]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(
      `boardmap adapter: --port needs a port number, got '${process.argv[portArg + 1]}'`,
    );
    process.exit(2);
  }
  const tokenArg = process.argv.indexOf('--token');
  const token =
    tokenArg >= 0 ? process.argv[tokenArg + 1] : process.env['BOARDMAP_ADAPTER_TOKEN'] || undefined;
  if (token !== undefined && !/^[\x21-\x7e]{8,256}$/.test(token)) {
    console.error('boardmap adapter: --token needs 8 to 256 printable characters');
    process.exit(2);
  }
  startAdapterServer({ port, ...(token ? { token } : {}) }).then(
    (s) => {
      console.error(
        `boardmap adapter listening on 127.0.0.1:${s.address().port} token ${s.token}\n` +
          `  launch configuration: "debugServer": ${s.address().port}, "adapterToken": "${s.token}"`,
      );
    },
    (e: Error) => {
      console.error(`boardmap adapter: cannot listen on port ${port}: ${e.message}`);
      process.exit(1);
    },
  );
} else {
  const session = new BoardmapDebugSession();
  session.start(process.stdin, process.stdout);
}
