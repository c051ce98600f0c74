import { div, divu, mulh, mulhsu, mulhu, rem, remu } from './alu';
import { ATTENTION_RECOUNT, Cause, ENTRY_LONG } from './constants';
import type { BlockFunction, CompiledBlock, HartCode } from './hart-core';
import { Op } from './ops';
import { loadSplit, reloadAtSteps, storeSplit } from './slow-paths';

/**
 * Block compiler: a hot trace of decoded instructions (see compileBlock: it follows
 * fall-through paths and direct jumps in its page and stops before anything the interpreter
 * must handle) becomes one JavaScript function made with `new Function`, so V8 optimises it as a
 * unit (registers stay in the Int32Array; operands and pcs are literals). Exactness is the interpreter's: every memory access goes through the bus
 * with the same fault handling; after a load or store that may have reached a device
 * (`h.attention` set) or a store into a page holding code, the block returns at once so
 * interrupts, stop requests and self-modifying code are seen before the next instruction.
 * Blocks never contain CSR, AMO, system, illegal or breakpoint instructions, and are dropped
 * with the decode cache of their page.
 *
 * A block returns the next pc and leaves the number of instructions it executed (including one
 * that trapped) in `h.blockCount` (the types are in hart-core.ts).
 */

/** Longest block compiled, in instructions. */
const MAX_BLOCK = 64;

const HELPERS = { div, divu, mulh, mulhsu, mulhu, rem, remu, loadSplit, reloadAtSteps, storeSplit };
type Helpers = typeof HELPERS;

const R_OPS: Partial<Record<Op, string>> = {
  [Op.ADD]: 'x[$1] + x[$2]',
  [Op.SUB]: 'x[$1] - x[$2]',
  [Op.SLL]: 'x[$1] << x[$2]',
  [Op.SLT]: 'x[$1] < x[$2] ? 1 : 0',
  [Op.SLTU]: 'x[$1] >>> 0 < x[$2] >>> 0 ? 1 : 0',
  [Op.XOR]: 'x[$1] ^ x[$2]',
  [Op.SRL]: 'x[$1] >>> x[$2]',
  [Op.SRA]: 'x[$1] >> x[$2]',
  [Op.OR]: 'x[$1] | x[$2]',
  [Op.AND]: 'x[$1] & x[$2]',
  [Op.MUL]: 'Math.imul(x[$1], x[$2])',
  [Op.MULH]: 'f.mulh(x[$1], x[$2])',
  [Op.MULHSU]: 'f.mulhsu(x[$1], x[$2])',
  [Op.MULHU]: 'f.mulhu(x[$1], x[$2])',
  [Op.DIV]: 'f.div(x[$1], x[$2])',
  [Op.DIVU]: 'f.divu(x[$1], x[$2])',
  [Op.REM]: 'f.rem(x[$1], x[$2])',
  [Op.REMU]: 'f.remu(x[$1], x[$2])',
};
const I_OPS: Partial<Record<Op, string>> = {
  [Op.ADDI]: 'x[$1] + $i',
  [Op.SLTI]: 'x[$1] < $i ? 1 : 0',
  [Op.SLTIU]: 'x[$1] >>> 0 < $u ? 1 : 0',
  [Op.XORI]: 'x[$1] ^ $i',
  [Op.ORI]: 'x[$1] | $i',
  [Op.ANDI]: 'x[$1] & $i',
  [Op.SLLI]: 'x[$1] << $i',
  [Op.SRLI]: 'x[$1] >>> $i',
  [Op.SRAI]: 'x[$1] >> $i',
};
const BRANCHES: Partial<Record<Op, string>> = {
  [Op.BEQ]: 'x[$1] === x[$2]',
  [Op.BNE]: 'x[$1] !== x[$2]',
  [Op.BLT]: 'x[$1] < x[$2]',
  [Op.BGE]: 'x[$1] >= x[$2]',
  [Op.BLTU]: 'x[$1] >>> 0 < x[$2] >>> 0',
  [Op.BGEU]: 'x[$1] >>> 0 >= x[$2] >>> 0',
};
const LOADS: Partial<Record<Op, [size: number, method: string, extend: string]>> = {
  [Op.LB]: [1, 'load8', '(v << 24) >> 24'],
  [Op.LBU]: [1, 'load8', 'v & 0xff'],
  [Op.LH]: [2, 'load16', '(v << 16) >> 16'],
  [Op.LHU]: [2, 'load16', 'v & 0xffff'],
  [Op.LW]: [4, 'load32', 'v | 0'],
};
const STORES: Partial<Record<Op, [size: number, method: string]>> = {
  [Op.SB]: [1, 'store8'],
  [Op.SH]: [2, 'store16'],
  [Op.SW]: [4, 'store32'],
};

