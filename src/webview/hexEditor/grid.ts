/**
 * The hex grid: a fixed pool of row elements reused as the view scrolls (only visible rows exist),
 * with address, hex and ASCII columns and a region label column. Every cell shows what the page
 * cache knows: a real byte, `??` for MMIO that cannot be peeked, `--` for holes, `!!` for errors,
 * blank while loading — never an invented value.
 */
import { PageCache, STATUS_OK, STATUS_UNMAPPED, STATUS_UNPEEKABLE } from './pageCache';
import type { CachedPage, PageRegion } from './pageCache';
import { regionAt } from './pageDecode';
import { asciiGlyph, formatAddress, groupOrder, hexByte, type Grouping } from './format';
import { PAGE_SIZE_N, type ScrollModel } from './scrollModel';
import type { Selection } from './selection';
import type { HexTyping } from './editModel';
import type { FailedWriteMarks } from './failedWrites';

export type Column = 'hex' | 'ascii';

/** Everything the grid paints from; owned by the app. */
export interface GridState {
  scroll: ScrollModel;
  cache: PageCache;
  selection: Selection;
  typing: HexTyping;
  column: Column;
  grouping: Grouping;
  littleEndian: boolean;
  addressDigits: number;
  /** Values read on purpose with side effects, shown until the next stop. */
  sideEffectValues: ReadonlyMap<bigint, number>;
  /** Addresses whose last write failed, flashed in the error colour. */
  failedWrites: Pick<FailedWriteMarks, 'has'>;
}

interface RowElements {
  row: HTMLDivElement;
  address: HTMLSpanElement;
  hex: HTMLSpanElement[];
  ascii: HTMLSpanElement[];
  label: HTMLSpanElement;
}

export interface CellTarget {
  address: bigint;
  column: Column;
}

export const BYTES_PER_ROW = 16;

