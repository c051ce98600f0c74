/**
 * Machine-mode control and status registers of an RV32IMAC hart without S- or U-mode
 * (privileged spec 1.12). Every implemented CSR is listed in CSR_NUMBERS; any other number is
 * "unimplemented" and the hart raises illegal instruction on access. Writes to read-only CSRs
 * (number bits 11:10 = 3) also raise illegal instruction; that check lives in the hart.
 */

export const CSR = {
  // Unprivileged counters (read-only shadows)
  cycle: 0xc00,
  time: 0xc01,
  instret: 0xc02,
  cycleh: 0xc80,
  timeh: 0xc81,
  instreth: 0xc82,
  // Machine information (read-only)
  mvendorid: 0xf11,
  marchid: 0xf12,
  mimpid: 0xf13,
  mhartid: 0xf14,
  mconfigptr: 0xf15,
  // Machine trap setup
  mstatus: 0x300,
  misa: 0x301,
  mie: 0x304,
  mtvec: 0x305,
  mcounteren: 0x306,
  mstatush: 0x310,
  mcountinhibit: 0x320,
  // Machine trap handling
  mscratch: 0x340,
  mepc: 0x341,
  mcause: 0x342,
  mtval: 0x343,
  mip: 0x344,
  // Machine counters
  mcycle: 0xb00,
  minstret: 0xb02,
  mcycleh: 0xb80,
  minstreth: 0xb82,
  // Debug/trace triggers (none implemented: tselect reads 0, tdata1 type 0)
  tselect: 0x7a0,
  tdata1: 0x7a1,
  tdata2: 0x7a2,
  tdata3: 0x7a3,
  tinfo: 0x7a4,
} as const;

export const MSTATUS_MIE = 1 << 3;
export const MSTATUS_MPIE = 1 << 7;
export const MSTATUS_MPP = 3 << 11;

/** Interrupt numbers (mip/mie bit positions and mcause codes). */
export const IRQ_MSI = 3;
export const IRQ_MTI = 7;
export const IRQ_MEI = 11;
const MIE_WRITABLE = (1 << IRQ_MSI) | (1 << IRQ_MTI) | (1 << IRQ_MEI);

/** misa for RV32IMAC: MXL=1 (32-bit) and extensions A, C, I, M. */
export const MISA_RV32IMAC = 0x40001105;
const MISA_C = 1 << 2;

const MCOUNTINHIBIT_CY = 1 << 0;
const MCOUNTINHIBIT_IR = 1 << 2;

const TWO_32 = 0x1_0000_0000;

/** Zero-reading, write-ignoring (WARL 0) CSR ranges the spec requires to exist. */
function isHardwiredZero(n: number): boolean {
  return (
    (n >= 0xb03 && n <= 0xb1f) || // mhpmcounter3..31
    (n >= 0xb83 && n <= 0xb9f) || // mhpmcounter3h..31h
    (n >= 0xc03 && n <= 0xc1f) || // hpmcounter3..31
    (n >= 0xc83 && n <= 0xc9f) || // hpmcounter3h..31h
    (n >= 0x323 && n <= 0x33f) || // mhpmevent3..31
    (n >= 0x3a0 && n <= 0x3af) || // pmpcfg0..15: no PMP entries (all fields WARL zero)
    (n >= 0x3b0 && n <= 0x3ef) // pmpaddr0..63
  );
}

/** CSR numbers that exist on this hart, in the order a register view lists them. */
export const CSR_NUMBERS: readonly number[] = Object.values(CSR);

export class CsrFile {
  mstatus = MSTATUS_MPP;
  mie = 0;
  /** Interrupt lines driven by devices (CLINT, PLIC): the mip value. */
  mip = 0;
  mtvec = 0;
  mscratch = 0;
  mepc = 0;
  mcause = 0;
  mtval = 0;
  mcountinhibit = 0;
  compressedEnabled = true;
  cycleLo = 0;
  cycleHi = 0;
  instretLo = 0;
  instretHi = 0;
  /** Steps to leave out of the next counter update (the write of a counter, exceptions). */
  cycleSkip = 0;
  instretSkip = 0;

  constructor(
    readonly hartId: number,
    /** Source of the `time` CSR (the CLINT's mtime); defaults to mcycle when absent. */
    public readTime: (() => number) | undefined,
    /** Called when mie, mip or mstatus.MIE change (an interrupt may have become deliverable). */
    private readonly onInterruptState: () => void,
  ) {}

  reset(): void {
    this.mstatus = MSTATUS_MPP;
    this.mie = 0;
    this.mtvec = 0;
    this.mscratch = 0;
    this.mepc = 0;
    this.mcause = 0;
    this.mtval = 0;
    this.mcountinhibit = 0;
    this.compressedEnabled = true;
    this.cycleLo = this.cycleHi = this.instretLo = this.instretHi = 0;
    this.cycleSkip = this.instretSkip = 0;
  }

