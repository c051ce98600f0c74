/**
 * The .debug_info of one ELF as an index: every unit's header and pc ranges are read up front
 * (cheap: headers and root DIEs only); a unit's DIE tree is read when a pc or a name first needs
 * it. Faults are scoped: a unit that cannot be read is listed in `problems`, the others work.
 */
import type { ElfFile } from '../../loader';
import { DwarfError } from '../dwarfReader';
import { DW_TAG } from './constants';
import type { Die } from './unit';
import type { AddressRange } from './lists';
import { type DwarfSections, dwarfSectionsOf } from './sections';
import { CompileUnit, type DieResolver } from './unit';
import { readUnitHeader } from './unitHeader';

interface UnitRange {
  readonly start: number;
  readonly end: number;
  readonly unit: CompileUnit;
}

export class DwarfProgram implements DieResolver {
  readonly units: CompileUnit[] = [];
  /** Errors that made a unit (or the rest of .debug_info) unreadable. */
  readonly problems: DwarfError[] = [];
  private readonly unitRanges: UnitRange[] = [];
  private nameIndex?: Map<string, { unit: CompileUnit; offset: number }[]>;

  constructor(readonly sections: DwarfSections | undefined) {
    if (!sections) return;
    let offset = 0;
    while (offset < sections.info.length) {
      try {
        const header = readUnitHeader(sections.info, offset);
        this.units.push(new CompileUnit(sections, header, this));
        offset = header.end;
      } catch (e) {
        if (!(e instanceof DwarfError)) throw e;
        this.problems.push(e); // the unit length is unknown: nothing after it can be found
        break;
      }
    }
    for (const unit of this.units) {
      try {
        for (const [start, end] of unit.root ? unit.ranges(unit.root) : [])
          this.unitRanges.push({ start, end, unit });
      } catch (e) {
        if (!(e instanceof DwarfError)) throw e;
        unit.error ??= e;
      }
      if (unit.error) this.problems.push(unit.error);
    }
    this.unitRanges.sort((a, b) => a.start - b.start);
  }

  static fromElf(elf: ElfFile): DwarfProgram {
    return new DwarfProgram(dwarfSectionsOf(elf));
  }

  /** The unit whose ranges contain `pc`. */
  unitAt(pc: number): CompileUnit | undefined {
    const ranges = this.unitRanges;
    let lo = 0;
    let hi = ranges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ranges[mid]!.start <= pc) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0 && i >= lo - 8; i--) {
      const r = ranges[i]!;
      if (pc >= r.start && pc < r.end) return r.unit;
    }
    return undefined;
  }

  /** The unit containing the DIE offset. */
  unitOf(offset: number): CompileUnit | undefined {
    let lo = 0;
    let hi = this.units.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.units[mid]!.header.offset <= offset) lo = mid + 1;
      else hi = mid;
    }
    const unit = this.units[lo - 1];
    return unit && offset < unit.header.end ? unit : undefined;
  }

  dieAt(offset: number): Die | undefined {
    return this.unitOf(offset)?.dieAt(offset);
  }

  /**
   * Top-level DIEs (functions, variables, types) of every unit with this name. The first call
   * indexes the names of all units without building their trees; a unit's tree is read when one
   * of its DIEs is returned.
   */
  topLevelNamed(name: string): readonly Die[] {
    if (!this.nameIndex) {
      this.nameIndex = new Map();
      for (const unit of this.units) {
        for (const entry of unit.topLevelNames()) {
          let list = this.nameIndex.get(entry.name);
          if (!list) this.nameIndex.set(entry.name, (list = []));
          list.push({ unit, offset: entry.offset });
        }
        if (unit.error && !this.problems.includes(unit.error)) this.problems.push(unit.error);
      }
    }
    const found: Die[] = [];
    for (const { unit, offset } of this.nameIndex.get(name) ?? []) {
      const die = unit.dieAt(offset);
      if (die) found.push(die);
    }
    return found;
  }

  /** Ranges of the unit index, for tests and benches. */
  get unitRangeCount(): number {
    return this.unitRanges.length;
  }
}

export type { AddressRange };
export const isScopeTag = (tag: number): boolean =>
  tag === DW_TAG.subprogram || tag === DW_TAG.lexical_block || tag === DW_TAG.inlined_subroutine;
