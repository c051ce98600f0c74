// Access-path benchmark (standalone: node dist/bench/engine-access.js). Prints `name: value unit`.
//   ram.read32.ratio / ram.write32.ratio  CpuMemoryPort load32/store32 on RAM ÷ the same accesses
//                                         on a raw DataView over the same buffer (reached through
//                                         an object field, see RawMemory), random words of 16 MiB
//                                         from a precomputed array, reads summed (same run;
//                                         process CPU time, best of interleaved rounds, as the
//                                         machine is shared)
//   ram.*.window.ratio                    the same through ramWindow() kept in the loop's locals
//                                         (how a CPU's inner loop is meant to use the port)
//   ram.*.l1.*                            the same over a 64 KiB (cache-resident) working set
//   ram.read32.mops                       million port.load32 per second (16 MiB walk)
//   mmio.dispatch.mops                    million 32-bit MMIO loads per second through the port
//                                         (whole-page device) and through a shared page (subpage)
//   as.rw4.mops                           million 4-byte readWithAttrs on RAM (general path)
//   port.create.ms                        time to create a CPU port on a 128 MiB RAM map
import {
  CpuMemoryPort,
  MemorySystem,
  createContainer,
  createIo,
  createRam,
  readWithAttrs,
} from '../src/engine/index';

const RAM_BASE = 0x80000000;
const RAM_SIZE = 16 << 20;
const N = 1 << 20; // accesses per timed round
const ROUNDS = 15;

const sys = new MemorySystem();
const root = createContainer(sys, 'system', 1n << 32n);
const ram = createRam(sys, 'ram', RAM_SIZE);
root.addSubregion(RAM_BASE, ram);
let reg = 0;
const devOps = {
  read: () => reg,
  write: (_r: unknown, _o: number, v: number) => void (reg = v),
};
root.addSubregion(0x10000000, createIo(sys, 'dev', 0x1000, devOps));
root.addSubregion(0x10001000, createIo(sys, 'uart', 0x100, devOps));
const as = sys.createAddressSpace(root, 'memory');

let t0 = performance.now();
const port = new CpuMemoryPort(as);
const createMs = performance.now() - t0;

const block = ram.ramBlock!.contiguous!;
const raw = new DataView(block.buffer, block.byteOffset, block.byteLength);

/** Word-aligned pseudo-random offsets inside the first @span bytes of the RAM. */
function walk(span: number): Int32Array {
  const out = new Int32Array(N);
  let x = 12345;
  for (let i = 0; i < N; i++) {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    out[i] = ((x >>> 0) % (span >>> 2)) << 2;
  }
  return out;
}

/** CPU time of this process in ms (the box is shared; wall time mostly measures neighbours). */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function time(fn: () => unknown): number {
  const t = cpuMs();
  fn();
  return cpuMs() - t;
}

/**
 * The baseline: a raw DataView reached the way any emulator reaches its memory, through a
 * field of an object it is handed. The port's loop gets the port the same way. Both loops are
 * module functions taking their object and the offsets as parameters, so neither side is a
 * compile-time constant: with `raw` a module-level const, V8 embedded the DataView's data
 * pointer and byte length into the baseline's code (a bounds check against a constant and one
 * load), which no real consumer of memory gets and which the port, whose window changes at
 * commits, can never get.
 */
interface RawMemory {
  view: DataView;
}
const rawMemory: RawMemory = { view: new DataView(new ArrayBuffer(0)) };
rawMemory.view = raw; // assigned twice: a mutable field, like the port's window

function rawRead(mem: RawMemory, offsets: Int32Array): number {
  let sum = 0;
  for (let i = 0; i < offsets.length; i++) sum = (sum + mem.view.getInt32(offsets[i]!, true)) | 0;
  return sum;
}
function portRead(p: CpuMemoryPort, offsets: Int32Array): number {
  let sum = 0;
  for (let i = 0; i < offsets.length; i++) sum = (sum + p.load32(RAM_BASE + offsets[i]!)) | 0;
  return sum;
}
function rawWrite(mem: RawMemory, offsets: Int32Array): number {
  for (let i = 0; i < offsets.length; i++) mem.view.setInt32(offsets[i]!, i, true);
  return 0;
}
function portWrite(p: CpuMemoryPort, offsets: Int32Array): number {
  for (let i = 0; i < offsets.length; i++) p.store32(RAM_BASE + offsets[i]!, i);
  return p.status;
}
// The CPU's inner loop as ramWindow() is meant to be used: window in locals, port on a miss.
function winRead(p: CpuMemoryPort, offsets: Int32Array): number {
  const w = p.ramWindow();
  // As an int32, (a - base) >>> 0 is the same modulo 2^32 and stays integer math.
  const base = w.base | 0;
  const size = w.loadSize;
  const view = w.view;
  let sum = 0;
  for (let i = 0; i < offsets.length; i++) {
    const a = RAM_BASE + offsets[i]!;
    const o = (a - base) >>> 0;
    sum = (sum + (o < size && (a & 3) === 0 ? view.getInt32(o, true) : p.load32(a))) | 0;
  }
  return sum;
}
function winWrite(p: CpuMemoryPort, offsets: Int32Array): number {
  const w = p.ramWindow();
  // As an int32, (a - base) >>> 0 is the same modulo 2^32 and stays integer math.
  const base = w.base | 0;
  const size = w.storeSize;
  const view = w.view;
  const flags = w.storeFlags;
  const bits = w.pageBits;
  for (let i = 0; i < offsets.length; i++) {
    const a = RAM_BASE + offsets[i]!;
    const o = (a - base) >>> 0;
    if (o < size && (a & 3) === 0 && flags[o >>> bits] !== 0) view.setInt32(o, i, true);
    else p.store32(a, i);
  }
  return 0;
}

