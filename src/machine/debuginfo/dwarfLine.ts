/**
 * DWARF .debug_line reader, versions 2 to 5 (GCC 12 + GAS 2.40 emit 5): unit headers, the v5
 * directory/file entry formats (DW_FORM_line_strp into .debug_line_str, strp, string, udata,
 * data1/2/4/8/16 for MD5, block), and the line-number program (standard, extended and special
 * opcodes) run into rows. Checked row by row against `readelf --debug-dump=decodedline`.
 *
 * Why hand-written: no maintained npm package reads DWARF for a pure ES layer. `npm view` of
 * dwarf, dwarf-parser, dwarfjs, node-dwarf, elf-dwarf, debug-line-parser and wasm-dwarf all
 * answer 404 on the registry; the known readers are Rust (gimli), Go (debug/dwarf), Python
 * (pyelftools) and C. The line program is small enough to own.
 */
import { DwarfCursor } from './dwarfReader';
import { readFileV2, readTablesV2, readTablesV5 } from './lineFileTables';
import type { DebugLineSections, LineFileEntry } from './lineFileTables';

export type { DebugLineSections, LineFileEntry };

export interface LineProgramHeader {
  /** Offset of the unit in .debug_line. */
  readonly offset: number;
  readonly unitLength: number;
  readonly version: number;
  readonly offsetSize: 4 | 8;
  readonly addressSize: number;
  readonly minimumInstructionLength: number;
  readonly maximumOperationsPerInstruction: number;
  readonly defaultIsStmt: boolean;
  readonly lineBase: number;
  readonly lineRange: number;
  readonly opcodeBase: number;
  readonly standardOpcodeLengths: readonly number[];
  /** Directory table; for v5 entry 0 is the compilation directory. For v2-4 entry 0 is ''. */
  readonly directories: readonly string[];
  /** File table; for v5 entry 0 is the primary source file. For v2-4 entry 0 is unused. */
  readonly files: readonly LineFileEntry[];
}

export interface LineRow {
  readonly address: number;
  /** Index into the unit's `files`. */
  readonly file: number;
  readonly line: number;
  readonly column: number;
  readonly isStmt: boolean;
  readonly basicBlock: boolean;
  readonly endSequence: boolean;
  readonly prologueEnd: boolean;
  readonly epilogueBegin: boolean;
  readonly isa: number;
  readonly discriminator: number;
  /** Location view number, as readelf computes it. */
  readonly view: number;
}

export interface LineProgram {
  readonly header: LineProgramHeader;
  readonly rows: readonly LineRow[];
}

const SECTION = '.debug_line';

/** Parses every unit of .debug_line. Throws DwarfError for malformed input. */
export function parseDebugLine(sections: DebugLineSections): LineProgram[] {
  const programs: LineProgram[] = [];
  const cursor = new DwarfCursor(sections.debugLine, SECTION);
  while (cursor.offset < sections.debugLine.length) {
    programs.push(parseUnit(cursor, sections));
  }
  return programs;
}

