// Dispatch equivalence (fast-check): the CPU port's page tables (fast RAM path, incremental
// updates at commits, dirty re-arming, subpages) against a per-access slow path written here:
// flat-view lookup on every access and QEMU 7.2 TCG rules — whole-page sections dispatch the
// access as is (RAM direct, read-only RAM discards stores), shared pages run
// flatview_access_valid then address_space_rw, page-crossing accesses go byte by byte. Two
// identical systems are built from one random description; one is driven through the port,
// the other through the reference, and every value, status, device call, RAM byte and dirty
// bit must agree.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { numRuns } from '../support/property';
import {
  AccessValue,
  CpuMemoryPort,
  MemorySystem,
  accessValid,
  compileOps,
  createAlias,
  createContainer,
  createIo,
  createRam,
  createRom,
  createRomDevice,
  dirtyMemory,
  dispatchRead,
  dispatchWrite,
  memoryAccessSize,
  memoryRegionGetDirty,
  memoryRegionResetDirty,
  memoryRegionSetLog,
  readWithAttrs,
  unassignedRegion,
  writeWithAttrs,
  DIRTY_MEMORY_VGA,
  MEMTX_DECODE_ERROR,
  MEMTX_OK,
  type AddressSpace,
  type MemoryRegion,
  type MemoryRegionOps,
} from '../../src/engine/index';

const PS = 4096;

interface RegionDesc {
  kind: 'ram' | 'rom' | 'io' | 'romd' | 'alias' | 'roAlias';
  size: number;
  addr: number;
  prio: number;
  aliasOffset: number;
  validMax: number;
  implMax: number;
  unaligned: boolean;
}

type Op =
  | { op: 'load' | 'fetch'; size: 1 | 2 | 4; addr: number }
  | { op: 'store'; size: 1 | 2 | 4; addr: number; value: number }
  | { op: 'toggle' | 'romd' | 'resetDirty'; region: number }
  | { op: 'resetThenStore'; region: number; delta: number }
  | { op: 'move'; region: number; addr: number };

const regionArb: fc.Arbitrary<RegionDesc> = fc.record({
  kind: fc.constantFrom('ram', 'ram', 'rom', 'io', 'io', 'romd', 'alias', 'roAlias'),
  size: fc.constantFrom(0x80, 0x800, 0x1000, 0x2000, 0x2000, 0x3000),
  addr: fc.oneof(
    fc.integer({ min: 0, max: 8 }).map((x) => x * 0x1000),
    fc.integer({ min: 0, max: 0x100 }).map((x) => x * 0x80),
  ),
  prio: fc.integer({ min: -1, max: 2 }),
  aliasOffset: fc.integer({ min: 0, max: 0x20 }).map((x) => x * 0x80),
  validMax: fc.constantFrom(0, 1, 2, 4),
  implMax: fc.constantFrom(1, 2, 4),
  unaligned: fc.boolean(),
}) as fc.Arbitrary<RegionDesc>;

function opArb(descs: RegionDesc[]): fc.Arbitrary<Op> {
  const n = descs.length;
  const region = fc.integer({ min: 0, max: n - 1 });
  // Mostly addresses inside or at the edges of the described regions, where the interesting
  // page kinds are; sometimes anywhere.
  const addrArb = fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(region, fc.integer({ min: -8, max: 0x3000 }))
        .map(([i, d]) => Math.max(0, descs[i]!.addr + d)),
    },
    { weight: 3, arbitrary: fc.integer({ min: 0, max: 0x9000 }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffffffff }) },
  );
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        op: fc.constant('load' as const),
        size: fc.constantFrom(1, 2, 4) as fc.Arbitrary<1 | 2 | 4>,
        addr: addrArb,
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('fetch' as const),
        size: fc.constant(2 as const),
        addr: addrArb,
      }),
    },
    {
      weight: 6,
      arbitrary: fc.record({
        op: fc.constant('store' as const),
        size: fc.constantFrom(1, 2, 4) as fc.Arbitrary<1 | 2 | 4>,
        addr: addrArb,
        value: fc.integer({ min: 0, max: 0xffffffff }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ op: fc.constantFrom('toggle' as const, 'romd' as const), region }),
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('resetDirty' as const), region }) },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('resetThenStore' as const),
        region,
        delta: fc.integer({ min: 0, max: 0x2ffc }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('move' as const),
        region,
        addr: fc.integer({ min: 0, max: 0x100 }).map((x) => x * 0x80),
      }),
    },
  );
}

