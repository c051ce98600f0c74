/**
 * One end of a typed request/response/event channel over a `postMessage`-like function. Pure: the
 * host injects how to post, how to schedule a time-out and where to report protocol problems, then
 * feeds every incoming message to `deliver`. The same class runs in the extension host and in the
 * webviews.
 *
 * Unlike the hex editor's MessageHandler this learns from: a throwing handler turns into an error
 * message that rejects the caller's promise, requests time out with a clear message, and messages
 * that fit nothing are reported instead of silently dropped.
 */
import {
  RPC_TAG,
  RpcDisposedError,
  RpcHandlerError,
  RpcRemoteError,
  RpcTimeoutError,
  parseRpcMessage,
  type EventBody,
  type EventName,
  type RequestMethod,
  type RequestParams,
  type RequestResult,
  type RpcContract,
  type RpcMessage,
} from './rpc';

/** Schedules `callback` after `ms`; returns a handle for `cancel`. */
export interface RpcTimer {
  schedule(callback: () => void, ms: number): unknown;
  cancel(handle: unknown): void;
}

export interface RpcEndpointOptions {
  /** Sends one envelope to the peer (e.g. `webview.postMessage` or `vscodeApi.postMessage`). */
  readonly post: (message: RpcMessage) => void;
  /** Needed for time-outs; without it requests wait until answered or disposed. */
  readonly timer?: RpcTimer;
  /** Default time-out of `request` in ms (default 10 000). 0 disables it. */
  readonly timeoutMs?: number;
  /** Called for messages that fit nothing: malformed, unknown event, answer to no request. */
  readonly onProtocolProblem?: (problem: string, message: unknown) => void;
}

type Handler = (params: never) => unknown;
type Listener = (body: never) => void;

interface Pending {
  readonly method: string;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly timeout: unknown;
}

/** A disposable registration. */
export interface RpcDisposable {
  dispose(): void;
}

export class RpcEndpoint<Own extends RpcContract, Peer extends RpcContract> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly handlers = new Map<string, Handler>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private disposed = false;

  constructor(private readonly options: RpcEndpointOptions) {}

  /** Asks the peer; resolves with its result, rejects with its error, a time-out or disposal. */
  request<M extends RequestMethod<Peer>>(
    method: M,
    params: RequestParams<Peer, M>,
    timeoutMs: number = this.options.timeoutMs ?? 10_000,
  ): Promise<RequestResult<Peer, M>> {
    if (this.disposed) return Promise.reject(new RpcDisposedError(method));
    const id = this.nextId++;
    return new Promise<RequestResult<Peer, M>>((resolve, reject) => {
      const timer = this.options.timer;
      const timeout =
        timer && timeoutMs > 0
          ? timer.schedule(() => {
              if (this.pending.delete(id)) reject(new RpcTimeoutError(method, timeoutMs));
            }, timeoutMs)
          : undefined;
      this.pending.set(id, {
        method,
        resolve: resolve as (value: unknown) => void,
        reject,
        timeout,
      });
      try {
        this.options.post({ tag: RPC_TAG, kind: 'request', id, method, params });
      } catch (error) {
        this.settle(id);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** Tells the peer something; no answer. */
  emit<E extends EventName<Own>>(event: E, body: EventBody<Own, E>): void {
    if (this.disposed) return;
    this.options.post({ tag: RPC_TAG, kind: 'event', event, body });
  }

  /** Answers the peer's `method` requests. One handler per method; a second one replaces the first. */
  handle<M extends RequestMethod<Own>>(
    method: M,
    handler: (
      params: RequestParams<Own, M>,
    ) => RequestResult<Own, M> | PromiseLike<RequestResult<Own, M>>,
  ): RpcDisposable {
    this.handlers.set(method, handler as Handler);
    return {
      dispose: () => {
        if (this.handlers.get(method) === (handler as Handler)) this.handlers.delete(method);
      },
    };
  }

  /** Listens to the peer's `event`. */
  on<E extends EventName<Peer>>(
    event: E,
    listener: (body: EventBody<Peer, E>) => void,
  ): RpcDisposable {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener);
    return { dispose: () => set.delete(listener as Listener) };
  }

  /** Number of requests still waiting for an answer. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /**
   * Feeds one incoming message. Returns false when it was not one of ours (it is then reported
   * through `onProtocolProblem` unless it is untagged, which other code on the channel may own).
   */
  deliver(raw: unknown): boolean {
    const parsed = parseRpcMessage(raw);
    if ('reason' in parsed) {
      const tagged = typeof raw === 'object' && raw !== null && 'tag' in raw;
      if (tagged) this.report(`malformed message: ${parsed.reason}`, raw);
      return false;
    }
    const message = parsed.message;
    switch (message.kind) {
      case 'request':
        void this.answer(message.id, message.method, message.params);
        return true;
      case 'response': {
        const pending = this.settle(message.inReplyTo);
        if (!pending) this.report(`response to unknown request ${message.inReplyTo}`, raw);
        else pending.resolve(message.result);
        return true;
      }
      case 'error': {
        const pending = this.settle(message.inReplyTo);
        if (!pending) this.report(`error for unknown request ${message.inReplyTo}`, raw);
        else pending.reject(new RpcRemoteError(pending.method, message.message, message.code));
        return true;
      }
      case 'event': {
        const set = this.listeners.get(message.event);
        if (!set || set.size === 0) {
          this.report(`no listener for event '${message.event}'`, raw);
          return true;
        }
        for (const listener of [...set]) {
          try {
            listener(message.body as never);
          } catch (error) {
            this.report(`listener for '${message.event}' threw: ${describe(error)}`, raw);
          }
        }
        return true;
      }
    }
  }

  /** Rejects every pending request and stops sending. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const id of [...this.pending.keys()]) {
      const pending = this.settle(id);
      pending?.reject(new RpcDisposedError(pending.method));
    }
    this.handlers.clear();
    this.listeners.clear();
  }

  private async answer(id: number, method: string, params: unknown): Promise<void> {
    const handler = this.handlers.get(method);
    if (!handler) {
      this.report(`no handler for request '${method}'`, { method, params });
      this.postAnswer({
        tag: RPC_TAG,
        kind: 'error',
        inReplyTo: id,
        message: `no handler for request '${method}'`,
        code: 'no-handler',
      });
      return;
    }
    try {
      const result = await handler(params as never);
      this.postAnswer({ tag: RPC_TAG, kind: 'response', inReplyTo: id, result });
    } catch (error) {
      const code = error instanceof RpcHandlerError ? error.code : 'handler-failed';
      this.postAnswer({
        tag: RPC_TAG,
        kind: 'error',
        inReplyTo: id,
        message: describe(error),
        code,
      });
    }
  }

  private postAnswer(message: RpcMessage): void {
    if (this.disposed) return;
    try {
      this.options.post(message);
    } catch (error) {
      this.report(`could not post the answer: ${describe(error)}`, message);
    }
  }

  private settle(id: number): Pending | undefined {
    const pending = this.pending.get(id);
    if (!pending) return undefined;
    this.pending.delete(id);
    if (pending.timeout !== undefined) this.options.timer?.cancel(pending.timeout);
    return pending;
  }

  private report(problem: string, message: unknown): void {
    this.options.onProtocolProblem?.(problem, message);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
