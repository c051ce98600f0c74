// CPU dispatch port: watchpoints, code invalidation on stores (from any master), ROM and romd
// pages, QEMU's subpage vs whole-page MMIO difference, page-crossing accesses, statuses,
// following topology changes, dirty re-arming and big-endian targets.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CpuMemoryPort,
  MemorySystem,
  createAlias,
  createContainer,
  createIo,
  createRam,
  createRom,
  createRomDevice,
  memoryRegionGetDirty,
  memoryRegionResetDirty,
  memoryRegionSetLog,
  writeRom,
  writeWithAttrs,
  DIRTY_MEMORY_VGA,
  MEMTX_DECODE_ERROR,
  MEMTX_ERROR,
  MEMTX_OK,
  type MemoryRegionOps,
} from '../../src/engine/index';

function machine(options: { targetBigEndian?: boolean } = {}) {
  const sys = new MemorySystem(options);
  const root = createContainer(sys, 'system', 1n << 32n);
  const ram = createRam(sys, 'ram', 0x10000);
  root.addSubregion(0x80000000, ram);
  const as = sys.createAddressSpace(root, 'memory');
  const port = new CpuMemoryPort(as);
  return { sys, root, ram, as, port };
}

describe('watchpoints', () => {
  test('reads, writes and accesses are reported before the access; fetches are not; no count limit', () => {
    const { port } = machine();
    const hits: string[] = [];
    port.watchHook = (h) =>
      hits.push(`${h.isWrite ? 'w' : 'r'}${h.size}@${h.address.toString(16)}#${h.watchpoint.id}`);
    port.store32(0x80000100, 0x11223344);
    const r = port.addWatchpoint(0x80000102, 1, 'read');
    const w = port.addWatchpoint(0x80000100, 4, 'write');
    for (let i = 0; i < 2000; i++) port.addWatchpoint(0x80008000 + i * 4, 4, 'access');
    assert.equal(port.readPage(0x80000100), null);
    assert.equal(port.load32(0x80000100) >>> 0, 0x11223344);
    port.load8(0x80000104);
    port.fetch16(0x80000102);
    port.store16(0x80000102, 0xbeef);
    port.load16(0x80009f3c);
    assert.deepEqual(hits, [
      `r4@80000100#${r.id}`,
      `w2@80000102#${w.id}`,
      `r2@80009f3c#${w.id + 2000}`,
    ]);
    assert.equal(port.lastWatchHit?.address, 0x80009f3c);
    assert.equal(port.load32(0x80000100) >>> 0, 0xbeef3344);
    assert.ok(port.removeWatchpoint(r.id));
    assert.ok(port.removeWatchpoint(w.id));
    for (const wp of [...port.listWatchpoints()]) port.removeWatchpoint(wp.id);
    hits.length = 0;
    port.load32(0x80000100);
    assert.deepEqual(hits, []);
    assert.notEqual(port.readPage(0x80000100), null);
  });
});

describe('code invalidation', () => {
  test('a store into a page holding decoded code calls the hook once, from the CPU or a DMA write', () => {
    const { port, as, root, sys, ram } = machine();
    root.addSubregion(0x40000000, createAlias(sys, 'ram-alias', ram, 0, 0x10000));
    const calls: string[] = [];
    port.codeWriteHook = (a, l) => calls.push(`${a.toString(16)}+${l}`);
    assert.equal(port.isCodeCacheable(0x80000010), true);
    port.store32(0x80000ffc, 1);
    assert.deepEqual(calls, ['40000ffc+4', '80000ffc+4']);
    port.store32(0x80000ff8, 2);
    assert.equal(calls.length, 2, 'unprotected after the first invalidation');
    assert.equal(port.isCodeCacheable(0x40000020), true);
    writeWithAttrs(as, 0x80000004, new Uint8Array([1, 2]));
    assert.deepEqual(calls.slice(2), ['40000004+2', '80000004+2']);
    writeRom(as, 0x80000008, new Uint8Array([3]));
    assert.equal(calls.length, 4, 'page already unprotected');
  });

  test('MMIO and unassigned pages are not code-cacheable', () => {
    const { port, root, sys } = machine();
    root.addSubregion(0x10000000, createIo(sys, 'dev', 0x1000, { read: () => 0x13 }));
    assert.equal(port.isCodeCacheable(0x10000000), false);
    assert.equal(port.isCodeCacheable(0x20000000), false);
    assert.equal(port.fetch16(0x10000000), 0x13, 'fetching from MMIO still works (slowly)');
    port.fetch16(0x20000000);
    assert.equal(port.status, MEMTX_DECODE_ERROR);
  });
});

