/**
 * One unit of .debug_info: its header (read up front for every unit), its root DIE (read when
 * the unit is indexed) and its DIE tree (read when a pc or a name first needs it). A malformed
 * unit keeps the DIEs read before the fault and records the error; other units are unaffected.
 */
import { DwarfCursor, DwarfError } from '../dwarfReader';
import { decodeUtf8 } from '../../loader';
import { type AbbreviationTable, parseAbbreviationTable } from './abbrev';
import { DW_AT, DW_FORM } from './constants';
import { readAttributeValue, type AttributeValue } from './forms';
import {
  type AddressRange,
  type ListContext,
  type LocationList,
  listOffsetAt,
  readLocationList,
  readRangeList,
} from './lists';
import type { DwarfSections } from './sections';
import type { UnitHeader } from './unitHeader';

/** Looks a DIE up by its .debug_info offset in any unit (for DW_FORM_ref_addr). */
export interface DieResolver {
  dieAt(offset: number): Die | undefined;
}

export class CompileUnit implements ListContext {
  private abbreviations?: AbbreviationTable;
  private rootCache?: Die;
  private treeParsed = false;
  private readonly dies = new Map<number, Die>();
  private rangesCache?: AddressRange[];
  /** The first error met while reading this unit (its DIE tree stops there). */
  error?: DwarfError;

  constructor(
    readonly sections: DwarfSections,
    readonly header: UnitHeader,
    readonly resolver: DieResolver,
  ) {}

  get version(): number {
    return this.header.version;
  }
  get addressSize(): number {
    return this.header.addressSize;
  }
  get offsetSize(): 4 | 8 {
    return this.header.offsetSize;
  }

  /** The root DIE (DW_TAG_compile_unit), read alone when the tree is not needed yet. */
  get root(): Die | undefined {
    if (!this.rootCache && !this.error) this.parse(true);
    return this.rootCache;
  }

  /** The whole DIE tree (read on first use). */
  get tree(): Die | undefined {
    if (!this.treeParsed) {
      this.treeParsed = true;
      this.parse(false);
    }
    return this.rootCache;
  }

  /** The DIE at `offset` inside this unit (reads the tree if needed). */
  dieAt(offset: number): Die | undefined {
    if (offset < this.header.offset || offset >= this.header.end) return undefined;
    void this.tree;
    return this.dies.get(offset);
  }

  contains(offset: number): boolean {
    return offset >= this.header.dieOffset && offset < this.header.end;
  }

  private parse(onlyRoot: boolean): void {
    const info = this.sections.info;
    const cursor = new DwarfCursor(info, '.debug_info', this.header.dieOffset, this.header.end);
    try {
      this.abbreviations ??= parseAbbreviationTable(this.sections.abbrev, this.header.abbrevOffset);
      const parents: Die[] = [];
      let first = true;
      while (cursor.offset < this.header.end) {
        const at = cursor.offset;
        const code = cursor.uleb('abbreviation code');
        if (code === 0) {
          parents.pop();
          if (parents.length === 0) break;
          continue;
        }
        const abbrev = this.abbreviations.get(code);
        if (!abbrev)
          return cursor.fail(
            `DIE uses abbreviation ${code}, which the unit's table does not have`,
            at,
          );
        const attributes: DieAttribute[] = [];
        for (const spec of abbrev.attributes) {
          let form = spec.form;
          if (form === DW_FORM.indirect) form = cursor.uleb('indirect form');
          const offset = cursor.offset;
          const value = readAttributeValue(
            cursor,
            form,
            this.header,
            spec.implicitConst,
            `DIE 0x${at.toString(16)} attribute 0x${spec.name.toString(16)}`,
          );
          attributes.push({ name: spec.name, form, value, offset });
        }
        if (first && this.rootCache) {
          // The root was read alone before: keep that object, continue with its children.
          this.dies.set(at, this.rootCache);
        } else {
          const parent = parents[parents.length - 1];
          const die = new Die(this, at, abbrev.tag, attributes, parent);
          parent?.children.push(die);
          this.dies.set(at, die);
          if (first) this.rootCache = die;
        }
        if (first && onlyRoot) return;
        if (abbrev.hasChildren) parents.push(first ? this.rootCache! : this.dies.get(at)!);
        else if (first) break;
        first = false;
      }
    } catch (e) {
      if (!(e instanceof DwarfError)) throw e;
      this.error ??= e;
    }
  }

