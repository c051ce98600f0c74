/** Unit headers of .debug_info (DWARF 2-5, 32- and 64-bit), read without the unit's DIEs. */
import { DwarfCursor } from '../dwarfReader';
import { DW_UT } from './constants';

export interface UnitHeader {
  readonly offset: number;
  /** First byte after the unit. */
  readonly end: number;
  readonly version: number;
  readonly unitType: number;
  readonly offsetSize: 4 | 8;
  readonly addressSize: number;
  readonly abbrevOffset: number;
  /** Offset of the root DIE. */
  readonly dieOffset: number;
}

/** Reads the unit header at `offset` of .debug_info; throws DwarfError. */
export function readUnitHeader(info: Uint8Array, offset: number): UnitHeader {
  const cursor = new DwarfCursor(info, '.debug_info', offset);
  let length = cursor.u32('unit_length');
  let offsetSize: 4 | 8 = 4;
  if (length === 0xffffffff) {
    offsetSize = 8;
    length = cursor.u64('unit_length (64-bit)');
  } else if (length >= 0xfffffff0) {
    cursor.fail(`unit_length 0x${length.toString(16)} is a reserved value`, offset);
  }
  const end = cursor.offset + length;
  if (end > info.length)
    cursor.fail(
      `truncated: the unit at 0x${offset.toString(16)} claims 0x${length.toString(16)} bytes, past the end of the section`,
      offset,
      'truncated',
    );
  cursor.limit = end;
  const versionAt = cursor.offset;
  const version = cursor.u16('version');
  if (version < 2 || version > 5)
    cursor.fail(
      `unit version ${version} is not supported (2 to 5 are)`,
      versionAt,
      'unsupported-version',
    );
  let unitType: number = DW_UT.compile;
  let addressSize: number;
  let abbrevOffset: number;
  if (version >= 5) {
    unitType = cursor.u8('unit_type');
    addressSize = cursor.u8('address_size');
    abbrevOffset = cursor.offsetField(offsetSize, 'debug_abbrev_offset');
    if (unitType === DW_UT.skeleton || unitType === DW_UT.split_compile) cursor.skip(8, 'dwo_id');
    else if (unitType === DW_UT.type || unitType === DW_UT.split_type) {
      cursor.skip(8, 'type_signature');
      cursor.offsetField(offsetSize, 'type_offset');
    }
  } else {
    abbrevOffset = cursor.offsetField(offsetSize, 'debug_abbrev_offset');
    addressSize = cursor.u8('address_size');
  }
  if (![1, 2, 4, 8].includes(addressSize))
    cursor.fail(`address_size ${addressSize} is not 1, 2, 4 or 8`, cursor.offset);
  return {
    offset,
    end,
    version,
    unitType,
    offsetSize,
    addressSize,
    abbrevOffset,
    dieOffset: cursor.offset,
  };
}
