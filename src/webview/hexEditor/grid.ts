/**
 * The hex grid: a fixed pool of row elements reused as the view scrolls (only visible rows exist),
 * with address, hex and ASCII columns and a region label column. Every cell shows what the page
 * cache knows: a real byte, `??` for MMIO that cannot be peeked, `--` for holes, `!!` for errors,
 * blank while loading — never an invented value.
 */
import type { PageCache } from './pageCache';
import { regionAt } from './pageDecode';
import { formatAddress, groupOrder, hexByte, type Grouping } from './format';
import { PAGE_SIZE_N } from './scrollModel';
import {
  BYTES_PER_ROW,
  cellSlot,
  decodeRow,
  kindLabel,
  paintCell,
  paintContext,
  type CellSlot,
  type Column,
  type GridState,
} from './gridCells';
import { SidewaysFollow } from './gridFollow';

export { BYTES_PER_ROW, isReadOnly, kindLabel, type Column, type GridState } from './gridCells';

/** A pooled row and what was last written to its address and label. */
interface RowElements {
  row: HTMLDivElement;
  address: Text;
  hex: CellSlot[];
  ascii: CellSlot[];
  label: HTMLSpanElement;
  /** First address shown (-1 before any), the region label shown, aria-rowindex set. */
  shownStart: bigint;
  shownLabel: string | undefined;
  indexed: boolean;
}

export interface CellTarget {
  address: bigint;
  column: Column;
}

export class Grid {
  readonly element: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private rows: RowElements[] = [];
  private readonly headCells: HTMLSpanElement[] = [];
  private readonly sideways: SidewaysFollow;
  private order: readonly number[] = [];
  private orderGrouping: Grouping | undefined;
  private orderLittleEndian = false;
  private shownDigits = 0;
  private shownActiveId = '';
  private lastCursor = -1n;
  private lastColumn: Column | undefined;

  constructor(label: string) {
    this.element = document.createElement('div');
    this.element.className = 'grid';
    this.element.setAttribute('role', 'grid');
    this.element.setAttribute('aria-label', label);
    this.element.setAttribute('aria-rowcount', '-1');
    this.element.setAttribute('aria-multiselectable', 'true');
    this.element.tabIndex = 0;
    this.body = document.createElement('div');
    this.body.className = 'grid-body';
    const head = this.header();
    this.element.append(head, this.body);
    this.sideways = new SidewaysFollow(this.element, () => {
      const shown = this.rows.find((r) => !r.row.hidden);
      return (
        shown && { row: shown.row, hex: shown.hex.map(element), ascii: shown.ascii.map(element) }
      );
    });
    // The header's hex cells change width with the font and the grouping, like every row's.
    this.sideways.observe(head.querySelector('.hex')!);
  }

  /** Height of one row in CSS pixels, measured from a probe row. */
  measureRowHeight(): number {
    const probe = this.createRow(-1);
    this.body.append(probe.row);
    const h = probe.row.getBoundingClientRect().height || 18;
    probe.row.remove();
    return h;
  }

  /** The cell under a DOM node, if any. */
  targetOf(node: EventTarget | null): CellTarget | undefined {
    const el = node instanceof HTMLElement ? node.closest<HTMLElement>('[data-col]') : null;
    if (!el || el.dataset.addr === undefined) return undefined;
    return { address: BigInt(el.dataset.addr), column: el.dataset.col as Column };
  }

  render(state: GridState): void {
    const count = state.scroll.visibleLines;
    while (this.rows.length < count) {
      const row = this.createRow(this.rows.length);
      this.rows.push(row);
      this.body.append(row.row);
    }
    while (this.rows.length > count) this.rows.pop()!.row.remove();
    const ctx = paintContext(state, this.orderFor(state.grouping, state.littleEndian));
    if (state.addressDigits !== this.shownDigits) {
      for (const row of this.rows) row.shownStart = -1n;
      this.shownDigits = state.addressDigits;
    }
    const { spaceSize } = state.scroll;
    let active: { column: Column; index: number; id: string } | undefined;
    for (let r = 0; r < count; r++) {
      const els = this.rows[r]!;
      const rowStart = state.scroll.addressOfLine(state.scroll.topLine + BigInt(r));
      const inSpace = rowStart < spaceSize;
      if (els.row.hidden === inSpace) els.row.hidden = !inSpace;
      if (!inSpace) continue;
      if (!els.indexed) {
        els.row.setAttribute('aria-rowindex', String(r + 1));
        els.indexed = true;
      }
      if (els.shownStart !== rowStart) {
        els.address.data = formatAddress(rowStart, state.addressDigits);
        els.shownStart = rowStart;
      }
      let label = decodeRow(ctx, rowStart);
      for (let i = 0; i < BYTES_PER_ROW; i++) {
        if (paintCell(ctx, els.hex[i]!, rowStart, 'hex', i)) {
          active = { column: 'hex', index: i, id: els.hex[i]!.element.id };
        }
        if (paintCell(ctx, els.ascii[i]!, rowStart, 'ascii', i)) {
          active = { column: 'ascii', index: i, id: els.ascii[i]!.element.id };
        }
      }
      if (!label && r === 0) label = this.regionName(state.cache, rowStart);
      if (els.shownLabel !== label) {
        els.label.textContent = label;
        els.label.title = label;
        els.shownLabel = label;
      }
    }
    // Off screen the cursor has no cell: a pooled cell's id would name another address.
    const activeId = active?.id ?? '';
    if (activeId !== this.shownActiveId) {
      if (activeId) this.element.setAttribute('aria-activedescendant', activeId);
      else this.element.removeAttribute('aria-activedescendant');
      this.shownActiveId = activeId;
    }
    // A narrow panel scrolls sideways: follow the cursor when it moves (not on every repaint, so a
    // live refresh does not undo the user's own sideways scrolling).
    const moved = state.selection.cursor !== this.lastCursor || state.column !== this.lastColumn;
    if (active && moved) this.sideways.follow(active.column, active.index);
    this.lastCursor = state.selection.cursor;
    this.lastColumn = state.column;
  }

