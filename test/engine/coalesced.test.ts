// Coalesced MMIO (spec §8.1): add/clear/set notify listeners at once for every flat range of
// the region in every address space (range moved to AS addresses and cut to the flat range;
// add Forward, del Reverse); flushes before accesses to flagged regions and on clear.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CpuMemoryPort,
  MemorySystem,
  createAlias,
  createContainer,
  createIo,
  memoryRegionAddCoalescing,
  memoryRegionClearCoalescing,
  memoryRegionClearFlushCoalesced,
  memoryRegionSetCoalescing,
  readWithAttrs,
  setCoalescedFlushHandler,
  type MemoryListener,
} from '../../src/engine/index';

function setup() {
  const sys = new MemorySystem();
  const root = createContainer(sys, 'system', 1n << 32n);
  const dev = createIo(sys, 'fb', 0x2000, { read: () => 0, write: () => undefined });
  root.addSubregion(0x10000000, dev);
  // A second mapping of the device's upper half, in another address space.
  const other = createContainer(sys, 'other', 1n << 32n);
  other.addSubregion(0x4000, createAlias(sys, 'fb-hi', dev, 0x1000, 0x1000));
  const as = sys.createAddressSpace(root, 'memory');
  const as2 = sys.createAddressSpace(other, 'dma');
  const events: string[] = [];
  const mk = (name: string, priority: number): MemoryListener => ({
    name,
    priority,
    coalescedIoAdd: (s, a, l) =>
      events.push(`${name} add ${s.mr?.name} ${a.toString(16)}+${l.toString(16)}`),
    coalescedIoDel: (s, a, l) =>
      events.push(`${name} del ${s.mr?.name} ${a.toString(16)}+${l.toString(16)}`),
  });
  sys.registerListener(mk('A', 0), as);
  sys.registerListener(mk('B', 1), as);
  sys.registerListener(mk('C', 0), as2);
  return { sys, dev, as, events };
}

describe('coalesced MMIO', () => {
  test('add reports the range per flat range, cut to it, in every address space (Forward)', () => {
    const { dev, events } = setup();
    memoryRegionAddCoalescing(dev, 0xf00, 0x200);
    assert.deepEqual(events, [
      'A add fb 10000f00+200',
      'B add fb 10000f00+200',
      'C add fb 4000+100',
    ]);
    assert.equal(dev.flushCoalescedMmio, true);
  });

  test('clear reports deletions (Reverse) after a flush; set = clear + whole region', () => {
    const { sys, dev, events } = setup();
    let flushes = 0;
    setCoalescedFlushHandler(sys, () => flushes++);
    memoryRegionAddCoalescing(dev, 0, 0x10);
    events.length = 0;
    memoryRegionClearCoalescing(dev);
    assert.equal(flushes, 1);
    assert.deepEqual(events, ['B del fb 10000000+10', 'A del fb 10000000+10']);
    assert.equal(dev.flushCoalescedMmio, false);
    events.length = 0;
    memoryRegionSetCoalescing(dev);
    assert.deepEqual(events, [
      'A add fb 10000000+2000',
      'B add fb 10000000+2000',
      'C add fb 4000+1000',
    ]);
    memoryRegionClearCoalescing(dev);
    memoryRegionClearCoalescing(dev);
    assert.equal(flushes, 2, 'clearing an empty list does not flush');
  });

  test('accesses to a flagged region flush first (CPU port and address_space_rw)', () => {
    const { sys, dev, as } = setup();
    let flushes = 0;
    setCoalescedFlushHandler(sys, () => flushes++);
    const port = new CpuMemoryPort(as);
    port.load32(0x10000000);
    assert.equal(flushes, 0);
    memoryRegionAddCoalescing(dev, 0, 4);
    port.load32(0x10000000);
    readWithAttrs(as, 0x10000100, new Uint8Array(4));
    assert.equal(flushes, 2);
    memoryRegionClearFlushCoalesced(dev);
    assert.equal(dev.flushCoalescedMmio, true, 'ranges remain, so the flag stays');
    assert.equal(flushes, 3);
  });

  test('a range outside the region is refused', () => {
    const { dev } = setup();
    assert.throws(() => memoryRegionAddCoalescing(dev, 0x1f00, 0x200), /exceeds region 'fb'/);
  });
});
