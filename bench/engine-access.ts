// Access-path benchmark (standalone: node dist/bench/engine-access.js). Prints `name: value unit`.
//   ram.read32.ratio / ram.write32.ratio  CpuMemoryPort load32/store32 on RAM ÷ the same accesses
//                                         on a raw DataView over the same buffer (same run; best
//                                         of 25 interleaved rounds, as the machine is shared)
//   ram.read32.mops / ram.write32.mops    million port accesses per second
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
const N = 1 << 21; // accesses per timed round
const ROUNDS = 25;

/** Best of interleaved rounds: the machine is shared, so the minimum is the honest cost. */
function best(xs: number[]): number {
  return Math.min(...xs);
}

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

// Addresses: a pseudo-random walk over the RAM, word aligned (precomputed, shared by both).
const offsets = new Int32Array(N);
let x = 12345;
for (let i = 0; i < N; i++) {
  x = (Math.imul(x, 1103515245) + 12345) | 0;
  offsets[i] = ((x >>> 0) % (RAM_SIZE >>> 2)) << 2;
}

function rawRead(): number {
  let sum = 0;
  for (let i = 0; i < N; i++) sum = (sum + raw.getInt32(offsets[i]!, true)) | 0;
  return sum;
}
function portRead(): number {
  let sum = 0;
  for (let i = 0; i < N; i++) sum = (sum + port.load32(RAM_BASE + offsets[i]!)) | 0;
  return sum;
}
function rawWrite(): void {
  for (let i = 0; i < N; i++) raw.setInt32(offsets[i]!, i, true);
}
function portWrite(): void {
  for (let i = 0; i < N; i++) port.store32(RAM_BASE + offsets[i]!, i);
}

function time(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

// Warm up both sides (JIT, page fill), then interleave timed rounds so drift hits both.
for (let i = 0; i < 3; i++) {
  rawRead();
  portRead();
  rawWrite();
  portWrite();
}
if (rawRead() !== portRead()) throw new Error('port and raw DataView disagree');
const rr: number[] = [];
const pr: number[] = [];
const rw: number[] = [];
const pw: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  rr.push(time(rawRead));
  pr.push(time(portRead));
  rw.push(time(rawWrite));
  pw.push(time(portWrite));
}

function mmio(addr: number, count: number): number {
  const t = performance.now();
  let sum = 0;
  for (let i = 0; i < count; i++) sum = (sum + port.load32(addr + ((i & 15) << 2))) | 0;
  if (port.status !== 0) throw new Error(`MMIO load failed: ${port.status}`);
  void sum;
  return count / (performance.now() - t) / 1000;
}
mmio(0x10000000, 1e5);
mmio(0x10001000, 1e5);
const mmioPage = Math.max(mmio(0x10000000, 1e6), mmio(0x10000000, 1e6), mmio(0x10000000, 1e6));
const mmioSub = Math.max(mmio(0x10001000, 2e5), mmio(0x10001000, 2e5), mmio(0x10001000, 2e5));

const buf = new Uint8Array(4);
t0 = performance.now();
const AS_N = 2e5;
for (let i = 0; i < AS_N; i++) readWithAttrs(as, RAM_BASE + (i & 0xffff) * 4, buf);
const asMops = AS_N / (performance.now() - t0) / 1000;

const fmt = (v: number, d = 2): string => v.toFixed(d);
console.log(`ram.read32.ratio: ${fmt(best(pr) / best(rr))} x`);
console.log(`ram.write32.ratio: ${fmt(best(pw) / best(rw))} x`);
console.log(`ram.read32.mops: ${fmt(N / best(pr) / 1000, 1)} Maccess/s`);
console.log(`ram.write32.mops: ${fmt(N / best(pw) / 1000, 1)} Maccess/s`);
console.log(`mmio.dispatch.mops: ${fmt(mmioPage)} Maccess/s`);
console.log(`mmio.subpage.mops: ${fmt(mmioSub)} Maccess/s`);
console.log(`as.rw4.mops: ${fmt(asMops)} Maccess/s`);
console.log(`port.create.ms: ${fmt(createMs)} ms`);
port.dispose();
