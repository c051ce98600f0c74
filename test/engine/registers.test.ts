// Register tables: access rules (rw, ro, wo, w1c, w1s, rc, rwc), fields with their own rules and
// reset values, hooks, side-effect-free peeks, narrow/wide accesses across registers, metadata,
// misuse errors — all through the generated ops on a real address space.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CpuMemoryPort,
  MemorySystem,
  RegisterBank,
  createContainer,
  createIo,
  debugRead,
  readWithAttrs,
  setGuestErrorSink,
  writeWithAttrs,
  MEMTX_DECODE_ERROR,
  MEMTX_NOT_PEEKABLE,
  MEMTX_OK,
  type RegisterSpec,
} from '../../src/engine/index';

function mapped(specs: RegisterSpec[], options = {}) {
  const sys = new MemorySystem();
  const logs: string[] = [];
  setGuestErrorSink(sys, (_k, m) => logs.push(m));
  const bank = new RegisterBank('uart', specs, options);
  const root = createContainer(sys, 'system', 1n << 32n);
  root.addSubregion(0x10000000, createIo(sys, 'uart', 0x100, bank.ops));
  const as = sys.createAddressSpace(root, 'memory');
  const port = new CpuMemoryPort(as);
  return { bank, port, as, logs };
}

describe('register access rules', () => {
  test('rw, ro, wo, w1c, w1s, rc, rwc and reset values', () => {
    const { bank, port } = mapped([
      { name: 'RW', offset: 0x00, reset: 0x12 },
      { name: 'RO', offset: 0x04, access: 'ro', reset: 0xabcd },
      { name: 'WO', offset: 0x08, access: 'wo' },
      { name: 'W1C', offset: 0x0c, access: 'w1c', reset: 0xff },
      { name: 'W1S', offset: 0x10, access: 'w1s', reset: 0x01 },
      { name: 'RC', offset: 0x14, access: 'rc', reset: 0x55 },
      { name: 'RWC', offset: 0x18, access: 'rwc' },
    ]);
    const B = 0x10000000;
    assert.equal(port.load32(B), 0x12);
    port.store32(B, 0xdeadbeef);
    assert.equal(port.load32(B) >>> 0, 0xdeadbeef);
    port.store32(B + 4, 0);
    assert.equal(port.load32(B + 4), 0xabcd);
    port.store32(B + 8, 0x77);
    assert.equal(port.load32(B + 8), 0, 'write-only reads as 0');
    assert.equal(bank.get('WO'), 0x77);
    port.store32(B + 0xc, 0x0f);
    assert.equal(port.load32(B + 0xc), 0xf0);
    port.store32(B + 0x10, 0x80);
    assert.equal(port.load32(B + 0x10), 0x81);
    assert.equal(port.load32(B + 0x14), 0x55);
    assert.equal(port.load32(B + 0x14), 0, 'clear on read');
    port.store32(B + 0x14, 0x99);
    assert.equal(bank.get('RC'), 0, 'rc ignores writes');
    port.store32(B + 0x18, 0x33);
    assert.equal(port.load32(B + 0x18), 0x33);
    assert.equal(port.load32(B + 0x18), 0);
    bank.reset();
    assert.equal(port.load32(B + 0xc), 0xff);
    assert.equal(port.status, MEMTX_OK);
  });

  test('fields: own rules, reset values, get/set by field', () => {
    const { bank, port } = mapped([
      {
        name: 'STATUS',
        offset: 0,
        reset: 0x100,
        fields: [
          { name: 'RXNE', lsb: 0, access: 'ro' },
          { name: 'ERR', lsb: 1, width: 2, access: 'w1c', reset: 3 },
          { name: 'MODE', lsb: 4, width: 3, enumValues: { 0: 'off', 5: 'fifo' } },
          { name: 'CNT', lsb: 8, width: 8, access: 'rc' },
        ],
      },
    ]);
    assert.equal(bank.get('STATUS'), 0x106);
    bank.setField('STATUS', 'RXNE', 1);
    port.store32(0x10000000, 0xffff_ff52); // RXNE ro, ERR bit 1 cleared, MODE=5, CNT rc
    assert.equal(bank.getField('STATUS', 'RXNE'), 1);
    assert.equal(bank.getField('STATUS', 'ERR'), 2);
    assert.equal(bank.getField('STATUS', 'MODE'), 5);
    assert.equal(bank.getField('STATUS', 'CNT'), 1, 'rc field ignores writes');
    // Bits outside fields follow the register rule (rw).
    assert.equal((bank.get('STATUS') >>> 16) & 0xffff, 0xffff);
    const v = port.load32(0x10000000) >>> 0;
    assert.equal((v >>> 8) & 0xff, 1);
    assert.equal(bank.getField('STATUS', 'CNT'), 0, 'cleared by the read');
    assert.equal(bank.getField('STATUS', 'MODE'), 5, 'other fields survive the read');
  });

  test('hooks: onRead supplies live values, onWrite sees new/old/written', () => {
    const fifo = [0x41, 0x42];
    const writes: string[] = [];
    const { port, bank } = mapped([
      { name: 'DATA', offset: 0, width: 1, onRead: () => fifo.shift() ?? 0 },
      {
        name: 'LSR',
        offset: 4,
        width: 1,
        onRead: () => (fifo.length ? 1 : 0),
        onPeek: () => (fifo.length ? 1 : 0),
      },
      {
        name: 'CTRL',
        offset: 8,
        access: 'w1c',
        reset: 0xf,
        onWrite: (_b, value, old, written) => writes.push(`${value}/${old}/${written}`),
      },
    ]);
    assert.equal(port.load8(0x10000000), 0x41);
    assert.equal(port.load8(0x10000004), 1);
    assert.equal(port.load8(0x10000000), 0x42);
    assert.equal(port.load8(0x10000004), 0);
    port.store32(0x10000008, 0x3);
    assert.deepEqual(writes, ['12/15/3']);
    assert.equal(bank.peekRegister('DATA'), null, 'onRead without onPeek is not peekable');
    assert.equal(bank.peekRegister('LSR'), 0);
  });
});

