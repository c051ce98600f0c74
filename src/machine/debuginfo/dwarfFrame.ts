/**
 * DWARF call frame information from .debug_frame (CIE versions 1, 3 and 4; GCC 12 writes 3 for
 * bare-metal RISC-V with -g): CIEs and FDEs parsed, and the CFA instructions run into the rule
 * table (CFA = register + offset; per register: undefined, same value, saved at CFA+n, value
 * CFA+n, in another register, or a DWARF expression). Checked row by row against
 * `readelf --debug-dump=frames-interp`. Hand-written assembly (start/trap files) has no CFI, so
 * unwinding stops there; see unwind.ts.
 */
import { DwarfCursor, DwarfError } from './dwarfReader';

export type RegisterRule =
  | { readonly kind: 'undefined' }
  | { readonly kind: 'same' }
  | { readonly kind: 'offset'; readonly offset: number }
  | { readonly kind: 'valOffset'; readonly offset: number }
  | { readonly kind: 'register'; readonly register: number }
  | { readonly kind: 'expression'; readonly expression: Uint8Array }
  | { readonly kind: 'valExpression'; readonly expression: Uint8Array };

export type CfaRule =
  | { readonly kind: 'register'; readonly register: number; readonly offset: number }
  | { readonly kind: 'expression'; readonly expression: Uint8Array };

export interface CfiRow {
  /** First address the row applies to (up to the next row's location or the FDE end). */
  readonly location: number;
  readonly cfa: CfaRule;
  /** Rules set by the CIE or FDE; registers not in the map have no rule ("unset"). */
  readonly registers: ReadonlyMap<number, RegisterRule>;
}

export interface CommonInformationEntry {
  readonly offset: number;
  readonly version: number;
  readonly augmentation: string;
  readonly addressSize: number;
  readonly codeAlignmentFactor: number;
  readonly dataAlignmentFactor: number;
  readonly returnAddressRegister: number;
  readonly initialInstructions: Uint8Array;
  /** Offset of initialInstructions in .debug_frame, for error locations. */
  readonly instructionsOffset: number;
  /** The whole .debug_frame section (instructions are read in place, with absolute offsets). */
  readonly section: Uint8Array;
}

export interface FrameDescriptionEntry {
  readonly offset: number;
  readonly cie: CommonInformationEntry;
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
  readonly instructions: Uint8Array;
  readonly instructionsOffset: number;
  /** The whole .debug_frame section. */
  readonly section: Uint8Array;
}

const SECTION = '.debug_frame';

/** Parses every CIE and FDE of .debug_frame. Throws DwarfError for malformed input. */
export function parseDebugFrame(
  bytes: Uint8Array,
  defaultAddressSize = 4,
): FrameDescriptionEntry[] {
  const cursor = new DwarfCursor(bytes, SECTION);
  const cies = new Map<number, CommonInformationEntry>();
  const pending: { at: number; ciePointer: number; cursorEnd: number; offsetSize: 4 }[] = [];
  const fdes: FrameDescriptionEntry[] = [];
  // First pass: find entries, parse CIEs (an FDE may point at a CIE that comes later).
  while (cursor.offset < bytes.length) {
    cursor.limit = bytes.length;
    const at = cursor.offset;
    const length = cursor.u32('length');
    const offsetSize = 4;
    if (length === 0xffffffff)
      cursor.fail('64-bit DWARF .debug_frame entries are not supported', at, 'unsupported-format');
    if (length === 0) break; // a zero terminator (some producers pad with it)
    const end = cursor.offset + length;
    if (end > bytes.length)
      cursor.fail(
        `truncated: the entry at 0x${at.toString(16)} claims 0x${length.toString(16)} bytes, past the end of the section`,
        at,
        'truncated',
      );
    cursor.limit = end;
    const id = cursor.offsetField(offsetSize, 'CIE_id / CIE_pointer');
    if (id === 0xffffffff) cies.set(at, parseCie(cursor, at, end, defaultAddressSize, bytes));
    else pending.push({ at, ciePointer: id, cursorEnd: end, offsetSize });
    cursor.offset = end;
  }
  for (const { at, ciePointer, cursorEnd, offsetSize } of pending) {
    const cie = cies.get(ciePointer);
    if (!cie)
      throw new DwarfError(
        'malformed',
        SECTION,
        at,
        `FDE at 0x${at.toString(16)} points to 0x${ciePointer.toString(16)}, which is not a CIE`,
      );
    cursor.offset = at + 4 + offsetSize;
    cursor.limit = cursorEnd;
    const start = cursor.address(cie.addressSize, 'FDE initial_location');
    const range = cursor.address(cie.addressSize, 'FDE address_range');
    if (start + range > 2 ** 32)
      cursor.fail(
        `FDE range 0x${start.toString(16)}+0x${range.toString(16)} wraps past the 32-bit address space`,
        at,
      );
    const instructionsOffset = cursor.offset;
    fdes.push({
      offset: at,
      cie,
      start,
      end: start + range,
      instructions: cursor.bytesOf(cursorEnd - cursor.offset, 'FDE instructions'),
      instructionsOffset,
      section: bytes,
    });
  }
  return fdes.sort((a, b) => a.start - b.start || a.offset - b.offset);
}