export class Grid {
  readonly element: HTMLDivElement;
  private lastCursorKey = '';
  private readonly body: HTMLDivElement;
  private rows: RowElements[] = [];
  private readonly headCells: HTMLSpanElement[] = [];

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
    this.element.append(this.header(), this.body);
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
    const order = groupOrder(state.grouping, state.littleEndian, BYTES_PER_ROW);
    this.headCells.forEach((cell, i) => {
      cell.textContent = hexByte(order[i]!).toUpperCase();
      cell.classList.toggle('group', groupStart(i, state.grouping));
    });
    const { spaceSize } = state.scroll;
    let activeId = '';
    for (let r = 0; r < count; r++) {
      const els = this.rows[r]!;
      const line = state.scroll.topLine + BigInt(r);
      const rowStart = state.scroll.addressOfLine(line);
      const inSpace = rowStart < spaceSize;
      els.row.hidden = !inSpace;
      if (!inSpace) continue;
      els.row.setAttribute('aria-rowindex', String(r + 1));
      els.address.textContent = formatAddress(rowStart, state.addressDigits);
      let label = '';
      for (let i = 0; i < BYTES_PER_ROW; i++) {
        const hexAddr = rowStart + BigInt(order[i]!);
        const hexCell = els.hex[i]!;
        this.paintCell(hexCell, hexAddr, 'hex', state, groupStart(i, state.grouping));
        if (hexCell.classList.contains('cur')) activeId = hexCell.id;
        const asciiAddr = rowStart + BigInt(i);
        const asciiCell = els.ascii[i]!;
        const boundary = this.paintCell(asciiCell, asciiAddr, 'ascii', state, false);
        if (asciiCell.classList.contains('cur')) activeId = asciiCell.id;
        if (boundary !== undefined && !label) label = boundary;
      }
      if (!label && r === 0) label = this.regionName(state.cache, rowStart);
      els.label.textContent = label;
      els.label.title = label;
    }
    // Off screen the cursor has no cell: a pooled cell's id would name another address.
    if (activeId) this.element.setAttribute('aria-activedescendant', activeId);
    else this.element.removeAttribute('aria-activedescendant');
    // A narrow panel scrolls sideways: follow the cursor when it moves (not on every repaint, so a
    // live refresh does not undo the user's own sideways scrolling).
    const cursorKey = `${state.selection.cursor}:${state.column}`;
    if (activeId && cursorKey !== this.lastCursorKey) {
      const grid = this.element.getBoundingClientRect();
      const box = this.element.querySelector(`#${activeId}`)!.getBoundingClientRect();
      const fromContentStart = box.right - grid.left + this.element.scrollLeft;
      // In the hex column, back to the addresses whenever the cursor fits with them.
      if (state.column === 'hex' && fromContentStart <= this.element.clientWidth) {
        this.element.scrollLeft = 0;
      } else if (box.left < grid.left) {
        // Whole pixels, rounded outwards: scrollLeft is integral, cells are not.
        this.element.scrollLeft -= Math.ceil(grid.left - box.left);
      } else if (box.right > grid.right) {
        this.element.scrollLeft += Math.ceil(box.right - grid.right);
      }
    }
    this.lastCursorKey = cursorKey;
  }

  /** Paints one cell; returns a region label when a region (or hole) starts at this address. */
  private paintCell(
    cell: HTMLSpanElement,
    address: bigint,
    column: Column,
    state: GridState,
    groupStart: boolean,
  ): string | undefined {
    const page = state.cache.peek(address / PAGE_SIZE_N);
    const offset = Number(address % PAGE_SIZE_N);
    const classes = ['cell'];
    if (groupStart) classes.push('group');
    let text: string;
    let region: PageRegion | undefined;
    let boundary: string | undefined;
    const sideEffect = state.sideEffectValues.get(address);
    if (!page) {
      text = column === 'hex' ? '  ' : ' ';
      classes.push('loading');
    } else {
      region = regionAt(page.regions, address);
      classes.push(kindClass(region));
      const status = page.status[offset]!;
      if (sideEffect !== undefined) {
        text = column === 'hex' ? hexByte(sideEffect) : asciiGlyph(sideEffect);
        classes.push('se');
      } else if (status === STATUS_OK) {
        const byte = page.data[offset]!;
        text = column === 'hex' ? hexByte(byte) : asciiGlyph(byte);
        if (state.cache.changedSinceStop(page, offset)) classes.push('chg');
      } else if (status === STATUS_UNPEEKABLE) {
        text = column === 'hex' ? '??' : '?';
        classes.push('unpeek');
      } else if (status === STATUS_UNMAPPED) {
        text = column === 'hex' ? '--' : ' ';
        classes.push('hole');
      } else {
        text = column === 'hex' ? '!!' : '!';
        classes.push('err');
      }
      if (page.stale) classes.push('stale');
      const startsHere = this.startsRegion(state.cache, page, address, region);
      if (startsHere) {
        classes.push('rb');
        boundary = region ? `▸ ${region.name} (${kindLabel(region)})` : '▸ unmapped';
      }
    }
    const pending = column === 'hex' ? state.typing.pendingAt(address) : undefined;
    if (pending !== undefined) {
      text = `${pending.toString(16)}_`;
      classes.push('pending');
    }
    if (state.selection.contains(address)) classes.push('sel');
    if (address === state.selection.cursor) classes.push(column === state.column ? 'cur' : 'cur2');
    if (state.failedWrites.has(address)) classes.push('failed');
    cell.textContent = text;
    cell.className = classes.join(' ');
    cell.dataset.addr = address.toString();
    if (address === state.selection.cursor && column === state.column) {
      cell.setAttribute('aria-selected', 'true');
      cell.setAttribute('aria-label', cellLabel(address, text, region, state.addressDigits));
    } else {
      cell.removeAttribute('aria-selected');
      cell.removeAttribute('aria-label');
    }
    return boundary;
  }

  /** True when the region (or hole) at `address` differs from the one at `address - 1`. */
  private startsRegion(
    cache: PageCache,
    page: CachedPage,
    address: bigint,
    region: PageRegion | undefined,
  ): boolean {
    if (address === 0n) return true;
    const prev = address - 1n;
    const prevPage = prev / PAGE_SIZE_N === page.index ? page : cache.peek(prev / PAGE_SIZE_N);
    if (!prevPage) return false;
    const before = regionAt(prevPage.regions, prev);
    return (before?.id ?? before?.name) !== (region?.id ?? region?.name);
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
    const hex: HTMLSpanElement[] = [];
    const ascii: HTMLSpanElement[] = [];
    for (let i = 0; i < BYTES_PER_ROW; i++) {
      const h = span('cell', '00');
      h.setAttribute('role', 'gridcell');
      h.dataset.col = 'hex';
      h.id = `hx-${index}-${i}`;
      hex.push(h);
      const a = span('cell', '.');
      a.setAttribute('role', 'gridcell');
      a.dataset.col = 'ascii';
      a.id = `as-${index}-${i}`;
      ascii.push(a);
    }
    hexBox.append(...hex);
    asciiBox.append(...ascii);
    const label = span('label', '');
    row.append(address, hexBox, asciiBox, label);
    return { row, address, hex, ascii, label };
  }
}

/** Display position `i` starts a new group (and gets a wider gap) when grouping is wider than 1. */
function groupStart(i: number, grouping: Grouping): boolean {
  return grouping > 1 && i > 0 && i % grouping === 0;
}

export function kindClass(region: PageRegion | undefined): string {
  if (!region) return 'k-hole';
  if (isReadOnly(region)) return 'k-rom';
  switch (region.kind) {
    case 'ram':
    case 'ramDevice':
      return 'k-ram';
    case 'romDevice':
      return 'k-rom';
    case 'io':
      return 'k-io';
    default:
      return 'k-other';
  }
}

/** Writes into this region are refused in the editor (ROM, or a read-only flag). */
export function isReadOnly(region: PageRegion): boolean {
  return region.kind === 'rom' || region.readonly;
}

export function kindLabel(region: PageRegion): string {
  switch (region.kind) {
    case 'io':
      return 'MMIO';
    case 'romDevice':
      return 'ROM device';
    case 'ramDevice':
      return 'RAM device';
    case 'ram':
      return region.readonly ? 'RAM, read-only' : 'RAM';
    default:
      return region.kind.toUpperCase();
  }
}

function cellLabel(
  address: bigint,
  text: string,
  region: PageRegion | undefined,
  digits: number,
): string {
  const where = region ? `${region.name} ${kindLabel(region)}` : 'unmapped';
  const value =
    text === '??' ? 'not peekable' : text === '--' ? 'no memory' : text.trim() || 'loading';
  return `0x${formatAddress(address, digits).replace('_', '')}: ${value}, ${where}`;
}

function span(className: string, text: string): HTMLSpanElement {
  const s = document.createElement('span');
  s.className = className;
  s.textContent = text;
  return s;
}
