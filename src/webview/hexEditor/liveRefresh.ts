/**
 * Keeps the page cache in step with the session: memory-change events invalidate the pages they
 * touch (at once while stopped, at a bounded rate while running), a running machine's visible
 * pages are polled even without events, and a stop or the end of the session resets the cache.
 */
import type { HexHostContract, SessionState } from '../../protocol';
import type { PageCache } from './pageCache';
import type { ScrollModel } from './scrollModel';

const LIVE_REFRESH_MS = 500;
/** While running, every Nth live tick re-reads all visible pages even without memory events. */
const POLL_EVERY_TICKS = 4;
const MAX_PENDING_RANGES = 256;

type MemoryChanged = HexHostContract['events']['memoryChanged'];

/** The app state the refresh reads (live properties: the app replaces some on start). */
export interface LiveRefreshContext {
  readonly cache: PageCache;
  readonly scroll: ScrollModel;
  scheduleRender(): void;
}

export class LiveRefresh {
  private state: SessionState = 'none';
  private timer: ReturnType<typeof setInterval> | undefined;
  private ticks = 0;
  private pendingRanges: { start: bigint; end: bigint }[] = [];

  constructor(private readonly ctx: LiveRefreshContext) {}

  memoryChanged(body: MemoryChanged): void {
    const spaceSize = this.ctx.scroll.spaceSize;
    if ('all' in body) this.pendingRanges = [{ start: 0n, end: spaceSize }];
    else
      for (const r of body.ranges)
        this.pendingRanges.push({ start: BigInt(r.start), end: BigInt(r.end) });
    // Bounded however many events arrive between two refreshes: collapse to one range.
    if (this.pendingRanges.length > MAX_PENDING_RANGES) {
      this.pendingRanges = [{ start: 0n, end: spaceSize }];
    }
    // Stopped: apply now. Running: the live timer applies them at a bounded rate.
    if (this.state !== 'running') this.flush();
  }

  /** The session went from `was` to `state` (also on connecting, from 'none'). */
  sessionChanged(state: SessionState, was: SessionState): void {
    const cache = this.ctx.cache;
    this.state = state;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    cache.setRunning(state === 'running');
    if (state === 'running') {
      this.timer = setInterval(() => this.tick(), LIVE_REFRESH_MS);
    } else if (state === 'stopped') {
      if (was !== 'none') this.pendingRanges = [];
      // Also when the editor connects to a session that is already stopped: the first reads are
      // the values at this stop, so the first step after opening highlights what it changed.
      cache.markStop();
    } else {
      cache.clear();
      this.pendingRanges = [];
    }
  }

  private tick(): void {
    this.ticks++;
    if (this.ticks % POLL_EVERY_TICKS === 0) {
      const { start, end } = this.ctx.scroll.visibleRange();
      this.pendingRanges.push({ start, end });
    }
    this.flush();
  }

  private flush(): void {
    const ranges = this.pendingRanges;
    this.pendingRanges = [];
    for (const r of ranges) this.ctx.cache.invalidate(r.start, r.end);
    if (ranges.length) this.ctx.scheduleRender();
  }
}
