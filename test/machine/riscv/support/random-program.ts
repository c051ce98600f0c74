/**
 * Random straight-line RV32IMAC programs for differential testing against QEMU: a prologue that
 * gives every register a random value, random ALU/M/C/load/store/AMO/CSR instructions and short
 * forward branches, then an epilogue that prints every register and a checksum of the data area
 * in hex on the virt board's UART (0x1000_0000) and spins. Runs unchanged on
 * `qemu-system-riscv32 -M virt -bios none`.
 */
import * as A from '../asm';

export const LOAD_ADDRESS = 0x8000_0000;
export const UART_THR = 0x1000_0000;
/** Lines the program prints: 31 registers and the checksum. */
export const OUTPUT_LINES = 32;
/** gp points here; random memory operands use [gp-2048, gp+1024), registers are saved above. */
export const DATA_GP = 0x8000_8800;

const { gp, ra, t0, t1, t2, t3, t4, t5, t6, a0, s0, s1, s2, s11 } = A;
const PASSES = 3;

type Rand = (n: number) => number;

function rng(seed: number): Rand {
  let s = seed >>> 0 || 1;
  return (n) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
}

/** Any register but x0, gp (the data pointer), s11 (the pass counter) and t4..t6 (the trap
 * handler's). */
const dest = (r: Rand) => {
  const v = 1 + r(25);
  return v >= 3 ? v + 1 : v;
};
const src = (r: Rand) => r(32);
const creg = (r: Rand) => 8 + r(8);
const imm12 = (r: Rand) => r(4096) - 2048;
const value32 = (r: Rand) => (r(0x10000) << 16) | r(0x10000);
/** A data-area offset from gp for an access of `size` bytes, misaligned 1 time in 4. */
const memOffset = (r: Rand, size: number) => {
  const aligned = r(Math.floor(3072 / size) - 1) * size - 2048;
  return size > 1 && r(4) === 0 ? aligned + 1 + r(size - 1) : aligned;
};

const R_OPS = [A.add, A.sub, A.sll, A.slt, A.sltu, A.xor, A.srl, A.sra, A.or, A.and,
  A.mul, A.mulh, A.mulhsu, A.mulhu, A.div, A.divu, A.rem, A.remu]; // prettier-ignore
const I_OPS = [A.addi, A.slti, A.sltiu, A.xori, A.ori, A.andi];
const SHIFT_OPS = [A.slli, A.srli, A.srai];
const LOADS = [
  [A.lb, 1],
  [A.lh, 2],
  [A.lw, 4],
  [A.lbu, 1],
  [A.lhu, 2],
] as const;
const STORES = [
  [A.sb, 1],
  [A.sh, 2],
  [A.sw, 4],
] as const;
const AMOS = [A.amoswap_w, A.amoadd_w, A.amoxor_w, A.amoand_w, A.amoor_w, A.amomin_w,
  A.amomax_w, A.amominu_w, A.amomaxu_w]; // prettier-ignore
const BRANCHES = [A.beq, A.bne, A.blt, A.bge, A.bltu, A.bgeu];

