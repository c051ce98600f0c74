/**
 * The map's hover details: a title and key/value rows for a segment, placed beside the pointer and
 * kept inside the window.
 */
import type { RegionInfo } from '../../protocol';
import { tooltipRows } from './format';
import type { Segment } from './layout';
import { el } from './dom';

export class MapTooltip {
  readonly element: HTMLElement;

  constructor() {
    this.element = el('div', 'map-tooltip');
    this.element.setAttribute('role', 'tooltip');
    this.element.id = 'map-tooltip';
    this.element.hidden = true;
  }

  /** Shows segment `index` (with its range's region, if any) near the pointer. */
  show(
    index: number,
    segment: Segment,
    region: RegionInfo | undefined,
    clientX: number,
    clientY: number,
  ): void {
    const tooltip = this.element;
    const lines = tooltipRows(segment, region);
    tooltip.replaceChildren(
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
    tooltip.hidden = false;
    const box = tooltip.getBoundingClientRect();
    const left = Math.min(clientX + 12, window.innerWidth - box.width - 4);
    const top =
      clientY + 16 + box.height > window.innerHeight ? clientY - box.height - 8 : clientY + 16;
    tooltip.style.left = `${Math.max(4, left)}px`;
    tooltip.style.top = `${Math.max(4, top)}px`;
    tooltip.dataset.index = String(index);
  }

  hide(): void {
    this.element.hidden = true;
  }
}
