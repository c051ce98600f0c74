/**
 * Resizeable RAM, ioeventfds and coalesced MMIO through the board language: parse → build →
 * the engine's own state and APIs (ramResize, collectIoeventfds, listeners, guest writes).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  addressSpaceLoad,
  addressSpaceStore,
  AccessValue,
  collectIoeventfds,
  MEMTX_OK,
  setCoalescedFlushHandler,
  type MemoryListener,
} from '../../src/engine';
import { formatMtree } from '../../src/engine/mtree';
import { compileBoard, parseBoard, topologyToBoard, type BuiltBoard } from '../../src/board';

function build(text: string): BuiltBoard {
  const c = compileBoard('t.board', text);
  assert.deepEqual(
    c.diagnostics.map((d) => `${d.code} ${d.message}`),
    [],
  );
  assert.ok(c.built, c.error ?? 'not built');
  return c.built!;
}

const RESIZEABLE = `board fw-cfg
container system size 2^32 {
  ram acpi-tables "etc/acpi/tables" @ 0x4000_0000 size 128K max-size 2M
  ram dram @ 0x8000_0000 size 64K
}
space memory = system
`;

describe('resizeable RAM (max-size)', () => {
  test('parses into the region declaration', () => {
    const { file, diagnostics } = parseBoard(RESIZEABLE);
    assert.deepEqual(diagnostics, []);
    const system = file.items.find((i) => i.type === 'region')!;
    assert.ok(system.type === 'region' && system.body);
    const ram = system.body.members[0]!;
    assert.ok(ram.type === 'region');
    assert.equal(ram.maxSize?.type === 'number' && ram.maxSize.value, 2n << 20n);
    assert.equal(RESIZEABLE.substr(ram.maxSize!.offset, ram.maxSize!.length), '2M');
  });

  test('builds a resizeable RAM block with the used size and the max size', () => {
    const b = build(RESIZEABLE);
    const mr = b.regions.get('acpi-tables')!;
    assert.equal(mr.kind, 'ram');
    assert.equal(mr.size, 128n * 1024n);
    assert.equal(mr.ramBlock!.resizeable, true);
    assert.equal(mr.ramBlock!.usedLength, 128 * 1024);
    assert.equal(mr.ramBlock!.maxLength, 2 * 1024 * 1024);
    assert.equal(b.regions.get('dram')!.ramBlock!.resizeable, false);
  });

  test('info mtree prints the used size, as QEMU does, before and after a resize', () => {
    const b = build(RESIZEABLE);
    const tree = (): string => formatMtree(b.system, {});
    assert.equal(
      tree(),
      `address-space: memory
  0000000000000000-00000000ffffffff (prio 0, i/o): system
    0000000040000000-000000004001ffff (prio 0, ram): etc/acpi/tables
    0000000080000000-000000008000ffff (prio 0, ram): dram

`,
    );
    const mr = b.regions.get('acpi-tables')!;
    mr.ramResize(0x30800n);
    assert.equal(mr.size, 0x30800n); // the region keeps the unaligned size
    assert.equal(mr.ramBlock!.usedLength, 0x31000); // the block rounds up to the page
    assert.match(
      tree(),
      /\n {4}0000000040000000-00000000400307ff \(prio 0, ram\): etc\/acpi\/tables\n/,
    );
    assert.match(
      formatMtree(b.system, { flat: true }),
      /\n {2}0000000040000000-00000000400307ff \(prio 0, ram\): etc\/acpi\/tables\n/,
    );
  });

  test('grown RAM is reachable by the guest; growing past max-size throws', () => {
    const b = build(RESIZEABLE);
    const as = b.spaces[0]!;
    const mr = b.regions.get('acpi-tables')!;
    const out = new AccessValue();
    assert.notEqual(addressSpaceStore(as, 0x4003_0000, 4, 0x1234_5678), MEMTX_OK);
    mr.ramResize(256n * 1024n);
    assert.equal(addressSpaceStore(as, 0x4003_0000, 4, 0x1234_5678), MEMTX_OK);
    assert.equal(addressSpaceLoad(as, 0x4003_0000, 4, out), MEMTX_OK);
    assert.equal(out.value, 0x1234_5678);
    assert.throws(() => mr.ramResize(4n << 20n), RangeError);
    assert.throws(() => b.regions.get('dram')!.ramResize(128n * 1024n), /not resizeable/);
  });
});

describe('resize action', () => {
  const GROW = `board grow
container system size 2^32 {
  ram fb @ 0x4000_0000 size 64K max-size 1M
  device ctl : memctl @ 0x1000_0000 {
    reg FB_PAGES @ 0 : u32 rw {
      on-write { resize fb = value * 4K }
    }
  }
}
space memory = system
`;
  test('a register write resizes the RAM; sizes beyond max-size or zero are ignored', () => {
    const b = build(GROW);
    const as = b.spaces[0]!;
    const fb = b.regions.get('fb')!;
    assert.equal(addressSpaceStore(as, 0x1000_0000, 4, 32), MEMTX_OK);
    assert.equal(fb.size, 128n * 1024n);
    assert.match(
      formatMtree(b.system, {}),
      /\n {4}0000000040000000-000000004001ffff \(prio 0, ram\): fb\n/,
    );
    assert.deepEqual(b.actionLog, [{ action: 'resize', region: 'fb', value: 128n * 1024n }]);
    // 1024 pages = 4M > max-size 1M, and 0: the guest's mistakes change nothing
    assert.equal(addressSpaceStore(as, 0x1000_0000, 4, 1024), MEMTX_OK);
    assert.equal(addressSpaceStore(as, 0x1000_0000, 4, 0), MEMTX_OK);
    assert.equal(fb.size, 128n * 1024n);
    assert.equal(b.actionLog.length, 1);
    assert.equal(addressSpaceStore(as, 0x1000_0000, 4, 256), MEMTX_OK); // exactly max-size
    assert.equal(fb.size, 1024n * 1024n);
  });
});

const VIRTIO = `board virtio-mini
container system size 2^32 {
  device clint : clint @ 0x0200_0000 {
    ioeventfd msip0 @ 0 size 4
    ioeventfd timecmp0 @ 0x4000 size 8
  }
  mmio virtio0 "virtio-mmio" @ 0x1000_1000 size 0x200 {
    reg QUEUE_NOTIFY @ 0x50 : u32 rw
    reg STATUS @ 0x70 : u32 rw
    ioeventfd queue1 @ 0x50 size 4 data 1
    ioeventfd queue0 @ 0x50 size 4 data 0
    ioeventfd status @ 0x70   # any width, any value
  }
}
space memory = system
`;

describe('ioeventfd', () => {
  test('each declaration is registered on its engine region with its own notifier', () => {
    const b = build(VIRTIO);
    assert.deepEqual(
      b.ioeventfds.map((fd) => [
        fd.regionId,
        fd.name,
        fd.region.name,
        fd.offset,
        fd.size,
        fd.matchData,
        fd.data,
      ]),
      [
        ['clint', 'msip0', 'riscv.aclint.swi', 0n, 4, false, 0n],
        // the mtimer window starts at +0x4000 of the device: the registration is at its 0
        ['clint', 'timecmp0', 'riscv.aclint.mtimer', 0n, 8, false, 0n],
        ['virtio0', 'queue1', 'virtio-mmio', 0x50n, 4, true, 1n],
        ['virtio0', 'queue0', 'virtio-mmio', 0x50n, 4, true, 0n],
        ['virtio0', 'status', 'virtio-mmio', 0x70n, 0, false, 0n],
      ],
    );
    // the engine keeps each region's list in QEMU's order (data 0 before data 1)
    const virtio = b.regions.get('virtio0')!;
    assert.deepEqual(
      virtio.ioeventfds.map((fd) => [fd.addr, fd.size, fd.matchData, fd.data]),
      [
        [0x50n, 4, true, 0n],
        [0x50n, 4, true, 1n],
        [0x70n, 0, false, 0n],
      ],
    );
    assert.equal(virtio.ioeventfds[0]!.notifier, b.ioeventfds[3]!.notifier);
  });

  test('the address space sees them at absolute addresses; listeners get eventfd_add', () => {
    const b = build(VIRTIO);
    const as = b.spaces[0]!;
    const expected = [
      [0x0200_0000n, 4, false, 0n],
      [0x0200_4000n, 8, false, 0n],
      [0x1000_1050n, 4, true, 0n],
      [0x1000_1050n, 4, true, 1n],
      [0x1000_1070n, 0, false, 0n],
    ];
    assert.deepEqual(
      collectIoeventfds(as).map((fd) => [fd.addr, fd.size, fd.matchData, fd.data]),
      expected,
    );
    const added: unknown[] = [];
    const listener: MemoryListener = {
      eventfdAdd: (s, matchData, data) =>
        added.push([s.offsetWithinAddressSpace, Number(s.size), matchData, data]),
    };
    b.system.registerListener(listener, as);
    assert.deepEqual(added, expected);
  });

  test('a matching guest write signals the notifier instead of the register', () => {
    const b = build(VIRTIO);
    const as = b.spaces[0]!;
    const bank = b.banks.get('virtio0')!;
    const fd = (name: string) => b.ioeventfds.find((x) => x.name === name)!.notifier;
    const kicks: string[] = [];
    fd('queue1').onSignal(() => kicks.push('queue1'));

    assert.equal(addressSpaceStore(as, 0x1000_1050, 4, 1), MEMTX_OK);
    assert.deepEqual([fd('queue0').count, fd('queue1').count], [0, 1]);
    assert.deepEqual(kicks, ['queue1']);
    assert.equal(bank.get('QUEUE_NOTIFY'), 0, 'the device did not see the write');

    assert.equal(addressSpaceStore(as, 0x1000_1050, 4, 0), MEMTX_OK);
    assert.deepEqual([fd('queue0').count, fd('queue1').count], [1, 1]);

    // no registration matches value 7: the register gets it
    assert.equal(addressSpaceStore(as, 0x1000_1050, 4, 7), MEMTX_OK);
    assert.equal(bank.get('QUEUE_NOTIFY'), 7);
    assert.deepEqual([fd('queue0').count, fd('queue1').count], [1, 1]);

    // size 0: any width and value at the offset
    assert.equal(addressSpaceStore(as, 0x1000_1070, 1, 0xff), MEMTX_OK);
    assert.equal(addressSpaceStore(as, 0x1000_1070, 4, 0x1234), MEMTX_OK);
    assert.equal(fd('status').count, 2);
    assert.equal(bank.get('STATUS'), 0);

    // a device window: the 8-byte write at the mtimer's start
    assert.equal(addressSpaceStore(as, 0x0200_4000, 8, 0, 5n), MEMTX_OK);
    assert.equal(fd('timecmp0').count, 1);
  });
});

const COALESCED = `board pc-ish
container system size 2^32 {
  mmio rtc-index @ 0x70 size 2 coalesced
  mmio vga @ 0x3000_0000 size 4K {
    coalesced @ 0x100 size 0x100
    coalesced @ 0x400 size 16
  }
}
space memory = system
`;

describe('coalesced MMIO', () => {
  test('the flag coalesces the whole region, members add ranges', () => {
    const b = build(COALESCED);
    const rtc = b.regions.get('rtc-index')!;
    const vga = b.regions.get('vga')!;
    assert.deepEqual(rtc.coalesced, [{ offset: 0n, size: 2n }]);
    assert.deepEqual(vga.coalesced, [
      { offset: 0x100n, size: 0x100n },
      { offset: 0x400n, size: 16n },
    ]);
    assert.equal(rtc.flushCoalescedMmio, true);
    assert.equal(vga.flushCoalescedMmio, true);
  });

  test('a listener sees the ranges at address-space addresses', () => {
    const b = build(COALESCED);
    const seen: string[] = [];
    const listener: MemoryListener = {
      coalescedIoAdd: (s, addr, len) =>
        seen.push(`${s.mr?.name} ${addr.toString(16)}+${len.toString(16)}`),
    };
    b.system.registerListener(listener, b.spaces[0]!);
    assert.deepEqual(seen, ['rtc-index 70+2', 'vga 30000100+100', 'vga 30000400+10']);
  });

  test('an access to a coalesced region flushes the buffer first; others do not', () => {
    const b = build(COALESCED);
    let flushes = 0;
    setCoalescedFlushHandler(b.system, () => flushes++);
    const as = b.spaces[0]!;
    addressSpaceStore(as, 0x3000_0100, 1, 1);
    assert.equal(flushes, 1);
    addressSpaceStore(as, 0x70, 1, 1);
    assert.equal(flushes, 2);
    addressSpaceStore(as, 0x8000_0000, 1, 1); // a hole: no MMIO region, no flush
    assert.equal(flushes, 2);
  });
});

describe('engine topology back to board text (topologyToBoard)', () => {
  test('max-size, coalesced ranges and ioeventfds survive board → engine → board → engine', () => {
    const first = build(
      RESIZEABLE +
        COALESCED.replace('board pc-ish\n', '')
          .replace('container system', 'container io')
          .replace('space memory = system', 'space io = io') +
        VIRTIO.replace('board virtio-mini\n', '')
          .replace('container system', 'container bus')
          .replace('space memory = system', 'space bus = bus'),
    );
    const text = topologyToBoard(first.spaces, { boardName: 'again' });
    assert.match(text, /ram [\w-]+ "etc\/acpi\/tables" @ 0x4000_0000 size 128K max-size 2M\n/);
    assert.match(text, /mmio rtc-index @ 0x70 size 2 coalesced\n/);
    assert.match(text, /\n {4}coalesced @ 0x100 size 256\n {4}coalesced @ 0x400 size 16\n/);
    assert.match(text, /\n {4}ioeventfd eventfd0 @ 0x50 size 4 data 0x0\n/);
    const again = build(text);
    const state = (b: BuiltBoard) => ({
      mtree: formatMtree(b.system, {}),
      ioeventfds: b.spaces.map((s) =>
        collectIoeventfds(s).map((fd) => [fd.addr, fd.size, fd.matchData, fd.data]),
      ),
      // every engine region, by QEMU name (a device's windows are separate regions)
      regions: [...b.ids.keys()]
        .map((mr) => [mr.name, mr.coalesced, mr.ramBlock?.maxLength ?? null] as const)
        .sort((x, y) => x[0].localeCompare(y[0])),
    });
    const before = state(first);
    assert.equal(before.ioeventfds.flat().length, 5);
    assert.deepEqual(state(again), before);
  });
});
