/**
 * The cells whose last write failed, marked in the error colour until the mark no longer says
 * anything: the byte is written successfully later, the machine stops again, or its page has been
 * re-read successfully after the re-read that showed the real value next to the mark. Pure: no DOM.
 */
import { PAGE_SIZE_N } from './scrollModel';

interface Mark {
  /** Page reads started before this number cannot clear the mark (they began before it). */
  since: number;
  /** Set by the first successful re-read after the failure: the one that shows the real value. */
  shown: boolean;
}

export class FailedWriteMarks {
  private readonly marks = new Map<bigint, Mark>();
  private reads = 0;

  get size(): number {
    return this.marks.size;
  }

  has(address: bigint): boolean {
    return this.marks.has(address);
  }

  add(address: bigint): void {
    this.marks.set(address, { since: this.reads + 1, shown: false });
  }

  delete(address: bigint): void {
    this.marks.delete(address);
  }

  /** At every stop: what failed before it is history. */
  clear(): void {
    this.marks.clear();
  }

  /** A page read is starting: returns its token for {@link pageRead}. */
  readStarting(): number {
    return ++this.reads;
  }

  /** The page read `token` of page `index` succeeded. */
  pageRead(index: bigint, token: number): void {
    for (const [address, mark] of this.marks) {
      if (address / PAGE_SIZE_N !== index || token < mark.since) continue;
      if (mark.shown) this.marks.delete(address);
      else mark.shown = true;
    }
  }
}
