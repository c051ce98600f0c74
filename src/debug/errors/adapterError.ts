/**
 * The adapter's one error type. Every failed request answers with an AdapterError's code as the
 * DAP error message `id`, so a client can tell a user's mistake (a bad address, a ROM write, a
 * request while the machine runs) from a bug in the adapter. The codes are stable: they are
 * documented in docs/debugging.md and never reused.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';

export enum AdapterErrorCode {
  /** An argument is missing, of the wrong type, or out of range; the message names it. */
  BadArgument = 3001,
  /** A memory reference or address that names no address space, or lies outside it. */
  BadAddress = 3002,
  /** The request needs a stopped machine (pause first). */
  NotStopped = 3003,
  /** No machine yet: the request needs a launch first. */
  NotLaunched = 3004,
  /** A write into ROM or a read-only region (nothing was written). */
  RomWrite = 3005,
  /** Memory that cannot be read or written: a hole, or a device that refused the access. */
  UnreadableMemory = 3006,
  /** An expression or Debug Console command that does not parse or cannot be evaluated. */
  BadExpression = 3007,
  /** More than the adapter answers in one request (bytes, instructions, frames, text length). */
  TooLarge = 3008,
  /** The board or program named by the launch configuration cannot be used. */
  LaunchFailed = 3009,
  /** The session is in the wrong state for this request (already launched, program exited, …). */
  WrongState = 3010,
  /** A DAP request this adapter does not implement. */
  Unsupported = 3011,
  /** The client cancelled the request (DAP `cancel`). */
  Cancelled = 3012,
  /** `--port`: a launch without the token the adapter printed at start (`adapterToken`). */
  Unauthorized = 3013,
  /** A bug in the adapter: an unexpected exception. Please report it. */
  Internal = 5000,
}

export class AdapterError extends Error {
  constructor(
    readonly code: AdapterErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AdapterError';
  }

  /** True for the user's mistakes (everything but Internal). */
  get isUserMistake(): boolean {
    return this.code !== AdapterErrorCode.Internal;
  }
}

/**
 * Requests whose failures the client shows in place (the Debug Console, a hover, a watch, the
 * completion list): a notification for each would be noise (VS Code pops one up per `showUser`).
 */
const SHOWN_IN_PLACE: ReadonlySet<string> = new Set(['evaluate', 'completions']);

/**
 * The DAP error message for a failed request: the AdapterError's code as `id` (anything else
 * thrown is a bug: Internal, naming the request), `showUser` for the user's mistakes — except
 * where the client shows the failure in place (evaluate, completions) and for `cancelled`, which
 * the client asked for — and `sendTelemetry` for bugs.
 */
export function errorMessage(e: unknown, command: string): DebugProtocol.Message {
  const error =
    e instanceof AdapterError
      ? e
      : new AdapterError(
          AdapterErrorCode.Internal,
          `internal error in ${command}: ${e instanceof Error ? e.message : String(e)}`,
        );
  return {
    id: error.code,
    format: error.message,
    variables: {}, // the base class's formatPII looks `{_name}` up in it: a message may contain braces
    showUser:
      error.isUserMistake &&
      error.code !== AdapterErrorCode.Cancelled &&
      !SHOWN_IN_PLACE.has(command),
    ...(error.isUserMistake ? {} : { sendTelemetry: true }),
  };
}
