// Hierarchy mutators, API misuse, transactions, 64-bit arithmetic and lookups (spec §1–§4).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  MemorySystem,
  RamBlock,
  createAlias,
  createContainer,
  createIo,
  createRam,
  createResizeableRam,
  createRomDevice,
} from '../../src/engine/index';
import { formatMtree } from '../../src/engine/mtree';
import { flat, testOps } from './helpers';

function setup(size: bigint | number = 0x10000) {
  const sys = new MemorySystem();
  const root = createContainer(sys, 'root', size);
  const as = sys.createAddressSpace(root, 'as');
  return { sys, root, as };
}

describe('insertion order and priorities', () => {
  test('equal priorities: newest first (PAM order pam-ram, pam-pci@ram, pam-rom, pam-pci@pci)', () => {
    const { sys, root } = setup();
    const names = ['pam-pci@pci', 'pam-rom', 'pam-pci@ram', 'pam-ram'];
    for (const n of names) root.addSubregionOverlap(0xc000, createIo(sys, n, 0x1000, testOps), 1);
    assert.deepEqual(
      root.subregions.map((r) => r.name),
      [...names].reverse(),
    );
  });
  test('higher priority sorts first; negative priorities last; addSubregion resets priority to 0', () => {
    const { sys, root } = setup();
    const a = createIo(sys, 'a', 0x10, testOps);
    const b = createIo(sys, 'b', 0x10, testOps);
    const c = createIo(sys, 'c', 0x10, testOps);
    root.addSubregionOverlap(0, a, -5);
    root.addSubregionOverlap(0, b, 7);
    root.addSubregion(0, c);
    assert.deepEqual(
      root.subregions.map((r) => `${r.name}${r.priority}`),
      ['b7', 'c0', 'a-5'],
    );
    root.removeSubregion(a);
    root.addSubregion(0, a);
    assert.equal(a.priority, 0);
    assert.equal(root.subregions[1], a); // newest among priority 0
  });
  test('removeSubregion keeps addr and priority in the region', () => {
    const { sys, root } = setup();
    const a = createIo(sys, 'a', 0x10, testOps);
    root.addSubregionOverlap(0x40, a, 3);
    root.removeSubregion(a);
    assert.equal(a.addr, 0x40n);
    assert.equal(a.priority, 3);
    assert.equal(a.container, null);
  });
});

describe('API misuse throws at once', () => {
  test('a region added twice', () => {
    const { sys, root } = setup();
    const a = createIo(sys, 'a', 0x10, testOps);
    const other = createContainer(sys, 'other', 0x100);
    root.addSubregion(0, a);
    assert.throws(() => other.addSubregion(0, a), /'a'.*already a subregion of 'root'/);
  });
  test('removed from the wrong parent', () => {
    const { sys, root } = setup();
    const a = createIo(sys, 'a', 0x10, testOps);
    const other = createContainer(sys, 'other', 0x100);
    root.addSubregion(0, a);
    assert.throws(() => other.removeSubregion(a), /cannot remove 'a' from 'other'/);
  });
  test('a cycle through subregions or through an alias', () => {
    const { sys, root } = setup();
    const p = createContainer(sys, 'p', 0x100);
    const q = createContainer(sys, 'q', 0x100);
    root.addSubregion(0, p);
    p.addSubregion(0, q);
    const unmappedRoot = createContainer(sys, 'top', 0x100);
    unmappedRoot.addSubregion(0, createContainer(sys, 'x', 0x10));
    const lone = createContainer(sys, 'lone', 0x10);
    assert.throws(() => lone.addSubregion(0, lone), /itself/);
    const aliasOfP = createAlias(sys, 'aliasOfP', p, 0, 0x100);
    assert.throws(() => q.addSubregion(0, aliasOfP), /cycle/);
    const aliasOfAlias = createAlias(sys, 'aa', aliasOfP, 0, 0x10);
    assert.throws(() => q.addSubregion(0, aliasOfAlias), /cycle/);
    const outer = createContainer(sys, 'outer', 0x100);
    outer.addSubregion(0, root);
    assert.throws(() => q.addSubregion(0, createAlias(sys, 'toOuter', outer, 0, 0x10)), /cycle/);
  });
  test('mutators on the wrong kind, bad sizes, unbalanced commit', () => {
    const { sys } = setup();
    const ram = createRam(sys, 'ram', 0x1000);
    assert.throws(() => ram.setAliasOffset(4), /not an alias/);
    assert.throws(() => ram.setRomdMode(false), /not a ROM device/);
    assert.throws(() => ram.ramResize(0x800), /not resizeable/);
    assert.throws(() => createContainer(sys, 'big', (1n << 64n) + 1n), /exceeds 2\^64/);
    assert.throws(() => createContainer(sys, 'neg', -1), /non-negative/);
    assert.throws(() => createContainer(sys, 'frac', 1.5), /safe integer/);
    assert.throws(() => sys.commit(), /without a matching begin/);
    assert.throws(() => createIo(sys, 'u', 4, { impl: { unaligned: true } }), /unaligned/);
    const other = new MemorySystem();
    assert.throws(() => createAlias(other, 'x', ram, 0, 4), /another memory system/);
  });
});

