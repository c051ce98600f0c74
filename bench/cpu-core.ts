/**
 * CPU-core benchmark: a hand-assembled CPU-bound loop (bitwise CRC-32 over 1 KiB plus a sieve of
 * Eratosthenes to 8192, ~45 % compressed instructions) run by the RISC-V hart over a FlatBus in
 * batches of 1M instructions, as a run loop would, with the block compiler on (the default).
 * Prints
 *   cpu.core.mips: N MIPS
 *   cpu.core.mips.breakpoints: N MIPS   (8 breakpoints armed at addresses never reached)
 *   cpu.core.mips.engine: N MIPS        (the same over the memory engine's CpuMemoryPort)
 *   cpu.core.mips.interpreter: N MIPS   (flat bus, the block compiler turned off)
 *   cpu.core.firmware.mips: N MIPS      (examples/firmware/build/bench.elf, GCC -O2 code: CRC,
 *                                        sieve, matrix multiply, sort, recursion; first 150M
 *                                        instructions, over a flat bus with a UART and finisher)
 * and checks the guest's checksum against the same computation done in TypeScript (and
 * bench-small.elf's output against its expected text). CPU_BENCH_CLOCK=cpu times user CPU
 * instead of wall time.
 */
import { createContainer, createRam, MemorySystem, writeRom } from '../src/engine';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadElf } from '../src/machine/loader';
import { createEngineBus, linkDecodeCache } from '../src/machine/bus';
import { FlatBus } from '../test/support/flatBus';
import * as A from '../src/machine/asm';
import { RiscvHart } from '../src/machine/riscv';

const CODE = 0x8000_0000;
const BUF = 0x8001_0000;
const SIEVE = 0x8002_0000;
const BUF_LEN = 1024;
const SIEVE_N = 8192;
const POLY = 0xedb88320;
const BATCH = 1_000_000;

const { a0, a1, a2, a3, a4, a5, s0, s1, t0, t1, t2 } = A;

function buildProgram(iterations: number): { bytes: Uint8Array; unreached: number[] } {
  const p = new A.AsmProgram(CODE);
  p.emit(...A.li(s0, iterations), A.C(A.c_li(s1, 0)), ...A.li(a5, POLY), A.C(A.c_li(t2, 1)));
  p.label('top');
  // CRC-32 over BUF[0..1024)
  p.emit(...A.li(a0, BUF), A.addi(a1, a0, BUF_LEN), A.C(A.c_li(a2, -1)));
  p.label('byte');
  p.emit(A.lbu(a4, a0, 0), A.C(A.c_xor(a2, a4)), A.C(A.c_li(a3, 8)));
  p.label('bit');
  p.emit(A.andi(a4, a2, 1), A.C(A.c_srli(a2, 1)));
  p.emitAt(2, (at) => A.C(A.c_beqz(a4, p.offset('skip', at))));
  p.emit(A.C(A.c_xor(a2, a5)));
  p.label('skip');
  p.emit(A.C(A.c_addi(a3, -1)));
  p.emitAt(2, (at) => A.C(A.c_bnez(a3, p.offset('bit', at))));
  p.emit(A.C(A.c_addi(a0, 1)));
  p.emitAt(4, (at) => A.bne(a0, a1, p.offset('byte', at)));
  p.emit(A.xori(a2, a2, -1), A.C(A.c_add(s1, a2)));
  // Sieve of Eratosthenes over SIEVE[0..8192): count primes
  p.emit(...A.li(a0, SIEVE), A.lui(a1, SIEVE_N >>> 12), A.C(A.c_mv(a2, a0)), A.add(a3, a0, a1));
  p.label('clear');
  p.emit(A.sw(0, a2, 0), A.C(A.c_addi(a2, 4)));
  p.emitAt(4, (at) => A.bne(a2, a3, p.offset('clear', at)));
  p.emit(A.C(A.c_li(a2, 2)), A.C(A.c_li(a4, 0)));
  p.label('outer');
  p.emit(A.add(a3, a0, a2), A.lbu(a3, a3, 0));
  p.emitAt(2, (at) => A.C(A.c_bnez(a3, p.offset('next', at))));
  p.emit(A.C(A.c_addi(a4, 1)), A.mul(t0, a2, a2));
  p.emitAt(4, (at) => A.bge(t0, a1, p.offset('next', at)));
  p.label('inner');
  p.emit(A.add(t1, a0, t0), A.sb(t2, t1, 0), A.add(t0, t0, a2));
  p.emitAt(4, (at) => A.blt(t0, a1, p.offset('inner', at)));
  p.label('next');
  p.emit(A.C(A.c_addi(a2, 1)));
  p.emitAt(4, (at) => A.blt(a2, a1, p.offset('outer', at)));
  p.emit(A.C(A.c_add(s1, a4)), A.C(A.c_addi(s0, -1)));
  p.emitAt(2, (at) => A.C(A.c_bnez(s0, p.offset('top', at))));
  p.emit(A.wfi());
  const unreached: number[] = [];
  for (let i = 0; i < 8; i++) {
    unreached.push(p.here);
    p.emit(A.nop());
  }
  return { bytes: p.assemble(), unreached };
}

