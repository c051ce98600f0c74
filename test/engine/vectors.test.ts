// The worked vectors of qemu-memory-spec.md §10.1–10.3 (from QEMU's docs/devel/memory.rst and
// derived from the render algorithm), as golden flat views and `info mtree` text.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  MemorySystem,
  createAlias,
  createContainer,
  createIo,
  createRam,
  createReservation,
  type MemoryRegion,
} from '../../src/engine/index';
import { formatMtree } from '../../src/engine/mtree';
import { flat, testOps } from './helpers';

function abcde(bWithOps: boolean) {
  const sys = new MemorySystem();
  const A = createContainer(sys, 'A', 0x8000);
  const as = sys.createAddressSpace(A, 'test');
  const C = createIo(sys, 'C', 0x6000, testOps);
  const B = bWithOps ? createIo(sys, 'B', 0x4000, testOps) : createContainer(sys, 'B', 0x4000);
  const D = createIo(sys, 'D', 0x1000, testOps);
  const E = createIo(sys, 'E', 0x1000, testOps);
  A.addSubregionOverlap(0x0, C, 1);
  A.addSubregionOverlap(0x2000, B, 2);
  B.addSubregion(0x0, D);
  B.addSubregion(0x2000, E);
  return { sys, as };
}

describe('spec 10.1: overlap and priority (A, B, C, D, E)', () => {
  test('B pure container: holes in B fall through to C', () => {
    const { as } = abcde(false);
    assert.deepEqual(flat(as), [
      '0-1fff C',
      '2000-2fff D',
      '3000-3fff C @3000',
      '4000-4fff E',
      '5000-5fff C @5000',
    ]);
  });
  test('B with its own ops: B fills its holes and beats C across its range', () => {
    const { as } = abcde(true);
    assert.deepEqual(flat(as), [
      '0-1fff C',
      '2000-2fff D',
      '3000-3fff B @1000',
      '4000-4fff E',
      '5000-5fff B @3000',
    ]);
  });
  test('info mtree and info mtree -f text', () => {
    const { sys } = abcde(false);
    assert.equal(
      formatMtree(sys),
      'address-space: test\n' +
        '  0000000000000000-0000000000007fff (prio 0, i/o): A\n' +
        '    0000000000000000-0000000000005fff (prio 1, i/o): C\n' +
        '    0000000000002000-0000000000005fff (prio 2, i/o): B\n' +
        '      0000000000002000-0000000000002fff (prio 0, i/o): D\n' +
        '      0000000000004000-0000000000004fff (prio 0, i/o): E\n\n',
    );
    assert.equal(
      formatMtree(sys, { flat: true }),
      'FlatView #0\n AS "test", root: A\n Root memory region: A\n' +
        '  0000000000000000-0000000000001fff (prio 1, i/o): C\n' +
        '  0000000000002000-0000000000002fff (prio 0, i/o): D\n' +
        '  0000000000003000-0000000000003fff (prio 1, i/o): C @0000000000003000\n' +
        '  0000000000004000-0000000000004fff (prio 0, i/o): E\n' +
        '  0000000000005000-0000000000005fff (prio 1, i/o): C @0000000000005000\n\n',
    );
    const withOps = abcde(true).sys;
    const text = formatMtree(withOps, { flat: true });
    assert.match(text, /\(prio 2, i\/o\): B @0000000000001000\n/);
    assert.match(text, /\(prio 2, i\/o\): B @0000000000003000\n/);
  });
});

function simplifiedPc() {
  const sys = new MemorySystem();
  const ram = createRam(sys, 'ram', 0x1_0000_0000n, { sparse: true });
  const pci = createContainer(sys, 'pci', 0x1_0000_0000n);
  const vgaArea = createContainer(sys, 'vga-area', 0x20000);
  const vram = createRam(sys, 'vram', 0x100_0000);
  const vgaLo = createAlias(sys, 'vga-lo', vram, 0x10000, 0x8000);
  const vgaHi = createAlias(sys, 'vga-hi', vram, 0x20000, 0x8000);
  vgaArea.addSubregion(0x0, vgaLo);
  vgaArea.addSubregion(0x8000, vgaHi);
  pci.addSubregion(0xa0000, vgaArea);
  pci.addSubregion(0xe1000000, vram);
  const vgaMmio = createIo(sys, 'vga-mmio', 0x10000, testOps);
  pci.addSubregion(0xe2000000, vgaMmio);
  const system = createContainer(sys, 'system', 0x1_0000_0000_0000n);
  const as = sys.createAddressSpace(system, 'memory');
  const lomem = createAlias(sys, 'lomem', ram, 0, 0xe000_0000);
  const himem = createAlias(sys, 'himem', ram, 0xe000_0000, 0x2000_0000);
  const vgaWindow = createAlias(sys, 'vga-window', pci, 0xa0000, 0x20000);
  const pciHole = createAlias(sys, 'pci-hole', pci, 0xe000_0000, 0x2000_0000);
  system.addSubregion(0, lomem);
  system.addSubregion(0x1_0000_0000n, himem);
  system.addSubregionOverlap(0xa0000, vgaWindow, 1);
  system.addSubregion(0xe000_0000, pciHole);
  return { sys, as, system, vgaWindow, vram, pci };
}

