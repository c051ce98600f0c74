// Dirty memory logging (spec §7): clients VGA / CODE / MIGRATION at target-page granularity,
// counted set_log with log_start/log_stop, get / reset (test-and-clear, log_clear) / set,
// snapshot_and_clear widened to 64 pages with sync, global dirty tracking, RAM resize.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MemorySystem,
  createAlias,
  createContainer,
  createIo,
  createRam,
  createResizeableRam,
  dirtyMemory,
  memoryGlobalDirtyLogStart,
  memoryGlobalDirtyLogStop,
  memoryGlobalDirtyLogSync,
  memoryRegionGetDirty,
  memoryRegionResetDirty,
  memoryRegionSetDirty,
  memoryRegionSetLog,
  memoryRegionSnapshotAndClearDirty,
  memoryRegionSnapshotGetDirty,
  writeWithAttrs,
  DIRTY_MEMORY_CODE,
  DIRTY_MEMORY_MIGRATION,
  DIRTY_MEMORY_VGA,
  GLOBAL_DIRTY_MIGRATION,
  type MemoryListener,
} from '../../src/engine/index';

const VGA = DIRTY_MEMORY_VGA;

function setup(pageSize = 4096) {
  const sys = new MemorySystem({ targetPageSize: pageSize });
  const root = createContainer(sys, 'system', 1n << 32n);
  const vram = createRam(sys, 'vram', 0x40000);
  root.addSubregion(0x100000, vram);
  const as = sys.createAddressSpace(root, 'memory');
  const events: string[] = [];
  const listener: MemoryListener = {
    name: 'log',
    logStart: (s, o, n) => events.push(`start ${s.mr?.name} ${o}->${n}`),
    logStop: (s, o, n) => events.push(`stop ${s.mr?.name} ${o}->${n}`),
    logSync: (s) => events.push(`sync ${s.mr?.name}`),
    logClear: (s) => events.push(`clear ${s.mr?.name}`),
    logGlobalStart: () => void events.push('global-start'),
    logGlobalStop: () => events.push('global-stop'),
    logGlobalAfterSync: () => events.push('after-sync'),
  };
  sys.registerListener(listener, as);
  // Registration replays log_start(0, mask) for the CODE bit TCG gives every RAM range.
  assert.deepEqual(events, [`start vram 0->${1 << DIRTY_MEMORY_CODE}`]);
  events.length = 0;
  return { sys, root, vram, as, events };
}