function parseUnit(cursor: DwarfCursor, sections: DebugLineSections): LineProgram {
  const unitOffset = cursor.offset;
  cursor.limit = sections.debugLine.length;
  let unitLength = cursor.u32('unit_length');
  let offsetSize: 4 | 8 = 4;
  if (unitLength === 0xffffffff) {
    offsetSize = 8;
    unitLength = cursor.u64('unit_length (64-bit)');
  } else if (unitLength >= 0xfffffff0) {
    cursor.fail(`unit_length 0x${unitLength.toString(16)} is a reserved value`, unitOffset);
  }
  const unitEnd = cursor.offset + unitLength;
  if (unitEnd > sections.debugLine.length) {
    cursor.fail(
      `truncated: the unit at 0x${unitOffset.toString(16)} claims 0x${unitLength.toString(16)} bytes, the section ends 0x${(sections.debugLine.length - cursor.offset).toString(16)} bytes later`,
      unitOffset,
      'truncated',
    );
  }
  cursor.limit = unitEnd;
  const versionAt = cursor.offset;
  const version = cursor.u16('version');
  if (version < 2 || version > 5)
    cursor.fail(
      `line table version ${version} is not supported (2 to 5 are)`,
      versionAt,
      'unsupported-version',
    );
  let addressSize = 4;
  if (version >= 5) {
    const sizeAt = cursor.offset;
    addressSize = cursor.u8('address_size');
    if (![1, 2, 4, 8].includes(addressSize))
      cursor.fail(`address_size ${addressSize} is not 1, 2, 4 or 8`, sizeAt);
    const segAt = cursor.offset;
    if (cursor.u8('segment_selector_size') !== 0)
      cursor.fail('segment selectors are not supported', segAt);
  }
  const headerLength = cursor.offsetField(offsetSize, 'header_length');
  const programStart = cursor.offset + headerLength;
  if (programStart > unitEnd)
    cursor.fail(
      `header_length 0x${headerLength.toString(16)} runs past the end of the unit`,
      cursor.offset - offsetSize,
    );
  const minimumInstructionLength = cursor.u8('minimum_instruction_length');
  const maximumOperationsPerInstruction =
    version >= 4 ? cursor.u8('maximum_operations_per_instruction') : 1;
  if (maximumOperationsPerInstruction !== 1) {
    cursor.fail(
      `maximum_operations_per_instruction ${maximumOperationsPerInstruction}: VLIW line tables are not supported`,
      cursor.offset - 1,
    );
  }
  const defaultIsStmt = cursor.u8('default_is_stmt') !== 0;
  const lineBase = cursor.i8('line_base');
  const lineRangeAt = cursor.offset;
  const lineRange = cursor.u8('line_range');
  if (lineRange === 0) cursor.fail('line_range is 0', lineRangeAt);
  const opcodeBaseAt = cursor.offset;
  const opcodeBase = cursor.u8('opcode_base');
  if (opcodeBase === 0) cursor.fail('opcode_base is 0', opcodeBaseAt);
  const standardOpcodeLengths: number[] = [];
  for (let i = 1; i < opcodeBase; i++)
    standardOpcodeLengths.push(cursor.u8(`standard_opcode_lengths[${i}]`));

  // The tables must end inside the header: read them with the header end as the limit.
  cursor.limit = programStart;
  const { directories, files } =
    version >= 5 ? readTablesV5(cursor, sections, offsetSize) : readTablesV2(cursor);
  const header: LineProgramHeader = {
    offset: unitOffset,
    unitLength,
    version,
    offsetSize,
    addressSize,
    minimumInstructionLength,
    maximumOperationsPerInstruction,
    defaultIsStmt,
    lineBase,
    lineRange,
    opcodeBase,
    standardOpcodeLengths,
    directories,
    files,
  };
  cursor.offset = programStart;
  cursor.limit = unitEnd;
  const rows = runProgram(cursor, header, files as LineFileEntry[]);
  cursor.offset = unitEnd;
  return { header, rows };
}

