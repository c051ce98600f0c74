/**
 * When the hex editor repaints. Changes repaint at the next animation frame, however many come
 * before it. A page that arrives repaints in a task of its own as soon as the current one is done,
 * unless the coming paint already has a render (then at the next frame): it is shown a frame
 * earlier, and there is still at most one render per paint. A jump to a new place whose pages are
 * being read waits for them, briefly: painting blank placeholders first cost a whole repaint of the
 * grid (the longest task there is) and held up the page's own answer behind it.
 */
export class RenderScheduler {
  private frame = 0;
  private pending = false;
  /** A render was made outside a frame callback since the last frame: the coming paint shows it. */
  private paintServed = false;
  private soonTimer: ReturnType<typeof setTimeout> | undefined;
  private hold: { waiting: () => boolean; timer: ReturnType<typeof setTimeout> } | undefined;

  constructor(private readonly render: () => void) {}

  /** Repaints at the next animation frame; ends a wait for pages (the user did something else). */
  schedule(): void {
    this.endHold();
    this.pending = true;
    this.requestFrame();
  }

  /** Something the view was missing arrived: repaint soon (see above). */
  soon(): void {
    this.pending = true;
    if (this.hold) {
      if (this.hold.waiting()) return;
      this.endHold();
    }
    if (!this.paintServed && !this.soonTimer) {
      this.soonTimer = setTimeout(() => {
        this.soonTimer = undefined;
        this.renderBeforePaint();
      }, 0);
    }
    this.requestFrame();
  }

  /**
   * Repaints once `waiting` says the pages are here, or after `ms` at most (with placeholders for
   * what is still missing), or at the next frame if nothing is being waited for.
   */
  scheduleWhenLoaded(waiting: () => boolean, ms: number): void {
    if (!waiting()) return this.schedule();
    this.endHold();
    this.pending = true;
    const timer = setTimeout(() => {
      this.hold = undefined;
      this.requestFrame();
    }, ms);
    this.hold = { waiting, timer };
  }

  private endHold(): void {
    if (!this.hold) return;
    clearTimeout(this.hold.timer);
    this.hold = undefined;
  }

  private renderBeforePaint(): void {
    if (!this.pending || this.paintServed || this.hold) return;
    this.pending = false;
    this.paintServed = true;
    this.render();
  }

  private requestFrame(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      if (this.paintServed) {
        // This paint shows a render made since the last frame; what came after waits for the next.
        this.paintServed = false;
        if (this.pending && !this.hold) this.requestFrame();
        return;
      }
      if (!this.pending || this.hold) return;
      this.pending = false;
      this.render();
    });
  }
}
