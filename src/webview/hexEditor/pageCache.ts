/**
 * A bounded LRU cache of 4 KiB memory pages, keyed by page index (address / 4096). It fetches only
 * what the view asks for, at most `concurrency` reads at a time, drops queued reads the view no longer
 * wants, and never holds more than `capacity` pages — so memory stays constant whatever the size of
 * the address space. It also keeps, per page, the bytes as they were at the last stop, so the grid can
 * highlight what changed since. Pure: no DOM.
 */
import { PAGE_SIZE, PAGE_SIZE_N } from './scrollModel';

/** Per-byte status codes, indexes into protocol/memory BYTE_STATUSES. */
export const STATUS_OK = 0;
export const STATUS_UNMAPPED = 1;
export const STATUS_UNPEEKABLE = 2;
export const STATUS_ERROR = 3;

export interface PageRegion {
  start: bigint;
  /** Inclusive. */
  last: bigint;
  name: string;
  id?: string;
  /** Offset inside the region of the byte at `start`, when the adapter says. */
  offsetInRegion?: bigint;
  kind: string;
  readonly: boolean;
  hasRegisters: boolean;
}

/** What a fetch returns for one page. */
export interface PageContent {
  data: Uint8Array;
  status: Uint8Array;
  regions: PageRegion[];
}

export interface CachedPage extends PageContent {
  readonly index: bigint;
  /** Bytes as first read after the latest stop: the value at that stop. */
  stopValue?: Uint8Array;
  /** Bytes at the stop before (what the last run started from). */
  previousStopValue?: Uint8Array;
  /** The stop generation `stopValue` belongs to. */
  stopGeneration?: number;
  /** Set when the page must be re-read (memory event, write); the old bytes stay shown meanwhile. */
  stale: boolean;
  /** The last fetch failed; `error` says why and the content is from before (or all-error). */
  error?: string;
}

export type PageFetcher = (index: bigint) => Promise<PageContent>;

export interface PageCacheOptions {
  /** Most pages held at once (default 64 = 768 KiB with snapshots). */
  capacity?: number;
  /** Most reads in flight at once (default 4). */
  concurrency?: number;
  /** Called after a page arrives or fails, so the view can repaint. */
  onUpdate?: (index: bigint) => void;
}

export class PageCache {
  private readonly pages = new Map<bigint, CachedPage>();
  private readonly inFlight = new Set<bigint>();
  private wanted: bigint[] = [];
  private wantedSet = new Set<bigint>();
  private readonly capacity: number;
  private readonly concurrency: number;
  /** Highest number of pages (held + in flight) ever reached, for tests and the benchmark. */
  peakPages = 0;
  fetchCount = 0;
  private stopGeneration = 0;
  private running = false;

  constructor(
    private readonly fetcher: PageFetcher,
    private readonly options: PageCacheOptions = {},
  ) {
    this.capacity = Math.max(1, options.capacity ?? 64);
    this.concurrency = Math.max(1, options.concurrency ?? 4);
  }

  get size(): number {
    return this.pages.size;
  }

  get pendingReads(): number {
    return this.inFlight.size;
  }

  /** The page if held (marks it recently used). */
  get(index: bigint): CachedPage | undefined {
    const page = this.pages.get(index);
    if (page) {
      this.pages.delete(index);
      this.pages.set(index, page);
    }
    return page;
  }

  /** True while a read of the page is in flight. */
  isReading(index: bigint): boolean {
    return this.inFlight.has(index);
  }

  /** The page if held, without touching the LRU order. */
  peek(index: bigint): CachedPage | undefined {
    return this.pages.get(index);
  }

  /**
   * Declares the pages the view needs, most important first, and starts fetching missing or stale
   * ones. Pages beyond the capacity are cut from the end of the list.
   */
  want(indexes: readonly bigint[]): void {
    this.wanted = indexes.slice(0, this.capacity);
    this.wantedSet = new Set(this.wanted);
    for (const index of this.wanted) this.get(index);
    this.pump();
  }

  /** Marks held pages overlapping [start, end) stale and re-reads the wanted ones. */
  invalidate(start: bigint, end: bigint): void {
    for (const page of this.pages.values()) {
      const base = page.index * PAGE_SIZE_N;
      if (base < end && base + PAGE_SIZE_N > start) page.stale = true;
    }
    this.pump();
  }

