/**
 * The list beside the map: the flat ranges currently in the map's viewport, as a vscode-table
 * (start, end, size, type, region). Bounded, so a 10,000-range view stays light; follows pan and
 * zoom.
 */
import { fromHex } from '../../protocol';
import { TYPE_WORDS, kindClass, segmentSize, shortHex } from './format';
import type { Segment } from './layout';

const MAX_ROWS = 300;

export class RangeList {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly caption: HTMLElement;
  private readonly header: HTMLElement;
  private shownKey = '';
  private selectedRegionId: string | undefined;

  constructor(
    container: HTMLElement,
    private readonly onActivate: (segment: Segment) => void,
  ) {
    this.caption = document.createElement('div');
    this.caption.className = 'list-caption';
    this.caption.id = 'list-caption';
    this.element = document.createElement('vscode-table');
    this.element.className = 'range-table';
    this.element.setAttribute('zebra', '');
    this.element.setAttribute('bordered-columns', '');
    this.element.setAttribute('resizable', '');
    this.element.setAttribute('aria-labelledby', 'list-caption');
    (this.element as HTMLElement & { columns: string[] }).columns = [
      '20%',
      '20%',
      '14%',
      '14%',
      'auto',
    ];
    const header = (this.header = document.createElement('vscode-table-header'));
    header.setAttribute('slot', 'header');
    for (const title of ['Start', 'End', 'Size', 'Type', 'Region']) {
      const cell = document.createElement('vscode-table-header-cell');
      cell.textContent = title;
      header.append(cell);
    }
    this.body = document.createElement('vscode-table-body');
    this.body.setAttribute('slot', 'body');
    this.element.append(header, this.body);
    container.append(this.caption, this.element);
    this.body.addEventListener('click', (e) => this.activateFrom(e.target));
    this.body.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        this.activateFrom(e.target);
      }
    });
  }

  private segments: readonly Segment[] = [];

  /** Shows segments[indexes] (ranges in view). */
  show(segments: readonly Segment[], indexes: readonly number[]): void {
    const shown = indexes.slice(0, MAX_ROWS);
    const key = `${shown.join(',')}|${this.selectedRegionId ?? ''}`;
    if (segments === this.segments && key === this.shownKey) return;
    this.segments = segments;
    this.shownKey = key;
    const total = segments.filter((s) => s.kind === 'range').length;
    this.caption.textContent =
      indexes.length > shown.length
        ? `Ranges in view: first ${shown.length} of ${indexes.length} (of ${total}); zoom in to see the rest`
        : `Ranges in view: ${indexes.length} of ${total}`;
    const rows = shown.map((i) => {
      const s = segments[i]!;
      const r = s.range!;
      const row = document.createElement('vscode-table-row');
      row.dataset.index = String(i);
      row.tabIndex = 0;
      row.setAttribute(
        'aria-label',
        `${r.regionName}, ${shortHex(s.start)} to ${shortHex(s.end - 1n)}`,
      );
      if (r.regionId === this.selectedRegionId) row.classList.add('selected');
      const offset = fromHex(r.offsetInRegion);
      const cells = [
        shortHex(s.start),
        shortHex(s.end - 1n),
        segmentSize(s),
        TYPE_WORDS[r.mtreeType],
        offset === 0n ? r.regionName : `${r.regionName} @${shortHex(offset)}`,
      ];
      cells.forEach((text, c) => {
        const cell = document.createElement('vscode-table-cell');
        if (c === 3) {
          const swatch = document.createElement('span');
          swatch.className = `swatch ${kindClass(r)}`;
          swatch.setAttribute('aria-hidden', 'true');
          cell.append(swatch);
        }
        cell.append(text);
        row.append(cell);
      });
      return row;
    });
    this.body.replaceChildren(...rows);
    // vscode-table sizes the columns through the first row's cells only when its body slot
    // changes; rows replaced later take the header's current widths here.
    const headerCells = [...this.header.children] as HTMLElement[];
    rows[0]?.querySelectorAll('vscode-table-cell').forEach((cell, c) => {
      const width = headerCells[c]?.style.width;
      if (width) (cell as HTMLElement).style.width = width;
    });
  }

  select(regionId: string | undefined): void {
    this.selectedRegionId = regionId;
    for (const row of this.body.children) {
      const i = Number((row as HTMLElement).dataset.index);
      row.classList.toggle('selected', this.segments[i]?.range?.regionId === regionId);
    }
  }

  private activateFrom(target: EventTarget | null): void {
    const row = (target as HTMLElement | null)?.closest('vscode-table-row') as HTMLElement | null;
    const i = row ? Number(row.dataset.index) : NaN;
    const s = this.segments[i];
    if (s) this.onActivate(s);
  }
}
