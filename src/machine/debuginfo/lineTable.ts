/**
 * Queries over the decoded line tables, for a debugger: source line → breakpoint addresses,
 * address → source line, and the address range of the current line for "step over line".
 * Sequences (runs of rows ending in end_sequence; GCC's -ffunction-sections gives one per
 * function) are indexed by address so lookups are binary searches.
 */
import type { ElfFile } from '../loader';
import {
  type DebugLineSections,
  type LineProgram,
  type LineRow,
  parseDebugLine,
} from './dwarfLine';
import { pathsMatch, resolvePath } from './paths';

export interface SourceLocation {
  /** File path; absolute when the table was built with a base directory and the path was relative. */
  readonly path: string;
  readonly line: number;
  readonly column: number;
  /** Address of the row this location comes from (≤ the queried address). */
  readonly address: number;
  readonly isStmt: boolean;
}

export interface LineRange {
  readonly path: string;
  readonly line: number;
  /** The statement's first address. */
  readonly start: number;
  /** First address after it: the next statement of another line, or the sequence end. */
  readonly end: number;
}

export interface LineSequence {
  readonly program: LineProgram;
  /** Rows in program order; the last one is the end_sequence row. */
  readonly rows: readonly LineRow[];
  readonly start: number;
  /** The end_sequence address (exclusive). */
  readonly end: number;
}

export interface LineTableOptions {
  /**
   * Directory that relative paths in the table are relative to. The example firmware is built
   * with paths relative to the ELF's own directory, so pass the ELF's directory.
   */
  readonly baseDirectory?: string;
}

export class LineTable {
  readonly sequences: readonly LineSequence[];
  private readonly pathCache = new Map<LineProgram, string[]>();

  constructor(
    readonly programs: readonly LineProgram[],
    private readonly options: LineTableOptions = {},
  ) {
    const sequences: LineSequence[] = [];
    for (const program of programs) {
      let first = 0;
      program.rows.forEach((row, i) => {
        if (!row.endSequence) return;
        const rows = program.rows.slice(first, i + 1);
        first = i + 1;
        if (rows.length < 2 || row.address <= rows[0]!.address) return; // empty or discarded (address 0) sequence
        sequences.push({ program, rows, start: rows[0]!.address, end: row.address });
      });
    }
    this.sequences = sequences.sort((a, b) => a.start - b.start);
  }

  static fromSections(sections: DebugLineSections, options?: LineTableOptions): LineTable {
    return new LineTable(parseDebugLine(sections), options);
  }

  /** The ELF's line table; an empty table when it has no .debug_line. */
  static fromElf(elf: ElfFile, options?: LineTableOptions): LineTable {
    const debugLine = elf.section('.debug_line')?.data;
    if (!debugLine) return new LineTable([], options);
    return LineTable.fromSections(
      {
        debugLine,
        debugLineStr: elf.section('.debug_line_str')?.data,
        debugStr: elf.section('.debug_str')?.data,
      },
      options,
    );
  }

  /** The path of a row's file (resolved against the base directory when one was given). */
  pathOf(program: LineProgram, fileIndex: number): string {
    let paths = this.pathCache.get(program);
    if (!paths) {
      const base = this.options.baseDirectory;
      paths = program.header.files.map((f) => (base ? resolvePath(base, f.path) : f.path));
      this.pathCache.set(program, paths);
    }
    return paths[fileIndex] ?? '';
  }

  /** Every distinct source path with rows in the table. */
  sourcePaths(): string[] {
    const paths = new Set<string>();
    for (const s of this.sequences)
      for (const row of s.rows) paths.add(this.pathOf(s.program, row.file));
    return [...paths].sort();
  }

