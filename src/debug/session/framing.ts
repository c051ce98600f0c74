/**
 * DAP's base protocol on a byte stream: `Content-Length: N\r\n\r\n` then N bytes of JSON. The
 * reader in @vscode/debugadapter ends the adapter on the first bad frame (a body that is not
 * JSON, `null`, a header without a length) and never resynchronises after a wrong length. This
 * reader answers what can be answered, reports the rest, and finds the next header:
 *
 * - a body that is JSON but not a request (null, an array, no command) is answered with an error
 *   when it carries a `seq`, else reported;
 * - a body that is not JSON is reported; when its text still shows `"seq"` and `"command"` (a
 *   Content-Length shorter than the body cuts it), that request is answered with an error;
 * - a Content-Length longer than the body: the next header shows up inside the body after a
 *   complete JSON value; that value is taken and reading resumes at the header;
 * - bytes before a header (the rest of a body cut short, noise) are skipped up to the next
 *   `Content-Length:`.
 *
 * In strict mode (the TCP server) anything that is not a DAP frame — an HTTP request, another
 * header field, a malformed length — ends the connection instead (onReject).
 */

/** Largest frame body accepted (a 1 MiB writeMemory is ~1.4 MB of base64). */
export const MAX_FRAME_BYTES = 32 << 20;
const HEADER = Buffer.from('Content-Length:', 'latin1');
const HEADER_LOWER = 'content-length:';
const TWO_CRLF = Buffer.from('\r\n\r\n', 'latin1');
/** Longest header block looked at before giving up on it. */
const MAX_HEADER_BYTES = 1024;

export interface FrameReaderHooks {
  /** A well-formed message (an object with a string `type`). */
  message(message: Record<string, unknown>): void;
  /** A request that cannot be run: answer it with an error. */
  reject(seq: number, command: string, reason: string): void;
  /** Something that cannot be answered (logged by the session). */
  problem(reason: string): void;
  /** Strict mode only: the stream is not DAP; the connection should end. */
  notDap?(reason: string): void;
}

export class FrameReader {
  private buffer = Buffer.alloc(0);
  /** Body length of the frame being read; -1 while looking for a header. */
  private length = -1;
  /** Bytes of a too-large body still to skip. */
  private skipping = 0;
  /** Chunks of an incomplete body not yet joined to `buffer` (joining each would be quadratic). */
  private parts: Buffer[] = [];
  private partsBytes = 0;
  private closed = false;

  constructor(
    private readonly hooks: FrameReaderHooks,
    private readonly strict = false,
  ) {}

  push(chunk: Buffer): void {
    if (this.closed) return;
    if (this.skipping > 0) {
      const n = Math.min(this.skipping, chunk.length);
      this.skipping -= n;
      chunk = chunk.subarray(n);
      if (chunk.length === 0) return;
    }
    this.parts.push(chunk);
    this.partsBytes += chunk.length;
    // Still short of the body: keep the chunk aside; look inside it for a header only.
    if (this.length >= 0 && this.buffer.length + this.partsBytes < this.length) {
      if (this.strict || chunk.indexOf('ontent-', 0, 'latin1') < 0) return;
    }
    this.buffer = Buffer.concat([this.buffer, ...this.parts]);
    this.parts = [];
    this.partsBytes = 0;
    while (!this.closed && this.step()) {
      /* each step consumes something */
    }
  }

  /** One header or body; false when more bytes are needed. */
  private step(): boolean {
    if (this.length < 0) return this.readHeader();
    if (this.buffer.length < this.length) return !this.strict && this.checkTooLong();
    const body = this.buffer.subarray(0, this.length);
    this.buffer = this.buffer.subarray(this.length);
    this.length = -1;
    this.handleBody(body);
    return true;
  }

  private readHeader(): boolean {
    const start = this.findHeader(0);
    if (start < 0) {
      // Keep a tail that may be the start of a header split across chunks.
      if (this.buffer.length > 0 && (this.strict || this.buffer.length > HEADER.length)) {
        if (this.strict && !HEADER_LOWER.startsWith(this.buffer.toString('latin1').toLowerCase()))
          return this.notDap('the stream does not start with a Content-Length header');
        if (!this.strict) {
          const keep = HEADER.length - 1;
          this.report(this.buffer.length - keep, 'bytes that are not a DAP frame');
          this.buffer = this.buffer.subarray(this.buffer.length - keep);
        }
      }
      return false;
    }
    if (start > 0) {
      if (this.strict) return this.notDap('bytes before the Content-Length header');
      this.report(start, 'bytes before a Content-Length header');
      this.buffer = this.buffer.subarray(start);
    }
    const end = this.buffer.indexOf(TWO_CRLF);
    if (end < 0) {
      if (this.buffer.length > MAX_HEADER_BYTES) return this.badHeader('a header without an end');
      return false;
    }
    if (end > MAX_HEADER_BYTES) return this.badHeader('a header longer than 1024 bytes');
    const lines = this.buffer.toString('latin1', 0, end).split('\r\n');
    let length: number | undefined;
    for (const line of lines) {
      const m = /^([A-Za-z-]+):[ \t]*(.*?)[ \t]*$/.exec(line);
      if (!m) return this.badHeader(`a header line '${line.slice(0, 40)}'`);
      if (m[1]!.toLowerCase() === 'content-length') {
        if (!/^\d{1,12}$/.test(m[2]!)) return this.badHeader(`Content-Length '${m[2]}'`);
        length = Number(m[2]);
      } else if (this.strict) return this.notDap(`a '${m[1]}' header`);
    }
    if (length === undefined) return this.badHeader('a header without Content-Length');
    this.buffer = this.buffer.subarray(end + TWO_CRLF.length);
    if (length > MAX_FRAME_BYTES) {
      this.hooks.problem(
        `a frame of ${length} bytes is larger than the ${MAX_FRAME_BYTES} the adapter reads; skipped`,
      );
      const n = Math.min(length, this.buffer.length);
      this.buffer = this.buffer.subarray(n);
      this.skipping = length - n; // the rest of the body arrives later; push() skips it
      return true;
    }
    this.length = length;
    return true;
  }

