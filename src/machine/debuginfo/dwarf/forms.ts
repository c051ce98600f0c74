/**
 * Reading one attribute value of a DIE in any DWARF 2-5 form. Values are kept raw: string and
 * address indices (strx, addrx), string offsets (strp, line_strp) and list indices are resolved
 * later by the unit (the bases they need are attributes of the unit's root DIE, which may come
 * after the attribute that needs them).
 */
import { DwarfCursor } from '../dwarfReader';
import { DW_FORM } from './constants';

/** A raw attribute value; `bigint` for 8-byte data and LEB128 values beyond 2^53. */
export type AttributeValue = number | bigint | string | boolean | Uint8Array;

export interface UnitEncoding {
  /** Offset of the unit header in .debug_info (base of unit-relative references). */
  readonly offset: number;
  readonly version: number;
  readonly offsetSize: 4 | 8;
  readonly addressSize: number;
}

/** An unsigned LEB128 value; a bigint when it does not fit a double exactly. */
export function readUlebValue(cursor: DwarfCursor, what: string): number | bigint {
  const start = cursor.offset;
  let result = 0n;
  let shift = 0n;
  for (;;) {
    const byte = cursor.u8(what);
    result |= BigInt(byte & 0x7f) << shift;
    shift += 7n;
    if ((byte & 0x80) === 0) break;
    if (shift > 70n) cursor.fail(`${what}: LEB128 value is too long`, start, 'bad-leb128');
  }
  return result <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(result) : result;
}

/** A signed LEB128 value; a bigint when it does not fit a double exactly. */
export function readSlebValue(cursor: DwarfCursor, what: string): number | bigint {
  const start = cursor.offset;
  let result = 0n;
  let shift = 0n;
  let byte: number;
  do {
    byte = cursor.u8(what);
    result |= BigInt(byte & 0x7f) << shift;
    shift += 7n;
    if (shift > 70n && byte & 0x80)
      cursor.fail(`${what}: LEB128 value is too long`, start, 'bad-leb128');
  } while (byte & 0x80);
  if (byte & 0x40) result -= 1n << shift;
  const safe = BigInt(Number.MAX_SAFE_INTEGER);
  return result <= safe && result >= -safe ? Number(result) : BigInt.asIntN(64, result);
}

function u64(cursor: DwarfCursor, what: string): bigint {
  const low = cursor.u32(what);
  const high = cursor.u32(what);
  return (BigInt(high) << 32n) | BigInt(low);
}

/**
 * Reads the value of `form` at the cursor. References become absolute .debug_info offsets.
 * Throws DwarfError ('unsupported-form') for a form this reader does not know, since the size
 * of the value, and so the rest of the unit, is then unknown.
 */
export function readAttributeValue(
  cursor: DwarfCursor,
  form: number,
  unit: UnitEncoding,
  implicitConst: number,
  what: string,
): AttributeValue {
  switch (form) {
    case DW_FORM.addr:
      return cursor.address(unit.addressSize, what);
    case DW_FORM.data1:
    case DW_FORM.ref1:
    case DW_FORM.flag:
    case DW_FORM.strx1:
    case DW_FORM.addrx1: {
      const v = cursor.u8(what);
      if (form === DW_FORM.flag) return v !== 0;
      return form === DW_FORM.ref1 ? unit.offset + v : v;
    }
    case DW_FORM.data2:
    case DW_FORM.ref2:
    case DW_FORM.strx2:
    case DW_FORM.addrx2: {
      const v = cursor.u16(what);
      return form === DW_FORM.ref2 ? unit.offset + v : v;
    }
    case DW_FORM.strx3:
    case DW_FORM.addrx3: {
      const low = cursor.u16(what);
      return low + cursor.u8(what) * 0x10000;
    }
    case DW_FORM.data4:
    case DW_FORM.ref4:
    case DW_FORM.strx4:
    case DW_FORM.addrx4:
    case DW_FORM.ref_sup4: {
      const v = cursor.u32(what);
      return form === DW_FORM.ref4 ? unit.offset + v : v;
    }
    case DW_FORM.data8:
    case DW_FORM.ref_sig8:
      return u64(cursor, what);
    case DW_FORM.ref8: {
      const v = u64(cursor, what);
      if (v > BigInt(Number.MAX_SAFE_INTEGER)) cursor.fail(`${what}: reference is too large`);
      return unit.offset + Number(v);
    }
    case DW_FORM.ref_sup8:
      return u64(cursor, what);
    case DW_FORM.data16:
      return cursor.bytesOf(16, what);
    case DW_FORM.sdata:
      return readSlebValue(cursor, what);
    case DW_FORM.udata:
    case DW_FORM.strx:
    case DW_FORM.addrx:
    case DW_FORM.loclistx:
    case DW_FORM.rnglistx:
    case DW_FORM.GNU_addr_index:
    case DW_FORM.GNU_str_index:
      return readUlebValue(cursor, what);
    case DW_FORM.ref_udata: {
      const v = cursor.uleb(what);
      return unit.offset + v;
    }
    case DW_FORM.string:
      return cursor.cstring(what);
    case DW_FORM.strp:
    case DW_FORM.line_strp:
    case DW_FORM.sec_offset:
    case DW_FORM.strp_sup:
    case DW_FORM.GNU_ref_alt:
    case DW_FORM.GNU_strp_alt:
      return cursor.offsetField(unit.offsetSize, what);
    case DW_FORM.ref_addr:
      // DWARF 2 made ref_addr address-sized; later versions offset-sized.
      return unit.version <= 2
        ? cursor.address(unit.addressSize, what)
        : cursor.offsetField(unit.offsetSize, what);
    case DW_FORM.block1:
      return cursor.bytesOf(cursor.u8(`${what} length`), what);
    case DW_FORM.block2:
      return cursor.bytesOf(cursor.u16(`${what} length`), what);
    case DW_FORM.block4:
      return cursor.bytesOf(cursor.u32(`${what} length`), what);
    case DW_FORM.block:
    case DW_FORM.exprloc:
      return cursor.bytesOf(cursor.uleb(`${what} length`), what);
    case DW_FORM.flag_present:
      return true;
    case DW_FORM.implicit_const:
      return implicitConst;
    case DW_FORM.indirect: {
      const actual = cursor.uleb(`${what} indirect form`);
      if (actual === DW_FORM.indirect || actual === DW_FORM.implicit_const)
        cursor.fail(`${what}: DW_FORM_indirect names form 0x${actual.toString(16)}`);
      return readAttributeValue(cursor, actual, unit, implicitConst, what);
    }
    default:
      return cursor.fail(
        `${what}: unknown form 0x${form.toString(16)}`,
        cursor.offset,
        'unsupported-form',
      );
  }
}
