/**
 * `--port`: the adapter as a loopback TCP server, one session per connection. Only DAP is spoken
 * (strict framing: an HTTP request or any other header ends the connection), a launch needs the
 * token printed at start (`adapterToken` in the launch configuration), and a connection that
 * drops — with or without `disconnect` — ends its session: the machine is stopped and released.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { BoardmapDebugSession, type SessionOptions } from './session';

export interface AdapterServerOptions {
  readonly port: number;
  /** Default 127.0.0.1 (loopback only). */
  readonly host?: string;
  /** The launch token; a random one when absent. */
  readonly token?: string;
  readonly session?: Omit<SessionOptions, 'strictFraming' | 'onNotDap' | 'token'>;
}

export interface AdapterServer {
  readonly server: Server;
  readonly token: string;
  /** The sessions of the open connections. */
  readonly sessions: ReadonlySet<BoardmapDebugSession>;
  address(): AddressInfo;
  close(): Promise<void>;
}

export function newToken(): string {
  return randomBytes(16).toString('hex');
}

export function startAdapterServer(options: AdapterServerOptions): Promise<AdapterServer> {
  const token = options.token ?? newToken();
  const sessions = new Set<BoardmapDebugSession>();
  const server = createServer((socket) => {
    const session = new BoardmapDebugSession({
      ...options.session,
      strictFraming: true,
      token,
      onNotDap: () => socket.destroy(),
    });
    sessions.add(session);
    session.setRunAsServer(true);
    socket.on('error', () => socket.destroy()); // ECONNRESET and the like: the close below ends it
    socket.on('close', () => {
      sessions.delete(session);
      session.endSession();
    });
    session.start(socket, socket);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve({
        server,
        token,
        sessions,
        address: () => server.address() as AddressInfo,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sessions) s.endSession();
            server.close(() => done());
          }),
      });
    });
  });
}
