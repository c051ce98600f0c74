import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatSize, fromHex, mtreeRange, parseUserAddress, toHex } from '../../src/protocol';

test('hex strings round-trip exactly over 64 bits and 2^64', () => {
  for (const v of [0n, 1n, 0xffffffffn, (1n << 64n) - 1n, 1n << 64n])
    assert.equal(fromHex(toHex(v)), v);
  assert.throws(() => fromHex('12'), /not a hex string/);
  assert.throws(() => toHex(-1n), /negative/);
  assert.equal(mtreeRange('0x1000', '0x1fff'), '0000000000001000-0000000000001fff');
});

test('user addresses: hex, underscores, h suffix, decimal, binary; clear errors', () => {
  assert.deepEqual(parseUserAddress(' 0x8000_0000 '), { ok: true, value: 0x80000000n });
  assert.deepEqual(parseUserAddress('80000000h'), { ok: true, value: 0x80000000n });
  assert.deepEqual(parseUserAddress('4096'), { ok: true, value: 4096n });
  assert.deepEqual(parseUserAddress('0b101'), { ok: true, value: 5n });
  assert.deepEqual(parseUserAddress("0xffff'ffff'ffff'ffff"), {
    ok: true,
    value: (1n << 64n) - 1n,
  });
  assert.deepEqual(parseUserAddress('0x1_0000_0000_0000_0000'), {
    ok: false,
    error: '0x1_0000_0000_0000_0000 is beyond 64 bits',
  });
  assert.deepEqual(parseUserAddress('uart0'), {
    ok: false,
    error: "'uart0' is not an address (try 0x1000 or 4096)",
  });
  assert.equal(parseUserAddress('').ok, false);
});

test('sizes in binary units, exact or marked approximate', () => {
  assert.equal(formatSize(1n), '1 byte');
  assert.equal(formatSize(4n), '4 bytes');
  assert.equal(formatSize(1023n), '1023 bytes');
  assert.equal(formatSize(64n << 10n), '64 KiB');
  assert.equal(formatSize(3n << 19n), '1.5 MiB');
  assert.equal(formatSize((2n << 30n) - 4096n), '≈2 GiB');
  assert.equal(formatSize((1n << 30n) - 4n), '≈1 GiB');
  assert.equal(formatSize(0x11000n), '68 KiB');
  assert.equal(formatSize(1000n << 10n), '1000 KiB');
  assert.equal(formatSize(1n << 64n), '16 EiB');
  assert.equal(formatSize(123456789n), '≈117.74 MiB');
});