describe('transactions', () => {
  test('nested transactions render once, at the outermost commit', () => {
    const { sys, root, as } = setup();
    const before = sys.renderCount;
    sys.transaction(() => {
      root.addSubregion(0, createRam(sys, 'a', 0x1000));
      sys.transaction(() => root.addSubregion(0x2000, createRam(sys, 'b', 0x1000)));
      assert.equal(sys.renderCount, before);
      assert.deepEqual(flat(as), []); // views change only at the outermost commit
    });
    assert.equal(sys.renderCount, before + 1);
    assert.deepEqual(flat(as), ['0-fff a', '2000-2fff b']);
  });
  test('a change QEMU does not flag (adding a disabled child) does not re-render', () => {
    const { sys, root } = setup();
    const before = sys.renderCount;
    const d = createRam(sys, 'd', 0x1000);
    d.setEnabled(false);
    root.addSubregion(0, d);
    assert.equal(sys.renderCount, before);
  });
  test('an exception inside transaction() still commits', () => {
    const { sys, root, as } = setup();
    assert.throws(() =>
      sys.transaction(() => {
        root.addSubregion(0, createRam(sys, 'a', 0x1000));
        throw new Error('boom');
      }),
    );
    assert.equal(sys.transactionDepth, 0);
    assert.deepEqual(flat(as), ['0-fff a']);
  });
});

describe('flags, sizes and kinds', () => {
  test('read-only and non-volatile are inherited from containers and aliases', () => {
    const { sys, root, as } = setup();
    const c = createContainer(sys, 'c', 0x2000);
    c.addSubregion(0, createRam(sys, 'ram', 0x1000));
    root.addSubregion(0, c);
    root.addSubregion(0x8000, createRam(sys, 'other', 0x10)); // two children: no peeling
    c.setReadonly(true);
    assert.deepEqual(flat(as), ['0-fff ram ro', '8000-800f other']);
    c.setNonvolatile(true);
    assert.equal(as.flatView.ranges[0]!.nonvolatile, true);
    assert.match(formatMtree(sys, { flat: true }), /\(prio 0, nv-rom\): ram\n/);
    assert.match(formatMtree(sys), /\(prio 0, nv-i\/o\): c\n/);
  });
  test('a RAM region with subregions is a container whose RAM fills the holes', () => {
    const { sys, root, as } = setup();
    const ram = createRam(sys, 'ram', 0x4000);
    ram.addSubregion(0x1000, createIo(sys, 'regs', 0x100, testOps));
    root.addSubregion(0x8000, ram);
    root.addSubregionOverlap(0x7000, createIo(sys, 'low', 0x2000, testOps), -1);
    // The RAM beats the lower-priority 'low' over its whole extent, holes included.
    assert.deepEqual(flat(as), [
      '7000-7fff low',
      '8000-8fff ram',
      '9000-90ff regs',
      '9100-bfff ram @1100',
    ]);
  });
  test('QEMU quirk: flags of regions peeled off above the flat root are lost', () => {
    const { sys, root, as } = setup();
    const c = createContainer(sys, 'c', 0x2000);
    c.addSubregion(0, createRam(sys, 'ram', 0x1000));
    root.addSubregion(0, c);
    c.setReadonly(true); // root -> c -> ram all peel: the view is rendered from ram itself
    assert.equal(as.flatView.root?.name, 'ram');
    assert.deepEqual(flat(as), ['0-fff ram']);
  });
  test('ROM device: romd mode prints romd, MMIO mode i/o, and the flat range carries romd_mode', () => {
    const { sys, root, as } = setup();
    const flash = createRomDevice(sys, 'flash', 0x1000, testOps);
    root.addSubregion(0, flash);
    assert.match(formatMtree(sys), /\(prio 0, romd\): flash/);
    flash.setRomdMode(false);
    assert.match(formatMtree(sys), /\(prio 0, i\/o\): flash/);
    assert.equal(as.flatView.ranges[0]!.romdMode, false);
  });
  test('setSize and setAliasOffset re-render; UINT64_MAX means 2^64', () => {
    const { sys, root, as } = setup();
    const m = createRam(sys, 'm', 0x4000);
    const a = createAlias(sys, 'a', m, 0, 0x1000);
    root.addSubregion(0x1000, a);
    a.setAliasOffset(0x2000);
    assert.deepEqual(flat(as), ['1000-1fff m @2000']);
    a.setSize(0x3000);
    assert.deepEqual(flat(as), ['1000-2fff m @2000']); // the target ends at 0x4000
    const c = createContainer(sys, 'full', 0xffff_ffff_ffff_ffffn);
    assert.equal(c.size, 1n << 64n);
    assert.equal(c.sizeU64, 0xffff_ffff_ffff_ffffn);
  });
  test('resizeable RAM: page-rounded block, exact region size, hooks and owner callback', () => {
    const { sys, root, as } = setup();
    const seen: string[] = [];
    const r = createResizeableRam(sys, 'rr', 0x1000, 0x8000, {
      resized: (_mr, n) => seen.push(`cb ${n}`),
    });
    sys.ramResizedHooks.push((_mr, o, n) => seen.push(`hook ${o}->${n}`));
    root.addSubregion(0, r);
    r.ramResize(0x2100);
    assert.equal(r.size, 0x2100n);
    assert.equal(r.ramBlock!.usedLength, 0x3000);
    assert.deepEqual(seen, ['hook 4096->12288', `cb ${0x2100}`]);
    assert.deepEqual(flat(as), ['0-20ff rr']);
    assert.throws(() => r.ramResize(0x9000), /exceeds max/);
  });
  test('resizeable RAM: unaligned size and max size are page-aligned in the block, as QEMU allocates', () => {
    const { sys, root, as } = setup();
    const r = createResizeableRam(sys, 'rr', 0x1800, 0x2800);
    root.addSubregion(0, r);
    assert.equal(r.size, 0x1800n);
    assert.equal(r.ramBlock!.usedLength, 0x2000);
    assert.equal(r.ramBlock!.maxLength, 0x3000);
    r.ramResize(0x2800); // exactly max-size: fits once both are page-aligned
    assert.deepEqual(flat(as), ['0-27ff rr']);
    r.ramResize(0x3000); // QEMU compares the aligned new size with the aligned max
    assert.equal(r.ramBlock!.usedLength, 0x3000);
    assert.throws(() => r.ramResize(0x3001), /exceeds max/);
  });
});