/** Leaves the block after `count` instructions of this pass (k counts earlier passes). */
const exit = (count: number, next: string) => `{ h.blockCount = k + ${count}; return ${next}; }`;
/** Placeholder for the block length in back edges, filled in when the block is complete. */
const LEN = '@LEN@';
/** A jump back to the block's start: run another pass if the budget allows one. */
const backEdge = (count: number, start: number) =>
  `{ k += ${count}; if (k + ${LEN} <= rem) continue; h.blockCount = k; return ${start}; }`;

/**
 * Compiles the block starting at `pc` from the decoded entries of `page`; null when the first
 * instructions cannot form a block worth compiling (fewer than two), undefined when that is only
 * because the code after `pc` has not been executed (decoded) yet, so it is worth trying later. The block is a trace: it
 * continues past conditional branches on their fall-through path (the taken side exits) and
 * through direct jumps within the page; a branch or jump back to its start loops inside the
 * block function while the instruction budget allows another full pass.
 */
export function compileBlock(
  page: Int32Array,
  pc: number,
  alignMask: number,
  code: HartCode,
): CompiledBlock | null | undefined {
  const lines: string[] = [];
  let undecoded = false;
  const start = pc | 0;
  let count = 0;
  let at = start;
  let ended = false;
  let loops = false;
  while (count < MAX_BLOCK && !ended) {
    const idx = at & 0xffe;
    if (at >>> 12 !== start >>> 12) break; // another page's code: another block
    const e = page[idx];
    if (e === 0) {
      undecoded = true; // not executed yet: the trace ends here for now
      break;
    }
    const long = (e & ENTRY_LONG) !== 0;
    if (long && idx === 0xffe) break; // straddles into the next page
    const op = (e & 0xff) as Op;
    const rd = (e >>> 8) & 31;
    const rs1 = (e >>> 13) & 31;
    const rs2 = (e >>> 18) & 31;
    const imm = page[idx + 1];
    const next = (at + (long ? 4 : 2)) | 0;
    const n = count + 1;
    const sub = (t: string) =>
      t
        .replace(/\$1/g, String(rs1))
        .replace(/\$2/g, String(rs2))
        .replace(/\$i/g, `(${imm})`)
        .replace(/\$u/g, String(imm >>> 0));
    const write = (expr: string) => (rd === 0 ? '' : `x[${rd}] = ${expr};`);
    let emitted = true;
    if (op === Op.NOP || op === Op.FENCE) {
      // retires without effect
    } else if (R_OPS[op] !== undefined) lines.push(write(sub(R_OPS[op]!)));
    else if (I_OPS[op] !== undefined) lines.push(write(sub(I_OPS[op]!)));
    else if (op === Op.LUI) lines.push(write(String(imm)));
    else if (op === Op.AUIPC) lines.push(write(String((at + imm) | 0)));
    else if (LOADS[op] !== undefined) {
      const [size, method, extend] = LOADS[op]!;
      const aligned = size === 1 ? 'true' : `(a & ${size - 1}) === 0`;
      const fault = `if (h.accessFailed) { h.accessFailed = false; h.raiseException(${Cause.LoadAccessFault}, h.faultAddress, ${at}); ${exit(n, 'h.pcValue')} }`;
      lines.push(
        `a = (x[${rs1}] + (${imm})) | 0;`,
        `if (${aligned}) { v = bus.${method}(a); if (bus.status !== 0) { h.accessFailed = true; h.faultAddress = a; } }`,
        `else v = f.loadSplit(h, a, ${size});`,
        fault,
        // mtime was read: read it again with the exact count (k + count steps into the block)
        `if (h.attention !== 0) { if ((h.attention & ${ATTENTION_RECOUNT}) !== 0) { v = f.reloadAtSteps(h, a, ${size}, k + ${count}); ${fault} } ${write(extend)} ${exit(n, String(next))} }`,
        write(extend),
      );
    } else if (STORES[op] !== undefined) {
      const [size, method] = STORES[op]!;
      const aligned = size === 1 ? 'true' : `(a & ${size - 1}) === 0`;
      // v = 1 when the store overwrote decoded code (maybe this block's): leave the block.
      lines.push(
        `a = (x[${rs1}] + (${imm})) | 0;`,
        `if (${aligned}) { bus.${method}(a, x[${rs2}]); if (bus.status !== 0) { h.accessFailed = true; h.faultAddress = a; v = 0; } else v = marked[a >>> 12] !== 0 && code.invalidate(a, ${size}) ? 1 : 0; }`,
        `else v = f.storeSplit(h, a, x[${rs2}], ${size}) ? 1 : 0;`,
        `if (h.accessFailed) { h.accessFailed = false; h.raiseException(${Cause.StoreAccessFault}, h.faultAddress, ${at}); ${exit(n, 'h.pcValue')} }`,
        `if (v !== 0 || h.attention !== 0) ${exit(n, String(next))}`,
      );
    } else if (op === Op.JAL) {
      const target = (at + imm) | 0;
      if ((target & alignMask) !== 0) break; // the interpreter raises the misaligned fetch
      lines.push(write(String(next)));
      if (target === start) {
        lines.push(backEdge(n, start));
        loops = true;
        ended = true;
      } else if (target >>> 12 === start >>> 12 && count + 1 < MAX_BLOCK) {
        // follow the jump: the trace continues at the target
        count = n;
        at = target;
        continue;
      } else {
        lines.push(exit(n, String(target)));
        ended = true;
      }
    } else if (op === Op.JALR) {
      lines.push(`a = (x[${rs1}] + (${imm})) & -2;`);
      if (alignMask !== 0) {
        lines.push(
          `if ((a & ${alignMask}) !== 0) { h.raiseException(${Cause.InstructionMisaligned}, a, ${at}); ${exit(n, 'h.pcValue')} }`,
        );
      }
      lines.push(write(String(next)), exit(n, 'a'));
      ended = true;
    } else if (BRANCHES[op] !== undefined) {
      const target = (at + imm) | 0;
      if ((target & alignMask) !== 0) break;
      if (target === start) {
        lines.push(`if (${sub(BRANCHES[op]!)}) ${backEdge(n, start)}`);
        loops = true;
      } else lines.push(`if (${sub(BRANCHES[op]!)}) ${exit(n, String(target))}`);
      // the trace goes on along the fall-through path
    } else emitted = false; // CSR, AMO, system, illegal, breakpoint: left to the interpreter
    if (!emitted) break;
    count = n;
    at = next;
  }
  if (count < 2) return undecoded ? undefined : null;
  if (!ended) lines.push(exit(count, String(at)));
  const statements = lines.filter(Boolean).join('\n').replace(/@LEN@/g, String(count));
  const inner = loops ? `for (;;) {\n${statements}\n}` : statements;
  const body = `return function block(x, h, bus, marked, rem) {\nlet a = 0, v = 0, k = 0;\n${inner}\n};`;
  const factory = new Function('f', 'code', body) as (f: Helpers, code: HartCode) => BlockFunction;
  return { length: count, run: factory(HELPERS, code) };
}
