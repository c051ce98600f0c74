/**
 * Live editing: every committed edit is written through the host at once, and undo/redo write the
 * previous (or next) bytes back. Nothing is kept as an unsaved change. Writes that fail or write only
 * part of the bytes come back as results the view must show. Edits that cannot be undone (device
 * registers, where writing the old value back would run the device again; bytes whose old value is
 * unknown) stay in the history as such: undo reaches them, says why, and writes nothing. Pure: no
 * DOM.
 */

export interface WriteOutcome {
  /** Bytes actually written from the start of the request. */
  bytesWritten: number;
  /** Why the write stopped short, when it did. */
  error?: string;
}

export interface MemoryWriter {
  write(address: bigint, bytes: Uint8Array): Promise<WriteOutcome>;
}

/** Returns why a write must not be sent (e.g. ROM), or undefined when it may. */
export type WritePolicy = (address: bigint, length: number) => string | undefined;

export type EditStatus = 'written' | 'partial' | 'failed' | 'refused' | 'notUndoable';

export interface EditResult {
  status: EditStatus;
  /** What was attempted: an edit, an undo or a redo. */
  action: 'edit' | 'undo' | 'redo';
  address: bigint;
  requested: number;
  written: number;
  message?: string;
  /** For an edit recorded as not undoable (or an undo that reached one): why it cannot be. */
  notUndoable?: NotUndoable;
}

export interface NotUndoable {
  reason: string;
  /** What was written to, for the message (e.g. `MMIO (uart0)`). */
  target?: string;
}

type HistoryEntry =
  | { address: bigint; before: Uint8Array; after: Uint8Array; notUndoable?: undefined }
  | { address: bigint; length: number; notUndoable: NotUndoable };

export class EditHistory {
  private readonly undoStack: HistoryEntry[] = [];
  private readonly redoStack: HistoryEntry[] = [];
  /** Serializes writes so undo never overtakes the edit it undoes. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly writer: MemoryWriter,
    private readonly policy: WritePolicy,
    private readonly limit = 1000,
  ) {}

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  get undoDepth(): number {
    return this.undoStack.length;
  }

  /**
   * Writes `after` at `address`. `before` holds the bytes there now, or undefined when they are
   * unknown; `notUndoable` says why the edit must not be undone even so (a device register). Such
   * an edit is written and recorded as not undoable.
   */
  commit(
    address: bigint,
    before: Uint8Array | undefined,
    after: Uint8Array,
    notUndoable?: NotUndoable,
  ): Promise<EditResult> {
    return this.enqueue(async () => {
      const result = await this.write('edit', address, after);
      if (result.written > 0) {
        this.redoStack.length = 0;
        const why =
          notUndoable ??
          (before
            ? undefined
            : { reason: 'its previous value is unknown, so it cannot be undone' });
        if (why) {
          this.push({ address, length: result.written, notUndoable: why });
          result.notUndoable = why;
        } else {
          this.push({
            address,
            before: before!.slice(0, result.written),
            after: after.slice(0, result.written),
          });
        }
      }
      return result;
    });
  }

  /**
   * Writes the previous bytes of the last edit back. Undefined when there is nothing to undo. An
   * edit recorded as not undoable is taken off the history, written nothing, and reported.
   */
  undo(): Promise<EditResult | undefined> {
    return this.enqueue(async () => {
      const entry = this.undoStack.pop();
      if (!entry) return undefined;
      if (entry.notUndoable !== undefined) {
        return {
          status: 'notUndoable',
          action: 'undo',
          address: entry.address,
          requested: entry.length,
          written: 0,
          notUndoable: entry.notUndoable,
        };
      }
      const result = await this.write('undo', entry.address, entry.before);
      this.settle(entry, result, this.undoStack, this.redoStack);
      return result;
    });
  }

  redo(): Promise<EditResult | undefined> {
    return this.enqueue(async () => {
      const entry = this.redoStack.pop();
      // Only undone edits reach the redo stack, and none of them is a device write.
      if (!entry || entry.notUndoable !== undefined) return undefined;
      const result = await this.write('redo', entry.address, entry.after);
      this.settle(entry, result, this.redoStack, this.undoStack);
      return result;
    });
  }

  clear(): void {
    this.undoStack.length = 0;
    this.redoStack.length = 0;
  }

  /**
   * After an undo/redo: fully written → the entry moves to the other stack. Not written at all →
   * it goes back where it was, so the user can retry. Partly written → memory now holds a mix; the
   * written part moves across, the rest stays, so both directions remain exact.
   */
  private settle(
    entry: HistoryEntry & { before: Uint8Array; after: Uint8Array },
    result: EditResult,
    from: HistoryEntry[],
    to: HistoryEntry[],
  ): void {
    const n = result.written;
    if (n >= entry.before.length) {
      to.push(entry);
      return;
    }
    if (n > 0) {
      to.push({
        address: entry.address,
        before: entry.before.slice(0, n),
        after: entry.after.slice(0, n),
      });
      from.push({
        address: entry.address + BigInt(n),
        before: entry.before.slice(n),
        after: entry.after.slice(n),
      });
      return;
    }
    from.push(entry);
  }

  private push(entry: HistoryEntry): void {
    this.undoStack.push(entry);
    if (this.undoStack.length > this.limit) this.undoStack.shift();
  }

  private async write(
    action: EditResult['action'],
    address: bigint,
    bytes: Uint8Array,
  ): Promise<EditResult> {
    const base = { action, address, requested: bytes.length };
    const refusal = this.policy(address, bytes.length);
    if (refusal) return { ...base, status: 'refused', written: 0, message: refusal };
    try {
      const outcome = await this.writer.write(address, bytes);
      const written = Math.max(0, Math.min(bytes.length, outcome.bytesWritten));
      if (written === bytes.length) return { ...base, status: 'written', written };
      return {
        ...base,
        status: written === 0 ? 'failed' : 'partial',
        written,
        message: outcome.error ?? `only ${written} of ${bytes.length} bytes were written`,
      };
    } catch (error) {
      return {
        ...base,
        status: 'failed',
        written: 0,
        message: error instanceof Error ? error.message : String(error),
      };
    }
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job, job);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/**
 * Typing in the hex column: the first digit of a byte is held as a pending high nibble, the second
 * completes the byte and commits it.
 */
export class HexTyping {
  private pendingHigh: number | undefined;
  private pendingAddress: bigint | undefined;

  /** The pending high nibble at `address`, if a byte there is half typed. */
  pendingAt(address: bigint): number | undefined {
    return this.pendingAddress === address ? this.pendingHigh : undefined;
  }

  /** Feeds one key at `address`; returns the complete byte when this digit finished one. */
  type(address: bigint, key: string): { byte?: number; accepted: boolean } {
    if (!/^[0-9a-fA-F]$/.test(key)) return { accepted: false };
    const nibble = parseInt(key, 16);
    if (this.pendingAddress === address && this.pendingHigh !== undefined) {
      const byte = (this.pendingHigh << 4) | nibble;
      this.cancel();
      return { byte, accepted: true };
    }
    this.pendingAddress = address;
    this.pendingHigh = nibble;
    return { accepted: true };
  }

  cancel(): void {
    this.pendingHigh = undefined;
    this.pendingAddress = undefined;
  }
}

/** The byte an ASCII-column key writes, or undefined for keys that are not printable ASCII. */
export function asciiKeyToByte(key: string): number | undefined {
  if (key.length !== 1) return undefined;
  const code = key.charCodeAt(0);
  return code >= 0x20 && code < 0x7f ? code : undefined;
}