  invalidateAll(): void {
    for (const page of this.pages.values()) page.stale = true;
    this.pump();
  }

  /**
   * Called when the machine stops: every page is re-read, and the first read that starts after
   * this call becomes the page's value at this stop (reads already in flight do not count).
   */
  markStop(): void {
    this.stopGeneration++;
    this.running = false;
    for (const page of this.pages.values()) page.stale = true;
    this.pump();
  }

  /** While running, highlights compare with the last stop only (not with the run before it). */
  setRunning(running: boolean): void {
    this.running = running;
  }

  /**
   * True when the byte changed "since the last stop": while running, it differs from its value at
   * the last stop; while stopped, it also counts if the last run changed it (its value at the last
   * stop differs from the stop before). Pages read for the first time have no history: false.
   */
  changedSinceStop(page: CachedPage, offset: number): boolean {
    if (page.status[offset] !== STATUS_OK || !page.stopValue) return false;
    if (page.stopValue[offset] !== page.data[offset]) return true;
    return (
      !this.running &&
      page.previousStopValue !== undefined &&
      page.previousStopValue[offset] !== page.stopValue[offset]
    );
  }

  /** Drops everything (e.g. the session ended). */
  clear(): void {
    this.pages.clear();
  }

  private pump(): void {
    for (const index of this.wanted) {
      if (this.inFlight.size >= this.concurrency) break;
      if (this.inFlight.has(index)) continue;
      const held = this.pages.get(index);
      if (held && !held.stale) continue;
      void this.fetch(index);
    }
  }

  private async fetch(index: bigint): Promise<void> {
    const generation = this.stopGeneration;
    this.inFlight.add(index);
    this.fetchCount++;
    this.notePeak();
    let content: PageContent | undefined;
    let error: string | undefined;
    try {
      content = await this.fetcher(index);
      if (content.data.length !== PAGE_SIZE || content.status.length !== PAGE_SIZE) {
        throw new Error(`page 0x${(index * PAGE_SIZE_N).toString(16)}: short read`);
      }
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    this.inFlight.delete(index);
    this.store(index, content, error, generation);
    this.options.onUpdate?.(index);
    this.pump();
  }

  private store(
    index: bigint,
    content: PageContent | undefined,
    error: string | undefined,
    generation: number,
  ): void {
    const previous = this.pages.get(index);
    // A page nobody wants any more is kept only if it was already held (it is refreshed in place).
    if (!previous && !this.wantedSet.has(index)) return;
    // Read before the latest stop: shown, but re-read so the stop value comes from after it.
    const current = generation === this.stopGeneration;
    let page: CachedPage;
    if (content) {
      page = {
        index,
        ...content,
        stale: !current,
        stopValue: previous?.stopValue,
        previousStopValue: previous?.previousStopValue,
        stopGeneration: previous?.stopGeneration,
      };
      if (current && this.stopGeneration > 0 && page.stopGeneration !== generation) {
        page.previousStopValue = page.stopValue;
        page.stopValue = content.data.slice();
        page.stopGeneration = generation;
      }
    } else if (previous) {
      page = { ...previous, stale: !current, error };
    } else {
      page = {
        index,
        data: new Uint8Array(PAGE_SIZE),
        status: new Uint8Array(PAGE_SIZE).fill(STATUS_ERROR),
        regions: [],
        stale: false,
        error,
      };
    }
    this.pages.delete(index);
    this.pages.set(index, page);
    this.evict();
    this.notePeak();
  }

  private evict(): void {
    for (const index of this.pages.keys()) {
      if (this.pages.size <= this.capacity) break;
      if (!this.wantedSet.has(index)) this.pages.delete(index);
    }
    // Only possible if more pages are wanted than fit; `want` prevents that, this is the backstop.
    while (this.pages.size > this.capacity) {
      this.pages.delete(this.pages.keys().next().value as bigint);
    }
  }

  private notePeak(): void {
    this.peakPages = Math.max(this.peakPages, this.pages.size + this.inFlight.size);
  }
}
