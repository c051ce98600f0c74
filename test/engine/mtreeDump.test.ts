// The dump reader on topologies built by the engine itself: print -D / -f / -o, read them back,
// print again — the text must come back unchanged, including awkward names, duplicate names,
// disabled subtrees, read-only aliases, containers with ops and shared views. Malformed dumps
// are reported with their line number.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  MemorySystem,
  createAlias,
  createContainer,
  createIo,
  createRam,
  createRom,
  createRomDevice,
  type QomObject,
} from '../../src/engine/index';
import {
  formatMtree,
  importMtreeDump,
  MtreeParseError,
  parseFlatDump,
  parseTreeDump,
} from '../../src/engine/mtree';
import { testOps } from './helpers';

function awkwardMachine(): MemorySystem {
  const sys = new MemorySystem();
  const uart: QomObject = { kind: 'dev', path: '/machine/soc/uart[0]' };
  const flashDev: QomObject = { kind: 'dev', id: 'flash0' };
  const system = createContainer(sys, 'system', 1n << 64n);
  const ram = createRam(sys, 'ram', 0x10_0000, { owner: { kind: 'obj', path: '/objects/ram' } });
  const apb = createContainer(sys, 'CMSDK APB peripheral region @0x40000000', 0x1_0000);
  const dupA = createIo(sys, 'dup', 0x100, testOps, { owner: uart });
  const dupB = createIo(sys, 'dup', 0x100, testOps, { owner: uart });
  apb.addSubregion(0x0, dupA);
  apb.addSubregion(0x1000, dupB);
  const bg = createIo(sys, 'bg [x]', 0x1_0000, testOps);
  apb.addSubregionOverlap(0, bg, -1000);
  system.addSubregion(0x4000_0000, apb);
  system.addSubregion(0x8000_0000, ram);
  const roAlias = createAlias(sys, 'ram-ro @view', ram, 0x8000, 0x8000);
  roAlias.setReadonly(true);
  system.addSubregionOverlap(0x9000_0000, roAlias, 2);
  system.addSubregion(0x4800_0000, createAlias(sys, 'apb-mirror', apb, 0, 0x1_0000));
  system.addSubregion(0x4900_0000, createAlias(sys, 'dup-b', dupB, 0x80, 0x80));
  const withOps = createIo(sys, 'pcie-window', 0x10_0000, testOps);
  withOps.addSubregion(0x1000, createRam(sys, 'bar0', 0x1000));
  withOps.addSubregion(0x8000, createContainer(sys, 'empty bus', 0x1000));
  system.addSubregion(0x5000_0000, withOps);
  const flash = createRomDevice(sys, 'flash', 0x2_0000, testOps, { owner: flashDev });
  system.addSubregion(0x2000_0000, flash);
  const rom = createRom(sys, 'boot rom', 0x1000);
  rom.setNonvolatile(true);
  system.addSubregion(0x1000, rom);
  const off = createContainer(sys, 'sleeping', 0x1000);
  off.addSubregion(0x10, createIo(sys, 'awake child', 0x10, testOps));
  system.addSubregion(0x6000_0000, off);
  off.setEnabled(false);
  // Equal priorities at different addresses: the newer, higher one wins the overlap, which
  // the printed (address) order does not tell; only the flat view does.
  const low = createIo(sys, 'low', 0x2000, testOps);
  const high = createIo(sys, 'high', 0x2000, testOps);
  system.addSubregion(0x7000_0000, low);
  system.addSubregion(0x7000_1000, high);
  const io = createIo(sys, 'io', 0x1_0000, testOps);
  io.addSubregion(0x3f8, createIo(sys, 'serial', 8, testOps));
  sys.createAddressSpace(system, 'memory');
  sys.createAddressSpace(system, 'cpu-memory-0');
  const busMaster = createContainer(sys, 'bus master container', 1n << 64n);
  busMaster.addSubregion(0, createAlias(sys, 'bus master', system, 0, 1n << 64n));
  sys.createAddressSpace(busMaster, 'dma');
  const idle = createContainer(sys, 'bus master container', 1n << 64n);
  const idleAlias = createAlias(sys, 'bus master', system, 0, 1n << 64n);
  idle.addSubregion(0, idleAlias);
  idleAlias.setEnabled(false);
  sys.createAddressSpace(idle, 'idle');
  sys.createAddressSpace(io, 'I/O');
  sys.createAddressSpace(createAlias(sys, 'sys-view', system, 0, 1n << 64n), 'via-alias');
  sys.createAddressSpace(createAlias(sys, 'io-window', io, 0x3f8, 8), 'io-window');
  return sys;
}