/** One random instruction (or a short group) appended to `p`. */
function randomInstruction(p: A.AsmProgram, r: Rand): void {
  switch (r(15)) {
    case 14: // a trap; the handler folds mcause/mtval/mepc into t5/t6 and skips the instruction
      switch (r(5)) {
        case 0:
          p.emit(A.ecall());
          break;
        case 1:
          p.emit(A.ebreak());
          break;
        case 2:
          p.emit(A.C(0x0000)); // the all-zero parcel
          break;
        case 3:
          p.emit(0x0000007b); // custom-3 opcode: illegal
          break;
        default:
          // A misaligned lr.w (load address misaligned). Misaligned AMOs are left out: QEMU 7.2
          // reports them as cause 4 where the ISA (and this core) says 6, Store/AMO misaligned.
          p.emit(A.addi(t4, gp, 1 + r(3)), A.lr_w(dest(r), t4));
          break;
      }
      break;
    case 0:
    case 1:
      p.emit(R_OPS[r(R_OPS.length)](dest(r), src(r), src(r)));
      break;
    case 2:
      p.emit(I_OPS[r(I_OPS.length)](dest(r), src(r), imm12(r)));
      break;
    case 3:
      p.emit(SHIFT_OPS[r(3)](dest(r), src(r), r(32)));
      break;
    case 4:
      p.emit(r(2) ? A.lui(dest(r), r(0x100000)) : A.auipc(dest(r), r(0x100000)));
      break;
    case 5: {
      const [op, size] = LOADS[r(LOADS.length)];
      p.emit(op(dest(r), gp, memOffset(r, size)));
      break;
    }
    case 6: {
      const [op, size] = STORES[r(STORES.length)];
      p.emit(op(src(r), gp, memOffset(r, size)));
      break;
    }
    case 7: // AMO on an aligned word at gp (rd may equal rs2)
      p.emit(AMOS[r(AMOS.length)](dest(r), src(r), gp));
      break;
    case 8: // lr/sc pair, sometimes to a different address (fails)
      p.emit(A.lr_w(dest(r), gp), A.addi(t3, gp, r(2) * 4), A.sc_w(dest(r), src(r), t3));
      break;
    case 9: {
      const taken = BRANCHES[r(BRANCHES.length)](src(r), src(r), 8);
      p.emit(taken, A.addi(dest(r), src(r), imm12(r)));
      break;
    }
    case 10: // CSR scratch traffic
      p.emit(A.csrrw(dest(r), 0x340, src(r)), A.csrrsi(dest(r), 0x340, r(32)));
      break;
    case 11: {
      const rd = dest(r);
      const cr = creg(r);
      const choices = [
        () => A.c_addi(rd, r(63) - 31 || 1),
        () => A.c_li(rd, r(64) - 32),
        () => A.c_lui(rd === 2 ? 1 : rd, r(63) - 31 || 1),
        () => A.c_srli(cr, r(32)),
        () => A.c_srai(cr, r(32)),
        () => A.c_andi(cr, r(64) - 32),
        () => A.c_slli(rd, r(32)),
        () => A.c_mv(rd, 1 + r(31)),
        () => A.c_add(rd, 1 + r(31)),
        () => [A.c_sub, A.c_xor, A.c_or, A.c_and][r(4)](cr, creg(r)),
      ];
      p.emit(A.C(choices[r(choices.length)]())); // dest() never picks gp
      break;
    }
    case 12: // c.beqz/c.bnez over one compressed instruction
      p.emit(A.C((r(2) ? A.c_beqz : A.c_bnez)(creg(r), 4)), A.C(A.c_li(dest(r), r(64) - 32)));
      break;
    default:
      p.emit(A.mul(dest(r), src(r), src(r)));
      break;
  }
}

/** Sends t1 to the UART (base in t3) once LSR.THRE says the holding register is free. */
function putc(p: A.AsmProgram, label: string): void {
  p.label(label);
  p.emit(A.lbu(t4, t3, 5), A.andi(t4, t4, 0x20));
  p.emitAt(4, (at) => A.beq(t4, 0, p.offset(label, at)));
  p.emit(A.sb(t1, t3, 0));
}