function fillBuffer(): Uint8Array {
  const buf = new Uint8Array(BUF_LEN);
  let seed = 12345;
  for (let i = 0; i < BUF_LEN; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    buf[i] = seed >>> 24;
  }
  return buf;
}

/** The same computation in TypeScript, to check the guest's result. */
function expectedChecksum(buf: Uint8Array, iterations: number): number {
  let crc = -1;
  for (const b of buf) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ POLY : crc >>> 1;
  }
  crc = ~crc;
  const flags = new Uint8Array(SIEVE_N);
  let primes = 0;
  for (let i = 2; i < SIEVE_N; i++) {
    if (flags[i]) continue;
    primes++;
    for (let j = i * i; j < SIEVE_N; j += i) flags[j] = 1;
  }
  return Math.imul(iterations, (crc + primes) | 0) >>> 0;
}

type BusKind = 'flat' | 'engine';

/**
 * Seconds on the benchmark clock: wall time by default; with CPU_BENCH_CLOCK=cpu the process's
 * user CPU time, which is steadier for A/B comparisons on a machine shared with other jobs.
 */
const now = (): number =>
  process.env.CPU_BENCH_CLOCK === 'cpu'
    ? process.cpuUsage().user / 1e6
    : Number(process.hrtime.bigint()) / 1e9;

/** A bus with the program and data loaded, and a hart on it (linked to the engine if used). */
function setup(kind: BusKind, bytes: Uint8Array, buf: Uint8Array, jit: boolean): RiscvHart {
  if (kind === 'flat') {
    const bus = new FlatBus(CODE, 0x40000);
    bus.writeBytes(CODE, bytes);
    bus.writeBytes(BUF, buf);
    return new RiscvHart(bus, { resetVector: CODE, ...(jit ? {} : { jit: false as const }) });
  }
  const sys = new MemorySystem();
  const root = createContainer(sys, 'system', 1n << 32n);
  root.addSubregion(CODE, createRam(sys, 'ram', 0x40000));
  const as = sys.createAddressSpace(root, 'memory');
  writeRom(as, CODE, bytes);
  writeRom(as, BUF, buf);
  const port = createEngineBus(as);
  const hart = new RiscvHart(port, { resetVector: CODE });
  linkDecodeCache(port, hart);
  return hart;
}