describe('64-bit arithmetic, lookup and find', () => {
  test('a 2^64 root with RAM at the very top, printed and looked up exactly', () => {
    const { sys, root, as } = setup(1n << 64n);
    const top = createRam(sys, 'top', 0x1000);
    root.addSubregion(0xffff_ffff_ffff_f000n, top);
    assert.deepEqual(flat(as), ['fffffffffffff000-ffffffffffffffff top']);
    assert.equal(as.flatView.lookup(0xffff_ffff_ffff_ffffn)?.mr, top);
    assert.equal(as.flatView.lookup(0xffff_ffff_ffff_efffn), null);
    assert.match(formatMtree(sys), / {4}fffffffffffff000-ffffffffffffffff \(prio 0, ram\): top\n/);
  });
  test('an end past 2^64 is flagged [DETECTED OVERFLOW!] before the indentation', () => {
    const { sys, root } = setup(1n << 64n);
    root.addSubregion(0xffff_ffff_ffff_f000n, createRam(sys, 'wrap', 0x2000));
    assert.match(
      formatMtree(sys),
      /\n\[DETECTED OVERFLOW!\] {5}fffffffffffff000-0000000000000fff \(prio 0, ram\): wrap\n/,
    );
  });
  test('alias rendering with a negative intermediate base', () => {
    const { sys, root, as } = setup();
    const m = createRam(sys, 'm', 0x10000);
    root.addSubregion(0x100, createAlias(sys, 'a', m, 0x8000, 0x1000));
    assert.deepEqual(flat(as), ['100-10ff m @8000']);
  });
  test('lookup by number and by bigint, above 2^53 too', () => {
    const { sys, root, as } = setup(1n << 64n);
    const hi = createRam(sys, 'hi', 0x1000);
    const lo = createRam(sys, 'lo', 0x1000);
    root.addSubregion(0x20_0000_0000_0000n, hi);
    root.addSubregion(0x1000, lo);
    assert.equal(as.flatView.lookup(0x1800)?.mr, lo);
    assert.equal(as.flatView.lookup(0x1800n)?.mr, lo);
    assert.equal(as.flatView.lookup(0x2000), null);
    assert.equal(as.flatView.lookup(0x20_0000_0000_0800n)?.mr, hi);
    assert.equal(as.flatView.lookup(0x20_0000_0000_1000n), null);
  });
  test('find (memory_region_find) and present', () => {
    const { sys, root } = setup();
    const bus = createContainer(sys, 'bus', 0x4000);
    const dev = createIo(sys, 'dev', 0x100, testOps);
    bus.addSubregion(0x200, dev);
    root.addSubregion(0x1000, bus);
    const s = sys.find(bus, 0x280, 0x100)!;
    assert.equal(s.mr, dev);
    assert.equal(s.offsetWithinAddressSpace, 0x1280n);
    assert.equal(s.offsetWithinRegion, 0x80n);
    assert.equal(s.size, 0x80n); // cut to the single flat range found
    assert.equal(sys.present(bus, 0x200), true);
    assert.equal(sys.present(bus, 0x400), false);
    assert.equal(sys.find(createContainer(sys, 'orphan', 0x10), 0), null);
  });
  test('address spaces sharing a root share one FlatView; a NULL root is an empty view', () => {
    const { sys, root, as } = setup();
    root.addSubregion(0, createRam(sys, 'r', 0x10));
    const as2 = sys.createAddressSpace(root, 'as2');
    assert.equal(as.flatView, as2.flatView);
    const none = sys.createAddressSpace(null, null);
    assert.equal(none.name, 'anonymous');
    assert.equal(none.flatView.ranges.length, 0);
  });
});

