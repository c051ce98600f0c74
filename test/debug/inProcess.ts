/**
 * A DAP client for the session class in this process (VS Code's inline mode: messages through
 * handleMessage and onDidSendMessage). Counts responses per request, so tests can assert that
 * every request got exactly one.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { BoardmapDebugSession, type SessionOptions } from '../../src/debug/session';

export class InProcessClient {
  readonly session: BoardmapDebugSession;
  readonly events: DebugProtocol.Event[] = [];
  /** Responses received, by request seq (more than one is a bug). */
  readonly responses = new Map<number, DebugProtocol.Response[]>();
  private seq = 1;
  private readonly waiting = new Map<number, (r: DebugProtocol.Response) => void>();
  private readonly eventWaiters: { name: string; resolve: (e: DebugProtocol.Event) => void }[] = [];

  constructor(options: SessionOptions = {}) {
    this.session = new BoardmapDebugSession(options);
    this.session.onDidSendMessage((m) => this.receive(m as DebugProtocol.ProtocolMessage));
  }

  private receive(m: DebugProtocol.ProtocolMessage): void {
    if (m.type === 'response') {
      const r = m as DebugProtocol.Response;
      const list = this.responses.get(r.request_seq) ?? [];
      list.push(r);
      this.responses.set(r.request_seq, list);
      this.waiting.get(r.request_seq)?.(r);
      this.waiting.delete(r.request_seq);
    } else if (m.type === 'event') {
      const e = m as DebugProtocol.Event;
      this.events.push(e);
      for (let i = 0; i < this.eventWaiters.length; i++) {
        if (this.eventWaiters[i]!.name === e.event) {
          this.eventWaiters[i]!.resolve(e);
          this.eventWaiters.splice(i--, 1);
        }
      }
    }
  }

  /** Sends a request without waiting; returns its seq. */
  send(command: string, args?: unknown): number {
    const seq = this.seq++;
    const request: Record<string, unknown> = { seq, type: 'request', command };
    if (args !== undefined) request.arguments = args;
    this.session.handleMessage(request as unknown as DebugProtocol.ProtocolMessage);
    return seq;
  }

  /** Sends a request and resolves with its response (success or not); rejects after @timeoutMs. */
  request(command: string, args?: unknown, timeoutMs = 10_000): Promise<DebugProtocol.Response> {
    const seq = this.send(command, args);
    return this.response(seq, timeoutMs);
  }

  response(seq: number, timeoutMs = 10_000): Promise<DebugProtocol.Response> {
    const got = this.responses.get(seq);
    if (got) return Promise.resolve(got[0]!);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(seq);
        reject(new Error(`no response to request ${seq} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(seq, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
    });
  }

  waitForEvent(name: string, timeoutMs = 10_000): Promise<DebugProtocol.Event> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no '${name}' event within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.eventWaiters.push({
        name,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
    });
  }

  /** initialize + launch (stopOnEntry by default) + configurationDone, up to the first stop. */
  async launch(
    args: Record<string, unknown>,
    before?: () => Promise<unknown>,
  ): Promise<DebugProtocol.Event> {
    const init = await this.request('initialize', { adapterID: 'boardmap', pathFormat: 'path' });
    if (!init.success) throw new Error(`initialize: ${init.message}`);
    const initialized = this.waitForEvent('initialized');
    const launched = await this.request('launch', { stopOnEntry: true, ...args });
    if (!launched.success) throw new Error(`launch: ${launched.message}`);
    await initialized;
    if (before) await before();
    const stopped = this.waitForEvent('stopped');
    await this.request('configurationDone');
    return stopped;
  }

  dispose(): void {
    this.session.endSession();
  }
}

/** The error id of a failed response (DAP's body.error.id). */
export function errorId(r: DebugProtocol.Response): number | undefined {
  return (r.body as { error?: DebugProtocol.Message } | undefined)?.error?.id;
}

export function errorOf(r: DebugProtocol.Response): DebugProtocol.Message | undefined {
  return (r.body as { error?: DebugProtocol.Message } | undefined)?.error;
}
