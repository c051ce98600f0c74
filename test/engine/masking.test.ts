// Address masking: a device decoding only some address bits answers mirrored across its window
// (maskOps, any callback style, peeks and accepts included); mirrorRegion repeats any region
// (RAM too) through aliases.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CpuMemoryPort,
  MemorySystem,
  RegisterBank,
  createContainer,
  createIo,
  createRam,
  debugRead,
  maskOps,
  mirrorRegion,
  opsFromAccess,
  writeWithAttrs,
  MEMTX_DECODE_ERROR,
} from '../../src/engine/index';

function setup() {
  const sys = new MemorySystem();
  const root = createContainer(sys, 'system', 1n << 32n);
  return { sys, root, as: () => sys.createAddressSpace(root, 'memory') };
}

describe('maskOps', () => {
  test('an 8-byte register bank decoding 3 address bits repeats across a 4 KiB window', () => {
    const { sys, root, as } = setup();
    const bank = new RegisterBank('uart', [
      { name: 'DATA', offset: 0, reset: 0x41 },
      { name: 'STAT', offset: 4, access: 'rc', reset: 1 },
    ]);
    root.addSubregion(0x10000000, createIo(sys, 'uart', 0x1000, maskOps(bank.ops, 0x7)));
    const port = new CpuMemoryPort(as());
    assert.equal(port.load32(0x10000000), 0x41);
    assert.equal(port.load32(0x10000008), 0x41);
    assert.equal(port.load32(0x10000ff8), 0x41);
    port.store32(0x10000808, 0x55);
    assert.equal(bank.get('DATA'), 0x55);
    assert.equal(port.load32(0x1000010c), 1);
    assert.equal(port.load32(0x10000004), 0, 'the mirror is the same register (cleared on read)');
  });

  test('sparse decode: only the bits in the mask select the register', () => {
    const { sys, root, as } = setup();
    const seen: number[] = [];
    root.addSubregion(
      0x2000,
      createIo(sys, 'dev', 0x1000, maskOps({ read: (_r, o) => (seen.push(o), o) }, 0x104)),
    );
    const port = new CpuMemoryPort(as());
    assert.equal(port.load16(0x2000 + 0x1fc), 0x104);
    assert.equal(port.load16(0x2000 + 0x0f8), 0x000);
    assert.deepEqual(seen, [0x104, 0]);
  });

  test('transaction callbacks, peeks and accepts see masked offsets; validation sees the bus offset', () => {
    const { sys, root, as } = setup();
    const offsets: number[] = [];
    const ops = opsFromAccess(
      (_r, tx) => {
        offsets.push(tx.offset);
        tx.value = tx.offset + 1;
      },
      { peekable: true, valid: { accepts: (_r, o) => o !== 3 } },
    );
    root.addSubregion(0x3000, createIo(sys, 'tx', 0x1000, maskOps(ops, 0x3)));
    const space = as();
    assert.equal(debugRead(space, 0x3011, 1).data[0], 2);
    assert.equal(
      debugRead(space, 0x3013, 1).result,
      MEMTX_DECODE_ERROR,
      'accepts saw offset 3 after masking',
    );
    const port = new CpuMemoryPort(space);
    port.load16(0x3001);
    assert.equal(port.status, MEMTX_DECODE_ERROR, 'alignment is checked on the unmasked offset');
    assert.deepEqual(offsets, [1]);
  });

  test('bad masks are rejected', () => {
    assert.throws(() => maskOps({}, -1), /mask must be an integer/);
    assert.throws(() => maskOps({}, 2 ** 32), /mask must be an integer/);
  });
});

describe('mirrorRegion', () => {
  test('a 16 KiB RAM mirrored 4 times over 64 KiB (plus a clipped partial copy)', () => {
    const { sys, root, as } = setup();
    const ram = createRam(sys, 'sram', 0x4000);
    root.addSubregion(0x20000000, mirrorRegion(sys, 'sram-mirror', 0x11000, ram));
    const space = as();
    const port = new CpuMemoryPort(space);
    port.store32(0x20000010, 0xcafef00d);
    for (const base of [0x20000000, 0x20004000, 0x20008000, 0x2000c000, 0x20010000]) {
      assert.equal(port.load32(base + 0x10) >>> 0, 0xcafef00d, `copy at 0x${base.toString(16)}`);
    }
    port.load32(0x20011000);
    assert.equal(port.status, MEMTX_DECODE_ERROR, 'nothing past the window');
    writeWithAttrs(space, 0x2000c020, new Uint8Array([9]));
    assert.equal(port.load8(0x20000020), 9);
    // One flat range per copy, all served by the same RAM from offset 0.
    assert.deepEqual(
      space.flatView.ranges.map((r) => [r.mr.name, r.start, r.size, r.offsetInRegion]),
      [0n, 1n, 2n, 3n]
        .map((k) => ['sram', 0x20000000n + k * 0x4000n, 0x4000n, 0n])
        .concat([['sram', 0x20010000n, 0x1000n, 0n]]),
    );
  });

  test('a zero-size target or too many copies are refused', () => {
    const { sys } = setup();
    assert.throws(() => mirrorRegion(sys, 'm', 0x1000, createRam(sys, 'z', 0)), /size 0/);
    assert.throws(() => mirrorRegion(sys, 'm', 1n << 32n, createRam(sys, 'tiny', 1)), /max 65536/);
  });
});
