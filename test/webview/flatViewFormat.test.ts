// The flat view's hover rows and segment labels in plain Node: a range's region's max size,
// ioeventfds and coalesced ranges at address-space addresses, and what lies outside the range.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { segmentsOf, type Segment, segmentLabel, tooltipRows } from '../../src/webview/flatView';
import type { FlatRangeInfo, RegionInfo } from '../../src/protocol';

const virtio: RegionInfo = {
  id: 'system#0/virtio#0',
  name: 'virtio',
  kind: 'io',
  mtreeType: 'i/o',
  parentId: 'system#0',
  childIds: [],
  offset: '0x10001000',
  start: '0x10001000',
  end: '0x100011ff',
  size: '0x200',
  priority: 0,
  enabled: true,
  readonly: false,
  ioeventfds: [
    { offset: '0x50', size: 4, data: '0x0' },
    { offset: '0x70', size: 0 },
    { offset: '0x180', size: 2 },
  ],
  coalesced: [
    { offset: '0x0', size: '0x10' },
    { offset: '0xf8', size: '0x10' },
    { offset: '0x1f0', size: '0x10' },
  ],
};

function range(start: bigint, end: bigint, offsetInRegion: bigint): FlatRangeInfo {
  return {
    start: `0x${start.toString(16)}`,
    end: `0x${(end - 1n).toString(16)}`,
    regionId: virtio.id,
    regionName: 'virtio',
    offsetInRegion: `0x${offsetInRegion.toString(16)}`,
    mtreeType: 'i/o',
    readonly: false,
  };
}

/** virtio at 0x1000_1000, its second half hidden by a higher-priority region from +0x100. */
function firstHalf(): Segment {
  const [segment] = segmentsOf([range(0x1000_1000n, 0x1000_1100n, 0n)], 1n << 32n).filter(
    (s) => s.kind === 'range',
  );
  return segment!;
}

describe('flat view hover rows', () => {
  test('ioeventfds and coalesced ranges inside the range, at address-space addresses', () => {
    const rows = tooltipRows(firstHalf(), virtio);
    assert.deepEqual(rows, [
      ['virtio', 'MMIO'],
      ['Range', '0x1000_1000 – 0x1000_10ff'],
      ['Size', '256 bytes'],
      ['Offset in region', '0x0'],
      ['ioeventfd', '0x1000_1050: 4-byte write of 0x0'],
      ['ioeventfd', '0x1000_1070: any write'],
      ['Coalesced MMIO', '0x1000_1000 – 0x1000_100f'],
      // cut to the range: 0xf8..0x107 continues past its end
      ['Coalesced MMIO', '0x1000_10f8 – 0x1000_10ff'],
      ['Not in this range', '1 ioeventfd, 1 coalesced range'],
    ]);
  });

  test('a range that starts inside its region (an alias window) shifts the addresses', () => {
    // The region's +0x100..+0x1ff seen at 0x2000_0000 (an alias with offset 0x100).
    const [segment] = segmentsOf([range(0x2000_0000n, 0x2000_0100n, 0x100n)], 1n << 32n).filter(
      (s) => s.kind === 'range',
    );
    const rows = tooltipRows(segment!, virtio).slice(4);
    assert.deepEqual(rows, [
      ['ioeventfd', '0x2000_0080: any 2-byte write'],
      ['Coalesced MMIO', '0x2000_0000 – 0x2000_0007'],
      ['Coalesced MMIO', '0x2000_00f0 – 0x2000_00ff'],
      ['Not in this range', '2 ioeventfds, 1 coalesced range'],
    ]);
  });

  test('resizeable RAM shows its max size; a region without facts shows none', () => {
    const ram: RegionInfo = {
      ...virtio,
      name: 'fb',
      kind: 'ram',
      mtreeType: 'ram',
      ioeventfds: undefined,
      coalesced: undefined,
      maxSize: '0x100000',
    };
    assert.deepEqual(tooltipRows(firstHalf(), ram).slice(4), [
      ['Resizeable up to', '1 MiB (0x10_0000)'],
    ]);
    const plain: RegionInfo = { ...ram, maxSize: undefined };
    assert.equal(tooltipRows(firstHalf(), plain).length, 4);
    assert.equal(tooltipRows(firstHalf()).length, 4);
  });

  test('segment labels name the markers; holes have no region', () => {
    assert.equal(
      segmentLabel(firstHalf(), virtio),
      'virtio, MMIO, 0x1000_1000 to 0x1000_10ff, 256 bytes, ioeventfd×3, coalesced',
    );
    assert.equal(segmentLabel(firstHalf()), 'virtio, MMIO, 0x1000_1000 to 0x1000_10ff, 256 bytes');
    const hole = segmentsOf([range(0x1000_1000n, 0x1000_1100n, 0n)], 1n << 32n)[0]!;
    assert.deepEqual(tooltipRows(hole, virtio), [
      ['Unassigned', ''],
      ['Range', '0x0 – 0x1000_0fff'],
      ['Size', '≈256 MiB'],
    ]);
  });
});
