/**
 * Per-byte status of the adapter's memory reads on a map with every case side by side: RAM, a
 * device that can peek, a device that cannot (no `peek`: its bytes are "unpeekable", shown as
 * `??`, never a made-up value), and a hole. readMemoryEx reports each byte; DAP readMemory stops at
 * the first byte it cannot give; readWithSideEffects really reads the device, and only then.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  MemorySystem,
  createContainer,
  createIo,
  createRam,
  type MemoryRegionOps,
} from '../../src/engine';
import { readMemory, readMemoryEx } from '../../src/debug/memory';
import { BYTE_STATUSES, expandStatus } from '../../src/protocol';

function machine() {
  const system = new MemorySystem();
  const root = createContainer(system, 'system', 0x1_0000);
  const reads: number[] = [];
  const fifo: MemoryRegionOps = {
    read: (_mr, offset) => {
      reads.push(offset);
      return 0x40 + reads.length; // each real read pops a new value
    },
    write: () => undefined,
    valid: { minAccessSize: 1, maxAccessSize: 1 },
  };
  const peekable: MemoryRegionOps = { ...fifo, peek: (_mr, offset) => 0xa0 + offset };
  root.addSubregion(0x0000, createRam(system, 'ram', 0x10));
  root.addSubregion(0x0010, createIo(system, 'peekable', 0x4, peekable));
  root.addSubregion(0x0014, createIo(system, 'fifo', 0x4, fifo));
  // 0x18..0x1f: nothing mapped
  const space = system.createAddressSpace(root, 'memory');
  return { lookup: { space: (id: string) => (id === 'memory' ? space : undefined) }, reads };
}

const statusesOf = (r: ReturnType<typeof readMemoryEx>, count: number) =>
  [...expandStatus(r.status, count)].map((i) => BYTE_STATUSES[i]);

describe('memory status per byte', () => {
  test('readMemoryEx: ok, peeked, unpeekable and unmapped bytes; no device read happens', () => {
    const { lookup, reads } = machine();
    const r = readMemoryEx(lookup, { memoryReference: 'memory@0xe', count: 12 }, false);
    assert.deepEqual(statusesOf(r, 12), [
      'ok', 'ok', // RAM
      'ok', 'ok', 'ok', 'ok', // a device with peek
      'unpeekable', 'unpeekable', 'unpeekable', 'unpeekable', // a device without one
      'unmapped', 'unmapped', // the hole
    ]); // prettier-ignore
    const data = [...Buffer.from(r.data, 'base64')];
    assert.deepEqual(data.slice(2, 6), [0xa0, 0xa1, 0xa2, 0xa3]);
    assert.deepEqual(data.slice(6), [0, 0, 0, 0, 0, 0], 'no made-up values');
    assert.deepEqual(
      r.regions.map((g) => [g.name, g.start, g.last]),
      [
        ['ram', '0xe', '0xf'],
        ['peekable', '0x10', '0x13'],
        ['fifo', '0x14', '0x17'],
      ],
    );
    assert.deepEqual(reads, [], 'a view must not pop the FIFO');
  });

  test('DAP readMemory: the readable prefix, then unreadableBytes from the unpeekable byte on', () => {
    const { lookup } = machine();
    const body = readMemory(lookup, { memoryReference: 'memory@0x10', count: 8 });
    assert.equal(Buffer.from(body.data!, 'base64').length, 4);
    assert.equal(body.unreadableBytes, 4);
  });

  test('readWithSideEffects reads the device for real, once per byte asked', () => {
    const { lookup, reads } = machine();
    const r = readMemoryEx(lookup, { memoryReference: 'memory@0x14', count: 2 }, true);
    assert.deepEqual(statusesOf(r, 2), ['ok', 'ok']);
    assert.deepEqual([...Buffer.from(r.data, 'base64')], [0x41, 0x42]);
    assert.deepEqual(reads, [0, 1]);
  });
});