  private sequenceAt(address: number): LineSequence | undefined {
    let lo = 0;
    let hi = this.sequences.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sequences[mid]!.start <= address) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0; i--) {
      const s = this.sequences[i]!;
      if (address < s.end) return s;
      if (s.end <= s.start) continue;
      break;
    }
    return undefined;
  }

  /** Index in `s.rows` of the last row whose address ≤ address (rows are address-ordered). */
  private rowIndexAt(s: LineSequence, address: number): number {
    let lo = 0;
    let hi = s.rows.length - 1; // never the end_sequence row
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (s.rows[mid]!.address <= address) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /**
   * The source line at `address`. Several rows often share an address (GCC 12 -O2 emits views),
   * and tools differ in which one names it; both behaviours are offered and each is checked
   * against the real tool at every halfword of the example firmware:
   *  - 'gdb' (default, what a debugger shows): GDB's line table keeps a row only when its line
   *    or file differs from the previous kept row, or the line never had a non-zero
   *    discriminator (dwarf_record_line_p); the answer is the last kept row at the greatest
   *    address ≤ `address`, or, when that one is not a statement, an is_stmt row at the same
   *    address before it (find_pc_sect_line);
   *  - 'addr2line': the last row at the greatest row address ≤ `address`.
   */
  lineForAddress(address: number, style: 'gdb' | 'addr2line' = 'gdb'): SourceLocation | undefined {
    const s = this.sequenceAt(address);
    if (!s) return undefined;
    if (style === 'addr2line') {
      const i = this.rowIndexAt(s, address);
      return i < 0 ? undefined : this.location(s, s.rows[i]!);
    }
    const rows = this.gdbRows(s);
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (rows[mid]!.address <= address) lo = mid + 1;
      else hi = mid;
    }
    let best = lo - 1;
    if (best < 0) return undefined;
    if (!rows[best]!.isStmt) {
      let j = best;
      while (j > 0 && rows[j - 1]!.address === rows[j]!.address && !rows[j]!.isStmt) j--;
      if (rows[j]!.isStmt) best = j;
    }
    return this.location(s, rows[best]!);
  }

  private readonly gdbRowCache = new Map<LineSequence, LineRow[]>();

  /** The rows GDB's DWARF reader would record for a sequence (see lineForAddress). */
  private gdbRows(s: LineSequence): LineRow[] {
    let kept = this.gdbRowCache.get(s);
    if (kept) return kept;
    kept = [];
    let lastLine = -1;
    let lastFile = -1;
    let hasDiscriminator = false;
    let previous: LineRow | undefined;
    for (const row of s.rows) {
      if (row.endSequence) break;
      hasDiscriminator =
        previous && previous.line === row.line
          ? hasDiscriminator || row.discriminator !== 0
          : row.discriminator !== 0;
      previous = row;
      if (row.line === 0) continue;
      if (row.file !== lastFile || row.line !== lastLine || !hasDiscriminator) kept.push(row);
      lastLine = row.line;
      lastFile = row.file;
    }
    this.gdbRowCache.set(s, kept);
    return kept;
  }

  private location(s: LineSequence, row: LineRow): SourceLocation {
    return {
      path: this.pathOf(s.program, row.file),
      line: row.line,
      column: row.column,
      address: row.address,
      isStmt: row.isStmt,
    };
  }

  /** True when a statement (is_stmt row) of some line begins exactly at `address`. */
  isStatementStart(address: number): boolean {
    const s = this.sequenceAt(address);
    if (!s) return false;
    for (let i = this.rowIndexAt(s, address); i >= 0 && s.rows[i]!.address === address; i--) {
      if (s.rows[i]!.isStmt) return true;
    }
    return false;
  }

  /**
   * Breakpoint addresses for `path`:`line`. When no statement is on that line, the next line
   * that has one is used (as debuggers do) and reported in `line`. One address per sequence:
   * the lowest statement address of that line in it. Undefined when the file has no statement
   * at or after the line.
   */
  addressesForLine(path: string, line: number): { line: number; addresses: number[] } | undefined {
    let best = Infinity;
    const candidates: { s: LineSequence; row: LineRow }[] = [];
    for (const s of this.sequences) {
      for (const row of s.rows) {
        if (!row.isStmt || row.endSequence || row.line < line || row.line > best) continue;
        if (!pathsMatch(this.pathOf(s.program, row.file), path)) continue;
        if (row.line < best) {
          best = row.line;
          candidates.length = 0;
        }
        candidates.push({ s, row });
      }
    }
    if (candidates.length === 0) return undefined;
    const lowest = new Map<LineSequence, number>();
    for (const { s, row } of candidates)
      lowest.set(s, Math.min(lowest.get(s) ?? Infinity, row.address));
    return { line: best, addresses: [...new Set(lowest.values())].sort((a, b) => a - b) };
  }

  /**
   * The statement containing `address`, for "step over line": start is the last statement row at
   * or before the address; end is the first later statement row on a different line (or in a
   * different file), or the end of the sequence. Stepping runs while start ≤ pc < end.
   */
  lineRangeAt(address: number): LineRange | undefined {
    const s = this.sequenceAt(address);
    if (!s) return undefined;
    let i = this.rowIndexAt(s, address);
    while (i >= 0 && !s.rows[i]!.isStmt) i--;
    if (i < 0) return undefined;
    const current = s.rows[i]!;
    let end = s.end;
    for (let j = i + 1; j < s.rows.length; j++) {
      const row = s.rows[j]!;
      if (row.endSequence) break;
      if (
        row.address > address &&
        row.isStmt &&
        (row.line !== current.line || row.file !== current.file)
      ) {
        end = row.address;
        break;
      }
    }
    return {
      path: this.pathOf(s.program, current.file),
      line: current.line,
      start: current.address,
      end,
    };
  }
}