/** Builds one program from `seed` with `count` random instruction groups. */
export function randomProgram(seed: number, count: number): Uint8Array {
  const r = rng(seed);
  const p = new A.AsmProgram(LOAD_ADDRESS);
  p.emit(...A.li(gp, DATA_GP));
  p.emitAt(4, () => A.lui(t4, (p.address('trap') + 0x800) >>> 12));
  p.emitAt(4, () => A.addi(t4, t4, (p.address('trap') << 20) >> 20));
  p.emit(A.csrw(0x305, t4));
  for (let i = 1; i < 32; i++) if (i !== gp) p.emit(...A.li(i, value32(r)));
  // Random initial contents of the data area.
  for (let off = -2048; off < 1024; off += 64) {
    p.emit(...A.li(t0, value32(r)), A.sw(t0, gp, off));
  }
  // The random body runs PASSES times, so later passes execute code the first one decoded (and
  // a block compiler compiles).
  p.emit(A.addi(s11, 0, PASSES));
  p.label('body');
  for (let i = 0; i < count; i++) randomInstruction(p, r);
  p.emit(A.addi(s11, s11, -1), A.beq(s11, 0, 8));
  p.emitAt(4, (at) => A.jal(0, p.offset('body', at)));
  // Epilogue: save x1..x31 above the data area, print them, print the checksum, exit.
  for (let i = 1; i < 32; i++) p.emit(A.sw(i, gp, 1024 + 4 * i));
  p.emit(A.addi(s0, gp, 1028), A.addi(s1, 0, 31));
  p.label('reg');
  p.emit(A.lw(a0, s0, 0));
  p.emitAt(4, (at) => A.jal(ra, p.offset('hex', at)));
  p.emit(A.addi(s0, s0, 4), A.addi(s1, s1, -1));
  p.emitAt(4, (at) => A.bne(s1, 0, p.offset('reg', at)));
  p.emit(A.addi(s0, gp, -2048), A.addi(s2, gp, 1024), A.addi(a0, 0, 0));
  p.label('sum');
  p.emit(A.lw(t0, s0, 0), A.slli(t1, a0, 5), A.srli(t2, a0, 27), A.or(a0, t1, t2));
  p.emit(A.xor(a0, a0, t0), A.addi(s0, s0, 4));
  p.emitAt(4, (at) => A.bne(s0, s2, p.offset('sum', at)));
  p.emitAt(4, (at) => A.jal(ra, p.offset('hex', at)));
  // Then spin: the harness stops once it has read every line (QEMU's finisher exit can race
  // with its serial output, so the program does not exit by itself).
  p.label('spin');
  p.emitAt(4, (at) => A.jal(0, p.offset('spin', at)));
  // hex: print a0 as 8 hex digits and a newline
  p.label('hex');
  p.emit(A.addi(t0, 0, 8), A.lui(t3, UART_THR >>> 12));
  p.label('digit');
  p.emit(A.srli(t1, a0, 28), A.addi(t2, t1, -10));
  p.emitAt(4, (at) => A.blt(t2, 0, p.offset('decimal', at)));
  p.emit(A.addi(t1, t1, 0x61 - 0x30 - 10));
  p.label('decimal');
  p.emit(A.addi(t1, t1, 0x30));
  putc(p, 'thre1');
  p.emit(A.slli(a0, a0, 4), A.addi(t0, t0, -1));
  p.emitAt(4, (at) => A.bne(t0, 0, p.offset('digit', at)));
  p.emit(A.addi(t1, 0, 10));
  putc(p, 'thre2');
  p.emit(A.jalr(0, ra, 0));
  // trap handler (mtvec, direct mode: 4-byte aligned)
  p.align(4).label('trap');
  p.emit(A.csrr(t4, 0x342), A.xor(t5, t5, t4), A.slli(t4, t5, 3), A.add(t5, t5, t4));
  p.emit(A.csrr(t4, 0x343), A.xor(t6, t6, t4), A.slli(t4, t6, 1), A.add(t6, t6, t4));
  p.emit(A.csrr(t4, 0x341), A.xor(t6, t6, t4));
  p.emit(A.lhu(t4, t4, 0), A.andi(t4, t4, 3), A.addi(t4, t4, -3));
  p.emitAt(4, (at) => A.beq(t4, 0, p.offset('long', at)));
  p.emit(A.csrr(t4, 0x341), A.addi(t4, t4, 2), A.csrw(0x341, t4), A.mret());
  p.label('long');
  p.emit(A.csrr(t4, 0x341), A.addi(t4, t4, 4), A.csrw(0x341, t4), A.mret());
  return p.assemble();
}