describe('spec 10.2: simplified PC memory map', () => {
  test('flat view', () => {
    const { as } = simplifiedPc();
    assert.deepEqual(flat(as), [
      '0-9ffff ram',
      'a0000-a7fff vram @10000',
      'a8000-affff vram @20000',
      'b0000-dfffffff ram @b0000',
      'e1000000-e1ffffff vram',
      'e2000000-e200ffff vga-mmio',
      '100000000-11fffffff ram @e0000000',
    ]);
  });
  test('removing or disabling vga-window exposes RAM: one range 0-0xdfffffff', () => {
    const a = simplifiedPc();
    a.system.removeSubregion(a.vgaWindow);
    assert.deepEqual(flat(a.as).slice(0, 1), ['0-dfffffff ram']);
    const b = simplifiedPc();
    b.vgaWindow.setEnabled(false);
    assert.deepEqual(flat(b.as).slice(0, 1), ['0-dfffffff ram']);
  });
  test('a BAR moved outside the pci-hole window becomes invisible', () => {
    const { as, vram } = simplifiedPc();
    vram.setAddress(0x1000_0000);
    assert.ok(!flat(as).some((l) => l.startsWith('e1000000')));
    assert.ok(!flat(as).some((l) => l.includes('vram') && !l.startsWith('a')));
  });
  test('info mtree text', () => {
    const { sys } = simplifiedPc();
    assert.equal(
      formatMtree(sys),
      `address-space: memory
  0000000000000000-0000ffffffffffff (prio 0, i/o): system
    0000000000000000-00000000dfffffff (prio 0, ram): alias lomem @ram 0000000000000000-00000000dfffffff
    00000000000a0000-00000000000bffff (prio 1, i/o): alias vga-window @pci 00000000000a0000-00000000000bffff
    00000000e0000000-00000000ffffffff (prio 0, i/o): alias pci-hole @pci 00000000e0000000-00000000ffffffff
    0000000100000000-000000011fffffff (prio 0, ram): alias himem @ram 00000000e0000000-00000000ffffffff

memory-region: ram
  0000000000000000-00000000ffffffff (prio 0, ram): ram

memory-region: pci
  0000000000000000-00000000ffffffff (prio 0, i/o): pci
    00000000000a0000-00000000000bffff (prio 0, i/o): vga-area
      00000000000a0000-00000000000a7fff (prio 0, ram): alias vga-lo @vram 0000000000010000-0000000000017fff
      00000000000a8000-00000000000affff (prio 0, ram): alias vga-hi @vram 0000000000020000-0000000000027fff
    00000000e1000000-00000000e1ffffff (prio 0, ram): vram
    00000000e2000000-00000000e200ffff (prio 0, i/o): vga-mmio

memory-region: vram
  00000000e1000000-00000000e1ffffff (prio 0, ram): vram

`,
    );
  });
});

function rootR(size = 0x10000) {
  const sys = new MemorySystem();
  const R = createContainer(sys, 'R', size);
  const as = sys.createAddressSpace(R, 'as');
  return { sys, R, as };
}

