/**
 * The custom vertical scrollbar: a track and a thumb whose position is the ScrollModel's fraction.
 * Dragging maps pixels to a bigint line; clicking the track pages.
 */
import type { ScrollModel } from './scrollModel';

export class VirtualScrollbar {
  readonly element: HTMLDivElement;
  private readonly thumb: HTMLDivElement;
  private drag: { pointerId: number; grabOffset: number } | undefined;
  /**
   * The track's height, from a ResizeObserver: reading clientHeight on every repaint forced a
   * layout of the whole grid each time. -1 until known.
   */
  private trackHeight = -1;
  private shown = { top: NaN, height: NaN, valueNow: '' };

  constructor(
    private readonly getScroll: () => ScrollModel,
    private readonly onScroll: () => void,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'vscrollbar';
    this.element.setAttribute('role', 'scrollbar');
    this.element.setAttribute('aria-orientation', 'vertical');
    this.element.setAttribute('aria-label', 'Address space position');
    this.thumb = document.createElement('div');
    this.thumb.className = 'vthumb';
    this.element.append(this.thumb);
    this.element.addEventListener('pointerdown', (e) => this.pointerDown(e));
    this.element.addEventListener('pointermove', (e) => this.pointerMove(e));
    this.element.addEventListener('pointerup', (e) => this.pointerUp(e));
    this.element.addEventListener('pointercancel', (e) => this.pointerUp(e));
    new ResizeObserver(() => {
      this.trackHeight = this.element.clientHeight;
      this.update();
    }).observe(this.element);
  }

  private get scroll(): ScrollModel {
    return this.getScroll();
  }

  /** Places the thumb; writes only what changed. */
  update(): void {
    if (this.trackHeight < 0) this.trackHeight = this.element.clientHeight;
    const { top, height } = this.scroll.thumb(this.trackHeight);
    const valueNow = String(Math.round(this.scroll.fraction() * 1000));
    const shown = this.shown;
    if (top !== shown.top) this.thumb.style.top = `${top}px`;
    if (height !== shown.height) this.thumb.style.height = `${height}px`;
    if (valueNow !== shown.valueNow) {
      if (!shown.valueNow) {
        this.element.setAttribute('aria-valuemin', '0');
        this.element.setAttribute('aria-valuemax', '1000');
      }
      this.element.setAttribute('aria-valuenow', valueNow);
    }
    this.shown = { top, height, valueNow };
  }

  private pointerDown(e: PointerEvent): void {
    const rect = this.element.getBoundingClientRect();
    const y = e.clientY - rect.top;
    const { top, height } = this.scroll.thumb(rect.height);
    if (y >= top && y <= top + height) {
      this.drag = { pointerId: e.pointerId, grabOffset: y - top };
      this.element.setPointerCapture(e.pointerId);
      this.thumb.classList.add('active');
    } else {
      // Clicking the track pages towards the click, as native scrollbars do.
      const page = Math.max(1, this.scroll.visibleLines - 1);
      this.scroll.scrollBy(y < top ? -page : page);
      this.onScroll();
    }
    e.preventDefault();
  }

  private pointerMove(e: PointerEvent): void {
    if (!this.drag || e.pointerId !== this.drag.pointerId) return;
    const rect = this.element.getBoundingClientRect();
    this.scroll.scrollToThumb(e.clientY - rect.top - this.drag.grabOffset, rect.height);
    this.onScroll();
  }

  private pointerUp(e: PointerEvent): void {
    if (!this.drag || e.pointerId !== this.drag.pointerId) return;
    this.drag = undefined;
    this.thumb.classList.remove('active');
    this.element.releasePointerCapture(e.pointerId);
  }
}
