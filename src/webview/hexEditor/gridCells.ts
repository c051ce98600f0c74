/**
 * What one grid row shows, computed once per byte and shared by its hex and ASCII cells, and
 * written to the DOM only where it changed: each cell remembers the text, classes, address and
 * accessible label it last got, so a repaint that changes nothing touches nothing, and a new page
 * rewrites only the cells it changes. Classes are a bit set whose class string is built once.
 */
import {
  STATUS_OK,
  STATUS_UNMAPPED,
  STATUS_UNPEEKABLE,
  type CachedPage,
  type PageCache,
  type PageRegion,
} from './pageCache';
import { regionAt } from './pageDecode';
import { asciiGlyph, formatAddress, hexByte, type Grouping } from './format';
import { PAGE_SIZE_N, type ScrollModel } from './scrollModel';
import type { Selection } from './selection';
import type { HexTyping } from './editModel';
import type { FailedWriteMarks } from './failedWrites';

export type Column = 'hex' | 'ascii';

export const BYTES_PER_ROW = 16;

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

/** A cell and what was last written to it. */
export interface CellSlot {
  readonly element: HTMLSpanElement;
  /** The cell's only child, rewritten in place (cheaper than replacing it with textContent). */
  readonly text: Text;
  shownText: string;
  shownClasses: number;
  shownAddress: bigint;
  /** The accessible label while this cell is the cursor's, else ''. */
  shownLabel: string;
}

export function cellSlot(element: HTMLSpanElement): CellSlot {
  const text = element.firstChild as Text;
  return {
    element,
    text,
    shownText: text.data,
    shownClasses: -1,
    shownAddress: -1n,
    shownLabel: '',
  };
}

/** What every cell of one render reads, gathered once per render. */
export interface PaintContext extends Pick<
  GridState,
  'cache' | 'typing' | 'column' | 'addressDigits' | 'sideEffectValues' | 'failedWrites'
> {
  cursor: bigint;
  selectionStart: bigint;
  /** Exclusive. */
  selectionEnd: bigint;
  /** Display position → byte offset in the row (grouping and endianness). */
  order: readonly number[];
  grouping: number;
}

export function paintContext(state: GridState, order: readonly number[]): PaintContext {
  const { selection } = state;
  return {
    cache: state.cache,
    typing: state.typing,
    column: state.column,
    addressDigits: state.addressDigits,
    sideEffectValues: state.sideEffectValues,
    failedWrites: state.failedWrites,
    cursor: selection.cursor,
    selectionStart: selection.start,
    selectionEnd: selection.start + selection.length,
    order,
    grouping: state.grouping,
  };
}

// Class bits, in the order their names appear in the class attribute.
const GROUP = 1 << 0;
const LOADING = 1 << 1;
const KIND_SHIFT = 2; // 3 bits: index into KIND_NAMES
const SIDE_EFFECT = 1 << 5;
const CHANGED = 1 << 6;
const UNPEEKABLE = 1 << 7;
const HOLE = 1 << 8;
const ERROR = 1 << 9;
const STALE = 1 << 10;
const REGION_START = 1 << 11;
const PENDING = 1 << 12;
const SELECTED = 1 << 13;
const CURSOR = 1 << 14;
const OTHER_CURSOR = 1 << 15;
const FAILED = 1 << 16;
const FLAG_NAMES: readonly [number, string][] = [
  [SIDE_EFFECT, 'se'],
  [CHANGED, 'chg'],
  [UNPEEKABLE, 'unpeek'],
  [HOLE, 'hole'],
  [ERROR, 'err'],
  [STALE, 'stale'],
  [REGION_START, 'rb'],
  [PENDING, 'pending'],
  [SELECTED, 'sel'],
  [CURSOR, 'cur'],
  [OTHER_CURSOR, 'cur2'],
  [FAILED, 'failed'],
];
const KIND_NAMES = ['', 'k-hole', 'k-rom', 'k-ram', 'k-io', 'k-other'] as const;

const classNames = new Map<number, string>();

function classNameOf(bits: number): string {
  let name = classNames.get(bits);
  if (name === undefined) {
    name = 'cell';
    if (bits & GROUP) name += ' group';
    if (bits & LOADING) name += ' loading';
    const kind = KIND_NAMES[(bits >> KIND_SHIFT) & 7];
    if (kind) name += ` ${kind}`;
    for (const [bit, flag] of FLAG_NAMES) if (bits & bit) name += ` ${flag}`;
    classNames.set(bits, name);
  }
  return name;
}