function parseCie(
  cursor: DwarfCursor,
  at: number,
  end: number,
  defaultAddressSize: number,
  section: Uint8Array,
): CommonInformationEntry {
  const versionAt = cursor.offset;
  const version = cursor.u8('CIE version');
  if (version !== 1 && version !== 3 && version !== 4)
    cursor.fail(
      `CIE version ${version} is not supported (1, 3 and 4 are)`,
      versionAt,
      'unsupported-version',
    );
  const augmentationAt = cursor.offset;
  const augmentation = cursor.cstring('CIE augmentation');
  if (augmentation !== '')
    cursor.fail(
      `CIE augmentation "${augmentation}" is not supported in .debug_frame`,
      augmentationAt,
      'unsupported-augmentation',
    );
  let addressSize = defaultAddressSize;
  if (version >= 4) {
    addressSize = cursor.u8('CIE address_size');
    if (![1, 2, 4, 8].includes(addressSize))
      cursor.fail(`CIE address_size ${addressSize}`, cursor.offset - 1);
    if (cursor.u8('CIE segment_selector_size') !== 0)
      cursor.fail('segment selectors are not supported', cursor.offset - 1);
  }
  const codeAlignmentFactor = cursor.uleb('code_alignment_factor');
  const dataAlignmentFactor = cursor.sleb('data_alignment_factor');
  const returnAddressRegister =
    version === 1 ? cursor.u8('return_address_register') : cursor.uleb('return_address_register');
  const instructionsOffset = cursor.offset;
  return {
    offset: at,
    version,
    augmentation,
    addressSize,
    codeAlignmentFactor,
    dataAlignmentFactor,
    returnAddressRegister,
    initialInstructions: cursor.bytesOf(end - cursor.offset, 'CIE initial_instructions'),
    instructionsOffset,
    section,
  };
}

interface State {
  cfa: CfaRule;
  registers: Map<number, RegisterRule>;
}

const clone = (s: State): State => ({ cfa: s.cfa, registers: new Map(s.registers) });

/**
 * The rule table of one FDE: one row per location where the rules may change, starting at
 * fde.start. Row i applies to [rows[i].location, rows[i+1].location or fde.end).
 */
export function frameRows(fde: FrameDescriptionEntry): CfiRow[] {
  const cie = fde.cie;
  const initial: State = {
    cfa: { kind: 'register', register: 0, offset: 0 },
    registers: new Map(),
  };
  execute(
    cie,
    cie.initialInstructions,
    cie.instructionsOffset,
    initial,
    undefined,
    fde.start,
    () => undefined,
  );
  const state = clone(initial);
  const rows: CfiRow[] = [];
  let location = fde.start;
  const emitAndMove = (next: number, at: number) => {
    // Only a backwards move is malformed; FDEs of functions the linker discarded keep their
    // advances but have start = end = 0, and readelf accepts them too.
    if (next < location) {
      throw new DwarfError(
        'malformed',
        SECTION,
        at,
        `CFA instruction moves the location back to 0x${next.toString(16)} from 0x${location.toString(16)}`,
      );
    }
    rows.push({ location, cfa: state.cfa, registers: new Map(state.registers) });
    location = next;
  };
  execute(
    cie,
    fde.instructions,
    fde.instructionsOffset,
    state,
    initial,
    fde.start,
    emitAndMove,
    () => location,
  );
  rows.push({ location, cfa: state.cfa, registers: new Map(state.registers) });
  return rows;
}