function measure(
  iterations: number,
  breakpoints: boolean,
  kind: BusKind = 'flat',
  jit = true,
): { mips: number; insns: number } {
  const { bytes, unreached } = buildProgram(iterations);
  const buf = fillBuffer();
  const hart = setup(kind, bytes, buf, jit);
  if (breakpoints) for (const a of unreached) hart.addBreakpoint(a);
  const start = now();
  let insns = 0;
  for (;;) {
    const r = hart.run(BATCH);
    insns += r.executed;
    if (r.reason === 'wfi') break;
    if (r.reason !== 'budget') throw new Error(`unexpected stop: ${r.reason} at ${hart.pc}`);
  }
  const seconds = now() - start;
  const got = hart.readRegister(s1)!;
  const want = expectedChecksum(buf, iterations);
  if (got !== want)
    throw new Error(`checksum ${got.toString(16)} != expected ${want.toString(16)}`);
  return { mips: insns / seconds / 1e6, insns };
}

/**
 * Runs compiled firmware (bench-small.elf to completion, to check its checksum line; bench.elf
 * for `budget` instructions, timed) on a flat bus with the virt UART and test finisher.
 */
function measureFirmware(name: string, budget: number): { mips: number; output: string } {
  const bus = new FlatBus(0x8000_0000, 1 << 20);
  const file = readFileSync(`examples/firmware/build/${name}.elf`);
  const image = loadElf(file, (address, bytes) => bus.writeBytes(address, bytes));
  const hart = new RiscvHart(bus, { resetVector: image.entry });
  let output = '';
  let done = false;
  bus.addDevice(0x1000_0000, 8, {
    read: (offset) => (offset === 5 ? 0x60 : 0),
    write: (offset, _size, value) => {
      if (offset === 0) output += String.fromCharCode(value & 0xff);
    },
  });
  bus.addDevice(0x0010_0000, 0x1000, {
    read: () => 0,
    write: () => {
      done = true;
      hart.requestStop();
    },
  });
  const start = now();
  let insns = 0;
  while (!done && insns < budget) insns += hart.run(Math.min(BATCH, budget - insns)).executed;
  return { mips: insns / (now() - start) / 1e6, output };
}

const iterations = Number(process.env.CPU_BENCH_ITERATIONS ?? 60);
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

if (process.argv.includes('--engine-only')) {
  // Run in its own process: one bus class per process keeps the interpreter's bus calls
  // monomorphic, as in the real machine (which only uses the engine port).
  measure(4, false, 'engine');
  const engine = [0, 1, 2].map(() => measure(iterations, false, 'engine').mips);
  console.log(`cpu.core.mips.engine: ${median(engine).toFixed(1)} MIPS`);
} else {
  measure(4, false); // warm-up: let V8 optimise the interpreter
  measure(4, true);
  measure(4, false, 'flat', false);
  const plain: number[] = [];
  const withBp: number[] = [];
  const interpreter: number[] = [];
  for (let round = 0; round < 3; round++) {
    plain.push(measure(iterations, false).mips);
    withBp.push(measure(iterations, true).mips);
    interpreter.push(measure(iterations, false, 'flat', false).mips);
  }
  console.log(`cpu.core.mips: ${median(plain).toFixed(1)} MIPS`);
  console.log(`cpu.core.mips.breakpoints: ${median(withBp).toFixed(1)} MIPS`);
  console.log(`cpu.core.breakpoints.ratio: ${(median(withBp) / median(plain)).toFixed(3)} ratio`);
  console.log(`cpu.core.mips.interpreter: ${median(interpreter).toFixed(1)} MIPS`);
  if (existsSync('examples/firmware/build/bench.elf')) {
    const small = measureFirmware('bench-small', 100_000_000).output;
    const want = readFileSync('examples/firmware/expected/bench-small.txt', 'latin1');
    if (small !== want) throw new Error(`bench-small.elf printed ${JSON.stringify(small)}`);
    const fw = [0, 1, 2].map(() => measureFirmware('bench', 150_000_000).mips);
    console.log(`cpu.core.firmware.mips: ${median(fw).toFixed(1)} MIPS`);
  }
  const script = process.argv[1];
  process.stdout.write(execFileSync(process.execPath, [script, '--engine-only']).toString());
}