describe('ROM, romd and MMIO pages', () => {
  test('ROM: fast loads, stores dropped with OK status, loader writes visible', () => {
    const { port, root, sys, as } = machine();
    root.addSubregion(0x1000, createRom(sys, 'mrom', 0x1000));
    writeRom(as, 0x1000, new Uint8Array([0x97, 0x02, 0x00, 0x00]));
    assert.equal(port.fetch32(0x1000), 0x297);
    assert.notEqual(port.readPage(0x1000), null);
    assert.equal(port.writePage(0x1000), null);
    port.store32(0x1000, 0);
    assert.equal(port.status, MEMTX_OK);
    assert.equal(port.load32(0x1000), 0x297);
  });

  test('ROM device: romd reads direct, writes to the callback; MMIO mode reads via callback', () => {
    const { port, root, sys, as } = machine();
    const log: string[] = [];
    const flash = createRomDevice(sys, 'flash', 0x2000, {
      read: (_r, o, s) => (log.push(`r${s}@${o}`), 0x5a),
      write: (_r, o, v, s) => void log.push(`w${s}@${o}=${v}`),
    });
    root.addSubregion(0x20000000, flash);
    writeRom(as, 0x20000000, new Uint8Array([1, 2, 3, 4]));
    assert.equal(port.load32(0x20000000), 0x04030201);
    port.store16(0x20000002, 0xabcd);
    assert.deepEqual(log, ['w2@2=43981']);
    flash.setRomdMode(false);
    assert.equal(port.load8(0x20000000), 0x5a);
    assert.deepEqual(log.slice(1), ['r1@0']);
  });

  test('QEMU 7.2 TCG: a byte-only device alone in its page rejects a 4-byte load; sharing a page it is split', () => {
    const { port, root, sys } = machine();
    const calls: string[] = [];
    const byteOps: MemoryRegionOps = {
      read: (_r, o, s) => (calls.push(`r${s}@${o}`), o),
      write: () => undefined,
      valid: { maxAccessSize: 1 },
    };
    root.addSubregion(0x10000000, createIo(sys, 'whole', 0x1000, byteOps));
    root.addSubregion(0x10001000, createIo(sys, 'shared', 0x100, byteOps));
    port.load32(0x10000000);
    assert.equal(port.status, MEMTX_DECODE_ERROR);
    assert.deepEqual(calls, []);
    assert.equal(port.load32(0x10001004) >>> 0, 0x07060504);
    assert.equal(port.status, MEMTX_OK);
    assert.deepEqual(calls, ['r1@4', 'r1@5', 'r1@6', 'r1@7']);
    // A shared page whose access touches the unassigned gap is rejected as a whole.
    port.load16(0x100010ff);
    assert.equal(port.status, MEMTX_DECODE_ERROR);
  });

  test('device errors and unassigned accesses set status; good accesses clear it', () => {
    const { port, root, sys } = machine();
    root.addSubregion(
      0x10000000,
      createIo(sys, 'err', 0x1000, {
        readWithAttrs: () => MEMTX_ERROR,
        write: () => {
          throw new Error('broken device');
        },
      }),
    );
    port.load32(0x10000000);
    assert.equal(port.status, MEMTX_ERROR);
    port.store32(0x10000000, 1);
    assert.equal(port.status, MEMTX_ERROR);
    port.load32(0x80000000);
    assert.equal(port.status, MEMTX_OK);
    port.store8(0x30000000, 1);
    assert.equal(port.status, MEMTX_DECODE_ERROR);
  });
});

