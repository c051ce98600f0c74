/**
 * Range lists and location lists, DWARF 5 (.debug_rnglists, .debug_loclists: DW_RLE and DW_LLE
 * entries, indexed through the unit's offset tables) and DWARF 2-4 (.debug_ranges, .debug_loc:
 * address pairs with base-address selection entries).
 */
import { DwarfCursor } from '../dwarfReader';
import { DW_LLE, DW_RLE } from './constants';

/** [start, end) address ranges. */
export type AddressRange = readonly [number, number];

export interface LocationListEntry {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
  readonly expression: Uint8Array;
  /** Offset of the expression in its section, for errors. */
  readonly expressionOffset: number;
}

export interface LocationList {
  readonly entries: readonly LocationListEntry[];
  /** DW_LLE_default_location's expression (used where no entry covers the pc). */
  readonly fallback?: LocationListEntry;
  readonly section: string;
}

/** What list readers need from the unit. */
export interface ListContext {
  readonly version: number;
  readonly addressSize: number;
  readonly offsetSize: 4 | 8;
  /** The unit's base address (DW_AT_low_pc of the unit DIE, or 0). */
  readonly baseAddress: number;
  /** Address `index` of the unit's .debug_addr table. */
  addressAt(index: number): number;
}

const END_ADDRESS = 2 ** 32;

function checkOffset(section: Uint8Array | undefined, name: string, offset: number): Uint8Array {
  const cursor = new DwarfCursor(section ?? new Uint8Array(0), name, 0);
  if (!section)
    return cursor.fail(`the unit refers to ${name}, which the file does not have`, offset);
  if (offset >= section.length)
    cursor.fail(`list offset 0x${offset.toString(16)} is outside ${name}`, offset, 'truncated');
  return section;
}

/** The address ranges of the list at `offset` of .debug_rnglists (v5) or .debug_ranges (v2-4). */
export function readRangeList(
  section: Uint8Array | undefined,
  offset: number,
  context: ListContext,
): AddressRange[] {
  const v5 = context.version >= 5;
  const name = v5 ? '.debug_rnglists' : '.debug_ranges';
  const bytes = checkOffset(section, name, offset);
  const cursor = new DwarfCursor(bytes, name, offset);
  const ranges: [number, number][] = [];
  let base = context.baseAddress;
  const add = (start: number, end: number) => {
    if (end > start) ranges.push([start, Math.min(end, END_ADDRESS)]);
  };
  if (!v5) {
    const all = context.addressSize === 8 ? 2 ** 64 - 1 : 2 ** (8 * context.addressSize) - 1;
    for (;;) {
      const start = cursor.address(Math.min(context.addressSize, 4), 'range start');
      if (context.addressSize === 8) cursor.skip(4, 'range start (high)');
      const end = cursor.address(Math.min(context.addressSize, 4), 'range end');
      if (context.addressSize === 8) cursor.skip(4, 'range end (high)');
      if (start === 0 && end === 0) break;
      if (start === all || (context.addressSize === 8 && start === 0xffffffff)) base = end;
      else add(base + start, base + end);
    }
    return ranges;
  }
  for (;;) {
    const at = cursor.offset;
    const kind = cursor.u8('DW_RLE kind');
    switch (kind) {
      case DW_RLE.end_of_list:
        return ranges;
      case DW_RLE.base_addressx:
        base = context.addressAt(cursor.uleb('DW_RLE_base_addressx index'));
        break;
      case DW_RLE.startx_endx: {
        const start = context.addressAt(cursor.uleb('DW_RLE_startx_endx start'));
        add(start, context.addressAt(cursor.uleb('DW_RLE_startx_endx end')));
        break;
      }
      case DW_RLE.startx_length: {
        const start = context.addressAt(cursor.uleb('DW_RLE_startx_length start'));
        add(start, start + cursor.uleb('DW_RLE_startx_length length'));
        break;
      }
      case DW_RLE.offset_pair: {
        const start = cursor.uleb('DW_RLE_offset_pair start');
        add(base + start, base + cursor.uleb('DW_RLE_offset_pair end'));
        break;
      }
      case DW_RLE.base_address:
        base = cursor.address(context.addressSize, 'DW_RLE_base_address');
        break;
      case DW_RLE.start_end: {
        const start = cursor.address(context.addressSize, 'DW_RLE_start_end start');
        add(start, cursor.address(context.addressSize, 'DW_RLE_start_end end'));
        break;
      }
      case DW_RLE.start_length: {
        const start = cursor.address(context.addressSize, 'DW_RLE_start_length start');
        add(start, start + cursor.uleb('DW_RLE_start_length length'));
        break;
      }
      default:
        cursor.fail(
          `unknown range list entry kind 0x${kind.toString(16)}`,
          at,
          'unsupported-opcode',
        );
    }
  }
}