function execute(
  cie: CommonInformationEntry,
  code: Uint8Array,
  codeOffset: number,
  state: State,
  initial: State | undefined,
  start: number,
  advanceTo: (address: number, at: number) => void,
  currentLocation: () => number = () => start,
): void {
  // Read the instructions in place in the section, so error offsets are section offsets.
  const cursor = new DwarfCursor(cie.section, SECTION, codeOffset, codeOffset + code.length);
  const stack: State[] = [];
  const at = () => cursor.offset;
  const fail = (detail: string, where: number): never => {
    throw new DwarfError('malformed', SECTION, where, detail);
  };
  const restoreRule = (register: number, where: number) => {
    if (!initial) fail('DW_CFA_restore in a CIE', where);
    const rule = initial!.registers.get(register);
    if (rule) state.registers.set(register, rule);
    else state.registers.delete(register);
  };
  const factored = (n: number) => n * cie.dataAlignmentFactor;
  const cfaRegister = (where: number): { register: number; offset: number } => {
    if (state.cfa.kind !== 'register')
      fail('CFA offset change while the CFA is an expression', where);
    return state.cfa as { register: number; offset: number };
  };
  while (!cursor.atEnd) {
    const where = at();
    const op = cursor.u8('CFA opcode');
    const high = op & 0xc0;
    const low = op & 0x3f;
    if (high === 0x40) advanceTo(currentLocation() + low * cie.codeAlignmentFactor, where);
    else if (high === 0x80)
      state.registers.set(low, {
        kind: 'offset',
        offset: factored(cursor.uleb('DW_CFA_offset operand')),
      });
    else if (high === 0xc0) restoreRule(low, where);
    else {
      switch (op) {
        case 0x00: // nop
          break;
        case 0x01:
          advanceTo(cursor.address(cie.addressSize, 'DW_CFA_set_loc operand'), where);
          break;
        case 0x02:
          advanceTo(
            currentLocation() + cursor.u8('DW_CFA_advance_loc1 operand') * cie.codeAlignmentFactor,
            where,
          );
          break;
        case 0x03:
          advanceTo(
            currentLocation() + cursor.u16('DW_CFA_advance_loc2 operand') * cie.codeAlignmentFactor,
            where,
          );
          break;
        case 0x04:
          advanceTo(
            currentLocation() + cursor.u32('DW_CFA_advance_loc4 operand') * cie.codeAlignmentFactor,
            where,
          );
          break;
        case 0x05: {
          const reg = cursor.uleb('register');
          state.registers.set(reg, { kind: 'offset', offset: factored(cursor.uleb('offset')) });
          break;
        }
        case 0x06:
          restoreRule(cursor.uleb('register'), where);
          break;
        case 0x07:
          state.registers.set(cursor.uleb('register'), { kind: 'undefined' });
          break;
        case 0x08:
          state.registers.set(cursor.uleb('register'), { kind: 'same' });
          break;
        case 0x09: {
          const reg = cursor.uleb('register');
          state.registers.set(reg, { kind: 'register', register: cursor.uleb('register') });
          break;
        }
        case 0x0a:
          stack.push(clone(state));
          break;
        case 0x0b: {
          const saved = stack.pop();
          if (!saved) fail('DW_CFA_restore_state without a remembered state', where);
          // The CFA rule is part of the remembered state (DWARF 5 §6.4.2.4).
          state.cfa = saved!.cfa;
          state.registers = saved!.registers;
          break;
        }
        case 0x0c: {
          const register = cursor.uleb('register');
          state.cfa = { kind: 'register', register, offset: cursor.uleb('offset') };
          break;
        }
        case 0x0d:
          state.cfa = {
            kind: 'register',
            register: cursor.uleb('register'),
            offset: cfaRegister(where).offset,
          };
          break;
        case 0x0e:
          state.cfa = {
            kind: 'register',
            register: cfaRegister(where).register,
            offset: cursor.uleb('offset'),
          };
          break;
        case 0x0f:
          state.cfa = {
            kind: 'expression',
            expression: cursor.bytesOf(cursor.uleb('length'), 'expression'),
          };
          break;
        case 0x10: {
          const reg = cursor.uleb('register');
          state.registers.set(reg, {
            kind: 'expression',
            expression: cursor.bytesOf(cursor.uleb('length'), 'expression'),
          });
          break;
        }
        case 0x11: {
          const reg = cursor.uleb('register');
          state.registers.set(reg, { kind: 'offset', offset: factored(cursor.sleb('offset')) });
          break;
        }
        case 0x12: {
          const register = cursor.uleb('register');
          state.cfa = { kind: 'register', register, offset: factored(cursor.sleb('offset')) };
          break;
        }
        case 0x13:
          state.cfa = {
            kind: 'register',
            register: cfaRegister(where).register,
            offset: factored(cursor.sleb('offset')),
          };
          break;
        case 0x14: {
          const reg = cursor.uleb('register');
          state.registers.set(reg, {
            kind: 'valOffset',
            offset: factored(cursor.uleb('offset')),
          });
          break;
        }
        case 0x15: {
          const reg = cursor.uleb('register');
          state.registers.set(reg, {
            kind: 'valOffset',
            offset: factored(cursor.sleb('offset')),
          });
          break;
        }
        case 0x16: {
          const reg = cursor.uleb('register');
          state.registers.set(reg, {
            kind: 'valExpression',
            expression: cursor.bytesOf(cursor.uleb('length'), 'expression'),
          });
          break;
        }
        case 0x2e: // DW_CFA_GNU_args_size: no effect on the rules
          cursor.uleb('size');
          break;
        case 0x2f: {
          const reg = cursor.uleb('register');
          state.registers.set(reg, { kind: 'offset', offset: -factored(cursor.uleb('offset')) });
          break;
        }
        default:
          fail(`unknown CFA instruction 0x${op.toString(16)}`, where);
      }
    }
  }
}