  /**
   * The named DIEs directly under the root (functions, variables, types), read without building
   * the tree: subtrees are skipped with DW_AT_sibling where the producer gave one, else walked
   * without keeping anything. For a program-wide name index.
   */
  topLevelNames(): { name: string; offset: number; tag: number }[] {
    if (this.treeParsed) {
      const out: { name: string; offset: number; tag: number }[] = [];
      for (const die of this.rootCache?.children ?? []) {
        const a = die.attribute(DW_AT.name);
        if (!a) continue;
        try {
          out.push({ name: this.string(a), offset: die.offset, tag: die.tag });
        } catch (e) {
          if (!(e instanceof DwarfError)) throw e;
        }
      }
      return out;
    }
    const out: { name: string; offset: number; tag: number }[] = [];
    const cursor = new DwarfCursor(
      this.sections.info,
      '.debug_info',
      this.header.dieOffset,
      this.header.end,
    );
    try {
      this.abbreviations ??= parseAbbreviationTable(this.sections.abbrev, this.header.abbrevOffset);
      let depth = 0;
      while (cursor.offset < this.header.end) {
        const at = cursor.offset;
        const code = cursor.uleb('abbreviation code');
        if (code === 0) {
          depth--;
          if (depth <= 0) break;
          continue;
        }
        const abbrev = this.abbreviations.get(code);
        if (!abbrev)
          return cursor.fail(
            `DIE uses abbreviation ${code}, which the unit's table does not have`,
            at,
          );
        let name: string | undefined;
        let sibling: number | undefined;
        for (const spec of abbrev.attributes) {
          let form = spec.form;
          if (form === DW_FORM.indirect) form = cursor.uleb('indirect form');
          const offset = cursor.offset;
          const value = readAttributeValue(
            cursor,
            form,
            this.header,
            spec.implicitConst,
            'attribute',
          );
          if (depth === 1 && spec.name === DW_AT.name)
            name = this.string({ name: spec.name, form, value, offset });
          else if (spec.name === DW_AT.sibling && typeof value === 'number') sibling = value;
        }
        if (depth === 1 && name !== undefined) out.push({ name, offset: at, tag: abbrev.tag });
        if (abbrev.hasChildren) {
          if (
            depth === 1 &&
            sibling !== undefined &&
            sibling > cursor.offset &&
            sibling <= this.header.end
          )
            cursor.offset = sibling;
          else depth++;
        } else if (depth === 0) break;
      }
    } catch (e) {
      if (!(e instanceof DwarfError)) throw e;
      this.error ??= e;
    }
    return out;
  }

  // ---- attribute values -----------------------------------------------------------------

  private rootNumber(name: number): number | undefined {
    const a = this.root?.attribute(name);
    return typeof a?.value === 'number' ? a.value : undefined;
  }

  get baseAddress(): number {
    const low = this.root?.attribute(DW_AT.low_pc);
    return low ? (this.address(low) ?? 0) : 0;
  }

  private fail(detail: string, at: number, section = '.debug_info', code = 'malformed'): never {
    throw new DwarfError(code, section, at, detail);
  }

  /** Address `index` of this unit's .debug_addr table (DW_AT_addr_base, default 8). */
  addressAt(index: number): number {
    const base = this.rootNumber(DW_AT.addr_base) ?? 8;
    const section = this.sections.addr;
    if (!section) this.fail('the unit uses .debug_addr, which the file does not have', 0);
    const cursor = new DwarfCursor(section, '.debug_addr', base + index * this.addressSize);
    return cursor.address(this.addressSize, `.debug_addr entry ${index}`);
  }

  /** A string-class attribute's text; throws DwarfError when it cannot be read. */
  string(a: DieAttribute): string {
    switch (a.form) {
      case DW_FORM.string:
        return a.value as string;
      case DW_FORM.strp:
        return this.stringAt(this.sections.str, '.debug_str', a.value as number, a.offset);
      case DW_FORM.line_strp:
        return this.stringAt(this.sections.lineStr, '.debug_line_str', a.value as number, a.offset);
      case DW_FORM.strx:
      case DW_FORM.strx1:
      case DW_FORM.strx2:
      case DW_FORM.strx3:
      case DW_FORM.strx4:
      case DW_FORM.GNU_str_index: {
        const base = this.rootNumber(DW_AT.str_offsets_base) ?? 8;
        const table = this.sections.strOffsets;
        if (!table) this.fail('strx form without .debug_str_offsets', a.offset);
        const cursor = new DwarfCursor(
          table,
          '.debug_str_offsets',
          base + Number(a.value) * this.offsetSize,
        );
        const offset = cursor.offsetField(this.offsetSize, 'string offset');
        return this.stringAt(this.sections.str, '.debug_str', offset, a.offset);
      }
      default:
        return this.fail(
          `attribute 0x${a.name.toString(16)} has form 0x${a.form.toString(16)}, not a string form`,
          a.offset,
          '.debug_info',
          'unsupported-form',
        );
    }
  }

