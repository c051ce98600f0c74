/**
 * Envelopes of the webview message protocol (extension host <-> webview), shared by every webview.
 *
 * Wire kinds are string literals, not `const enum`s, so that separately bundled code (the extension
 * bundle and each webview bundle) agree on the values without sharing a compiled enum.
 *
 * A side's *contract* lists the requests it answers and the events it emits. An endpoint is typed by
 * its own contract (what it handles/emits) and its peer's contract (what it may ask/listen to).
 */

/** Marks our envelopes so that foreign messages posted to the same window are told apart. */
export const RPC_TAG = 'boardmap-rpc';

/** A request: the peer must answer with a response or an error carrying `inReplyTo: id`. */
export interface RpcRequestMessage {
  readonly tag: typeof RPC_TAG;
  readonly kind: 'request';
  readonly id: number;
  readonly method: string;
  readonly params: unknown;
}

/** The successful answer to request `inReplyTo`. */
export interface RpcResponseMessage {
  readonly tag: typeof RPC_TAG;
  readonly kind: 'response';
  readonly inReplyTo: number;
  readonly result: unknown;
}

/** The failed answer to request `inReplyTo`: the handler threw, or no handler exists. */
export interface RpcErrorMessage {
  readonly tag: typeof RPC_TAG;
  readonly kind: 'error';
  readonly inReplyTo: number;
  readonly message: string;
  /** Machine-readable reason: 'handler-failed' | 'no-handler' | 'bad-request' or one of the handler's own. */
  readonly code: string;
}

/** A one-way notification; nobody answers it. */
export interface RpcEventMessage {
  readonly tag: typeof RPC_TAG;
  readonly kind: 'event';
  readonly event: string;
  readonly body: unknown;
}

export type RpcMessage = RpcRequestMessage | RpcResponseMessage | RpcErrorMessage | RpcEventMessage;
export type RpcMessageKind = RpcMessage['kind'];

/** The requests a side answers and the events it emits. */
export interface RpcContract {
  readonly requests: { readonly [method: string]: { params: unknown; result: unknown } };
  readonly events: { readonly [event: string]: unknown };
}

/** A contract with nothing in it, for a side that neither answers nor emits. */
export interface EmptyContract extends RpcContract {
  readonly requests: Record<never, never>;
  readonly events: Record<never, never>;
}

export type RequestMethod<C extends RpcContract> = keyof C['requests'] & string;
export type RequestParams<
  C extends RpcContract,
  M extends RequestMethod<C>,
> = C['requests'][M]['params'];
export type RequestResult<
  C extends RpcContract,
  M extends RequestMethod<C>,
> = C['requests'][M]['result'];
export type EventName<C extends RpcContract> = keyof C['events'] & string;
export type EventBody<C extends RpcContract, E extends EventName<C>> = C['events'][E];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Checks the envelope shape of an incoming message (not its payload, which the handler owns).
 * Returns the message typed, or a reason why it is not one of ours.
 */
export function parseRpcMessage(value: unknown): { message: RpcMessage } | { reason: string } {
  if (!isObject(value)) return { reason: 'not an object' };
  if (value.tag !== RPC_TAG) return { reason: `not tagged '${RPC_TAG}'` };
  const id = value.kind === 'request' ? value.id : value.inReplyTo;
  switch (value.kind) {
    case 'request':
      if (!Number.isSafeInteger(id)) return { reason: 'request without an integer id' };
      if (typeof value.method !== 'string') return { reason: 'request without a method name' };
      return { message: value as unknown as RpcRequestMessage };
    case 'response':
      if (!Number.isSafeInteger(id)) return { reason: 'response without an integer inReplyTo' };
      return { message: value as unknown as RpcResponseMessage };
    case 'error':
      if (!Number.isSafeInteger(id)) return { reason: 'error without an integer inReplyTo' };
      if (typeof value.message !== 'string') return { reason: 'error without a message' };
      return { message: value as unknown as RpcErrorMessage };
    case 'event':
      if (typeof value.event !== 'string') return { reason: 'event without a name' };
      return { message: value as unknown as RpcEventMessage };
    default:
      return { reason: `unknown kind ${JSON.stringify(value.kind)}` };
  }
}

/** The error a request promise rejects with when the peer answered with an error message. */
export class RpcRemoteError extends Error {
  constructor(
    readonly method: string,
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'RpcRemoteError';
  }
}

/** The error a request promise rejects with when no answer came in time. */
export class RpcTimeoutError extends Error {
  constructor(
    readonly method: string,
    readonly timeoutMs: number,
  ) {
    super(`request '${method}' got no answer within ${timeoutMs} ms`);
    this.name = 'RpcTimeoutError';
  }
}

/** The error pending requests reject with when their endpoint is disposed. */
export class RpcDisposedError extends Error {
  constructor(readonly method: string) {
    super(`request '${method}' abandoned: the message channel was closed`);
    this.name = 'RpcDisposedError';
  }
}

/** An error a handler may throw to choose the `code` of the error message its caller receives. */
export class RpcHandlerError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'RpcHandlerError';
  }
}
