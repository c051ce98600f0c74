/** .debug_abbrev: the abbreviation tables that describe each DIE's tag and attribute forms. */
import { DwarfCursor } from '../dwarfReader';
import { DW_FORM } from './constants';

export interface AbbrevAttribute {
  readonly name: number;
  readonly form: number;
  /** The value of a DW_FORM_implicit_const attribute (it lives in the table, not the DIE). */
  readonly implicitConst: number;
}

export interface Abbreviation {
  readonly code: number;
  readonly tag: number;
  readonly hasChildren: boolean;
  readonly attributes: readonly AbbrevAttribute[];
}

export type AbbreviationTable = ReadonlyMap<number, Abbreviation>;

/** Parses the table at `offset`; throws DwarfError (section .debug_abbrev) for bad input. */
export function parseAbbreviationTable(bytes: Uint8Array, offset: number): AbbreviationTable {
  const cursor = new DwarfCursor(bytes, '.debug_abbrev', offset);
  if (offset >= bytes.length)
    cursor.fail(`abbreviation table offset 0x${offset.toString(16)} is outside the section`);
  const table = new Map<number, Abbreviation>();
  for (;;) {
    const code = cursor.uleb('abbreviation code');
    if (code === 0) break;
    const tag = cursor.uleb('abbreviation tag');
    const hasChildren = cursor.u8('abbreviation children flag') !== 0;
    const attributes: AbbrevAttribute[] = [];
    for (;;) {
      const name = cursor.uleb('attribute name');
      const form = cursor.uleb('attribute form');
      if (name === 0 && form === 0) break;
      const implicitConst = form === DW_FORM.implicit_const ? cursor.sleb('implicit_const') : 0;
      attributes.push({ name, form, implicitConst });
    }
    table.set(code, { code, tag, hasChildren, attributes });
  }
  return table;
}