  /** Adds `steps` executed steps to mcycle/minstret, honouring mcountinhibit and skips. */
  account(steps: number): void {
    if (steps <= 0) return;
    const cycles = steps - this.cycleSkip;
    const retired = steps - this.instretSkip;
    this.cycleSkip = this.instretSkip = 0;
    if ((this.mcountinhibit & MCOUNTINHIBIT_CY) === 0 && cycles > 0) {
      const lo = this.cycleLo + cycles;
      this.cycleLo = lo % TWO_32;
      this.cycleHi = (this.cycleHi + Math.floor(lo / TWO_32)) % TWO_32;
    }
    if ((this.mcountinhibit & MCOUNTINHIBIT_IR) === 0 && retired > 0) {
      const lo = this.instretLo + retired;
      this.instretLo = lo % TWO_32;
      this.instretHi = (this.instretHi + Math.floor(lo / TWO_32)) % TWO_32;
    }
  }

  exists(n: number): boolean {
    return CSR_NUMBERS.includes(n) || isHardwiredZero(n);
  }

  /** The CSR's value as an unsigned number, or undefined when the CSR does not exist. */
  read(n: number): number | undefined {
    switch (n) {
      case CSR.mstatus:
        return this.mstatus >>> 0;
      case CSR.misa:
        return (this.compressedEnabled ? MISA_RV32IMAC : MISA_RV32IMAC & ~MISA_C) >>> 0;
      case CSR.mie:
        return this.mie;
      case CSR.mip:
        return this.mip;
      case CSR.mtvec:
        return this.mtvec >>> 0;
      case CSR.mscratch:
        return this.mscratch >>> 0;
      case CSR.mepc:
        // With IALIGN=32 (C disabled) bit 1 reads as zero.
        return (this.mepc & (this.compressedEnabled ? ~1 : ~3)) >>> 0;
      case CSR.mcause:
        return this.mcause >>> 0;
      case CSR.mtval:
        return this.mtval >>> 0;
      case CSR.mcountinhibit:
        return this.mcountinhibit;
      case CSR.mcycle:
      case CSR.cycle:
        return this.cycleLo;
      case CSR.mcycleh:
      case CSR.cycleh:
        return this.cycleHi;
      case CSR.minstret:
      case CSR.instret:
        return this.instretLo;
      case CSR.minstreth:
      case CSR.instreth:
        return this.instretHi;
      case CSR.time:
        return this.time() % TWO_32;
      case CSR.timeh:
        return Math.floor(this.time() / TWO_32) % TWO_32;
      case CSR.mhartid:
        return this.hartId >>> 0;
      case CSR.tinfo:
        return 1; // only trigger type 0 ("none") is supported
      case CSR.mvendorid:
      case CSR.marchid:
      case CSR.mimpid:
      case CSR.mconfigptr:
      case CSR.mstatush:
      case CSR.mcounteren:
      case CSR.tselect:
      case CSR.tdata1:
      case CSR.tdata2:
      case CSR.tdata3:
        return 0;
      default:
        return isHardwiredZero(n) ? 0 : undefined;
    }
  }

  /**
   * Writes a CSR that exists and is writable, legalising WARL fields. `nextPc` is the address
   * after the writing instruction (misa.C may only be cleared when it is 4-byte aligned).
   * Returns true when the write changed how instructions decode (misa.C), so the caller must
   * drop its decode cache.
   */
  write(n: number, value: number, nextPc: number): boolean {
    const v = value >>> 0;
    switch (n) {
      case CSR.mstatus:
        // M-only hart: MPP is hardwired to M; MIE and MPIE are the only writable fields.
        this.mstatus = (v & (MSTATUS_MIE | MSTATUS_MPIE)) | MSTATUS_MPP;
        this.onInterruptState();
        return false;
      case CSR.misa: {
        const wantC = (v & MISA_C) !== 0;
        // Clearing C is ignored if the next instruction would be misaligned for IALIGN=32.
        if (wantC === this.compressedEnabled || (!wantC && (nextPc & 2) !== 0)) return false;
        this.compressedEnabled = wantC;
        return true;
      }
      case CSR.mie:
        this.mie = v & MIE_WRITABLE;
        this.onInterruptState();
        return false;
      case CSR.mtvec:
        // Modes 2 and 3 are reserved: such a write is ignored, as QEMU does.
        if ((v & 3) < 2) this.mtvec = v;
        return false;
      case CSR.mscratch:
        this.mscratch = v;
        return false;
      case CSR.mepc:
        this.mepc = v & ~1;
        return false;
      case CSR.mcause:
        this.mcause = v;
        return false;
      case CSR.mtval:
        this.mtval = v;
        return false;
      case CSR.mcountinhibit:
        this.mcountinhibit = v & (MCOUNTINHIBIT_CY | MCOUNTINHIBIT_IR);
        return false;
      // A counter write replaces the value; the writing instruction itself is not counted.
      case CSR.mcycle:
        this.cycleLo = v;
        this.cycleSkip = 1;
        return false;
      case CSR.mcycleh:
        this.cycleHi = v;
        this.cycleSkip = 1;
        return false;
      case CSR.minstret:
        this.instretLo = v;
        this.instretSkip = 1;
        return false;
      case CSR.minstreth:
        this.instretHi = v;
        this.instretSkip = 1;
        return false;
      default:
        // mip (device-driven bits are read-only here), mstatush, mcounteren, triggers and the
        // hardwired-zero ranges accept and ignore writes.
        return false;
    }
  }

  private time(): number {
    return this.readTime ? this.readTime() : this.cycleHi * TWO_32 + this.cycleLo;
  }
}
