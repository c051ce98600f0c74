/**
 * The grid's pointer and wheel: press to place the cursor (Shift extends), drag to select, hover
 * for cell details, and wheel scrolling by whole lines (fractions carried to the next event).
 */
import type { ScrollModel } from './scrollModel';
import type { Selection } from './selection';
import type { HexTyping } from './editModel';
import type { Column, Grid } from './grid';
import type { HoverInfo } from './hover';

/** The app state the pointer reads and changes (live properties: the app replaces some on start). */
export interface GridPointerContext {
  readonly scroll: ScrollModel;
  readonly selection: Selection;
  readonly typing: HexTyping;
  readonly rowHeight: number;
  column: Column;
  scheduleRender(): void;
}

export class GridPointer {
  private dragging = false;
  private wheelRemainder = 0;

  constructor(
    private readonly ctx: GridPointerContext,
    private readonly grid: Grid,
    private readonly hover: HoverInfo,
  ) {}

  /** Listens on the grid (and on the window for the end of a drag). */
  wire(): void {
    const g = this.grid.element;
    g.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    g.addEventListener('pointerdown', (e) => this.onPointerDown(e));
    g.addEventListener('pointermove', (e) => this.onPointerMove(e));
    g.addEventListener('pointerleave', () => this.hover.pointerAt(undefined, 0, 0));
    window.addEventListener('pointerup', () => (this.dragging = false));
  }

  private onPointerDown(e: PointerEvent): void {
    const t = this.grid.targetOf(e.target);
    if (!t) return;
    this.ctx.column = t.column;
    this.ctx.typing.cancel();
    this.ctx.selection.set(t.address, e.shiftKey);
    this.dragging = true;
    this.grid.element.focus();
    this.ctx.scheduleRender();
  }

  private onPointerMove(e: PointerEvent): void {
    const t = this.grid.targetOf(e.target);
    if (this.dragging && t && e.buttons & 1) {
      this.ctx.selection.set(t.address, true);
      this.ctx.scheduleRender();
    }
    this.hover.pointerAt(t?.address, e.clientX, e.clientY);
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    const scroll = this.ctx.scroll;
    const lines =
      e.deltaMode === 1
        ? e.deltaY
        : e.deltaMode === 2
          ? e.deltaY * scroll.visibleLines
          : e.deltaY / this.ctx.rowHeight;
    const total = lines + this.wheelRemainder;
    const whole = Math.trunc(total);
    this.wheelRemainder = total - whole;
    if (whole !== 0) {
      scroll.scrollBy(whole);
      this.ctx.scheduleRender();
    }
  }
}