describe('spec 10.3: subtle rules', () => {
  test('1. tie-break: the newest equal-priority sibling wins; setAddress re-inserts as newest', () => {
    const t = rootR();
    const X = createIo(t.sys, 'X', 0x2000, testOps);
    const Y = createIo(t.sys, 'Y', 0x2000, testOps);
    t.R.addSubregion(0x0, X);
    t.R.addSubregion(0x1000, Y);
    assert.deepEqual(flat(t.as), ['0-fff X', '1000-2fff Y']);
    X.setAddress(0x0); // same address: no-op, no reorder
    assert.deepEqual(flat(t.as), ['0-fff X', '1000-2fff Y']);
    X.setAddress(0x10);
    X.setAddress(0x0);
    assert.deepEqual(flat(t.as), ['0-1fff X', '2000-2fff Y @1000']);

    const u = rootR();
    const X2 = createIo(u.sys, 'X', 0x2000, testOps);
    const Y2 = createIo(u.sys, 'Y', 0x2000, testOps);
    u.R.addSubregion(0x1000, Y2);
    u.R.addSubregion(0x0, X2);
    assert.deepEqual(flat(u.as), ['0-1fff X', '2000-2fff Y @1000']);
  });

  test('2. alias math: target placement irrelevant; window beyond the target is a hole', () => {
    const t = rootR();
    const M = createRam(t.sys, 'M', 0x10000);
    M.setAddress(0x5000); // unmapped: only records addr, which rendering cancels out
    const a1 = createAlias(t.sys, 'a1', M, 0x2000, 0x1000);
    t.R.addSubregion(0x8000, a1);
    assert.deepEqual(flat(t.as), ['8000-8fff M @2000']);
    const t2 = rootR();
    const M2 = createRam(t2.sys, 'M', 0x10000);
    const below = createIo(t2.sys, 'below', 0x10000, testOps);
    t2.R.addSubregionOverlap(0, below, -1);
    t2.R.addSubregion(0x100, createAlias(t2.sys, 'a2', M2, 0xf000, 0x2000));
    assert.deepEqual(flat(t2.as), ['0-ff below', '100-10ff M @f000', '1100-ffff below @1100']);
  });

  test('3. container with ops fills its holes; a pure container lets L through', () => {
    for (const withOps of [true, false]) {
      const t = rootR();
      const L = createRam(t.sys, 'L', 0x10000);
      const K = withOps
        ? createIo(t.sys, 'K', 0x4000, testOps)
        : createContainer(t.sys, 'K', 0x4000);
      const J = createRam(t.sys, 'J', 0x1000);
      K.addSubregion(0x1000, J);
      t.R.addSubregion(0, L);
      t.R.addSubregionOverlap(0x4000, K, 1);
      assert.deepEqual(
        flat(t.as),
        withOps
          ? ['0-3fff L', '4000-4fff K', '5000-5fff J', '6000-7fff K @2000', '8000-ffff L @8000']
          : ['0-4fff L', '5000-5fff J', '6000-ffff L @6000'],
      );
    }
  });

  test('4. clipping: children sticking out of a container are truncated', () => {
    const t = rootR(0x20000);
    const P = createContainer(t.sys, 'P', 0x1000);
    const Q = createRam(t.sys, 'Q', 0x2000);
    P.addSubregion(0x800, Q);
    t.R.addSubregion(0x10000, P);
    assert.deepEqual(flat(t.as), ['10800-10fff Q']);
  });

  test('5. merging: contiguous slices of one RAM merge unless flags or offsets differ', () => {
    const mk = (secondOffset: number, readonly: boolean) => {
      const t = rootR();
      const M = createRam(t.sys, 'M', 0x4000);
      const a = createAlias(t.sys, 'a', M, 0, 0x2000);
      const b = createAlias(t.sys, 'b', M, secondOffset, 0x2000);
      b.setReadonly(readonly);
      t.R.addSubregion(0, a);
      t.R.addSubregion(0x2000, b);
      return t;
    };
    assert.deepEqual(flat(mk(0x2000, false).as), ['0-3fff M']);
    const ro = mk(0x2000, true);
    assert.deepEqual(flat(ro.as), ['0-1fff M', '2000-3fff M @2000 ro']);
    assert.match(formatMtree(ro.sys, { flat: true }), /\(prio 0, rom\): M @0000000000002000\n/);
    assert.deepEqual(flat(mk(0x1000, false).as), ['0-1fff M', '2000-3fff M @1000']);
  });

  test('6. a disabled region obscures nothing', () => {
    const t = rootR();
    const L = createRam(t.sys, 'L', 0x10000);
    const D = createIo(t.sys, 'D', 0x1000, testOps);
    D.setEnabled(false);
    t.R.addSubregion(0, L);
    t.R.addSubregionOverlap(0x1000, D, 5);
    assert.deepEqual(flat(t.as), ['0-ffff L']);
  });

  test('7. flat-root sharing: a full-size alias root shares the view of its target', () => {
    const sys = new MemorySystem();
    const system = createContainer(sys, 'system', 1n << 64n);
    system.addSubregion(0, createRam(sys, 'ram', 0x1000));
    system.addSubregion(0x2000, createRam(sys, 'ram2', 0x1000));
    const wrapper = createContainer(sys, 'wrapper', 1n << 64n);
    wrapper.addSubregion(0, createAlias(sys, 'sys-alias', system, 0, 1n << 64n));
    const as1 = sys.createAddressSpace(system, 'as1');
    const as2 = sys.createAddressSpace(wrapper, 'as2');
    assert.equal(as1.flatView, as2.flatView);
    assert.equal(
      formatMtree(sys, { flat: true }).split('\n').slice(0, 4).join('\n'),
      'FlatView #0\n AS "as1", root: system\n AS "as2", root: wrapper\n Root memory region: system',
    );
  });

  test('8. a reservation claims its range and hides what is below', () => {
    const t = rootR();
    const L = createRam(t.sys, 'L', 0x10000);
    const N = createReservation(t.sys, 'N', 0x1000);
    t.R.addSubregion(0, L);
    t.R.addSubregionOverlap(0x3000, N, 1);
    assert.deepEqual(flat(t.as), ['0-2fff L', '3000-3fff N', '4000-ffff L @4000']);
  });
});

export type { MemoryRegion };
