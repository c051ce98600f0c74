/**
 * The map's segment nodes, virtualised: only the segments near the viewport (and the active one,
 * which the listbox's aria-activedescendant names) exist in the DOM, each an option with its
 * label, colour class, name and start address.
 */
import type { RegionInfo } from '../../protocol';
import { kindClass, segmentLabel, segmentSize, shortHex } from './format';
import { segmentAtX, type Segment } from './layout';
import { el } from './dom';

/** What a node shows beyond its segment: selection, keyboard position, the region's facts. */
export interface SegmentLook {
  activeIndex(): number;
  isSelected(segment: Segment): boolean;
  regionOf(segment: Segment): RegionInfo | undefined;
}

export class SegmentNodes {
  private readonly nodes = new Map<number, HTMLElement>();

  constructor(
    private readonly track: HTMLElement,
    private readonly look: SegmentLook,
  ) {}

  /** The node of segment i if rendered. */
  get(index: number): HTMLElement | undefined {
    return this.nodes.get(index);
  }

  /** Brings the rendered nodes' `selected` class up to date with the look. */
  updateSelected(segments: readonly Segment[]): void {
    for (const [i, node] of this.nodes)
      node.classList.toggle('selected', this.look.isSelected(segments[i]!));
  }

  /** Creates the nodes of the segments overlapping [left, right) and drops the others. */
  render(segments: readonly Segment[], left: number, right: number): void {
    const first = Math.max(0, segmentAtX(segments, Math.max(0, left)));
    const keep = new Set<number>();
    for (let i = first; i < segments.length && segments[i]!.x < right; i++) {
      keep.add(i);
      if (!this.nodes.has(i)) this.nodes.set(i, this.createNode(segments, i));
    }
    const active = this.look.activeIndex();
    if (active >= 0) keep.add(active);
    if (active >= 0 && !this.nodes.has(active)) {
      this.nodes.set(active, this.createNode(segments, active));
    }
    for (const [i, node] of this.nodes) {
      if (!keep.has(i)) {
        node.remove();
        this.nodes.delete(i);
      }
    }
  }

  clear(): void {
    for (const node of this.nodes.values()) node.remove();
    this.nodes.clear();
  }

  private createNode(segments: readonly Segment[], i: number): HTMLElement {
    const s = segments[i]!;
    const selected = this.look.isSelected(s);
    const node = el('div', s.kind === 'hole' ? 'seg hole' : `seg range ${kindClass(s.range!)}`);
    node.id = `seg-${i}`;
    node.dataset.index = String(i);
    node.setAttribute('role', 'option');
    node.setAttribute('aria-label', segmentLabel(s, this.look.regionOf(s)));
    node.setAttribute('aria-selected', String(selected));
    node.style.left = `${s.x}px`;
    node.style.width = `${s.width}px`;
    if (s.range?.readonly) node.classList.add('readonly');
    if (selected) node.classList.add('selected');
    if (i === this.look.activeIndex()) node.classList.add('active');
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
}