/** The location list at `offset` of .debug_loclists (v5) or .debug_loc (v2-4). */
export function readLocationList(
  section: Uint8Array | undefined,
  offset: number,
  context: ListContext,
): LocationList {
  const v5 = context.version >= 5;
  const name = v5 ? '.debug_loclists' : '.debug_loc';
  const bytes = checkOffset(section, name, offset);
  const cursor = new DwarfCursor(bytes, name, offset);
  const entries: LocationListEntry[] = [];
  let fallback: LocationListEntry | undefined;
  let base = context.baseAddress;
  const expression = (start: number, end: number): LocationListEntry => {
    const length = v5 ? cursor.uleb('location expression length') : cursor.u16('expression length');
    const expressionOffset = cursor.offset;
    return {
      start,
      end,
      expression: cursor.bytesOf(length, 'location expression'),
      expressionOffset,
    };
  };
  const add = (start: number, end: number) => {
    const entry = expression(start, end);
    if (end > start) entries.push(entry);
  };
  if (!v5) {
    const size = context.addressSize;
    for (;;) {
      const start = cursor.address(size, 'location list start');
      const end = cursor.address(size, 'location list end');
      if (start === 0 && end === 0) break;
      if (start === 2 ** (8 * Math.min(size, 4)) - 1) base = end;
      else add(base + start, base + end);
    }
    return { entries, section: name };
  }
  for (;;) {
    const at = cursor.offset;
    const kind = cursor.u8('DW_LLE kind');
    switch (kind) {
      case DW_LLE.end_of_list:
        return { entries, fallback, section: name };
      case DW_LLE.base_addressx:
        base = context.addressAt(cursor.uleb('DW_LLE_base_addressx index'));
        break;
      case DW_LLE.startx_endx: {
        const start = context.addressAt(cursor.uleb('DW_LLE_startx_endx start'));
        add(start, context.addressAt(cursor.uleb('DW_LLE_startx_endx end')));
        break;
      }
      case DW_LLE.startx_length: {
        const start = context.addressAt(cursor.uleb('DW_LLE_startx_length start'));
        add(start, start + cursor.uleb('DW_LLE_startx_length length'));
        break;
      }
      case DW_LLE.offset_pair: {
        const start = cursor.uleb('DW_LLE_offset_pair start');
        add(base + start, base + cursor.uleb('DW_LLE_offset_pair end'));
        break;
      }
      case DW_LLE.default_location:
        fallback = expression(0, END_ADDRESS);
        break;
      case DW_LLE.base_address:
        base = cursor.address(context.addressSize, 'DW_LLE_base_address');
        break;
      case DW_LLE.start_end: {
        const start = cursor.address(context.addressSize, 'DW_LLE_start_end start');
        add(start, cursor.address(context.addressSize, 'DW_LLE_start_end end'));
        break;
      }
      case DW_LLE.start_length: {
        const start = cursor.address(context.addressSize, 'DW_LLE_start_length start');
        add(start, start + cursor.uleb('DW_LLE_start_length length'));
        break;
      }
      case DW_LLE.GNU_view_pair: // location views (GCC's -gvariable-location-views): not needed
        cursor.uleb('view start');
        cursor.uleb('view end');
        break;
      default:
        cursor.fail(
          `unknown location list entry kind 0x${kind.toString(16)}`,
          at,
          'unsupported-opcode',
        );
    }
  }
}

/** The offset of entry `index` of a v5 offset table starting at `base` (rnglistx, loclistx). */
export function listOffsetAt(
  section: Uint8Array | undefined,
  name: string,
  base: number,
  index: number,
  offsetSize: 4 | 8,
): number {
  const bytes = checkOffset(section, name, base);
  const cursor = new DwarfCursor(bytes, name, base + index * offsetSize);
  return base + cursor.offsetField(offsetSize, `${name} offset entry ${index}`);
}