describe('peeks, widths and metadata', () => {
  test('debug reads peek without clear-on-read effects; non-peekable registers report so', () => {
    const { bank, as } = mapped([
      { name: 'RC', offset: 0, access: 'rc', reset: 0x5a },
      { name: 'POP', offset: 4, onRead: () => 7 },
    ]);
    const r = debugRead(as, 0x10000000, 4);
    assert.equal(r.result, MEMTX_OK);
    assert.deepEqual([...r.data], [0x5a, 0, 0, 0]);
    assert.equal(bank.get('RC'), 0x5a, 'peek did not clear');
    assert.equal(debugRead(as, 0x10000004, 4).result, MEMTX_NOT_PEEKABLE);
    const run = debugRead(as, 0x10000000, 4, { runCallbacks: true });
    assert.equal(run.data[0], 0x5a);
    assert.equal(bank.get('RC'), 0, 'an explicit debug read runs the side effects');
  });

  test('byte access to a 32-bit register, and one access spanning two 16-bit registers', () => {
    const { bank, as } = mapped([
      { name: 'A', offset: 0, width: 2, reset: 0x1122 },
      { name: 'B', offset: 2, width: 2, access: 'w1c', reset: 0x00ff },
      { name: 'W', offset: 4, reset: 0x44332211 },
    ]);
    const buf = new Uint8Array(4);
    readWithAttrs(as, 0x10000000, buf);
    assert.deepEqual([...buf], [0x22, 0x11, 0xff, 0x00]);
    writeWithAttrs(as, 0x10000000, new Uint8Array([0xaa, 0xbb, 0x0f, 0x00]));
    assert.equal(bank.get('A'), 0xbbaa);
    assert.equal(bank.get('B'), 0xf0);
    writeWithAttrs(as, 0x10000005, new Uint8Array([0x99]));
    assert.equal(bank.get('W'), 0x44339911, 'only the written byte lane changes');
  });

  test('big-endian banks lay registers out most significant byte first', () => {
    const { as } = mapped([{ name: 'ID', offset: 0, reset: 0x11223344 }], { endianness: 'big' });
    const buf = new Uint8Array(4);
    readWithAttrs(as, 0x10000000, buf);
    assert.deepEqual([...buf], [0x11, 0x22, 0x33, 0x44]);
  });

  test('unmapped offsets: RAZ/WI with a guest-error log, or a decode error when asked', () => {
    const a = mapped([{ name: 'R', offset: 0 }]);
    assert.equal(a.port.load32(0x10000010), 0);
    assert.equal(a.port.status, MEMTX_OK);
    assert.match(a.logs[0]!, /read of unimplemented register at offset 0x10, size 4, bank 'uart'/);
    const b = mapped([{ name: 'R', offset: 0 }], { unmapped: 'error' });
    b.port.load32(0x10000010);
    assert.equal(b.port.status, MEMTX_DECODE_ERROR);
  });

  test('metadata for views: registerAt, describe with fields and peekability', () => {
    const { bank } = mapped([
      {
        name: 'CTRL',
        offset: 0,
        description: 'control',
        fields: [{ name: 'EN', lsb: 0, reset: 1 }],
      },
      { name: 'DATA', offset: 4, width: 1, onRead: () => 0 },
    ]);
    assert.equal(bank.registerAt(2)?.name, 'CTRL');
    assert.equal(bank.registerAt(5), null);
    const d = bank.describe();
    assert.deepEqual(
      d.map((r) => [
        r.name,
        r.offset,
        r.width,
        r.access,
        r.reset,
        r.peekable,
        r.fields.map((f) => f.name),
      ]),
      [
        ['CTRL', 0, 4, 'rw', 1, true, ['EN']],
        ['DATA', 4, 1, 'rw', 0, false, []],
      ],
    );
  });

  test('misuse throws at declaration with the register named', () => {
    assert.throws(
      () =>
        new RegisterBank('b', [
          { name: 'X', offset: 0 },
          { name: 'Y', offset: 2 },
        ]),
      /'X' overlaps 'Y'/,
    );
    assert.throws(
      () =>
        new RegisterBank('b', [
          { name: 'X', offset: 0 },
          { name: 'X', offset: 4 },
        ]),
      /duplicate register 'X'/,
    );
    assert.throws(
      () =>
        new RegisterBank('b', [
          { name: 'X', offset: 0, width: 1, fields: [{ name: 'F', lsb: 6, width: 4 }] },
        ]),
      /field 'F' of register 'X'.*outside/,
    );
    assert.throws(
      () =>
        new RegisterBank('b', [
          {
            name: 'X',
            offset: 0,
            fields: [
              { name: 'F', lsb: 0, width: 4 },
              { name: 'G', lsb: 3 },
            ],
          },
        ]),
      /field 'G'.*overlaps/,
    );
    assert.throws(
      () => new RegisterBank('b', [{ name: 'X', offset: 0, width: 3 as 4 }]),
      /width must be 1, 2 or 4/,
    );
  });
});
