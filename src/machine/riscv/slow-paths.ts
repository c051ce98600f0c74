import { ATTENTION_RECOUNT, Cause } from './constants';
import type { HartCore } from './hart-core';
import { Op } from './ops';

/**
 * The rarer instruction paths, called out of the interpreter loop: misaligned loads and stores
 * (split as QEMU 7.2's TCG softmmu helpers split them), A-extension atomics, and Zicsr.
 */

/**
 * Loads `size` (2 or 4) bytes at a misaligned address as QEMU 7.2's load_helper does
 * (accel/tcg/cputlb.c, `do_unaligned_access`): two naturally aligned loads of the full size, at
 * the address rounded down and the next one, combined little-endian. Plain RAM gives the same
 * bytes as one unaligned load; a device sees two accesses of its registers' own size (the UART
 * answers `lhu 0x1000_0005` with MCR/MSR, not LSR/MSR), and the piece that fails decides mtval
 * (`lw 0xffe` faults at 0xffc, `lw 0x87ff_fffe` at 0x8800_0000). Sets h.accessFailed and
 * h.faultAddress on a fault.
 */
export function loadSplit(h: HartCore, address: number, size: number): number {
  const bus = h.bus;
  const first = address & -size;
  const second = (first + size) | 0;
  const r1 = size === 2 ? bus.load16(first) : bus.load32(first);
  if (bus.status !== 0) {
    h.accessFailed = true;
    h.faultAddress = first;
    return 0;
  }
  const r2 = size === 2 ? bus.load16(second) : bus.load32(second);
  if (bus.status !== 0) {
    h.accessFailed = true;
    h.faultAddress = second;
    return 0;
  }
  const shift = (address & (size - 1)) * 8;
  if (size === 2) return (((r1 & 0xffff) >>> shift) | (r2 << (16 - shift))) & 0xffff;
  return (r1 >>> shift) | (r2 << (32 - shift));
}

/**
 * Redoes a compiled block's load that read the instruction count (mtime) while only the count at
 * the block's entry was known: publishes the exact count, `stepsInBlock` steps after that entry
 * (the instructions before the load), and loads again. Only the CLINT's side-effect-free time
 * registers ask for this. Sets h.accessFailed on a fault.
 */
export function reloadAtSteps(
  h: HartCore,
  address: number,
  size: number,
  stepsInBlock: number,
): number {
  h.attention &= ~ATTENTION_RECOUNT;
  const published = h.publishedSteps;
  if (published < 0) h.publishedSteps = -1 - published + stepsInBlock;
  if ((address & (size - 1)) !== 0) return loadSplit(h, address, size);
  const bus = h.bus;
  const v =
    size === 1 ? bus.load8(address) : size === 2 ? bus.load16(address) : bus.load32(address);
  if (bus.status !== 0) {
    h.accessFailed = true;
    h.faultAddress = address;
  }
  return v;
}

/**
 * Stores `size` bytes at a misaligned address as QEMU 7.2's store_helper_unaligned does: one
 * byte at a time, in increasing address order (so a device whose registers take only wider
 * accesses refuses the first byte). A fault on a later byte leaves the earlier bytes written
 * (`sw 0x1000_0007` writes the UART's SCR, then faults at 0x1000_0008) and sets h.accessFailed
 * and h.faultAddress (that byte's address, QEMU's mtval). Returns whether decoded code was
 * overwritten.
 */
export function storeSplit(h: HartCore, address: number, value: number, size: number): boolean {
  const bus = h.bus;
  for (let i = 0; i < size; i++) {
    const a = (address + i) | 0;
    bus.store8(a, value >>> (8 * i));
    if (bus.status !== 0) {
      h.accessFailed = true;
      h.faultAddress = a;
      break;
    }
  }
  const marked = h.code.marked;
  if (marked[address >>> 12] !== 0 || marked[((address + size - 1) >>> 12) & 0xfffff] !== 0) {
    return h.code.invalidate(address, size);
  }
  return false;
}

