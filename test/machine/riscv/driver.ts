/**
 * The test-driver interface instruction tests are written against (as rp2040js'
 * ICortexTestDriver): set pc, write memory, set registers, step, read registers. HartDriver
 * implements it over our RiscvHart and a FlatBus; a differential driver over another
 * implementation could implement the same interface.
 */
import type { RunResult } from '../../../src/machine/cpu';
import { FlatBus } from '../../support/flatBus';
import { RiscvHart, type RiscvHartOptions, CSR_REGISTER_BASE } from '../../../src/machine/riscv';
import { assemble, type Insn } from './asm';

export const RAM_BASE = 0x8000_0000;
export const RAM_SIZE = 0x2_0000;

export interface CpuTestDriver {
  setPC(pc: number): void;
  getPC(): number;
  writeMemory(address: number, bytes: Uint8Array): void;
  readMemory(address: number, length: number): Uint8Array;
  setRegisters(values: Record<number, number>): void;
  readRegister(index: number): number;
  step(count?: number): RunResult;
}

/**
 * The compiler setting for test harts: RV_JIT_THRESHOLD=0 compiles every block on first visit
 * (to run the whole suite through compiled code), RV_JIT=off runs the pure interpreter.
 */
export function testJitOption(): RiscvHartOptions['jit'] {
  if (process.env.RV_JIT === 'off') return false;
  const t = process.env.RV_JIT_THRESHOLD;
  return t === undefined ? undefined : { threshold: Number(t) };
}

export class HartDriver implements CpuTestDriver {
  readonly bus: FlatBus;
  readonly hart: RiscvHart;

  constructor(options: Partial<RiscvHartOptions> = {}) {
    this.bus = new FlatBus(RAM_BASE, RAM_SIZE);
    this.hart = new RiscvHart(this.bus, {
      resetVector: RAM_BASE,
      jit: testJitOption(),
      ...options,
    });
  }

  setPC(pc: number): void {
    this.hart.pc = pc;
  }

  getPC(): number {
    return this.hart.pc;
  }

  writeMemory(address: number, bytes: Uint8Array): void {
    this.bus.writeBytes(address, bytes);
    this.hart.invalidateDecodeCache(address, bytes.length);
  }

  readMemory(address: number, length: number): Uint8Array {
    const off = (address >>> 0) - RAM_BASE;
    return this.bus.ram.slice(off, off + length);
  }

  read32(address: number): number {
    const b = this.readMemory(address, 4);
    return (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
  }

  write32(address: number, value: number): void {
    const v = value >>> 0;
    this.writeMemory(
      address,
      Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24),
    );
  }

  setRegisters(values: Record<number, number>): void {
    for (const [k, v] of Object.entries(values)) this.hart.writeRegister(Number(k), v);
  }

  /** Register value as unsigned 32-bit. */
  readRegister(index: number): number {
    return this.hart.readRegister(index)!;
  }

  /** Register value as signed 32-bit. */
  reg(index: number): number {
    return this.readRegister(index) | 0;
  }

  csr(n: number): number {
    return this.hart.readRegister(CSR_REGISTER_BASE + n)!;
  }

  /** Single-steps `count` times (ignoring breakpoints). */
  step(count = 1): RunResult {
    return this.hart.step(count);
  }

  /** Writes a program at `address` (RAM base by default) and points pc at it. */
  load(program: readonly Insn[], address = RAM_BASE): void {
    this.writeMemory(address, assemble(program));
    this.setPC(address);
  }

  /** Loads and runs a program until `count` instructions have executed. */
  exec(program: readonly Insn[], count = program.length): RunResult {
    this.load(program);
    return this.hart.run(count);
  }
}