describe('reading info mtree dumps', () => {
  test('round trip: dumps of an engine topology read back to the same text in every mode', () => {
    const original = awkwardMachine();
    const topo = importMtreeDump({
      tree: formatMtree(original, { disabled: true }),
      flat: formatMtree(original, { flat: true }),
      ownerTree: formatMtree(original, { owner: true }),
    });
    assert.deepEqual(topo.problems, []);
    // Address-space creation order across different views is not in the dumps (QEMU prints
    // groups in hash order), so blocks are compared as sets; inside a block, exactly.
    const blocks = (text: string) =>
      text
        .split('\n\n')
        .map((b) => b.replace(/^FlatView #\d+\n/, ''))
        .sort();
    for (const opts of [
      {},
      { disabled: true },
      { owner: true },
      { flat: true },
      { flat: true, owner: true },
    ]) {
      const again = formatMtree(topo.system, opts);
      assert.deepEqual(blocks(again), blocks(formatMtree(original, opts)), JSON.stringify(opts));
    }
  });

  test('classification: content vs pure container, read-only aliases', () => {
    const topo = importMtreeDump({
      tree: formatMtree(awkwardMachine(), { disabled: true }),
      flat: formatMtree(awkwardMachine(), { flat: true }),
    });
    const byName = (n: string) => topo.regions.filter((r) => r.name === n);
    assert.equal(byName('pcie-window')[0]!.kind, 'io'); // fills its holes in the flat view
    assert.equal(byName('empty bus')[0]!.kind, 'container'); // hidden by nothing, never shown
    assert.equal(byName('system')[0]!.kind, 'container');
    assert.equal(byName('ram-ro @view')[0]!.readonly, true);
    assert.equal(byName('dup').length, 2);
    assert.equal(byName('dup-b')[0]!.alias, byName('dup')[1]); // the second 'dup', by queue order
    const system = byName('system')[0]!;
    const low = system.subregions.indexOf(byName('low')[0]!);
    const high = system.subregions.indexOf(byName('high')[0]!);
    assert.ok(high < low, 'the overlap winner is the newer sibling');
  });

  test('a flat dump that the tree cannot explain is reported, not copied', () => {
    const sys = awkwardMachine();
    const flat = formatMtree(sys, { flat: true }).replace(': bar0\n', ': bar0-renamed\n');
    const topo = importMtreeDump({ tree: formatMtree(sys, { disabled: true }), flat });
    assert.equal(topo.problems.length, 1);
    assert.match(topo.problems[0]!, /rendered .*bar0".*dump line \d+ .*bar0-renamed/);
  });

  test('malformed lines are errors with their line number', () => {
    assert.throws(
      () =>
        parseTreeDump(
          'address-space: x\n  0000000000000000-00000000000000ff (prio 0, i/o): a\n      bad indent\n',
          false,
        ),
      (e: unknown) => e instanceof MtreeParseError && e.lineNumber === 3,
    );
    assert.throws(
      () =>
        parseTreeDump(
          'address-space: x\n  0000000000000000-00000000000000ff (prio 0, i/o): a\n      0000000000000000-000000000000000f (prio 0, i/o): deep\n',
          false,
        ),
      /line 3: indentation jumps a level/,
    );
    assert.throws(() => parseFlatDump('  0000-ffff nonsense\n', false), /line 1/);
  });
});