/** Runs the line-number program of one unit (DWARF 5 §6.2.5). */
function runProgram(cursor: DwarfCursor, h: LineProgramHeader, files: LineFileEntry[]): LineRow[] {
  const rows: LineRow[] = [];
  const firstFile = h.version >= 5 ? 0 : 1;
  let address = 0,
    file = 1,
    line = 1,
    column = 0,
    isStmt = h.defaultIsStmt;
  let basicBlock = false,
    prologueEnd = false,
    epilogueBegin = false,
    isa = 0,
    discriminator = 0,
    view = 0;
  const reset = () => {
    address = 0;
    file = 1;
    line = 1;
    column = 0;
    isStmt = h.defaultIsStmt;
    basicBlock = false;
    prologueEnd = false;
    epilogueBegin = false;
    isa = 0;
    discriminator = 0;
    view = 0;
  };
  const emit = (endSequence: boolean, at: number) => {
    if (line < 0)
      cursor.fail(`row at 0x${address.toString(16)} has a negative line number (${line})`, at);
    if (file < firstFile || file >= files.length) {
      cursor.fail(
        `row at 0x${address.toString(16)} uses file ${file}, the file table has ${files.length} entries`,
        at,
        'bad-file-index',
      );
    }
    rows.push({
      address,
      file,
      line,
      column,
      isStmt,
      basicBlock,
      endSequence,
      prologueEnd,
      epilogueBegin,
      isa,
      discriminator,
      view,
    });
    basicBlock = false;
    prologueEnd = false;
    epilogueBegin = false;
    discriminator = 0;
  };
  const advance = (operationAdvance: number) => {
    address = (address + h.minimumInstructionLength * operationAdvance) >>> 0;
  };
  while (!cursor.atEnd) {
    const at = cursor.offset;
    const opcode = cursor.u8('opcode');
    if (opcode >= h.opcodeBase) {
      const adjusted = opcode - h.opcodeBase;
      const operationAdvance = Math.floor(adjusted / h.lineRange);
      advance(operationAdvance);
      if (operationAdvance !== 0) view = 0;
      line += h.lineBase + (adjusted % h.lineRange);
      emit(false, at);
      view++;
      continue;
    }
    switch (opcode) {
      case 0: {
        const length = cursor.uleb('extended opcode length');
        if (length === 0) cursor.fail('extended opcode with length 0', at);
        const end = cursor.offset + length;
        if (end > cursor.limit)
          cursor.fail(`truncated: extended opcode needs ${length} bytes`, at, 'truncated');
        const sub = cursor.u8('extended opcode');
        if (sub === 1) {
          emit(true, at); // DW_LNE_end_sequence
          reset();
        } else if (sub === 2) {
          address = cursor.address(length - 1, 'DW_LNE_set_address operand');
          view = 0;
        } else if (sub === 3 && h.version < 5) {
          const name = cursor.cstring('DW_LNE_define_file name');
          files.push(readFileV2(cursor, name, h.directories, files.length));
        } else if (sub === 4) {
          discriminator = cursor.uleb('DW_LNE_set_discriminator operand');
        }
        if (cursor.offset > end)
          cursor.fail(`extended opcode ${sub} is longer than its length ${length}`, at);
        cursor.offset = end; // skips unknown extended opcodes (and any padding)
        break;
      }
      case 1: // DW_LNS_copy
        emit(false, at);
        view++;
        break;
      case 2: {
        // DW_LNS_advance_pc
        const operationAdvance = cursor.uleb('DW_LNS_advance_pc operand');
        advance(operationAdvance);
        if (operationAdvance !== 0) view = 0;
        break;
      }
      case 3:
        line += cursor.sleb('DW_LNS_advance_line operand');
        break;
      case 4:
        file = cursor.uleb('DW_LNS_set_file operand');
        break;
      case 5:
        column = cursor.uleb('DW_LNS_set_column operand');
        break;
      case 6:
        isStmt = !isStmt;
        break;
      case 7:
        basicBlock = true;
        break;
      case 8: {
        // DW_LNS_const_add_pc: the address advance of special opcode 255
        const operationAdvance = Math.floor((255 - h.opcodeBase) / h.lineRange);
        advance(operationAdvance);
        if (operationAdvance !== 0) view = 0;
        break;
      }
      case 9: // DW_LNS_fixed_advance_pc: does not reset the view (the assembler cannot know the size)
        address = (address + cursor.u16('DW_LNS_fixed_advance_pc operand')) >>> 0;
        break;
      case 10:
        prologueEnd = true;
        break;
      case 11:
        epilogueBegin = true;
        break;
      case 12:
        isa = cursor.uleb('DW_LNS_set_isa operand');
        break;
      default: // a standard opcode this reader does not know: skip its ULEB operands
        for (let i = 0; i < (h.standardOpcodeLengths[opcode - 1] ?? 0); i++)
          cursor.uleb(`opcode ${opcode} operand ${i}`);
    }
  }
  return rows;
}