  /** Index of the next `Content-Length:` (any case) at or after @from, or -1. */
  private findHeader(from: number): number {
    for (let i = this.buffer.indexOf('ontent-', from + 1, 'latin1'); i >= 1;) {
      const at = i - 1;
      if (
        this.buffer.length - at >= HEADER.length &&
        this.buffer.toString('latin1', at, at + HEADER.length).toLowerCase() === HEADER_LOWER
      )
        return at;
      i = this.buffer.indexOf('ontent-', i + 1, 'latin1');
    }
    return -1;
  }

  private badHeader(what: string): boolean {
    if (this.strict) return this.notDap(what);
    this.hooks.problem(`ignored ${what}; looking for the next header`);
    // Skip past this header's start and look for the next one.
    const next = this.findHeader(1);
    this.buffer = next < 0 ? Buffer.alloc(0) : this.buffer.subarray(next);
    return next >= 0;
  }

  private notDap(reason: string): boolean {
    this.closed = true;
    this.buffer = Buffer.alloc(0);
    this.hooks.notDap?.(reason);
    return false;
  }

  private report(bytes: number, what: string): void {
    if (bytes > 0) this.hooks.problem(`skipped ${bytes} ${what}`);
  }

  /**
   * While a body is incomplete: a header inside what arrived, right after a complete JSON value,
   * means the Content-Length was longer than the body. Take the value, resume at the header.
   */
  private checkTooLong(): boolean {
    const at = this.findHeader(0);
    if (at <= 0 || at >= this.length) return false;
    const value = tryParse(this.buffer.toString('utf8', 0, at));
    if (value === undefined) return false;
    this.hooks.problem(`a Content-Length of ${this.length} was longer than its body (${at} bytes)`);
    this.buffer = this.buffer.subarray(at);
    this.length = -1;
    this.dispatch(value.value);
    return true;
  }

  private handleBody(body: Buffer): void {
    const text = body.toString('utf8');
    const parsed = tryParse(text);
    if (parsed !== undefined) {
      this.dispatch(parsed.value);
      return;
    }
    if (!this.strict) {
      // A Content-Length longer than the body, with the next frame complete inside it.
      const at = body.indexOf(HEADER);
      if (at > 0) {
        const head = tryParse(body.toString('utf8', 0, at));
        if (head !== undefined) {
          this.hooks.problem(
            `a Content-Length of ${body.length} was longer than its body (${at} bytes)`,
          );
          this.buffer = Buffer.concat([body.subarray(at), this.buffer]);
          this.dispatch(head.value);
          return;
        }
      }
    }
    // Not JSON: answer the request if its seq and command can still be read.
    const seq = /"seq"\s*:\s*(\d{1,15})\b/.exec(text);
    const command = /"command"\s*:\s*"([^"\\]{1,100})"/.exec(text);
    if (seq && command && /"type"\s*:\s*"request"/.test(text))
      this.hooks.reject(
        Number(seq[1]),
        command[1]!,
        'the frame body is not valid JSON (is Content-Length right?)',
      );
    else this.hooks.problem(`a frame body that is not JSON (${body.length} bytes) was ignored`);
  }

  private dispatch(value: unknown): void {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.hooks.problem(
        `a frame whose body is ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}, not a message, was ignored`,
      );
      return;
    }
    const m = value as Record<string, unknown>;
    const seq = typeof m.seq === 'number' && Number.isSafeInteger(m.seq) ? m.seq : undefined;
    if (m.type === 'request') {
      if (typeof m.command !== 'string' || m.command === '') {
        if (seq !== undefined)
          this.hooks.reject(seq, String(m.command ?? ''), "the request has no 'command'");
        else this.hooks.problem('a request without seq or command was ignored');
        return;
      }
      if (seq === undefined) {
        this.hooks.reject(0, m.command, "the request has no integer 'seq'");
        return;
      }
      this.hooks.message(m);
      return;
    }
    if (m.type === 'response' || m.type === 'event') {
      this.hooks.message(m);
      return;
    }
    if (seq !== undefined && typeof m.command === 'string')
      this.hooks.reject(seq, m.command, "the message's 'type' is not 'request'");
    else this.hooks.problem(`a message of type ${JSON.stringify(m.type)} was ignored`);
  }
}

function tryParse(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}
