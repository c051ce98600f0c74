/**
 * Event plumbing of the session: device console output batched into `output` events (the
 * firmware writes one character at a time; UTF-8 split across writes is reassembled), and
 * `memory` events for changed ranges — after stops and writes, and every LIVE_REFRESH_MS while the
 * machine runs — only when the client said it handles them.
 */
import { StringDecoder } from 'node:string_decoder';
import { MemoryEvent, OutputEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { memoryReference } from './memory';
import type { ChangedRange } from './memoryEvents';

/** How often memory events are sent while the machine runs. */
export const LIVE_REFRESH_MS = 250;
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

  constructor(
    private readonly send: Send,
    private readonly enabled: () => boolean,
  ) {}

  report(spaceId: string, ranges: readonly ChangedRange[]): void {
    if (!this.enabled()) return;
    for (const r of ranges)
      this.send(new MemoryEvent(memoryReference(spaceId, r.address), 0, Number(r.length)));
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