/** One system built from the description, with a device log. */
function build(descs: RegionDesc[]) {
  const sys = new MemorySystem();
  const root = createContainer(sys, 'root', 1n << 32n);
  const backing = createRam(sys, 'backing', 0x4000);
  const log: string[] = [];
  const regions: MemoryRegion[] = [];
  descs.forEach((d, i) => {
    const state = new Uint8Array(d.size);
    const ops: MemoryRegionOps = {
      read: (_r, o, s) => {
        log.push(`${i}:r${s}@${o}`);
        let v = 0;
        for (let k = s - 1; k >= 0; k--) v = v * 256 + (state[(o + k) % d.size] ?? 0);
        return v;
      },
      write: (_r, o, v, s) => {
        log.push(`${i}:w${s}@${o}=${v}`);
        for (let k = 0; k < s; k++) state[(o + k) % d.size] = (v >>> (8 * k)) & 0xff;
      },
      valid: { maxAccessSize: d.validMax, unaligned: d.unaligned },
      impl: { maxAccessSize: d.implMax },
    };
    let mr: MemoryRegion;
    const name = `r${i}`;
    switch (d.kind) {
      case 'ram':
        mr = createRam(sys, name, d.size);
        break;
      case 'rom':
        mr = createRom(sys, name, d.size);
        break;
      case 'io':
        mr = createIo(sys, name, d.size, ops);
        break;
      case 'romd':
        mr = createRomDevice(sys, name, d.size, ops);
        break;
      default:
        mr = createAlias(sys, name, backing, d.aliasOffset, d.size);
        if (d.kind === 'roAlias') mr.setReadonly(true);
    }
    if (mr.ramBlock) {
      const init = new Uint8Array(mr.ramBlock.usedLength);
      for (let k = 0; k < init.length; k++) init[k] = (k * 7 + i * 13) & 0xff;
      mr.ramBlock.write(0, init);
    }
    root.addSubregionOverlap(d.addr, mr, d.prio);
    regions.push(mr);
  });
  const init = new Uint8Array(0x4000).map((_, k) => (k * 3) & 0xff);
  backing.ramBlock!.write(0, init);
  for (const mr of [...regions, backing])
    if (mr.ramBlock && !mr.romDevice) memoryRegionSetLog(mr, true, DIRTY_MEMORY_VGA);
  const as = sys.createAddressSpace(root, 'memory');
  return { sys, root, as, log, regions, backing };
}

// ---- the reference slow path ----------------------------------------------------------

type PageKind = 'unassigned' | 'single' | 'subpage';

function pageKind(as: AddressSpace, page: number): PageKind {
  const start = BigInt(page * PS);
  const end = start + BigInt(PS);
  const touching = as.flatView.ranges.filter((r) => r.start < end && r.end > start);
  if (touching.length === 0) return 'unassigned';
  const fr = touching[0]!;
  return touching.length === 1 && fr.start <= start && fr.end >= end ? 'single' : 'subpage';
}