function kindIndex(region: PageRegion | undefined): number {
  if (!region) return 1;
  if (isReadOnly(region)) return 2;
  switch (region.kind) {
    case 'ram':
    case 'ramDevice':
      return 3;
    case 'romDevice':
      return 2;
    case 'io':
      return 4;
    default:
      return 5;
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

// Text codes: 0-255 a byte's value, then the cells that show no value.
const TEXT_LOADING = 256;
const TEXT_UNPEEKABLE = 257;
const TEXT_HOLE = 258;
const TEXT_ERROR = 259;
const HEX_TEXT = [...Array.from({ length: 256 }, (_, b) => hexByte(b)), '  ', '??', '--', '!!'];
const ASCII_TEXT = [...Array.from({ length: 256 }, (_, b) => asciiGlyph(b)), ' ', '?', ' ', '!'];

/** Per byte of the row being painted: reused from row to row, never reallocated. */
const rowText = new Int16Array(BYTES_PER_ROW);
const rowClasses = new Int32Array(BYTES_PER_ROW);
const rowRegions: (PageRegion | undefined)[] = new Array<PageRegion | undefined>(BYTES_PER_ROW);
/** Decimal addresses for data-addr, made when a cell first needs one ('' until then). */
const rowAddresses: string[] = new Array<string>(BYTES_PER_ROW).fill('');

/**
 * Works out what each byte of the row at `rowStart` shows (rows never straddle a page) and returns
 * the row's region label: the first region (or hole) starting in it, else ''.
 */
export function decodeRow(ctx: PaintContext, rowStart: bigint): string {
  const { cache, sideEffectValues } = ctx;
  rowAddresses.fill('');
  const page = cache.peek(rowStart / PAGE_SIZE_N);
  if (!page) {
    rowText.fill(TEXT_LOADING);
    rowClasses.fill(LOADING);
    rowRegions.fill(undefined);
    return '';
  }
  const pageOffset = Number(rowStart % PAGE_SIZE_N);
  const stale = page.stale ? STALE : 0;
  const anySideEffects = sideEffectValues.size > 0;
  let label = '';
  let before = rowStart === 0n ? null : regionBefore(cache, page, rowStart);
  for (let j = 0; j < BYTES_PER_ROW; j++) {
    const address = rowStart + BigInt(j);
    const offset = pageOffset + j;
    const region = regionAt(page.regions, address);
    let bits = (kindIndex(region) << KIND_SHIFT) | stale;
    let text: number;
    const status = page.status[offset]!;
    const sideEffect = anySideEffects ? sideEffectValues.get(address) : undefined;
    if (sideEffect !== undefined) {
      text = sideEffect;
      bits |= SIDE_EFFECT;
    } else if (status === STATUS_OK) {
      text = page.data[offset]!;
      if (cache.changedSinceStop(page, offset)) bits |= CHANGED;
    } else if (status === STATUS_UNPEEKABLE) {
      text = TEXT_UNPEEKABLE;
      bits |= UNPEEKABLE;
    } else if (status === STATUS_UNMAPPED) {
      text = TEXT_HOLE;
      bits |= HOLE;
    } else {
      text = TEXT_ERROR;
      bits |= ERROR;
    }
    // A region (or hole) starts here when the byte before lies in another one (or is address 0).
    if (before === null || (before !== undefined && regionKey(before) !== regionKey(region))) {
      bits |= REGION_START;
      if (!label) label = region ? `▸ ${region.name} (${kindLabel(region)})` : '▸ unmapped';
    }
    before = region ?? false;
    rowText[j] = text;
    rowClasses[j] = bits;
    rowRegions[j] = region;
  }
  return label;
}

/**
 * The region of the byte before `rowStart`: null when it differs from no region (address 0 starts
 * one), `undefined` when its page is not held (no boundary can be told), else the region or hole.
 */
function regionBefore(
  cache: PageCache,
  page: CachedPage,
  rowStart: bigint,
): PageRegion | false | undefined {
  const prev = rowStart - 1n;
  const prevPage = prev / PAGE_SIZE_N === page.index ? page : cache.peek(prev / PAGE_SIZE_N);
  return prevPage ? (regionAt(prevPage.regions, prev) ?? false) : undefined;
}

function regionKey(region: PageRegion | false | undefined): string | undefined {
  return region ? (region.id ?? region.name) : undefined;
}

/** Paints the cell at display position `index` of `column` from the row {@link decodeRow} read. */
export function paintCell(
  ctx: PaintContext,
  slot: CellSlot,
  rowStart: bigint,
  column: Column,
  index: number,
): boolean {
  const j = column === 'hex' ? ctx.order[index]! : index;
  const address = rowStart + BigInt(j);
  let bits = rowClasses[j]!;
  let text = column === 'hex' ? HEX_TEXT[rowText[j]!]! : ASCII_TEXT[rowText[j]!]!;
  if (column === 'hex') {
    if (ctx.grouping > 1 && index > 0 && index % ctx.grouping === 0) bits |= GROUP;
    const pending = ctx.typing.pendingAt(address);
    if (pending !== undefined) {
      text = `${pending.toString(16)}_`;
      bits |= PENDING;
    }
  }
  if (address >= ctx.selectionStart && address < ctx.selectionEnd) bits |= SELECTED;
  const atCursor = address === ctx.cursor;
  const active = atCursor && column === ctx.column;
  if (atCursor) bits |= active ? CURSOR : OTHER_CURSOR;
  if (ctx.failedWrites.has(address)) bits |= FAILED;
  if (slot.shownText !== text) {
    slot.text.data = text;
    slot.shownText = text;
  }
  const { element } = slot;
  if (slot.shownClasses !== bits) {
    element.className = classNameOf(bits);
    slot.shownClasses = bits;
  }
  if (slot.shownAddress !== address) {
    // setAttribute: the dataset setter costs twice as much.
    element.setAttribute('data-addr', (rowAddresses[j] ||= address.toString()));
    slot.shownAddress = address;
  }
  const label = active ? cellLabel(address, text, rowRegions[j], ctx.addressDigits) : '';
  if (slot.shownLabel !== label) {
    if (label) {
      element.setAttribute('aria-selected', 'true');
      element.setAttribute('aria-label', label);
    } else {
      element.removeAttribute('aria-selected');
      element.removeAttribute('aria-label');
    }
    slot.shownLabel = label;
  }
  return active;
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