describe('addresses, topology and dirty state', () => {
  test('page-crossing misaligned accesses and int32 addresses', () => {
    const { port } = machine();
    port.store32(0x80000ffe, 0xa1b2c3d4);
    assert.equal(port.load32(0x80000ffe) >>> 0, 0xa1b2c3d4);
    assert.equal(port.load16(0x80000fff), 0xb2c3);
    assert.equal(port.load32(0x80000000 | 0), port.load32(0x80000000));
  });

  test('the port follows moves, disables and new regions', () => {
    const { port, root, sys, ram } = machine();
    port.store32(0x80000000, 42);
    const g = port.generation;
    ram.setAddress(0x90000000);
    assert.ok(port.generation > g);
    port.load32(0x80000000);
    assert.equal(port.status, MEMTX_DECODE_ERROR);
    assert.equal(port.load32(0x90000000), 42);
    const over = createRam(sys, 'over', 0x1000);
    root.addSubregionOverlap(0x90000000, over, 1);
    assert.equal(port.load32(0x90000000), 0);
    over.setEnabled(false);
    assert.equal(port.load32(0x90000000), 42);
  });

  test('after a dirty reset the next store marks the page again (fast path re-armed after)', () => {
    const { port, ram } = machine();
    memoryRegionSetLog(ram, true, DIRTY_MEMORY_VGA);
    port.store32(0x80002000, 1);
    assert.equal(memoryRegionResetDirty(ram, 0, 0x10000, DIRTY_MEMORY_VGA), true);
    assert.equal(memoryRegionGetDirty(ram, 0x2000, 4, DIRTY_MEMORY_VGA), false);
    assert.equal(port.writePage(0x80002000), null);
    port.store8(0x80002001, 7);
    assert.equal(memoryRegionGetDirty(ram, 0x2000, 4, DIRTY_MEMORY_VGA), true);
    assert.equal(memoryRegionGetDirty(ram, 0x3000, 4, DIRTY_MEMORY_VGA), false);
    assert.notEqual(port.writePage(0x80002000), null);
  });

  test('ramWindow: a CPU inner loop reading and writing RAM directly stays exact', () => {
    const { port, ram } = machine();
    memoryRegionSetLog(ram, true, DIRTY_MEMORY_VGA);
    let w = port.ramWindow();
    assert.equal(w.base, 0x80000000);
    assert.equal(w.loadSize, 0x10000);
    const store32 = (addr: number, v: number): void => {
      if (port.generation !== w.generation) w = port.ramWindow();
      const o = (addr - w.base) >>> 0;
      if (o < w.storeSize && (addr & 3) === 0 && w.storeFlags[o >>> w.pageBits] !== 0)
        w.view.setInt32(o, v, true);
      else port.store32(addr, v);
    };
    const load32 = (addr: number): number => {
      if (port.generation !== w.generation) w = port.ramWindow();
      const o = (addr - w.base) >>> 0;
      return o < w.loadSize && (addr & 3) === 0 ? w.view.getInt32(o, true) : port.load32(addr);
    };
    store32(0x80000010, 5);
    assert.equal(load32(0x80000010), 5);
    memoryRegionResetDirty(ram, 0, 0x10000, DIRTY_MEMORY_VGA);
    store32(0x80000020, 6); // flag cleared in place: goes through the port and marks dirty
    assert.equal(memoryRegionGetDirty(ram, 0, 4, DIRTY_MEMORY_VGA), true);
    const g = port.generation;
    port.addWatchpoint(0x80000010, 4, 'read');
    assert.notEqual(port.generation, g);
    const hits: number[] = [];
    port.watchHook = (h) => hits.push(h.address);
    assert.equal(load32(0x80000010), 5);
    assert.deepEqual(hits, [0x80000010], 'the refreshed window no longer serves loads');
    assert.equal(port.ramWindow().loadSize, 0);
  });

  test('a big-endian target reads RAM big-endian', () => {
    const { port, as } = machine({ targetBigEndian: true });
    writeWithAttrs(as, 0x80000000, new Uint8Array([0x11, 0x22, 0x33, 0x44]));
    assert.equal(port.load32(0x80000000), 0x11223344);
    assert.equal(port.load16(0x80000002), 0x3344);
  });
});
