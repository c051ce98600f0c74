/**
 * The drawn map: one horizontal strip of segments on the folded axis, virtualised (only segments
 * near the viewport exist in the DOM), with hover details, click and keyboard activation, zoom
 * (buttons, keys, Ctrl+wheel, anchored at the pointer) and pan (wheel, drag, scrollbar).
 */
import type { FlatRangeInfo, RegionInfo } from '../../protocol';
import { kindClass, segmentLabel, segmentSize, shortHex, tooltipRows } from './format';
import {
  layoutAxis,
  segmentAtAddress,
  segmentAtX,
  segmentsOf,
  xOfAddress,
  type Segment,
} from './layout';

export interface MapCallbacks {
  /** A range was clicked or activated with Enter/Space. */
  activate(segment: Segment, how: 'click' | 'double-click' | 'keyboard'): void;
  /** Zoom or scroll changed (for saving state and updating the list). */
  viewChanged(): void;
  /** The snapshot's entry for a range's region (hover and labels show its engine facts). */
  regionInfo(regionId: string): RegionInfo | undefined;
}

const MIN_ZOOM = 1;
const MAX_ZOOM = 4096;
const RENDER_MARGIN = 400;

export class FlatMap {
  readonly viewport: HTMLElement;
  private readonly track: HTMLElement;
  private readonly tooltip: HTMLElement;
  private readonly marker: HTMLElement;
  private segments: Segment[] = [];
  private trackWidth = 0;
  private zoomFactor = 1;
  private rendered = new Map<number, HTMLElement>();
  private activeIndex = -1;
  private selectedRegionId: string | undefined;
  private markerAddress: bigint | undefined;
  private drag: { x: number; scroll: number; moved: boolean } | undefined;
  private frame = 0;

  constructor(
    container: HTMLElement,
    private readonly callbacks: MapCallbacks,
  ) {
    this.viewport = el('div', 'map-viewport');
    this.viewport.tabIndex = 0;
    this.viewport.setAttribute('role', 'listbox');
    this.viewport.setAttribute('aria-orientation', 'horizontal');
    this.viewport.setAttribute(
      'aria-label',
      'Flat view map. Arrow keys move between ranges, Enter reveals, plus and minus zoom.',
    );
    this.track = el('div', 'map-track');
    this.marker = el('div', 'map-marker');
    this.marker.hidden = true;
    this.marker.setAttribute('aria-hidden', 'true');
    this.track.append(this.marker);
    this.viewport.append(this.track);
    this.tooltip = el('div', 'map-tooltip');
    this.tooltip.setAttribute('role', 'tooltip');
    this.tooltip.id = 'map-tooltip';
    this.tooltip.hidden = true;
    container.append(this.viewport, this.tooltip);

    this.viewport.addEventListener('scroll', () => this.schedule());
    new ResizeObserver(() => this.relayout()).observe(this.viewport);
    this.viewport.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    this.viewport.addEventListener('pointerdown', (e) => this.onPointerDown(e));
    this.viewport.addEventListener('pointermove', (e) => this.onPointerMove(e));
    this.viewport.addEventListener('pointerup', (e) => this.onPointerUp(e));
    this.viewport.addEventListener('pointerleave', () => this.hideTooltip());
    this.viewport.addEventListener('dblclick', (e) => this.onDoubleClick(e));
    this.viewport.addEventListener('keydown', (e) => this.onKey(e));
    this.viewport.addEventListener('focus', () => {
      if (this.activeIndex < 0) this.setActive(this.firstRangeInView());
    });
  }

  get zoom(): number {
    return this.zoomFactor;
  }

  /** Scroll position as a fraction of the track, for saving. */
  get scrollFraction(): number {
    return this.trackWidth > 0 ? this.viewport.scrollLeft / this.trackWidth : 0;
  }

  get allSegments(): readonly Segment[] {
    return this.segments;
  }

