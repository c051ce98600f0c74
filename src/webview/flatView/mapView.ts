/**
 * The drawn map: one horizontal strip of segments on the folded axis, virtualised (only segments
 * near the viewport exist in the DOM), with hover details, click and keyboard activation, zoom
 * (buttons, keys, Ctrl+wheel, anchored at the pointer) and pan (wheel, drag, scrollbar). This
 * holds the view state (segments, zoom, selection, keyboard position, marker) and keeps a point
 * of the strip in place across relayouts; nodes, hover and input have their own modules.
 */
import type { FlatRangeInfo, RegionInfo } from '../../protocol';
import {
  anchorAtX,
  layoutAxis,
  segmentAtAddress,
  segmentAtX,
  segmentsOf,
  xOfAddress,
  xOfAnchor,
  type AxisAnchor,
  type Segment,
} from './layout';
import { el } from './dom';
import { SegmentNodes } from './segmentNodes';
import { MapTooltip } from './mapTooltip';
import { MapInput } from './mapInput';

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
  private readonly tooltip = new MapTooltip();
  private readonly marker: HTMLElement;
  private readonly nodes: SegmentNodes;
  private segments: Segment[] = [];
  private trackWidth = 0;
  private zoomFactor = 1;
  private activeIndex = -1;
  private selectedRegionId: string | undefined;
  private markerAddress: bigint | undefined;
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
    container.append(this.viewport, this.tooltip.element);
    this.nodes = new SegmentNodes(this.track, {
      activeIndex: () => this.activeIndex,
      isSelected: (s) => this.isSelected(s),
      regionOf: (s) => this.regionOf(s),
    });

    this.viewport.addEventListener('scroll', () => this.schedule());
    new ResizeObserver(() => this.relayout()).observe(this.viewport);
    new MapInput({
      viewport: this.viewport,
      segments: () => this.segments,
      activeIndex: () => this.activeIndex,
      zoom: () => this.zoomFactor,
      setZoom: (zoom, anchorX) => this.setZoom(zoom, anchorX),
      setActive: (i) => this.setActive(i),
      activate: (segment, how) => this.callbacks.activate(segment, how),
      showTooltip: (i, x, y) =>
        this.tooltip.show(i, this.segments[i]!, this.regionOf(this.segments[i]!), x, y),
      hideTooltip: () => this.tooltip.hide(),
    });
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
      scrollFraction === undefined ? this.anchorAt(this.viewport.clientWidth / 2) : undefined;
    // Keep the keyboard position on the same region across live updates; drop it otherwise.
    const activeRegion = this.segments[this.activeIndex]?.range?.regionId;
    this.segments = segmentsOf(flatView, spaceEnd);
    this.nodes.clear();
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
    const anchor = this.anchorAt(anchorX);
    this.zoomFactor = next;
    this.nodes.clear();
    this.layout();
    if (anchor) this.keepAnchor(anchor, anchorX);
    this.render();
    this.callbacks.viewChanged();
  }

  /** Highlights every range of a region and scrolls the first into view. */
  select(regionId: string | undefined, scroll = true): void {
    this.selectedRegionId = regionId;
    this.nodes.updateSelected(this.segments);
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
    return this.nodes.get(index);
  }

  /** Segment index of an address (for the resolver). */
  indexOfAddress(address: bigint): number {
    return segmentAtAddress(this.segments, address);
  }

  private layout(): void {
    const width = Math.max(1, this.viewport.clientWidth) * this.zoomFactor;
    this.trackWidth = layoutAxis(this.segments, { width });
    this.track.style.width = `${this.trackWidth}px`;
    this.placeMarker();
  }

  private relayout(): void {
    const anchor = this.anchorAt(this.viewport.clientWidth / 2);
    this.nodes.clear();
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
    this.nodes.render(this.segments, left, right);
  }

  private isSelected(s: Segment): boolean {
    return !!this.selectedRegionId && s.range?.regionId === this.selectedRegionId;
  }

  private regionOf(segment: Segment): RegionInfo | undefined {
    return segment.range ? this.callbacks.regionInfo(segment.range.regionId) : undefined;
  }

  private placeMarker(): void {
    const x =
      this.markerAddress === undefined ? undefined : xOfAddress(this.segments, this.markerAddress);
    this.marker.hidden = x === undefined;
    if (x !== undefined) this.marker.style.left = `${x}px`;
  }

  /** The point of the strip at viewport x. */
  private anchorAt(viewX: number): AxisAnchor | undefined {
    return anchorAtX(this.segments, this.viewport.scrollLeft + viewX);
  }

  /** Scrolls so that `anchor` (taken before a relayout) is at viewport x again. */
  private keepAnchor(anchor: AxisAnchor, viewX: number): void {
    const x = xOfAnchor(this.segments, anchor);
    if (x !== undefined) this.viewport.scrollLeft = x - viewX;
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
    this.nodes.get(this.activeIndex)?.classList.remove('active');
    this.activeIndex = i;
    this.scrollToSegment(i);
    this.render();
    this.nodes.get(i)?.classList.add('active');
    this.viewport.setAttribute('aria-activedescendant', `seg-${i}`);
  }

  private firstRangeInView(): number {
    return this.visibleRangeIndexes()[0] ?? this.segments.findIndex((s) => s.kind === 'range');
  }
}