function accessValidAll(as: AddressSpace, addr: number, len: number, isWrite: boolean): boolean {
  while (len > 0) {
    const fr = as.flatView.lookup(addr);
    const mr = fr ? fr.mr : unassignedRegion(as.system);
    const xlat = fr ? addr - Number(fr.start) + Number(fr.offsetInRegion) : addr;
    let l = len;
    if (mr.ram && fr && Number(fr.end) - addr < l) l = Number(fr.end) - addr;
    const direct = isWrite
      ? mr.ram && !mr.readonly && !mr.romDevice && !mr.ramDevice
      : (mr.ram && !mr.ramDevice) || (mr.romDevice && mr.romdMode);
    if (!direct) {
      l = memoryAccessSize(mr, l, BigInt(addr));
      if (!accessValid(compileOps(mr.ops), mr, xlat, l, isWrite, {})) return false;
    }
    len -= l;
    addr += l;
  }
  return true;
}

const out = new AccessValue();

function refLoad(as: AddressSpace, addr: number, size: number): [number, number] {
  if ((addr % PS) + size > PS) {
    let v = 0;
    let st = 0;
    for (let i = 0; i < size; i++) {
      const [b, s] = refLoad(as, (addr + i) >>> 0, 1);
      v += b * 2 ** (8 * i);
      st |= s;
    }
    return [v, st];
  }
  const kind = pageKind(as, Math.floor(addr / PS));
  if (kind === 'subpage') {
    if (!accessValidAll(as, addr, size, false)) return [0, MEMTX_DECODE_ERROR];
    const buf = new Uint8Array(size);
    const r = readWithAttrs(as, addr, buf);
    if (r !== MEMTX_OK) return [0, r];
    let v = 0;
    for (let k = size - 1; k >= 0; k--) v = v * 256 + buf[k]!;
    return [v, 0];
  }
  const fr = as.flatView.lookup(addr);
  if (!fr)
    return [
      dispatchRead(unassignedRegion(as.system), addr, size, {}, out, false) && 0,
      MEMTX_DECODE_ERROR,
    ];
  const mr = fr.mr;
  const off = addr - Number(fr.start) + Number(fr.offsetInRegion);
  if ((mr.ram && !mr.ramDevice) || (mr.romDevice && mr.romdMode)) {
    const b = new Uint8Array(size);
    mr.ramBlock!.read(off, b);
    let v = 0;
    for (let k = size - 1; k >= 0; k--) v = v * 256 + b[k]!;
    return [v, 0];
  }
  const r = dispatchRead(mr, off, size, {}, out, false);
  return [out.value, r];
}

function refStore(as: AddressSpace, addr: number, size: number, value: number): number {
  if ((addr % PS) + size > PS) {
    let st = 0;
    for (let i = 0; i < size; i++)
      st |= refStore(as, (addr + i) >>> 0, 1, Math.floor(value / 2 ** (8 * i)) & 0xff);
    return st;
  }
  const kind = pageKind(as, Math.floor(addr / PS));
  const bytes = new Uint8Array(size);
  for (let k = 0; k < size; k++) bytes[k] = Math.floor(value / 2 ** (8 * k)) & 0xff;
  if (kind === 'subpage') {
    if (!accessValidAll(as, addr, size, true)) return MEMTX_DECODE_ERROR;
    return writeWithAttrs(as, addr, bytes);
  }
  const fr = as.flatView.lookup(addr);
  if (!fr)
    return dispatchWrite(unassignedRegion(as.system), addr, size, value, BigInt(value), {}, false);
  const mr = fr.mr;
  const off = addr - Number(fr.start) + Number(fr.offsetInRegion);
  if (mr.ram && !mr.ramDevice) {
    if (fr.readonly) return 0;
    mr.ramBlock!.write(off, bytes);
    dirtyMemory(as.system).afterWrite(mr, mr.ramBlock!, off, size);
    return 0;
  }
  return dispatchWrite(mr, off, size, value, BigInt(value), {}, false);
}

