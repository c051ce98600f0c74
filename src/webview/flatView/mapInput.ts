/**
 * The map's input: wheel pans (Ctrl+wheel zooms at the pointer), drag pans, hover shows details,
 * click and double-click activate a range, and keys move between ranges (arrows, Home, End),
 * activate (Enter, Space) and zoom (+, -, 0) around the active range.
 */
import { segmentAtX, type Segment } from './layout';

/** The map as its input sees it. */
export interface MapInputTarget {
  readonly viewport: HTMLElement;
  segments(): readonly Segment[];
  /** The segment the keyboard is on, -1 for none. */
  activeIndex(): number;
  zoom(): number;
  setZoom(zoom: number, anchorX?: number): void;
  setActive(index: number): void;
  activate(segment: Segment, how: 'click' | 'double-click' | 'keyboard'): void;
  showTooltip(index: number, clientX: number, clientY: number): void;
  hideTooltip(): void;
}

/** A press that pans once it moves more than this many pixels (less is a click). */
const DRAG_THRESHOLD_PX = 3;

export class MapInput {
  private drag: { x: number; scroll: number; moved: boolean } | undefined;

  constructor(private readonly map: MapInputTarget) {
    const viewport = map.viewport;
    viewport.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    viewport.addEventListener('pointerdown', (e) => this.onPointerDown(e));
    viewport.addEventListener('pointermove', (e) => this.onPointerMove(e));
    viewport.addEventListener('pointerup', (e) => this.onPointerUp(e));
    viewport.addEventListener('pointerleave', () => map.hideTooltip());
    viewport.addEventListener('dblclick', (e) => this.onDoubleClick(e));
    viewport.addEventListener('keydown', (e) => this.onKey(e));
  }

  private segmentFromEvent(e: MouseEvent): number {
    const viewport = this.map.viewport;
    const rect = viewport.getBoundingClientRect();
    return segmentAtX(this.map.segments(), e.clientX - rect.left + viewport.scrollLeft);
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    if (e.ctrlKey || e.metaKey) {
      const rect = this.map.viewport.getBoundingClientRect();
      this.map.setZoom(this.map.zoom() * Math.pow(2, -e.deltaY / 300), e.clientX - rect.left);
    } else {
      this.map.viewport.scrollLeft += e.deltaX !== 0 ? e.deltaX : e.deltaY;
    }
  }

  private onPointerDown(e: PointerEvent): void {
    if (e.button !== 0) return;
    this.drag = { x: e.clientX, scroll: this.map.viewport.scrollLeft, moved: false };
  }

  private onPointerMove(e: PointerEvent): void {
    if (this.drag && e.buttons & 1) {
      const dx = e.clientX - this.drag.x;
      if (Math.abs(dx) > DRAG_THRESHOLD_PX) this.drag.moved = true;
      if (this.drag.moved) {
        this.map.viewport.scrollLeft = this.drag.scroll - dx;
        this.map.hideTooltip();
        return;
      }
    }
    const i = this.segmentFromEvent(e);
    if (i < 0) return this.map.hideTooltip();
    this.map.showTooltip(i, e.clientX, e.clientY);
  }

  private onPointerUp(e: PointerEvent): void {
    const drag = this.drag;
    this.drag = undefined;
    if (drag?.moved) return;
    const i = this.segmentFromEvent(e);
    const segment = this.map.segments()[i];
    if (segment?.kind === 'range') {
      this.map.setActive(i);
      this.map.activate(segment, 'click');
    }
  }

  private onDoubleClick(e: MouseEvent): void {
    const i = this.segmentFromEvent(e);
    const segment = this.map.segments()[i];
    if (segment?.kind === 'range') this.map.activate(segment, 'double-click');
  }

  private onKey(e: KeyboardEvent): void {
    const map = this.map;
    const ranges = () =>
      map
        .segments()
        .map((s, i) => (s.kind === 'range' ? i : -1))
        .filter((i) => i >= 0);
    switch (e.key) {
      case 'ArrowRight':
      case 'ArrowLeft': {
        const list = ranges();
        const pos = list.indexOf(map.activeIndex());
        const next =
          e.key === 'ArrowRight'
            ? list[pos < 0 ? 0 : Math.min(pos + 1, list.length - 1)]
            : list[Math.max(pos - 1, 0)];
        if (next !== undefined) map.setActive(next);
        break;
      }
      case 'Home':
        map.setActive(ranges()[0] ?? -1);
        break;
      case 'End':
        map.setActive(ranges().at(-1) ?? -1);
        break;
      case 'Enter':
      case ' ': {
        const s = map.segments()[map.activeIndex()];
        if (s?.kind === 'range') map.activate(s, 'keyboard');
        break;
      }
      case '+':
      case '=':
        map.setZoom(map.zoom() * 2, this.activeX());
        break;
      case '-':
        map.setZoom(map.zoom() / 2, this.activeX());
        break;
      case '0':
        map.setZoom(1);
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  /** The active range's centre in viewport pixels (zoom keeps it in place), else the middle. */
  private activeX(): number {
    const viewport = this.map.viewport;
    const s = this.map.segments()[this.map.activeIndex()];
    return s ? s.x + s.width / 2 - viewport.scrollLeft : viewport.clientWidth / 2;
  }
}
