// ioeventfd (spec §8.2): matching rules on writes (start equal; size 0 matches any size; else
// same size and, with match_data, same data after endianness adjustment), the first match in
// sorted order wins and the device write is skipped; per-address-space sets (intersecting, not
// clipped) diffed at commits with eventfd_del Forward / eventfd_add Reverse; replay on listener
// (un)registration; deletion of a missing entry throws.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CpuMemoryPort,
  MemorySystem,
  collectIoeventfds,
  createContainer,
  createIo,
  memoryRegionAddEventfd,
  memoryRegionDelEventfd,
  writeWithAttrs,
  MEMTX_OK,
  type EventNotifier,
  type MemoryListener,
  type MemoryRegionOps,
} from '../../src/engine/index';

function notifier(name: string, log: string[]): EventNotifier {
  return { set: () => void log.push(name) };
}

function setup(endianness: 'little' | 'big' = 'little') {
  const sys = new MemorySystem();
  const root = createContainer(sys, 'system', 1n << 32n);
  const log: string[] = [];
  const ops: MemoryRegionOps = {
    read: () => 0,
    write: (_r, o, v, s) => void log.push(`dev w${s}@${o.toString(16)}=${v.toString(16)}`),
    endianness,
  };
  const dev = createIo(sys, 'virtio', 0x1000, ops);
  root.addSubregion(0x10000000, dev);
  const as = sys.createAddressSpace(root, 'memory');
  return { sys, root, dev, as, log, port: new CpuMemoryPort(as) };
}

describe('ioeventfd matching on writes', () => {
  test('match_data: only the registered value signals; others reach the device', () => {
    const { dev, port, log } = setup();
    memoryRegionAddEventfd(dev, 0x50, 4, true, 0x1234, notifier('kick', log));
    port.store32(0x10000050, 0x1234);
    assert.equal(port.status, MEMTX_OK);
    port.store32(0x10000050, 0x1235);
    port.store16(0x10000050, 0x1234);
    port.store32(0x10000054, 0x1234);
    assert.deepEqual(log, ['kick', 'dev w4@50=1235', 'dev w2@50=1234', 'dev w4@54=1234']);
  });

  test('size 0 matches any size and value; no match_data matches any value of that size', () => {
    const { dev, port, log } = setup();
    memoryRegionAddEventfd(dev, 0x10, 0, false, 0, notifier('any', log));
    memoryRegionAddEventfd(dev, 0x20, 2, false, 0, notifier('w2', log));
    port.store8(0x10000010, 1);
    port.store32(0x10000010, 0xffffffff);
    port.store16(0x10000020, 7);
    port.store32(0x10000020, 7);
    assert.deepEqual(log, ['any', 'any', 'w2', 'dev w4@20=7']);
  });

  test('the first registration in sorted order wins', () => {
    const { dev, port, log } = setup();
    memoryRegionAddEventfd(dev, 0x0, 4, true, 5, notifier('data5', log));
    memoryRegionAddEventfd(dev, 0x0, 4, false, 0, notifier('nodata', log));
    memoryRegionAddEventfd(dev, 0x0, 0, false, 0, notifier('size0', log));
    assert.deepEqual(
      dev.ioeventfds.map((f) => [f.size, f.matchData]),
      [
        [0, false],
        [4, false],
        [4, true],
      ],
    );
    port.store32(0x10000000, 5);
    assert.deepEqual(log, ['size0']);
  });

  test('data is compared in the device byte order (BE device on a LE target)', () => {
    const { dev, port, as, log } = setup('big');
    memoryRegionAddEventfd(dev, 0x8, 2, true, 0xabcd, notifier('be', log));
    assert.equal(dev.ioeventfds[0]!.data, 0xcdabn, 'stored device-order');
    // The CPU store and a buffer write of the same bytes (cd ab) both match…
    port.store16(0x10000008, 0xabcd);
    writeWithAttrs(as, 0x10000008, new Uint8Array([0xcd, 0xab]));
    // …bytes ab cd are the big-endian register value 0xabcd, which does not.
    writeWithAttrs(as, 0x10000008, new Uint8Array([0xab, 0xcd]));
    assert.deepEqual(log, ['be', 'be', 'dev w2@8=abcd']);
  });

  test('deleting needs an equal registration', () => {
    const { dev, log } = setup();
    const n = notifier('n', log);
    memoryRegionAddEventfd(dev, 0x50, 4, true, 1, n);
    assert.throws(
      () => memoryRegionDelEventfd(dev, 0x50, 4, true, 2, n),
      /no such ioeventfd on 'virtio' at 0x50/,
    );
    memoryRegionDelEventfd(dev, 0x50, 4, true, 1, n);
    assert.equal(dev.ioeventfds.length, 0);
    assert.throws(() => memoryRegionAddEventfd(dev, 0, 3, false, 0, n), /size must be/);
  });
});

describe('ioeventfd listeners', () => {
  test('add/del events with AS addresses; moves diff del (Forward) then add (Reverse)', () => {
    const { sys, dev, as } = setup();
    const events: string[] = [];
    const mk = (name: string, priority: number): MemoryListener => ({
      name,
      priority,
      eventfdAdd: (s, m, d) =>
        events.push(`${name} add ${s.offsetWithinAddressSpace.toString(16)}/${s.size} ${m} ${d}`),
      eventfdDel: (s, m, d) =>
        events.push(`${name} del ${s.offsetWithinAddressSpace.toString(16)}/${s.size} ${m} ${d}`),
    });
    const n = notifier('n', []);
    memoryRegionAddEventfd(dev, 0x50, 4, true, 1, n);
    sys.registerListener(mk('A', 0), as);
    assert.deepEqual(events, ['A add 10000050/4 true 1'], 'replayed on registration');
    sys.registerListener(mk('B', 1), as);
    events.length = 0;
    dev.setAddress(0x20000000);
    assert.deepEqual(events, [
      'A del 10000050/4 true 1',
      'B del 10000050/4 true 1',
      'B add 20000050/4 true 1',
      'A add 20000050/4 true 1',
    ]);
    events.length = 0;
    memoryRegionAddEventfd(dev, 0x60, 0, false, 0, n);
    assert.deepEqual(events, ['B add 20000060/0 false 0', 'A add 20000060/0 false 0']);
  });

  test('registrations intersecting a flat range are kept unclipped; outside ones dropped', () => {
    const { sys, root, dev, as } = setup();
    const n = notifier('n', []);
    // Cover the device's first 0x100 bytes with a higher-priority region.
    root.addSubregionOverlap(0x10000000, createIo(sys, 'cover', 0x100, { read: () => 0 }), 1);
    memoryRegionAddEventfd(dev, 0x80, 4, false, 0, n);
    memoryRegionAddEventfd(dev, 0xfe, 8, false, 0, n);
    memoryRegionAddEventfd(dev, 0x200, 2, false, 0, n);
    const got = collectIoeventfds(as).map((f) => [f.addr.toString(16), f.size]);
    assert.deepEqual(got, [
      ['100000fe', 8],
      ['10000200', 2],
    ]);
  });
});