  /** Display position → byte offset; the header follows when grouping or endianness changes. */
  private orderFor(grouping: Grouping, littleEndian: boolean): readonly number[] {
    if (grouping === this.orderGrouping && littleEndian === this.orderLittleEndian) {
      return this.order;
    }
    this.order = groupOrder(grouping, littleEndian, BYTES_PER_ROW);
    this.orderGrouping = grouping;
    this.orderLittleEndian = littleEndian;
    this.headCells.forEach((cell, i) => {
      cell.textContent = hexByte(this.order[i]!).toUpperCase();
      cell.classList.toggle('group', grouping > 1 && i > 0 && i % grouping === 0);
    });
    this.sideways.invalidate();
    return this.order;
  }

  private regionName(cache: PageCache, address: bigint): string {
    const page = cache.peek(address / PAGE_SIZE_N);
    if (!page) return '';
    const region = regionAt(page.regions, address);
    return region ? `${region.name} (${kindLabel(region)})` : 'unmapped';
  }

  private header(): HTMLDivElement {
    const head = document.createElement('div');
    head.className = 'grid-row grid-head';
    head.setAttribute('role', 'row');
    const cells = ['Address', ...Array.from({ length: BYTES_PER_ROW }, (_, i) => hexByte(i))];
    const addr = span('addr', cells[0]!);
    addr.setAttribute('role', 'columnheader');
    const hex = span('hex', '');
    hex.setAttribute('role', 'columnheader');
    hex.setAttribute('aria-label', 'Hex bytes');
    for (const c of cells.slice(1)) {
      const cell = span('cell head-cell', c.toUpperCase());
      this.headCells.push(cell);
      hex.append(cell);
    }
    const ascii = span('ascii', 'ASCII');
    ascii.setAttribute('role', 'columnheader');
    const label = span('label', 'Region');
    label.setAttribute('role', 'columnheader');
    head.append(addr, hex, ascii, label);
    return head;
  }

  private createRow(index: number): RowElements {
    const row = document.createElement('div');
    row.className = 'grid-row';
    row.setAttribute('role', 'row');
    const address = span('addr', '0000000000000000');
    address.setAttribute('role', 'rowheader');
    const hexBox = span('hex', '');
    const asciiBox = span('ascii', '');
    const hex: CellSlot[] = [];
    const ascii: CellSlot[] = [];
    for (let i = 0; i < BYTES_PER_ROW; i++) {
      const h = span('cell', '00');
      h.setAttribute('role', 'gridcell');
      h.dataset.col = 'hex';
      h.id = `hx-${index}-${i}`;
      hex.push(cellSlot(h));
      const a = span('cell', '.');
      a.setAttribute('role', 'gridcell');
      a.dataset.col = 'ascii';
      a.id = `as-${index}-${i}`;
      ascii.push(cellSlot(a));
    }
    hexBox.append(...hex.map(element));
    asciiBox.append(...ascii.map(element));
    const label = span('label', '');
    row.append(address, hexBox, asciiBox, label);
    return {
      row,
      address: address.firstChild as Text,
      hex,
      ascii,
      label,
      shownStart: -1n,
      shownLabel: undefined,
      indexed: false,
    };
  }
}

const element = (slot: CellSlot): HTMLSpanElement => slot.element;

function span(className: string, text: string): HTMLSpanElement {
  const s = document.createElement('span');
  s.className = className;
  s.textContent = text;
  return s;
}
