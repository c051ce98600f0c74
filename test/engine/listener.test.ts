// MemoryListener callbacks and their order (spec §4.2–4.3): begin/commit to every listener in
// ascending priority, per address space all region_del (descending) before region_add
// (ascending), region_nop for unchanged ranges, replay on register and unregister.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  MemorySystem,
  createContainer,
  createIo,
  createRam,
  type MemoryListener,
  type MemoryRegionSection,
} from '../../src/engine/index';
import { testOps } from './helpers';

function recorder(name: string, priority: number, log: string[]): MemoryListener {
  const s = (x: MemoryRegionSection) =>
    `${x.mr?.name}@${x.offsetWithinAddressSpace.toString(16)}+${x.size.toString(16)}`;
  return {
    name,
    priority,
    begin: () => log.push(`${name} begin`),
    commit: () => log.push(`${name} commit`),
    regionAdd: (x) => log.push(`${name} add ${s(x)}`),
    regionDel: (x) => log.push(`${name} del ${s(x)}`),
    regionNop: (x) => log.push(`${name} nop ${s(x)}`),
    logStart: (x, o, n) => log.push(`${name} log_start ${s(x)} ${o}->${n}`),
    logStop: (x, o, n) => log.push(`${name} log_stop ${s(x)} ${o}->${n}`),
  };
}

function setup() {
  const sys = new MemorySystem({ tcg: false });
  const root = createContainer(sys, 'root', 0x10000);
  const ram = createRam(sys, 'ram', 0x4000);
  root.addSubregion(0, ram);
  root.addSubregion(0x8000, createIo(sys, 'dev', 0x100, testOps));
  const as = sys.createAddressSpace(root, 'as');
  return { sys, root, ram, as };
}

describe('listener order', () => {
  test('registration replays the current view to the new listener only', () => {
    const { sys, as } = setup();
    const log: string[] = [];
    sys.registerListener(recorder('A', 10, log), as);
    sys.registerListener(recorder('B', 0, log), as);
    assert.deepEqual(log, [
      'A begin',
      'A add ram@0+4000',
      'A add dev@8000+100',
      'A commit',
      'B begin',
      'B add ram@0+4000',
      'B add dev@8000+100',
      'B commit',
    ]);
  });

  test('splitting a RAM range: del (reverse priority) before adds (forward), nops for the rest', () => {
    const { sys, root, as } = setup();
    const log: string[] = [];
    sys.registerListener(recorder('A', 10, log), as);
    sys.registerListener(recorder('B', 0, log), as);
    log.length = 0;
    root.addSubregionOverlap(0x1000, createIo(sys, 'hole', 0x1000, testOps), 1);
    assert.deepEqual(log, [
      'B begin',
      'A begin',
      'A del ram@0+4000',
      'B del ram@0+4000',
      'B add ram@0+1000',
      'A add ram@0+1000',
      'B add hole@1000+1000',
      'A add hole@1000+1000',
      'B add ram@2000+2000',
      'A add ram@2000+2000',
      'B nop dev@8000+100',
      'A nop dev@8000+100',
      'B commit',
      'A commit',
    ]);
  });

  test('begin/commit go to listeners of unaffected address spaces too; no events without a pending update', () => {
    const { sys, ram, as } = setup();
    const other = sys.createAddressSpace(createContainer(sys, 'other-root', 0x100), 'other');
    const log: string[] = [];
    sys.registerListener(recorder('A', 0, log), as);
    sys.registerListener(recorder('O', 5, log), other);
    log.length = 0;
    ram.setEnabled(false);
    assert.deepEqual(log, [
      'A begin',
      'O begin',
      'A del ram@0+4000',
      'A nop dev@8000+100',
      'A commit',
      'O commit',
    ]);
    const d = createRam(sys, 'disabled', 0x10);
    d.setEnabled(false); // set_enabled always flags an update, even for an unmapped region
    log.length = 0;
    ram.container!.addSubregion(0xf000, d); // QEMU does not flag this: no events at all
    assert.deepEqual(log, []);
  });

  test('a changed flag is del + add; log mask changes are log_start/log_stop', () => {
    const { sys, ram, as } = setup();
    const log: string[] = [];
    sys.registerListener(recorder('A', 0, log), as);
    log.length = 0;
    ram.setReadonly(true);
    assert.deepEqual(log, [
      'A begin',
      'A del ram@0+4000',
      'A add ram@0+4000',
      'A nop dev@8000+100',
      'A commit',
    ]);
    log.length = 0;
    ram.dirtyLogMask = 1; // as set_log(VGA) does, then a topology update
    sys.markFullUpdate();
    sys.begin();
    sys.commit();
    assert.deepEqual(log, [
      'A begin',
      'A nop ram@0+4000',
      'A log_start ram@0+4000 0->1',
      'A nop dev@8000+100',
      'A commit',
    ]);
  });

  test('unregistering replays deletions and detaches', () => {
    const { sys, root, as } = setup();
    const log: string[] = [];
    const l = recorder('A', 0, log);
    sys.registerListener(l, as);
    log.length = 0;
    sys.unregisterListener(l);
    assert.deepEqual(log, ['A begin', 'A del ram@0+4000', 'A del dev@8000+100', 'A commit']);
    log.length = 0;
    root.addSubregion(0xa000, createRam(sys, 'later', 0x10));
    assert.deepEqual(log, []);
    assert.throws(() => sys.unregisterListener(l), /not registered/);
    sys.registerListener(l, as);
    assert.throws(() => sys.registerListener(l, as), /already registered/);
    assert.throws(() => sys.destroyAddressSpace(as), /still has listeners/);
  });

  test('under TCG, RAM ranges carry the CODE log bit and replay log_start(0, mask)', () => {
    const sys = new MemorySystem();
    const root = createContainer(sys, 'root', 0x10000);
    root.addSubregion(0, createRam(sys, 'ram', 0x1000));
    const as = sys.createAddressSpace(root, 'as');
    const log: string[] = [];
    sys.registerListener(recorder('A', 0, log), as);
    assert.deepEqual(log, [
      'A begin',
      'A add ram@0+1000',
      'A log_start ram@0+1000 0->2',
      'A commit',
    ]);
  });
});

describe('robustness', () => {
  test('a throwing listener does not leave views half installed', () => {
    const { sys, root, as } = setup();
    const other = sys.createAddressSpace(root, 'other');
    const log: string[] = [];
    let armed = false;
    const faulty: MemoryListener = {
      regionAdd: () => {
        if (armed) throw new Error('listener bug');
      },
    };
    sys.registerListener(faulty, as);
    armed = true;
    sys.registerListener(recorder('B', 5, log), other);
    log.length = 0;
    assert.throws(() => root.addSubregion(0xa000, createRam(sys, 'late', 0x10)), /listener bug/);
    assert.equal(sys.transactionDepth, 0);
    assert.ok(as.flatView.ranges.some((r) => r.mr.name === 'late'));
    assert.ok(other.flatView.ranges.some((r) => r.mr.name === 'late'));
    assert.ok(log.includes('B add late@a000+10') && log.at(-1) === 'B commit');
  });
  test('the target page size must be a power of two', () => {
    assert.throws(() => new MemorySystem({ targetPageSize: 3000 }), /power of two/);
  });
});