/** Executes LR.W, SC.W or an AMO. Returns false when it trapped. */
export function execAmo(
  h: HartCore,
  op: number,
  rd: number,
  rs1: number,
  rs2: number,
  pc: number,
): boolean {
  const x = h.x;
  const bus = h.bus;
  const a = x[rs1];
  if ((a & 3) !== 0) {
    h.raiseException(op === Op.LR_W ? Cause.LoadMisaligned : Cause.StoreMisaligned, a, pc);
    return false;
  }
  if (op === Op.LR_W) {
    const v = bus.load32(a) | 0;
    if (bus.status !== 0) {
      h.raiseException(Cause.LoadAccessFault, a, pc);
      return false;
    }
    h.reservationValid = true;
    h.reservationAddress = a;
    x[rd] = v;
    x[0] = 0;
    return true;
  }
  if (op === Op.SC_W) {
    const reserved = h.reservationValid && h.reservationAddress === a;
    h.reservationValid = false;
    if (reserved) {
      bus.store32(a, x[rs2]);
      if (bus.status !== 0) {
        h.raiseException(Cause.StoreAccessFault, a, pc);
        return false;
      }
      if (h.code.marked[a >>> 12] !== 0) h.code.invalidate(a, 4);
    }
    x[rd] = reserved ? 0 : 1;
    x[0] = 0;
    return true;
  }
  // AMOs report faults of their load part as store/AMO access faults (cause 7).
  const old = bus.load32(a) | 0;
  if (bus.status !== 0) {
    h.raiseException(Cause.StoreAccessFault, a, pc);
    return false;
  }
  const src = x[rs2];
  let result: number;
  switch (op) {
    case Op.AMOSWAP_W:
      result = src;
      break;
    case Op.AMOADD_W:
      result = (old + src) | 0;
      break;
    case Op.AMOXOR_W:
      result = old ^ src;
      break;
    case Op.AMOAND_W:
      result = old & src;
      break;
    case Op.AMOOR_W:
      result = old | src;
      break;
    case Op.AMOMIN_W:
      result = Math.min(old, src);
      break;
    case Op.AMOMAX_W:
      result = Math.max(old, src);
      break;
    case Op.AMOMINU_W:
      result = old >>> 0 < src >>> 0 ? old : src;
      break;
    default: // AMOMAXU_W
      result = old >>> 0 > src >>> 0 ? old : src;
      break;
  }
  bus.store32(a, result);
  if (bus.status !== 0) {
    h.raiseException(Cause.StoreAccessFault, a, pc);
    return false;
  }
  if (h.code.marked[a >>> 12] !== 0) h.code.invalidate(a, 4);
  x[rd] = old;
  x[0] = 0;
  return true;
}

const CSR_FUNCT3: Record<number, number> = {
  [Op.CSRRW]: 1,
  [Op.CSRRS]: 2,
  [Op.CSRRC]: 3,
  [Op.CSRRWI]: 5,
  [Op.CSRRSI]: 6,
  [Op.CSRRCI]: 7,
};

/**
 * Executes a Zicsr instruction; `rs1` is the uimm for the immediate forms, `steps` the batch
 * step count including this instruction, `nextPc` the address after it. Returns false when it
 * trapped (unknown CSR, or a write to a read-only one).
 */
export function execCsr(
  h: HartCore,
  op: number,
  rd: number,
  rs1: number,
  csrNumber: number,
  steps: number,
  nextPc: number,
): boolean {
  // Counters read by this instruction show every earlier instruction, not this one.
  h.accountTo(steps - 1);
  const csr = h.csr;
  const swap = op === Op.CSRRW || op === Op.CSRRWI;
  // csrrs/csrrc with x0 (or uimm 0) do not write, so they may read read-only CSRs.
  const writes = swap || rs1 !== 0;
  if (!csr.exists(csrNumber) || (writes && csrNumber >>> 10 === 3)) {
    const raw = (csrNumber << 20) | (rs1 << 15) | (CSR_FUNCT3[op] << 12) | (rd << 7) | 0x73;
    h.raiseException(Cause.IllegalInstruction, raw, h.pcValue);
    return false;
  }
  const src = op >= Op.CSRRWI ? rs1 : h.x[rs1];
  // csrrw with rd = x0 must not read the CSR (no read side effects).
  const old = swap && rd === 0 ? 0 : csr.read(csrNumber)!;
  if (writes) {
    const value = swap ? src : op === Op.CSRRS || op === Op.CSRRSI ? old | src : old & ~src;
    if (csr.write(csrNumber, value, nextPc)) h.code.invalidateAll();
  }
  if (rd !== 0) h.x[rd] = old;
  return true;
}