  /** Shows a flat view ending at `spaceEnd`; keeps zoom; restores scroll when given. */
  show(flatView: readonly FlatRangeInfo[], spaceEnd: bigint, scrollFraction?: number): void {
    const anchor =
      scrollFraction === undefined ? this.anchorAddress(this.viewport.clientWidth / 2) : undefined;
    // Keep the keyboard position on the same region across live updates; drop it otherwise.
    const activeRegion = this.segments[this.activeIndex]?.range?.regionId;
    this.segments = segmentsOf(flatView, spaceEnd);
    this.clearRendered();
    this.activeIndex = activeRegion
      ? this.segments.findIndex((s) => s.range?.regionId === activeRegion)
      : -1;
    if (this.activeIndex < 0) this.viewport.removeAttribute('aria-activedescendant');
    this.layout();
    if (scrollFraction !== undefined) this.viewport.scrollLeft = scrollFraction * this.trackWidth;
    else if (anchor) this.keepAnchor(anchor, this.viewport.clientWidth / 2);
    this.render();
  }

  setZoom(zoom: number, anchorX = this.viewport.clientWidth / 2): void {
    const next = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
    if (next === this.zoomFactor) return;
    const anchor = this.anchorAddress(anchorX);
    this.zoomFactor = next;
    this.clearRendered();
    this.layout();
    if (anchor) this.keepAnchor(anchor, anchorX);
    this.render();
    this.callbacks.viewChanged();
  }

  /** Highlights every range of a region and scrolls the first into view. */
  select(regionId: string | undefined, scroll = true): void {
    this.selectedRegionId = regionId;
    for (const [i, node] of this.rendered)
      node.classList.toggle('selected', this.isSelected(this.segments[i]!));
    if (regionId && scroll) {
      const i = this.segments.findIndex((s) => s.range?.regionId === regionId);
      if (i >= 0) {
        this.scrollToSegment(i);
        this.setActive(i);
      }
    }
  }

  /** Puts the "why this address?" marker at an address (undefined hides it). */
  showMarker(address: bigint | undefined): void {
    this.markerAddress = address;
    this.placeMarker();
    if (address !== undefined) {
      const x = xOfAddress(this.segments, address);
      if (
        x !== undefined &&
        (x < this.viewport.scrollLeft || x > this.viewport.scrollLeft + this.viewport.clientWidth)
      ) {
        this.viewport.scrollLeft = x - this.viewport.clientWidth / 2;
      }
    }
  }

  /** Indexes of the ranges (not holes) at least partly in view. */
  visibleRangeIndexes(): number[] {
    const left = this.viewport.scrollLeft;
    const right = left + this.viewport.clientWidth;
    const out: number[] = [];
    let i = Math.max(0, segmentAtX(this.segments, left));
    for (; i < this.segments.length && this.segments[i]!.x < right; i++) {
      if (this.segments[i]!.kind === 'range') out.push(i);
    }
    return out;
  }

  /** The DOM node of segment i if rendered (tests and the list use it). */
  nodeOf(index: number): HTMLElement | undefined {
    return this.rendered.get(index);
  }

  private layout(): void {
    const width = Math.max(1, this.viewport.clientWidth) * this.zoomFactor;
    this.trackWidth = layoutAxis(this.segments, { width });
    this.track.style.width = `${this.trackWidth}px`;
    this.placeMarker();
  }