describe('RamBlock', () => {
  test('2^40-byte RAM is sparse and allocates pages only when written', () => {
    const block = new RamBlock('huge', 2 ** 40);
    assert.equal(block.isSparse, true);
    const data = Uint8Array.of(1, 2, 3, 4);
    block.write(2 ** 40 - 2, data.subarray(0, 2));
    block.write(0x1_0000 - 2, data);
    const back = new Uint8Array(4);
    block.read(0x1_0000 - 2, back);
    assert.deepEqual([...back], [1, 2, 3, 4]);
    assert.equal(block.allocatedPages, 3);
    assert.throws(() => block.read(2 ** 40 - 1, back), /outside used length/);
  });
  test('ordinary RAM is one contiguous array', () => {
    const block = new RamBlock('small', 4096);
    assert.equal(block.contiguous?.length, 4096);
  });
});

describe('FlatView.lookup index', () => {
  test('dense clusters under wide buckets (two-level index) agree with a linear scan', () => {
    const { sys, root, as } = setup(1n << 64n);
    sys.transaction(() => {
      root.addSubregion(0, createRam(sys, 'zero', 0x10));
      for (let i = 0; i < 2000; i++) {
        root.addSubregion(0x1234_5000 + i * 0x18, createRam(sys, `d${i}`, 0x10 + (i % 9)));
      }
      root.addSubregion(0x1_0000_0000n, createRam(sys, 'far', 0x1000));
    });
    const ranges = as.flatView.ranges;
    for (const fr of ranges) {
      for (const a of [fr.start - 1n, fr.start, fr.end - 1n, fr.end]) {
        const want = ranges.find((r) => r.start <= a && a < r.end) ?? null;
        assert.equal(as.flatView.lookup(Number(a)), want, `0x${a.toString(16)}`);
      }
    }
  });
  test('agrees with a linear scan for every boundary and random addresses', () => {
    const { sys, root, as } = setup(1n << 64n);
    let seed = 7;
    const rnd = (m: number) => (seed = (seed * 1103515245 + 12345) >>> 0) % m;
    sys.transaction(() => {
      for (let i = 0; i < 300; i++) {
        const r = createRam(sys, `r${i}`, 1 + rnd(0x3000));
        root.addSubregionOverlap(rnd(0x100_0000), r, rnd(5));
      }
      root.addSubregion(0x40_0000_0000_0000n, createRam(sys, 'high', 0x1000));
    });
    const ranges = as.flatView.ranges;
    const probes: bigint[] = [];
    for (const fr of ranges) probes.push(fr.start - 1n, fr.start, fr.end - 1n, fr.end);
    for (let i = 0; i < 2000; i++) probes.push(BigInt(rnd(0x101_0000)));
    for (const a of probes) {
      if (a < 0n) continue;
      const want = ranges.find((fr) => fr.start <= a && a < fr.end) ?? null;
      assert.equal(as.flatView.lookup(a), want, `0x${a.toString(16)}`);
      if (a < 2n ** 53n)
        assert.equal(as.flatView.lookup(Number(a)), want, `0x${a.toString(16)} (number)`);
    }
  });
});
