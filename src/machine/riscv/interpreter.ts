import type { StopReason } from '../cpu';
import { div, divu, mulh, mulhsu, mulhu, rem, remu } from './alu';
import {
  ATTENTION_IRQ,
  ATTENTION_RECOUNT,
  ATTENTION_RELOAD,
  ATTENTION_STOP,
  Cause,
  EbreakAction,
} from './constants';
import type { HartCore } from './hart-core';
import { Op } from './ops';
import { execAmo, execCsr, loadSplit, storeSplit } from './slow-paths';

/**
 * The interpreter's hot loop: executes up to `budget` instructions of `h` from the decode cache.
 * One function with a switch on a small integer op, registers in an Int32Array, pc in a local;
 * everything rare (CSRs, AMOs, misaligned accesses, traps) is a call out. Returns why it
 * stopped and leaves the executed step count in `h.lastExecuted`.
 */
export function runInterpreter<Hart extends HartCore<Hart>>(h: Hart, budget: number): StopReason {
  const x = h.x;
  const bus = h.bus;
  const code = h.code;
  const marked = code.marked;
  const scratch = code.scratch;
  let pc = h.pcValue;
  let n = 0;
  // The current code page and the previous one: calls and returns often alternate between two.
  let pageNum = -1;
  let page: Int32Array = scratch;
  let otherNum = -1;
  let other: Int32Array = scratch;
  // Compiled blocks of those two pages (jit.ts) and the visit threshold for compiling one.
  let table = code.noBlocks;
  let otherTable = table;
  const threshold = code.jitThreshold;
  // With misa.C cleared (IALIGN=32), jump and branch targets must be 4-byte aligned.
  let alignMask = h.csr.compressedEnabled ? 0 : 2;
  let reason: StopReason = 'budget';
  // A local copy of h.attention, refreshed after every instruction that can change it (memory
  // accesses, which may reach devices, and system instructions); ALU and branch instructions
  // cannot, so most steps test a register instead of loading a field.
  let att = h.attention;

  loop: while (n < budget) {
    if (att !== 0) {
      att = h.attention;
      if (att & ATTENTION_STOP) break;
      // a count read outside a block's load (a device write from a block) needs no reload
      if (att & ATTENTION_RECOUNT) h.attention &= ~ATTENTION_RECOUNT;
      if (att & ATTENTION_RELOAD) {
        h.attention &= ~ATTENTION_RELOAD;
        code.revalidate();
        pageNum = otherNum = -1;
        alignMask = h.csr.compressedEnabled ? 0 : 2;
      }
      if (att & ATTENTION_IRQ) {
        h.attention &= ~ATTENTION_IRQ;
        h.pcValue = pc;
        if (h.takeInterrupt()) pc = h.pcValue;
      }
      att = h.attention;
    }
    if (pc >>> 12 !== pageNum) {
      const swapped = page;
      const swappedTable = table;
      if (pc >>> 12 === otherNum) {
        page = other;
        table = otherTable;
        otherNum = pageNum;
      } else {
        page = code.pageFor(pc);
        table = code.blocksFor(pc);
        otherNum = pageNum;
      }
      other = swapped;
      otherTable = swappedTable;
      pageNum = pc >>> 12;
    }
    const idx = pc & 0xffe;
    const block = table.blocks[idx >>> 1];
    if (block !== undefined) {
      if (block !== null && n + block.length <= budget) {
        h.publishedSteps = -1 - n; // see RiscvHart.batchSteps
        pc = block.run(x, h, bus, marked, budget - n);
        n += h.blockCount;
        att = h.attention;
        continue;
      }
    } else if (table.heat[idx >>> 1]++ >= threshold) {
      code.compile(table, page, pc, alignMask);
    }
    let e = page[idx];
    if (e === 0) {
      e = code.fill(pc, page, idx);
      att = h.attention; // a fetch from a device may have side effects
      if (e === 0) {
        n++; // the fetch faulted and the access-fault trap was entered
        pc = h.pcValue;
        continue;
      }
      if (page === scratch) page[idx] = 0;
    }
    const imm = page[idx + 1];
    const rd = (e >>> 8) & 31;
    const rs1 = (e >>> 13) & 31;
    const rs2 = (e >>> 18) & 31;
    let npc = (pc + 2 + ((e >>> 22) & 2)) | 0;
    n++;
    switch (e & 0xff) {
      case Op.NOP:
      case Op.FENCE:
        break;
      case Op.ADDI:
        x[rd] = x[rs1] + imm;
        break;
      case Op.SLTI:
        x[rd] = x[rs1] < imm ? 1 : 0;
        break;
      case Op.SLTIU:
        x[rd] = x[rs1] >>> 0 < imm >>> 0 ? 1 : 0;
        break;
      case Op.XORI:
        x[rd] = x[rs1] ^ imm;
        break;
      case Op.ORI:
        x[rd] = x[rs1] | imm;
        break;
      case Op.ANDI:
        x[rd] = x[rs1] & imm;
        break;
      case Op.SLLI:
        x[rd] = x[rs1] << imm;
        break;
      case Op.SRLI:
        x[rd] = x[rs1] >>> imm;
        break;
      case Op.SRAI:
        x[rd] = x[rs1] >> imm;
        break;
      case Op.ADD:
        x[rd] = x[rs1] + x[rs2];
        break;
      case Op.SUB:
        x[rd] = x[rs1] - x[rs2];
        break;
      case Op.SLL:
        x[rd] = x[rs1] << x[rs2];
        break;
      case Op.SLT:
        x[rd] = x[rs1] < x[rs2] ? 1 : 0;
        break;
      case Op.SLTU:
        x[rd] = x[rs1] >>> 0 < x[rs2] >>> 0 ? 1 : 0;
        break;
      case Op.XOR:
        x[rd] = x[rs1] ^ x[rs2];
        break;
      case Op.SRL:
        x[rd] = x[rs1] >>> x[rs2];
        break;
      case Op.SRA:
        x[rd] = x[rs1] >> x[rs2];
        break;
      case Op.OR:
        x[rd] = x[rs1] | x[rs2];
        break;
      case Op.AND:
        x[rd] = x[rs1] & x[rs2];
        break;
      case Op.LUI:
        x[rd] = imm;
        break;
      case Op.AUIPC:
        x[rd] = pc + imm;
        break;
      case Op.JAL: {
        const target = (pc + imm) | 0;
        if ((target & alignMask) !== 0) {
          h.raiseException(Cause.InstructionMisaligned, target, pc);
          att = h.attention; // the trap hook may have asked to stop
          pc = h.pcValue;
          continue;
        }
        x[rd] = npc;
        x[0] = 0;
        npc = target;
        break;
      }
      case Op.JALR: {
        const target = (x[rs1] + imm) & ~1;
        if ((target & alignMask) !== 0) {
          h.raiseException(Cause.InstructionMisaligned, target, pc);
          att = h.attention; // the trap hook may have asked to stop
          pc = h.pcValue;
          continue;
        }
        x[rd] = npc;
        x[0] = 0;
        npc = target;
        break;
      }
      case Op.BEQ:
        if (x[rs1] === x[rs2]) {
          npc = (pc + imm) | 0;
          if ((npc & alignMask) !== 0) {
            h.raiseException(Cause.InstructionMisaligned, npc, pc);
            att = h.attention; // the trap hook may have asked to stop
            pc = h.pcValue;
            continue;
          }
        }
        break;
      case Op.BNE:
        if (x[rs1] !== x[rs2]) {
          npc = (pc + imm) | 0;
          if ((npc & alignMask) !== 0) {
            h.raiseException(Cause.InstructionMisaligned, npc, pc);
            att = h.attention; // the trap hook may have asked to stop
            pc = h.pcValue;
            continue;
          }
        }
        break;
      case Op.BLT:
        if (x[rs1] < x[rs2]) {
          npc = (pc + imm) | 0;
          if ((npc & alignMask) !== 0) {
            h.raiseException(Cause.InstructionMisaligned, npc, pc);
            att = h.attention; // the trap hook may have asked to stop
            pc = h.pcValue;
            continue;
          }
        }
        break;
      case Op.BGE:
        if (x[rs1] >= x[rs2]) {
          npc = (pc + imm) | 0;
          if ((npc & alignMask) !== 0) {
            h.raiseException(Cause.InstructionMisaligned, npc, pc);
            att = h.attention; // the trap hook may have asked to stop
            pc = h.pcValue;
            continue;
          }
        }
        break;
      case Op.BLTU:
        if (x[rs1] >>> 0 < x[rs2] >>> 0) {
          npc = (pc + imm) | 0;
          if ((npc & alignMask) !== 0) {
            h.raiseException(Cause.InstructionMisaligned, npc, pc);
            att = h.attention; // the trap hook may have asked to stop
            pc = h.pcValue;
            continue;
          }
        }
        break;
      case Op.BGEU:
        if (x[rs1] >>> 0 >= x[rs2] >>> 0) {
          npc = (pc + imm) | 0;
          if ((npc & alignMask) !== 0) {
            h.raiseException(Cause.InstructionMisaligned, npc, pc);
            att = h.attention; // the trap hook may have asked to stop
            pc = h.pcValue;
            continue;
          }
        }
        break;
      case Op.LB:
      case Op.LBU: {
        const a = (x[rs1] + imm) | 0;
        h.publishedSteps = n - 1; // a device read (mtime) sees the instructions before this one
        const v = bus.load8(a);
        att = h.attention;
        if (bus.status !== 0) {
          h.raiseException(Cause.LoadAccessFault, a, pc);
          att = h.attention; // the trap hook may have asked to stop
          pc = h.pcValue;
          continue;
        }
        x[rd] = (e & 0xff) === Op.LB ? (v << 24) >> 24 : v & 0xff;
        x[0] = 0;
        break;
      }
      case Op.LH:
      case Op.LHU: {
        const a = (x[rs1] + imm) | 0;
        let v: number;
        h.publishedSteps = n - 1;
        if ((a & 1) === 0) {
          v = bus.load16(a);
          if (bus.status !== 0) {
            h.accessFailed = true;
            h.faultAddress = a;
          }
        } else v = loadSplit(h, a, 2);
        att = h.attention;
        if (h.accessFailed) {
          h.accessFailed = false;
          h.raiseException(Cause.LoadAccessFault, h.faultAddress, pc);
          att = h.attention; // the trap hook may have asked to stop
          pc = h.pcValue;
          continue;
        }
        x[rd] = (e & 0xff) === Op.LH ? (v << 16) >> 16 : v & 0xffff;
        x[0] = 0;
        break;
      }
      case Op.LW: {
        const a = (x[rs1] + imm) | 0;
        let v: number;
        h.publishedSteps = n - 1;
        if ((a & 3) === 0) {
          v = bus.load32(a);
          if (bus.status !== 0) {
            h.accessFailed = true;
            h.faultAddress = a;
          }
        } else v = loadSplit(h, a, 4);
        att = h.attention;
        if (h.accessFailed) {
          h.accessFailed = false;
          h.raiseException(Cause.LoadAccessFault, h.faultAddress, pc);
          att = h.attention; // the trap hook may have asked to stop
          pc = h.pcValue;
          continue;
        }
        x[rd] = v;
        x[0] = 0;
        break;
      }
      case Op.SB: {
        const a = (x[rs1] + imm) | 0;
        bus.store8(a, x[rs2]);
        att = h.attention;
        if (bus.status !== 0) {
          h.raiseException(Cause.StoreAccessFault, a, pc);
          att = h.attention; // the trap hook may have asked to stop
          pc = h.pcValue;
          continue;
        }
        if (marked[a >>> 12] !== 0) code.invalidate(a, 1);
        break;
      }
      case Op.SH:
      case Op.SW: {
        const a = (x[rs1] + imm) | 0;
        const size = (e & 0xff) === Op.SW ? 4 : 2;
        if ((a & (size - 1)) === 0) {
          if (size === 4) bus.store32(a, x[rs2]);
          else bus.store16(a, x[rs2]);
          if (bus.status !== 0) {
            h.accessFailed = true;
            h.faultAddress = a;
          } else if (marked[a >>> 12] !== 0) code.invalidate(a, size);
        } else storeSplit(h, a, x[rs2], size);
        att = h.attention;
        if (h.accessFailed) {
          h.accessFailed = false;
          h.raiseException(Cause.StoreAccessFault, h.faultAddress, pc);
          att = h.attention; // the trap hook may have asked to stop
          pc = h.pcValue;
          continue;
        }
        break;
      }
      case Op.MUL:
        x[rd] = Math.imul(x[rs1], x[rs2]);
        break;
      case Op.MULH:
        x[rd] = mulh(x[rs1], x[rs2]);
        break;
      case Op.MULHSU:
        x[rd] = mulhsu(x[rs1], x[rs2]);
        break;
      case Op.MULHU:
        x[rd] = mulhu(x[rs1], x[rs2]);
        break;
      case Op.DIV:
        x[rd] = div(x[rs1], x[rs2]);
        break;
      case Op.DIVU:
        x[rd] = divu(x[rs1], x[rs2]);
        break;
      case Op.REM:
        x[rd] = rem(x[rs1], x[rs2]);
        break;
      case Op.REMU:
        x[rd] = remu(x[rs1], x[rs2]);
        break;
      case Op.LR_W:
      case Op.SC_W:
      case Op.AMOSWAP_W:
      case Op.AMOADD_W:
      case Op.AMOXOR_W:
      case Op.AMOAND_W:
      case Op.AMOOR_W:
      case Op.AMOMIN_W:
      case Op.AMOMAX_W:
      case Op.AMOMINU_W:
      case Op.AMOMAXU_W:
        if (!execAmo(h, e & 0xff, rd, rs1, rs2, pc)) {
          att = h.attention;
          pc = h.pcValue;
          continue;
        }
        att = h.attention;
        break;
      case Op.CSRRW:
      case Op.CSRRS:
      case Op.CSRRC:
      case Op.CSRRWI:
      case Op.CSRRSI:
      case Op.CSRRCI:
        h.pcValue = pc;
        if (!execCsr(h, e & 0xff, rd, rs1, imm, n, npc)) {
          att = h.attention;
          pc = h.pcValue;
          continue;
        }
        att = h.attention;
        break;
      case Op.ECALL:
        h.raiseException(Cause.EcallFromM, 0, pc);
        att = h.attention; // the trap hook may have asked to stop
        pc = h.pcValue;
        continue;
      case Op.EBREAK: {
        const hook = h.onEbreak;
        let action = EbreakAction.Trap;
        if (hook !== undefined) {
          h.pcValue = pc;
          action = hook(h, pc >>> 0, (npc - pc) as 2 | 4);
          att = h.attention;
        }
        if (action === EbreakAction.Stop) {
          n--;
          reason = 'ebreak';
          break loop;
        }
        if (action === EbreakAction.Resume) break;
        // mtval 0, as QEMU 7.2 reports it (the spec allows 0 or the pc).
        h.raiseException(Cause.Breakpoint, 0, pc);
        att = h.attention; // the trap hook may have asked to stop
        pc = h.pcValue;
        continue;
      }
      case Op.MRET:
        h.mret();
        att = h.attention;
        pc = h.pcValue;
        continue;
      case Op.WFI:
        if ((h.csr.mip & h.csr.mie) === 0) {
          h.waiting = true;
          pc = npc;
          reason = 'wfi';
          break loop;
        }
        break;
      case Op.FENCE_I:
        code.invalidateAll();
        att = h.attention;
        break;
      case Op.BREAKPOINT:
        n--;
        reason = 'breakpoint';
        break loop;
      default:
        // Op.ILLEGAL: imm holds the raw encoding for mtval.
        h.raiseException(Cause.IllegalInstruction, imm, pc);
        att = h.attention; // the trap hook may have asked to stop
        pc = h.pcValue;
        continue;
    }
    pc = npc;
  }
  h.pcValue = pc;
  h.lastExecuted = n;
  return reason;
}