  private relayout(): void {
    const anchor = this.anchorAddress(this.viewport.clientWidth / 2);
    this.clearRendered();
    this.layout();
    if (anchor) this.keepAnchor(anchor, this.viewport.clientWidth / 2);
    this.render();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
      this.callbacks.viewChanged();
    });
  }

  /** Creates the nodes of segments near the viewport and drops the others. */
  private render(): void {
    const left = this.viewport.scrollLeft - RENDER_MARGIN;
    const right = this.viewport.scrollLeft + this.viewport.clientWidth + RENDER_MARGIN;
    const first = Math.max(0, segmentAtX(this.segments, Math.max(0, left)));
    const keep = new Set<number>();
    for (let i = first; i < this.segments.length && this.segments[i]!.x < right; i++) {
      keep.add(i);
      if (!this.rendered.has(i)) this.rendered.set(i, this.createNode(i));
    }
    if (this.activeIndex >= 0) keep.add(this.activeIndex);
    if (this.activeIndex >= 0 && !this.rendered.has(this.activeIndex)) {
      this.rendered.set(this.activeIndex, this.createNode(this.activeIndex));
    }
    for (const [i, node] of this.rendered) {
      if (!keep.has(i)) {
        node.remove();
        this.rendered.delete(i);
      }
    }
  }

  private createNode(i: number): HTMLElement {
    const s = this.segments[i]!;
    const node = el('div', s.kind === 'hole' ? 'seg hole' : `seg range ${kindClass(s.range!)}`);
    node.id = `seg-${i}`;
    node.dataset.index = String(i);
    node.setAttribute('role', 'option');
    node.setAttribute('aria-label', segmentLabel(s, this.regionOf(s)));
    node.setAttribute('aria-selected', String(this.isSelected(s)));
    node.style.left = `${s.x}px`;
    node.style.width = `${s.width}px`;
    if (s.range?.readonly) node.classList.add('readonly');
    if (this.isSelected(s)) node.classList.add('selected');
    if (i === this.activeIndex) node.classList.add('active');
    const name = el('span', 'seg-name');
    name.textContent =
      s.kind === 'hole' ? (s.width > 56 ? segmentSize(s) : '') : s.range!.regionName;
    if (s.range?.readonly) {
      const lock = el('span', 'codicon codicon-lock');
      lock.setAttribute('aria-hidden', 'true');
      name.prepend(lock);
    }
    const addr = el('span', 'seg-addr');
    addr.textContent = s.width > 70 ? shortHex(s.start) : '';
    node.append(name, addr);
    this.track.append(node);
    return node;
  }

  private clearRendered(): void {
    for (const node of this.rendered.values()) node.remove();
    this.rendered.clear();
  }

  private isSelected(s: Segment): boolean {
    return !!this.selectedRegionId && s.range?.regionId === this.selectedRegionId;
  }

  private placeMarker(): void {
    const x =
      this.markerAddress === undefined ? undefined : xOfAddress(this.segments, this.markerAddress);
    this.marker.hidden = x === undefined;
    if (x !== undefined) this.marker.style.left = `${x}px`;
  }

  private anchorAddress(viewX: number): { index: number; fraction: number } | undefined {
    const x = this.viewport.scrollLeft + viewX;
    const i = segmentAtX(this.segments, x);
    if (i < 0) return undefined;
    const s = this.segments[i]!;
    return { index: i, fraction: s.width > 0 ? (x - s.x) / s.width : 0 };
  }

  private keepAnchor(anchor: { index: number; fraction: number }, viewX: number): void {
    const s = this.segments[Math.min(anchor.index, this.segments.length - 1)];
    if (!s) return;
    this.viewport.scrollLeft = s.x + anchor.fraction * s.width - viewX;
  }

  private scrollToSegment(i: number): void {
    const s = this.segments[i]!;
    const left = this.viewport.scrollLeft;
    const width = this.viewport.clientWidth;
    if (s.x < left || s.x + s.width > left + width) {
      this.viewport.scrollLeft = s.x + s.width / 2 - width / 2;
    }
  }

  private setActive(i: number): void {
    if (i < 0 || i >= this.segments.length) return;
    this.rendered.get(this.activeIndex)?.classList.remove('active');
    this.activeIndex = i;
    this.scrollToSegment(i);
    this.render();
    const node = this.rendered.get(i);
    node?.classList.add('active');
    this.viewport.setAttribute('aria-activedescendant', `seg-${i}`);
  }

  private firstRangeInView(): number {
    return this.visibleRangeIndexes()[0] ?? this.segments.findIndex((s) => s.kind === 'range');
  }

  private segmentFromEvent(e: MouseEvent): number {
    const rect = this.viewport.getBoundingClientRect();
    return segmentAtX(this.segments, e.clientX - rect.left + this.viewport.scrollLeft);
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    if (e.ctrlKey || e.metaKey) {
      const rect = this.viewport.getBoundingClientRect();
      this.setZoom(this.zoomFactor * Math.pow(2, -e.deltaY / 300), e.clientX - rect.left);
    } else {
      this.viewport.scrollLeft += e.deltaX !== 0 ? e.deltaX : e.deltaY;
    }
  }

  private onPointerDown(e: PointerEvent): void {
    if (e.button !== 0) return;
    this.drag = { x: e.clientX, scroll: this.viewport.scrollLeft, moved: false };
  }

  private onPointerMove(e: PointerEvent): void {
    if (this.drag && e.buttons & 1) {
      const dx = e.clientX - this.drag.x;
      if (Math.abs(dx) > 3) this.drag.moved = true;
      if (this.drag.moved) {
        this.viewport.scrollLeft = this.drag.scroll - dx;
        this.hideTooltip();
        return;
      }
    }
    const i = this.segmentFromEvent(e);
    if (i < 0) return this.hideTooltip();
    this.showTooltip(i, e.clientX, e.clientY);
  }

  private onPointerUp(e: PointerEvent): void {
    const drag = this.drag;
    this.drag = undefined;
    if (drag?.moved) return;
    const i = this.segmentFromEvent(e);
    if (i >= 0 && this.segments[i]!.kind === 'range') {
      this.setActive(i);
      this.callbacks.activate(this.segments[i]!, 'click');
    }
  }

  private onDoubleClick(e: MouseEvent): void {
    const i = this.segmentFromEvent(e);
    if (i >= 0 && this.segments[i]!.kind === 'range')
      this.callbacks.activate(this.segments[i]!, 'double-click');
  }

  private onKey(e: KeyboardEvent): void {
    const ranges = () =>
      this.segments.map((s, i) => (s.kind === 'range' ? i : -1)).filter((i) => i >= 0);
    switch (e.key) {
      case 'ArrowRight':
      case 'ArrowLeft': {
        const list = ranges();
        const pos = list.indexOf(this.activeIndex);
        const next =
          e.key === 'ArrowRight'
            ? list[pos < 0 ? 0 : Math.min(pos + 1, list.length - 1)]
            : list[Math.max(pos - 1, 0)];
        if (next !== undefined) this.setActive(next);
        break;
      }
      case 'Home':
        this.setActive(ranges()[0] ?? -1);
        break;
      case 'End':
        this.setActive(ranges().at(-1) ?? -1);
        break;
      case 'Enter':
      case ' ': {
        const s = this.segments[this.activeIndex];
        if (s?.kind === 'range') this.callbacks.activate(s, 'keyboard');
        break;
      }
      case '+':
      case '=':
        this.setZoom(this.zoomFactor * 2, this.activeX());
        break;
      case '-':
        this.setZoom(this.zoomFactor / 2, this.activeX());
        break;
      case '0':
        this.setZoom(1);
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  private activeX(): number {
    const s = this.segments[this.activeIndex];
    return s ? s.x + s.width / 2 - this.viewport.scrollLeft : this.viewport.clientWidth / 2;
  }

  private showTooltip(i: number, clientX: number, clientY: number): void {
    const s = this.segments[i]!;
    const lines = tooltipRows(s, this.regionOf(s));
    this.tooltip.replaceChildren(
      ...lines.map(([k, v], n) => {
        const row = el('div', n === 0 ? 'tip-title' : 'tip-row');
        const key = el('span', 'tip-key');
        key.textContent = k;
        const value = el('span', 'tip-value');
        value.textContent = v;
        row.append(key, value);
        return row;
      }),
    );
    this.tooltip.hidden = false;
    const box = this.tooltip.getBoundingClientRect();
    const left = Math.min(clientX + 12, window.innerWidth - box.width - 4);
    const top =
      clientY + 16 + box.height > window.innerHeight ? clientY - box.height - 8 : clientY + 16;
    this.tooltip.style.left = `${Math.max(4, left)}px`;
    this.tooltip.style.top = `${Math.max(4, top)}px`;
    this.tooltip.dataset.index = String(i);
  }

  private regionOf(segment: Segment): RegionInfo | undefined {
    return segment.range ? this.callbacks.regionInfo(segment.range.regionId) : undefined;
  }

  private hideTooltip(): void {
    this.tooltip.hidden = true;
  }

  /** Segment index of an address (for the resolver). */
  indexOfAddress(address: bigint): number {
    return segmentAtAddress(this.segments, address);
  }
}

function el(tag: string, className: string): HTMLElement {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}
