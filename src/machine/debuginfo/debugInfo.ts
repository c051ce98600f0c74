/**
 * Everything a debugger needs from one ELF, in one object: symbols (functions, objects,
 * address → "name+offset"), the DWARF line table (breakpoints by source line, address → line,
 * step ranges) and the CFI frame table (call stacks). Parsing of the debug sections is lazy, and
 * a malformed section does not take the others down: it is reported in `problems` and that
 * facility is empty.
 */
import { type ElfFile, type ElfSymbol, type SymbolTable, BinaryFormatError } from '../loader';
import { LineTable, type LineTableOptions, type SourceLocation } from './lineTable';
import { SourceSymbols } from './scope';
import {
  FrameTable,
  type FrameRegisters,
  type ReadWord,
  type UnwoundFrame,
  unwindStack,
} from './unwind';

export interface StackFrameInfo extends UnwoundFrame {
  /** The function containing the pc (for callers: the call instruction), if a symbol names it. */
  readonly functionName?: string;
  /** Source location of the pc (frame 0) or of the call site (pc - 1, callers). */
  readonly source?: SourceLocation;
}

export class DebugInfo {
  private linesCache?: LineTable;
  private framesCache?: FrameTable;
  private sourceCache?: SourceSymbols;
  /** Errors met while reading debug sections (the facility stays usable but empty). */
  readonly problems: BinaryFormatError[] = [];

  constructor(
    readonly elf: ElfFile,
    private readonly options: LineTableOptions = {},
  ) {}

  get symbols(): SymbolTable {
    return this.elf.symbols;
  }

  get lines(): LineTable {
    if (!this.linesCache) {
      try {
        this.linesCache = LineTable.fromElf(this.elf, this.options);
      } catch (e) {
        if (!(e instanceof BinaryFormatError)) throw e;
        this.problems.push(e);
        this.linesCache = new LineTable([], this.options);
      }
    }
    return this.linesCache;
  }

  get frames(): FrameTable {
    if (!this.framesCache) {
      try {
        this.framesCache = FrameTable.fromElf(this.elf);
      } catch (e) {
        if (!(e instanceof BinaryFormatError)) throw e;
        this.problems.push(e);
        this.framesCache = new FrameTable([]);
      }
    }
    return this.framesCache;
  }

  /**
   * Source-level symbols from .debug_info (functions, inline frames, variables, types, C
   * expressions). Built on first use; units that cannot be read are in `source.program.problems`.
   */
  get source(): SourceSymbols {
    return (this.sourceCache ??= new SourceSymbols(this.elf, this.frames));
  }

  /** The function (STT_FUNC) containing `address`. */
  functionAt(address: number): ElfSymbol | undefined {
    return this.symbols.functionAt(address);
  }

  /** Breakpoint addresses for a source line (see LineTable.addressesForLine). */
  addressesForLine(path: string, line: number): { line: number; addresses: number[] } | undefined {
    return this.lines.addressesForLine(path, line);
  }

  /** Address of a function by name, for function breakpoints. */
  functionAddress(name: string): number | undefined {
    const symbol = this.symbols.byName(name);
    return symbol && symbol.kind === 'func' ? symbol.value : undefined;
  }

  /** The call stack from the innermost frame, with function names and source lines. */
  backtrace(innermost: FrameRegisters, readWord: ReadWord, maxFrames = 64): StackFrameInfo[] {
    // The CFI of a malformed FDE must not stop the stack view: fall back to the innermost frame.
    let frames: UnwoundFrame[];
    try {
      frames = unwindStack(this.frames, innermost, readWord, maxFrames);
    } catch (e) {
      if (!(e instanceof BinaryFormatError)) throw e;
      this.problems.push(e);
      frames = [{ ...innermost, method: 'none' }];
    }
    return frames.map((frame, level) => {
      const lookup = level === 0 ? frame.pc : frame.pc - 1;
      return {
        ...frame,
        functionName: this.symbols.lookupCode(lookup)?.symbol.name,
        source: this.lines.lineForAddress(lookup),
      };
    });
  }
}