function applyTopology(op: Op, w: ReturnType<typeof build>): void {
  if (op.op === 'toggle') w.regions[op.region]!.setEnabled(!w.regions[op.region]!.enabled);
  else if (op.op === 'move') w.regions[op.region]!.setAddress(op.addr);
  else if (op.op === 'romd') {
    const mr = w.regions[op.region]!;
    if (mr.romDevice) mr.setRomdMode(!mr.romdMode);
  } else if (op.op === 'resetDirty') {
    const mr = w.regions[op.region]!.aliasTarget;
    if (mr.ramBlock && !mr.romDevice)
      memoryRegionResetDirty(mr, 0, mr.ramBlock.usedLength, DIRTY_MEMORY_VGA);
  }
}

describe('CPU dispatch fast path ≡ per-access slow path', () => {
  test('random topologies, accesses and topology/dirty changes (fast-check)', () => {
    fc.assert(
      fc.property(
        fc
          .array(regionArb, { minLength: 1, maxLength: 6 })
          .chain((descs) =>
            fc.tuple(fc.constant(descs), fc.array(opArb(descs), { minLength: 1, maxLength: 60 })),
          ),
        ([descs, ops]) => {
          const a = build(descs);
          const b = build(descs);
          const port = new CpuMemoryPort(a.as);
          try {
            for (const op of ops) {
              if (op.op === 'load' || op.op === 'fetch') {
                const v =
                  op.op === 'fetch'
                    ? port.fetch16(op.addr)
                    : op.size === 1
                      ? port.load8(op.addr)
                      : op.size === 2
                        ? port.load16(op.addr)
                        : port.load32(op.addr) >>> 0;
                const [rv, rs] = refLoad(b.as, op.addr, op.size);
                assert.equal(port.status, rs, `status of ${JSON.stringify(op)}`);
                if (rs === 0) assert.equal(v, rv, `value of ${JSON.stringify(op)}`);
              } else if (op.op === 'store') {
                if (op.size === 1) port.store8(op.addr, op.value);
                else if (op.size === 2) port.store16(op.addr, op.value);
                else port.store32(op.addr, op.value);
                const mask = op.size === 4 ? op.value : op.value % 2 ** (8 * op.size);
                assert.equal(
                  port.status,
                  refStore(b.as, op.addr, op.size, mask),
                  `status of ${JSON.stringify(op)}`,
                );
              } else if (op.op === 'resetThenStore') {
                // Dirty tracking re-armed on a page, then a store into it (fast path must not
                // skip the marking).
                applyTopology({ op: 'resetDirty', region: op.region }, a);
                applyTopology({ op: 'resetDirty', region: op.region }, b);
                const addr = descs[op.region]!.addr + (op.delta & ~3);
                port.store32(addr, 0x5a5a5a5a);
                assert.equal(port.status, refStore(b.as, addr, 4, 0x5a5a5a5a));
              } else {
                applyTopology(op, a);
                applyTopology(op, b);
              }
              assert.deepEqual(a.log, b.log);
            }
            for (let i = 0; i < a.regions.length; i++) {
              const ma = a.regions[i]!.aliasTarget;
              const mb = b.regions[i]!.aliasTarget;
              if (!ma.ramBlock) continue;
              const ba = new Uint8Array(ma.ramBlock.usedLength);
              const bb = new Uint8Array(mb.ramBlock!.usedLength);
              ma.ramBlock.read(0, ba);
              mb.ramBlock!.read(0, bb);
              assert.deepEqual(ba, bb, `RAM of r${i}`);
              if (!ma.romDevice) {
                for (let off = 0; off < ba.length; off += PS) {
                  assert.equal(
                    memoryRegionGetDirty(ma, off, 1, DIRTY_MEMORY_VGA),
                    memoryRegionGetDirty(mb, off, 1, DIRTY_MEMORY_VGA),
                    `VGA dirty bit of r${i} @0x${off.toString(16)}`,
                  );
                }
              }
            }
          } finally {
            port.dispose();
          }
        },
      ),
      { numRuns: numRuns(300) },
    );
  });
});