describe('dirty logging', () => {
  test('set_log is counted; the VGA bit changes (log_start/log_stop) only on 0↔1 transitions', () => {
    const { vram, events, as } = setup();
    const code = 1 << DIRTY_MEMORY_CODE;
    memoryRegionSetLog(vram, true, VGA);
    memoryRegionSetLog(vram, true, VGA);
    assert.equal(as.flatView.ranges[0]!.dirtyLogMask, code | 1);
    memoryRegionSetLog(vram, false, VGA);
    assert.deepEqual(events, [`start vram ${code}->${code | 1}`]);
    memoryRegionSetLog(vram, false, VGA);
    assert.deepEqual(events.slice(1), [`stop vram ${code | 1}->${code}`]);
    assert.throws(() => memoryRegionSetLog(vram, false, VGA), /not on/);
    assert.throws(
      () => memoryRegionSetLog(vram, true, DIRTY_MEMORY_MIGRATION),
      /only the VGA client/,
    );
  });

  test('get / reset / writes at page granularity; new RAM starts dirty', () => {
    const { vram, as, events } = setup();
    memoryRegionSetLog(vram, true, VGA);
    assert.equal(memoryRegionGetDirty(vram, 0, 0x40000, VGA), true, 'new blocks are dirty');
    assert.equal(memoryRegionResetDirty(vram, 0, 0x40000, VGA), true);
    assert.ok(events.includes('clear vram'), 'reset forwards log_clear');
    assert.equal(memoryRegionResetDirty(vram, 0, 0x40000, VGA), false);
    writeWithAttrs(as, 0x100fff, new Uint8Array([1, 2]));
    assert.equal(memoryRegionGetDirty(vram, 0x0000, 0x1000, VGA), true);
    assert.equal(memoryRegionGetDirty(vram, 0x1000, 1, VGA), true);
    assert.equal(memoryRegionGetDirty(vram, 0x2000, 0x3e000, VGA), false);
    // A range covers pages floor(a/P) … ceil((a+len)/P) − 1.
    assert.equal(memoryRegionGetDirty(vram, 0x1fff, 2, VGA), true);
    assert.equal(memoryRegionGetDirty(vram, 0x2000, 0x1000, VGA), false);
    memoryRegionSetDirty(vram, 0x5000, 1);
    assert.equal(memoryRegionGetDirty(vram, 0x5fff, 1, VGA), true);
  });

  test('dirty state belongs to the RAM: writes through an alias mark the same pages', () => {
    const { sys, root, vram, as } = setup();
    root.addSubregion(0x800000, createAlias(sys, 'fb-alias', vram, 0x8000, 0x8000));
    memoryRegionSetLog(vram, true, VGA);
    memoryRegionResetDirty(vram, 0, 0x40000, VGA);
    writeWithAttrs(as, 0x801000, new Uint8Array([1]));
    assert.equal(memoryRegionGetDirty(vram, 0x9000, 1, VGA), true);
    assert.equal(memoryRegionGetDirty(vram, 0x1000, 1, VGA), false);
  });

  test('1 KiB target pages give 1 KiB granularity', () => {
    const { vram, as } = setup(1024);
    memoryRegionSetLog(vram, true, VGA);
    memoryRegionResetDirty(vram, 0, 0x40000, VGA);
    writeWithAttrs(as, 0x100400, new Uint8Array([1]));
    assert.equal(memoryRegionGetDirty(vram, 0x400, 0x400, VGA), true);
    assert.equal(memoryRegionGetDirty(vram, 0x800, 0x400, VGA), false);
    assert.equal(memoryRegionGetDirty(vram, 0x000, 0x400, VGA), false);
  });

  test('snapshot_and_clear syncs, widens to 64 pages, clears, then log_global_after_sync', () => {
    const { vram, as, events } = setup();
    memoryRegionSetLog(vram, true, VGA);
    memoryRegionResetDirty(vram, 0, 0x40000, VGA);
    writeWithAttrs(as, 0x100000 + 0x3f000, new Uint8Array([1]));
    writeWithAttrs(as, 0x100000 + 0x2000, new Uint8Array([1]));
    events.length = 0;
    const snap = memoryRegionSnapshotAndClearDirty(vram, 0x2000, 0x1000, VGA);
    assert.deepEqual(events, ['sync vram', 'after-sync']);
    assert.equal(snap.start, 0);
    assert.equal(snap.end, 0x40000, 'widened to 64 pages (256 KiB)');
    assert.equal(memoryRegionSnapshotGetDirty(vram, snap, 0x2000, 0x1000), true);
    assert.equal(
      memoryRegionSnapshotGetDirty(vram, snap, 0x3f000, 1),
      true,
      'neighbours inside the widened range too',
    );
    assert.equal(memoryRegionSnapshotGetDirty(vram, snap, 0x3000, 0x1000), false);
    assert.equal(memoryRegionGetDirty(vram, 0x3f000, 1, VGA), false, 'cleared');
    assert.throws(
      () => memoryRegionSnapshotGetDirty(vram, snap, 0x40000, 1),
      /outside the snapshot/,
    );
  });

  test('global dirty tracking: log_global_start, MIGRATION joins the masks, stop reverses', () => {
    const { sys, vram, events, root } = setup();
    root.addSubregion(0x1000, createIo(sys, 'dev', 0x100, { read: () => 0 }));
    const code = 1 << DIRTY_MEMORY_CODE;
    const mig = 1 << DIRTY_MEMORY_MIGRATION;
    memoryGlobalDirtyLogStart(sys, GLOBAL_DIRTY_MIGRATION);
    assert.deepEqual(events, ['global-start', `start vram ${code}->${code | mig}`]);
    events.length = 0;
    memoryGlobalDirtyLogSync(sys);
    assert.deepEqual(events, ['sync vram'], 'only ranges with a log mask sync');
    events.length = 0;
    memoryRegionResetDirty(vram, 0, 0x40000, DIRTY_MEMORY_MIGRATION);
    assert.equal(memoryRegionGetDirty(vram, 0, 0x40000, DIRTY_MEMORY_MIGRATION), false);
    memoryGlobalDirtyLogStop(sys, GLOBAL_DIRTY_MIGRATION);
    assert.deepEqual(events.slice(1), [`stop vram ${code | mig}->${code}`, 'global-stop']);
  });

  test('a refused log_global_start stops the listeners already started and throws', () => {
    const { sys, events } = setup();
    const as2 = sys.createAddressSpace(createContainer(sys, 'other', 0x1000), 'other');
    sys.registerListener({ name: 'no', priority: 5, logGlobalStart: () => false }, as2);
    assert.throws(
      () => memoryGlobalDirtyLogStart(sys, GLOBAL_DIRTY_MIGRATION),
      /refused by listener 'no'/,
    );
    assert.deepEqual(events, ['global-start', 'global-stop']);
    assert.equal(sys.globalDirtyLogFlags, 0);
  });

  test('ram_resize: old used range cleaned, whole new used range dirty for every client', () => {
    const sys = new MemorySystem();
    const dm = dirtyMemory(sys);
    const mr = createResizeableRam(sys, 'fw', 0x2000, 0x8000);
    const block = mr.ramBlock!;
    dm.testAndClear(block, 0, 0x8000, VGA);
    mr.ramResize(0x3000);
    assert.equal(dm.allDirty(block, 0, 0x3000, VGA), true);
    assert.equal(dm.allDirty(block, 0, 0x3000, DIRTY_MEMORY_MIGRATION), true);
    assert.equal(dm.getDirty(block, 0x3000, 0x5000, VGA), false);
  });

  test('misuse: non-RAM regions and unknown clients throw', () => {
    const { sys } = setup();
    const io = createIo(sys, 'io', 0x10, { read: () => 0 });
    assert.throws(() => memoryRegionGetDirty(io, 0, 1, VGA), /has no RAM block/);
    assert.throws(
      () => memoryRegionGetDirty(createRam(sys, 'r', 16), 0, 1, 7),
      /unknown dirty memory client/,
    );
  });
});
