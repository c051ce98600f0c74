/**
 * Event plumbing of the session: device console output batched into `output` events (the
 * firmware writes one character at a time; UTF-8 split across writes is reassembled), and
 * `memory` events for changed ranges — after stops and writes, and every LIVE_REFRESH_MS while the
 * machine runs — only when the client said it handles them.
 *
 * VS Code tells a memory view of its own (`vscode-debug-memory:` documents, the hex editor
 * extension) about a change only when the event's memoryReference is the very string the view
 * was opened on. So each change also goes out under every reference the client has recently been
 * given or used (an offset from it, negative when the change lies before it).
 */
import { StringDecoder } from 'node:string_decoder';
import { MemoryEvent, OutputEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { parseMemoryReference } from '../../protocol';
import { memoryReference, type ChangedRange } from '../memory';

/** How often memory events are sent while the machine runs. */
export const LIVE_REFRESH_MS = 250;
/** How many recently given or used memory references get their own change events. */
export const WATCHED_REFERENCES = 64;
/** Output is gathered this long before one `output` event goes out. */
const OUTPUT_BATCH_MS = 10;

type Send = (event: DebugProtocol.Event) => void;

export class ConsoleOutput {
  private buffer = '';
  private category: 'stdout' | 'stderr' = 'stdout';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly decoders = {
    stdout: new StringDecoder('utf8'),
    stderr: new StringDecoder('utf8'),
  };

  constructor(private readonly send: Send) {}

  /** Device text: one character per byte (latin1), as the machine reports it. */
  write(text: string, category: 'stdout' | 'stderr'): void {
    if (category !== this.category) this.flush();
    this.category = category;
    this.buffer += this.decoders[category].write(Buffer.from(text, 'latin1'));
    this.timer ??= setTimeout(() => this.flush(), OUTPUT_BATCH_MS);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer === '') return;
    const text = this.buffer;
    this.buffer = '';
    this.send(new OutputEvent(text, this.category));
  }
}

export class MemoryEvents {
  private timer: ReturnType<typeof setInterval> | undefined;
  /** Recently given or used references, oldest first (a Map keeps insertion order). */
  private readonly references = new Map<string, { space: string; address: bigint }>();

  constructor(
    private readonly send: Send,
    private readonly enabled: () => boolean,
  ) {}

  /** Remembers a reference a view may be opened on; foreign or malformed ones are ignored. */
  noteReference(reference: unknown): void {
    if (typeof reference !== 'string') return;
    const parsed = parseMemoryReference(reference);
    if (!parsed.ok) return;
    this.references.delete(reference);
    this.references.set(reference, parsed.value);
    if (this.references.size > WATCHED_REFERENCES)
      this.references.delete(this.references.keys().next().value!);
  }

  /** Notes every memoryReference in a response body (evaluate, variables, setExpression …). */
  noteReferencesIn(body: unknown): void {
    if (typeof body !== 'object' || body === null) return;
    const b = body as { memoryReference?: unknown; variables?: unknown };
    this.noteReference(b.memoryReference);
    if (Array.isArray(b.variables))
      for (const v of b.variables as { memoryReference?: unknown }[])
        this.noteReference(v?.memoryReference);
  }

  report(spaceId: string, ranges: readonly ChangedRange[]): void {
    if (!this.enabled()) return;
    for (const r of ranges) {
      const canonical = memoryReference(spaceId, r.address);
      const count = Number(r.length);
      this.send(new MemoryEvent(canonical, 0, count));
      for (const [reference, at] of this.references) {
        if (reference === canonical || at.space !== spaceId) continue;
        const offset = Number(r.address - at.address);
        if (Number.isSafeInteger(offset)) this.send(new MemoryEvent(reference, offset, count));
      }
    }
  }

  /** While running: report what `collect` finds every LIVE_REFRESH_MS. */
  startLive(spaceId: string, collect: () => readonly ChangedRange[]): void {
    this.stopLive();
    this.timer = setInterval(() => this.report(spaceId, collect()), LIVE_REFRESH_MS);
  }

  stopLive(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