  private stringAt(
    section: Uint8Array | undefined,
    name: string,
    offset: number,
    at: number,
  ): string {
    if (!section || offset >= section.length)
      this.fail(`string offset 0x${offset.toString(16)} is outside ${name}`, at);
    let end = offset;
    while (end < section.length && section[end] !== 0) end++;
    return decodeUtf8(section, offset, end);
  }

  /** An address-class attribute (DW_FORM_addr, addrx*). */
  address(a: DieAttribute): number | undefined {
    if (a.form === DW_FORM.addr) return a.value as number;
    if (
      a.form === DW_FORM.addrx ||
      a.form === DW_FORM.addrx1 ||
      a.form === DW_FORM.addrx2 ||
      a.form === DW_FORM.addrx3 ||
      a.form === DW_FORM.addrx4 ||
      a.form === DW_FORM.GNU_addr_index
    )
      return this.addressAt(Number(a.value));
    return undefined;
  }

  /** The pc ranges of a DIE: DW_AT_low_pc/high_pc or DW_AT_ranges; [] when it has none. */
  ranges(die: Die): AddressRange[] {
    if (die === this.root && this.rangesCache) return this.rangesCache;
    const result = this.computeRanges(die);
    if (die === this.root) this.rangesCache = result;
    return result;
  }

  private computeRanges(die: Die): AddressRange[] {
    const rangesAttr = die.attribute(DW_AT.ranges);
    if (rangesAttr) {
      let offset = Number(rangesAttr.value);
      if (rangesAttr.form === DW_FORM.rnglistx) {
        const base = this.rootNumber(DW_AT.rnglists_base) ?? 12;
        offset = listOffsetAt(
          this.sections.rnglists,
          '.debug_rnglists',
          base,
          offset,
          this.offsetSize,
        );
      }
      return readRangeList(
        this.version >= 5 ? this.sections.rnglists : this.sections.ranges,
        offset,
        this,
      );
    }
    const lowAttr = die.attribute(DW_AT.low_pc);
    const highAttr = die.attribute(DW_AT.high_pc);
    if (!lowAttr || !highAttr) return [];
    const low = this.address(lowAttr);
    if (low === undefined) return [];
    const highAddress = this.address(highAttr);
    const high = highAddress ?? low + Number(highAttr.value); // a constant: an offset from low_pc
    return high > low ? [[low, high]] : [];
  }

  /** A location list (DW_AT_location / DW_AT_frame_base of class loclist). */
  locationList(a: DieAttribute): LocationList {
    let offset = Number(a.value);
    if (a.form === DW_FORM.loclistx) {
      const base = this.rootNumber(DW_AT.loclists_base) ?? 12;
      offset = listOffsetAt(
        this.sections.loclists,
        '.debug_loclists',
        base,
        offset,
        this.offsetSize,
      );
    }
    return readLocationList(
      this.version >= 5 ? this.sections.loclists : this.sections.loc,
      offset,
      this,
    );
  }

  /** The DIE a reference-class attribute points to (any unit for DW_FORM_ref_addr). */
  reference(a: DieAttribute): Die | undefined {
    if (typeof a.value !== 'number') return undefined;
    if (a.form === DW_FORM.ref_addr) return this.resolver.dieAt(a.value);
    if (
      a.form === DW_FORM.ref1 ||
      a.form === DW_FORM.ref2 ||
      a.form === DW_FORM.ref4 ||
      a.form === DW_FORM.ref8 ||
      a.form === DW_FORM.ref_udata
    )
      return this.dieAt(a.value);
    return undefined;
  }

  /** The unit's source file name (DW_AT_name of the root). */
  get name(): string | undefined {
    const a = this.root?.attribute(DW_AT.name);
    try {
      return a ? this.string(a) : undefined;
    } catch {
      return undefined;
    }
  }
}

export interface DieAttribute {
  readonly name: number;
  /** The actual form (DW_FORM_indirect is resolved while reading). */
  readonly form: number;
  readonly value: AttributeValue;
  /** Offset of the value in .debug_info (for error messages). */
  readonly offset: number;
}

/** A debugging information entry: tag, raw attributes, tree links; owned by its unit. */
export class Die {
  readonly children: Die[] = [];

  constructor(
    readonly unit: CompileUnit,
    /** Offset of the DIE in .debug_info: its identity. */
    readonly offset: number,
    readonly tag: number,
    readonly attributes: readonly DieAttribute[],
    readonly parent: Die | undefined,
  ) {}

  attribute(name: number): DieAttribute | undefined {
    for (const a of this.attributes) if (a.name === name) return a;
    return undefined;
  }

  has(name: number): boolean {
    return this.attribute(name) !== undefined;
  }
}