/** Ratios (port ÷ raw) of reads and writes over @offsets: method calls and the RAM window. */
function measure(offsets: Int32Array): {
  read: number;
  write: number;
  wread: number;
  wwrite: number;
  mops: number;
} {
  const rr = (): number => rawRead(rawMemory, offsets);
  const pr = (): number => portRead(port, offsets);
  const wr = (): number => winRead(port, offsets);
  const rw = (): number => rawWrite(rawMemory, offsets);
  const pw = (): number => portWrite(port, offsets);
  const ww = (): number => winWrite(port, offsets);
  // Warm up every side (JIT, page fill), then interleave timed rounds so drift hits all.
  for (let i = 0; i < 3; i++) {
    rr();
    pr();
    wr();
    rw();
    pw();
    ww();
  }
  if (rr() !== pr() || rr() !== wr()) throw new Error('port and raw DataView disagree');
  const t = { rr: Infinity, pr: Infinity, wr: Infinity, rw: Infinity, pw: Infinity, ww: Infinity };
  for (let r = 0; r < ROUNDS; r++) {
    t.rr = Math.min(t.rr, time(rr));
    t.pr = Math.min(t.pr, time(pr));
    t.wr = Math.min(t.wr, time(wr));
    t.rw = Math.min(t.rw, time(rw));
    t.pw = Math.min(t.pw, time(pw));
    t.ww = Math.min(t.ww, time(ww));
  }
  return {
    read: t.pr / t.rr,
    write: t.pw / t.rw,
    wread: t.wr / t.rr,
    wwrite: t.ww / t.rw,
    mops: N / t.pr / 1000,
  };
}

const big = measure(walk(RAM_SIZE));
const small = measure(walk(64 << 10));

function mmio(addr: number, count: number): number {
  const t = cpuMs();
  let sum = 0;
  for (let i = 0; i < count; i++) sum = (sum + port.load32(addr + ((i & 15) << 2))) | 0;
  if (port.status !== 0) throw new Error(`MMIO load failed: ${port.status}`);
  void sum;
  return count / (cpuMs() - t) / 1000;
}
mmio(0x10000000, 1e5);
mmio(0x10001000, 1e5);
const mmioPage = Math.max(mmio(0x10000000, 1e6), mmio(0x10000000, 1e6), mmio(0x10000000, 1e6));
const mmioSub = Math.max(mmio(0x10001000, 1e6), mmio(0x10001000, 1e6), mmio(0x10001000, 1e6));

const buf = new Uint8Array(4);
t0 = cpuMs();
const AS_N = 2e5;
for (let i = 0; i < AS_N; i++) readWithAttrs(as, RAM_BASE + (i & 0xffff) * 4, buf);
const asMops = AS_N / (cpuMs() - t0) / 1000;

const fmt = (v: number, d = 2): string => v.toFixed(d);
console.log(`ram.read32.ratio: ${fmt(big.read)} x`);
console.log(`ram.write32.ratio: ${fmt(big.write)} x`);
console.log(`ram.read32.window.ratio: ${fmt(big.wread)} x`);
console.log(`ram.write32.window.ratio: ${fmt(big.wwrite)} x`);
console.log(`ram.read32.l1.ratio: ${fmt(small.read)} x`);
console.log(`ram.write32.l1.ratio: ${fmt(small.write)} x`);
console.log(`ram.read32.l1.window.ratio: ${fmt(small.wread)} x`);
console.log(`ram.write32.l1.window.ratio: ${fmt(small.wwrite)} x`);
console.log(`ram.read32.mops: ${fmt(big.mops, 1)} Maccess/s`);
console.log(`mmio.dispatch.mops: ${fmt(mmioPage)} Maccess/s`);
console.log(`mmio.subpage.mops: ${fmt(mmioSub)} Maccess/s`);
console.log(`as.rw4.mops: ${fmt(asMops)} Maccess/s`);
console.log(`port.create.ms: ${fmt(createMs)} ms`);
port.dispose();
