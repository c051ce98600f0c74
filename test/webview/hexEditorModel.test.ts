/** Live edit/undo model, typing, data inspector, address input and Intel HEX export. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { numRuns } from '../support/property';
import {
  EditHistory,
  HexTyping,
  asciiKeyToByte,
  type MemoryWriter,
  inspect,
  UNAVAILABLE,
  addressDigits,
  copyAsHex,
  formatAddress,
  groupOrder,
  parseAddressInput,
  Selection,
  navigate,
} from '../../src/webview/hexEditor';
import { IntelHexWriter, toIntelHex } from '../../src/extension/hexEditor/model';
import { parseIntelHex } from '../support/intelHex';
import { FakeMemory, RAM_BASE, ROM_BASE } from './hexFixtures/fakeMemory';

const FULL = 1n << 64n;

function fakeWriter(memory: FakeMemory): MemoryWriter {
  return { write: async (address, bytes) => memory.write(address, bytes) };
}

function romPolicy(memory: FakeMemory) {
  return (address: bigint, length: number) => {
    for (let i = 0n; i < BigInt(length); i++) {
      const r = memory.regionAt(address + i);
      if (r?.readonly) return `${r.name} is ROM: writes are refused`;
    }
    return undefined;
  };
}

const ramByte = (m: FakeMemory, offset: number) =>
  m.regions.find((r) => r.name === 'dram')!.bytes![offset];

describe('EditHistory', () => {
  test('edits are written at once; undo and redo write the bytes back', async () => {
    const m = new FakeMemory();
    const h = new EditHistory(fakeWriter(m), romPolicy(m));
    const r1 = await h.commit(RAM_BASE + 0x100n, Uint8Array.of(0x48), Uint8Array.of(0x4a));
    assert.equal(r1.status, 'written');
    assert.equal(ramByte(m, 0x100), 0x4a);
    const r2 = await h.commit(RAM_BASE + 0x101n, Uint8Array.of(0x65, 0x6c), Uint8Array.of(1, 2));
    assert.equal(r2.written, 2);
    assert.equal((await h.undo())?.status, 'written');
    assert.deepEqual([ramByte(m, 0x101), ramByte(m, 0x102)], [0x65, 0x6c]);
    assert.equal((await h.undo())?.action, 'undo');
    assert.equal(ramByte(m, 0x100), 0x48);
    assert.equal(await h.undo(), undefined);
    await h.redo();
    await h.redo();
    assert.deepEqual([ramByte(m, 0x100), ramByte(m, 0x101)], [0x4a, 1]);
    assert.equal(m.writes.length, 6, 'each step is exactly one write');
  });

  test('writes into ROM are refused with a message and never sent', async () => {
    const m = new FakeMemory();
    const h = new EditHistory(fakeWriter(m), romPolicy(m));
    const r = await h.commit(ROM_BASE, Uint8Array.of(0x97), Uint8Array.of(0));
    assert.equal(r.status, 'refused');
    assert.match(r.message!, /mrom is ROM/);
    assert.equal(m.writes.length, 0);
    assert.equal(h.canUndo, false);
  });

  test('partial and failed writes are reported; undo covers only what was written', async () => {
    const m = new FakeMemory();
    const h = new EditHistory(fakeWriter(m), () => undefined);
    m.failWritesAt = RAM_BASE + 2n;
    const r = await h.commit(RAM_BASE, Uint8Array.of(0, 0, 0, 0), Uint8Array.of(9, 9, 9, 9));
    assert.equal(r.status, 'partial');
    assert.equal(r.written, 2);
    assert.match(r.message!, /bus error at 0x80000002/);
    const failed = await h.commit(RAM_BASE + 3n, Uint8Array.of(0), Uint8Array.of(7));
    assert.equal(failed.status, 'failed');
    assert.equal(h.undoDepth, 1);
    m.failWritesAt = undefined;
    await h.undo();
    assert.deepEqual([ramByte(m, 0), ramByte(m, 1)], [0, 0]);
    assert.deepEqual(m.writes.at(-1), { address: RAM_BASE, data: [0, 0] });
  });

  test('a writer that throws is a failed write, and a failed undo can be retried', async () => {
    const m = new FakeMemory();
    let broken = false;
    const h = new EditHistory(
      {
        write: async (a, b) => {
          if (broken) throw new Error('session ended');
          return m.write(a, b);
        },
      },
      () => undefined,
    );
    await h.commit(RAM_BASE, Uint8Array.of(0), Uint8Array.of(5));
    broken = true;
    const r = await h.undo();
    assert.equal(r?.status, 'failed');
    assert.equal(r?.message, 'session ended');
    assert.equal(h.canUndo, true);
    broken = false;
    assert.equal((await h.undo())?.status, 'written');
    assert.equal(ramByte(m, 0), 0);
  });

  test('an edit with unknown previous bytes is written and recorded as not undoable', async () => {
    const m = new FakeMemory();
    const h = new EditHistory(fakeWriter(m), () => undefined);
    const r = await h.commit(RAM_BASE, undefined, Uint8Array.of(0x41));
    assert.equal(r.status, 'written');
    assert.match(r.notUndoable!.reason, /previous value is unknown/);
    const undo = await h.undo();
    assert.equal(undo?.status, 'notUndoable');
    assert.equal(ramByte(m, 0), 0x41, 'nothing written back');
    assert.equal(m.writes.length, 1);
    assert.equal(h.canUndo, false);
  });

  test('a device write is never written back: undo reports it, then undoes the edit before', async () => {
    const m = new FakeMemory();
    const h = new EditHistory(fakeWriter(m), () => undefined);
    const device = { reason: 'device writes cannot be undone', target: 'MMIO (uart0)' };
    await h.commit(RAM_BASE, Uint8Array.of(0), Uint8Array.of(7));
    // The previous value of the register is known (peeked) and must still not be written back.
    const r = await h.commit(0x1000_0000n, Uint8Array.of(0), Uint8Array.of(0x41), device);
    assert.equal(r.status, 'written');
    assert.deepEqual(r.notUndoable, device);
    assert.deepEqual(m.transmitted, [0x41]);
    assert.equal(h.canUndo, true);
    const first = await h.undo();
    assert.deepEqual(
      { status: first?.status, written: first?.written, why: first?.notUndoable },
      { status: 'notUndoable', written: 0, why: device },
    );
    assert.deepEqual(m.transmitted, [0x41], 'no NUL transmitted by the undo');
    assert.equal(m.writes.length, 2);
    assert.equal((await h.undo())?.status, 'written');
    assert.equal(ramByte(m, 0), 0);
    assert.equal(h.canUndo, false);
    // Redo brings back the RAM edit only.
    assert.equal((await h.redo())?.status, 'written');
    assert.equal(ramByte(m, 0), 7);
    assert.equal(await h.redo(), undefined);
    assert.deepEqual(m.transmitted, [0x41]);
  });

  test('property: any sequence of edits undone completely restores RAM', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            off: fc.integer({ min: 0, max: 60 }),
            bytes: fc.uint8Array({ minLength: 1, maxLength: 4 }),
          }),
          { maxLength: 20 },
        ),
        async (edits) => {
          const m = new FakeMemory();
          const ram = m.regions.find((r) => r.name === 'dram')!.bytes!;
          const original = ram.slice(0, 64);
          const h = new EditHistory(fakeWriter(m), () => undefined);
          for (const e of edits) {
            const before = ram.slice(e.off, e.off + e.bytes.length);
            await h.commit(RAM_BASE + BigInt(e.off), before, e.bytes);
          }
          while (h.canUndo) await h.undo();
          return Buffer.from(ram.subarray(0, 64)).equals(Buffer.from(original));
        },
      ),
      { numRuns: numRuns(100) },
    );
  });
});

describe('typing', () => {
  test('two hex digits make a byte; the first is pending; other keys are ignored', () => {
    const t = new HexTyping();
    assert.deepEqual(t.type(5n, 'a'), { accepted: true });
    assert.equal(t.pendingAt(5n), 0xa);
    assert.equal(t.pendingAt(6n), undefined);
    assert.deepEqual(t.type(5n, 'F'), { accepted: true, byte: 0xaf });
    assert.equal(t.pendingAt(5n), undefined);
    assert.deepEqual(t.type(5n, 'g'), { accepted: false });
    t.type(5n, '1');
    assert.deepEqual(t.type(6n, '2'), { accepted: true }, 'moving restarts the byte');
    assert.equal(asciiKeyToByte('A'), 0x41);
    assert.equal(asciiKeyToByte('Enter'), undefined);
    assert.equal(asciiKeyToByte('é'), undefined);
  });
});

describe('data inspector', () => {
  const row = (rows: ReturnType<typeof inspect>, label: string) =>
    rows.find((r) => r.label === label)!;

  test('integers, floats and text in both byte orders', () => {
    const f64 = new Uint8Array(8);
    new DataView(f64.buffer).setFloat64(0, Math.PI, true);
    const rows = inspect(f64);
    assert.equal(row(rows, 'f64').little, String(Math.PI));
    const be = inspect(Uint8Array.of(0xde, 0xad, 0xbe, 0xef, 0xff, 0xff, 0xff, 0xff));
    assert.deepEqual(row(be, 'u32'), { label: 'u32', little: '4022250974', big: '3735928559' });
    assert.equal(row(be, 'i8').little, '-34');
    assert.equal(row(be, 'u64').big, '16045690985392373759');
    assert.equal(row(be, 'i64').little, '-272716322');
    assert.equal(row(inspect(Uint8Array.of(0x41)), 'ascii').little, "'A'");
    assert.equal(row(inspect(Uint8Array.of(0xe2, 0x82, 0xac)), 'utf-8').little, "'€' U+20AC");
    assert.equal(row(inspect(Uint8Array.of(0xff)), 'utf-8').little, 'invalid UTF-8');
    assert.equal(row(inspect(Uint8Array.of(0, 0, 0xc0, 0x7f)), 'f32').little, 'NaN');
  });

  test('types wider than the readable bytes are unavailable', () => {
    const rows = inspect(Uint8Array.of(1, 2, 3));
    assert.equal(row(rows, 'u16').little, '513');
    assert.equal(row(rows, 'u32').little, UNAVAILABLE);
    assert.equal(row(rows, 'f64').big, UNAVAILABLE);
    assert.equal(row(inspect(new Uint8Array(0)), 'u8').little, UNAVAILABLE);
  });
});

describe('address input, grouping, selection', () => {
  test('go-to box accepts hex, h-suffix, decimal, relative, and passes expressions on', () => {
    assert.deepEqual(parseAddressInput(' 0x8000_0000 ', FULL), {
      kind: 'absolute',
      address: 0x80000000n,
    });
    assert.deepEqual(parseAddressInput('1000h', FULL), { kind: 'absolute', address: 0x1000n });
    assert.deepEqual(parseAddressInput('4096', FULL), { kind: 'absolute', address: 4096n });
    assert.deepEqual(parseAddressInput('-0x10', FULL), { kind: 'relative', delta: -16n });
    assert.deepEqual(parseAddressInput('main', FULL), { kind: 'expression', text: 'main' });
    assert.deepEqual(parseAddressInput('&buf[2]', FULL), { kind: 'expression', text: '&buf[2]' });
    assert.equal(parseAddressInput('0x1_0000_0000', 1n << 32n).kind, 'invalid');
    assert.equal(parseAddressInput('', FULL).kind, 'invalid');
    assert.equal(parseAddressInput('+zz', FULL).kind, 'invalid');
  });

  test('formatting and grouping', () => {
    assert.equal(formatAddress(0x80001000n), '00000000_80001000');
    assert.equal(formatAddress(FULL - 1n), 'ffffffff_ffffffff');
    // Spaces smaller than 2^64 get narrower addresses (at least 8 digits).
    assert.equal(addressDigits(1n << 32n), 8);
    assert.equal(addressDigits(1n << 16n), 8);
    assert.equal(addressDigits(1n << 40n), 10);
    assert.equal(addressDigits(FULL), 16);
    assert.equal(formatAddress(0x1000n, 8), '00001000');
    assert.equal(formatAddress(0x1000n, 10), '00_00001000');
    assert.deepEqual(groupOrder(4, true, 8), [3, 2, 1, 0, 7, 6, 5, 4]);
    assert.deepEqual(groupOrder(2, false, 4), [0, 1, 2, 3]);
    assert.equal(copyAsHex([0xde, null, 0x01], 2), 'de ??\n01');
  });

  test('keyboard navigation stays inside the space', () => {
    const ctx = { bytesPerRow: 16, visibleRows: 10, spaceSize: FULL, ctrl: false };
    assert.equal(navigate('ArrowRight', 0n, ctx), 1n);
    assert.equal(navigate('ArrowLeft', 0n, ctx), 0n);
    assert.equal(navigate('ArrowDown', FULL - 4n, ctx), FULL - 4n);
    assert.equal(navigate('PageDown', 0n, ctx), 144n);
    assert.equal(navigate('End', 0x23n, ctx), 0x2fn);
    assert.equal(navigate('End', 0x23n, { ...ctx, ctrl: true }), FULL - 1n);
    assert.equal(navigate('x', 0n, ctx), undefined);
    const sel = new Selection(FULL);
    sel.set(10n);
    sel.set(4n, true);
    assert.equal(sel.start, 4n);
    assert.equal(sel.length, 7n);
    assert.ok(sel.contains(10n) && !sel.contains(11n));
    sel.selectRange(FULL - 2n, 100n);
    assert.equal(sel.cursor, FULL - 1n);
  });
});

describe('Intel HEX', () => {
  test('matches a hand-checked file and round-trips', () => {
    const text = toIntelHex([{ address: 0x0001_fffen, data: Uint8Array.of(1, 2, 3, 4) }]);
    assert.equal(
      text,
      [
        ':020000040001F9',
        ':02FFFE000102FE',
        ':020000040002F8',
        ':020000000304F7',
        ':00000001FF',
        '',
      ].join('\n'),
    );
    const parsed = parseIntelHex(text);
    assert.deepEqual(
      [...parsed],
      [
        [0x1fffe, 1],
        [0x1ffff, 2],
        [0x20000, 3],
        [0x20001, 4],
      ],
    );
  });

  test('unreadable bytes become gaps, and 64-bit addresses are refused clearly', () => {
    const data = Uint8Array.from({ length: 40 }, (_, i) => i);
    const text = toIntelHex([{ address: 0x8000_0000n, data, readable: (i) => i < 10 || i >= 20 }]);
    const parsed = parseIntelHex(text);
    assert.equal(parsed.size, 30);
    assert.equal(parsed.has(0x8000_0000 + 12), false);
    assert.equal(parsed.get(0x8000_0000 + 25), 25);
    assert.throws(
      () => new IntelHexWriter().write({ address: 1n << 40n, data: Uint8Array.of(1) }),
      /below 4 GiB/,
    );
    assert.throws(() => parseIntelHex(':00000001FE\n'), /checksum/);
  });
});
