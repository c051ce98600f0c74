// Access path behaviour: the spec's worked examples (§6.3, §6.5), ROM/loader/debug writes
// (§6.4), containment of throwing callbacks, the re-entrancy guard, attrs.memory, byte order
// on the buffer path, debug peeks, the transaction-style callback and 8-byte callbacks.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AccessValue,
  MemorySystem,
  addressSpaceLoad,
  addressSpaceStore,
  createAlias,
  createContainer,
  createIo,
  createRam,
  createRamDevice,
  createReservation,
  createRom,
  createRomDevice,
  debugRead,
  RegisterBank,
  debugWrite,
  dispatchRead,
  dispatchWrite,
  opsFromAccess,
  readWithAttrs,
  setGuestErrorSink,
  writeRom,
  writeWithAttrs,
  CpuMemoryPort,
  MEMTX_ACCESS_ERROR,
  MEMTX_DECODE_ERROR,
  MEMTX_ERROR,
  MEMTX_NOT_PEEKABLE,
  MEMTX_OK,
  type GuestErrorKind,
  type MemoryRegionOps,
} from '../../src/engine/index';

function setup() {
  const sys = new MemorySystem();
  const logs: Array<[GuestErrorKind, string]> = [];
  setGuestErrorSink(sys, (k, m) => logs.push([k, m]));
  const root = createContainer(sys, 'root', 1n << 32n);
  return { sys, root, logs, as: () => sys.createAddressSpace(root, 'memory') };
}

function recorder(extra: Partial<MemoryRegionOps> = {}, reg = (o: number) => o * 0x11) {
  const calls: string[] = [];
  const ops: MemoryRegionOps = {
    read: (_r, o, s) => {
      calls.push(`r${s}@${o.toString(16)}`);
      return reg(o) & (s === 4 ? 0xffffffff : 2 ** (s * 8) - 1);
    },
    write: (_r, o, v, s) => void calls.push(`w${s}@${o.toString(16)}=${v.toString(16)}`),
    ...extra,
  };
  return { ops, calls };
}

describe('worked examples of access_with_adjusted_size (spec §6.5)', () => {
  const out = new AccessValue();
  test('impl max 1: a 4-byte read is four byte reads, LE and BE combinations', () => {
    const { sys } = setup();
    const bytes = [0xb0, 0xb1, 0xb2, 0xb3];
    for (const endianness of ['little', 'big'] as const) {
      const { ops, calls } = recorder(
        { endianness, impl: { maxAccessSize: 1 } },
        (o) => bytes[o - 0x10]!,
      );
      const mr = createIo(sys, 'dev', 0x100, ops);
      assert.equal(dispatchRead(mr, 0x10, 4, {}, out, false), MEMTX_OK);
      assert.deepEqual(calls, ['r1@10', 'r1@11', 'r1@12', 'r1@13']);
      // Integer as the device sees it: LE b0 + b1<<8…; BE b0<<24…. A LE op on a BE device
      // then byte-swaps, so compare with an op of the device's own order.
      dispatchRead(mr, 0x10, 4, {}, out, endianness === 'big');
      assert.equal(out.value, endianness === 'little' ? 0xb3b2b1b0 : 0xb0b1b2b3);
    }
  });

  test('impl min 4: a 1-byte read at 0x11 is read(0x11, 4), low 8 bits used', () => {
    const { sys } = setup();
    const { ops, calls } = recorder({ impl: { minAccessSize: 4 } }, () => 0xaabbccdd);
    const mr = createIo(sys, 'dev', 0x100, ops);
    assert.equal(dispatchRead(mr, 0x11, 1, {}, out), MEMTX_OK);
    assert.deepEqual(calls, ['r4@11']);
    assert.equal(out.value, 0xdd);
  });

  test('impl max 2: an 8-byte write is four 2-byte writes, low half first (LE)', () => {
    const { sys } = setup();
    const { ops, calls } = recorder({ impl: { maxAccessSize: 2 }, valid: { maxAccessSize: 8 } });
    const mr = createIo(sys, 'dev', 0x100, ops);
    assert.equal(dispatchWrite(mr, 0, 8, 0, 0x1122334455667788n, {}), MEMTX_OK);
    assert.deepEqual(calls, ['w2@0=7788', 'w2@2=5566', 'w2@4=3344', 'w2@6=1122']);
  });

  test('memory_access_size: a 4-byte read at region offset 1 is issued as 1@1, 2@2, 1@4', () => {
    const { root, as } = setup();
    const { ops, calls } = recorder();
    root.addSubregion(0x1000, createIo(root.system, 'dev', 0x100, ops));
    const buf = new Uint8Array(4);
    assert.equal(readWithAttrs(as(), 0x1001, buf), MEMTX_OK);
    assert.deepEqual(calls, ['r1@1', 'r2@2', 'r1@4']);
    assert.deepEqual([...buf], [0x11, 0x22, 0x00, 0x44]);
  });

  test('the buffer holds register bytes in the device order (LE 44 33 22 11, BE 11 22 33 44)', () => {
    const { root, as } = setup();
    for (const [i, endianness] of (['little', 'big'] as const).entries()) {
      const { ops } = recorder({ endianness }, () => 0x11223344);
      root.addSubregion(0x1000 * (i + 1), createIo(root.system, endianness, 0x100, ops));
    }
    const space = as();
    const buf = new Uint8Array(4);
    readWithAttrs(space, 0x1000, buf);
    assert.deepEqual([...buf], [0x44, 0x33, 0x22, 0x11]);
    readWithAttrs(space, 0x2000, buf);
    assert.deepEqual([...buf], [0x11, 0x22, 0x33, 0x44]);
    // ld*_le/_be: the integer equals the register when the accessor matches the device.
    const out = new AccessValue();
    addressSpaceLoad(space, 0x2000, 4, out, {}, true);
    assert.equal(out.value, 0x11223344);
    addressSpaceLoad(space, 0x2000, 4, out, {}, false);
    assert.equal(out.value, 0x44332211);
  });
});

describe('address_space_ld/st on RAM', () => {
  test('little- and big-endian loads and stores of 1/2/4/8 bytes', () => {
    const { root, as } = setup();
    root.addSubregion(0x1000, createRam(root.system, 'ram', 0x100));
    const space = as();
    const out = new AccessValue();
    assert.equal(addressSpaceStore(space, 0x1000, 8, 0, 0x1122334455667788n, {}, true), MEMTX_OK);
    const bytes = new Uint8Array(8);
    readWithAttrs(space, 0x1000, bytes);
    assert.deepEqual([...bytes], [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88]);
    addressSpaceLoad(space, 0x1000, 8, out, {}, false);
    assert.equal(out.value64, 0x8877665544332211n);
    addressSpaceLoad(space, 0x1002, 2, out, {}, true);
    assert.equal(out.value, 0x3344);
    addressSpaceStore(space, 0x1010, 4, 0xdeadbeef);
    addressSpaceLoad(space, 0x1010, 1, out);
    assert.equal(out.value, 0xef, 'target order (little) by default');
    // A load that would run past the end of its RAM range takes the MMIO path and fails.
    assert.equal(addressSpaceLoad(space, 0x10fe, 4, out), MEMTX_DECODE_ERROR);
  });
});

describe('unassigned space, reservations, results OR-ed over chunks', () => {
  test('unassigned reads give 0 and DECODE_ERROR; every chunk is still attempted', () => {
    const { root, as, logs } = setup();
    const ram = createRam(root.system, 'ram', 0x1000);
    root.addSubregion(0x1000, ram);
    const space = as();
    writeWithAttrs(space, 0x1ffc, new Uint8Array([1, 2, 3, 4]));
    const buf = new Uint8Array(8).fill(0xee);
    assert.equal(readWithAttrs(space, 0x1ffc, buf), MEMTX_DECODE_ERROR);
    assert.deepEqual([...buf], [1, 2, 3, 4, 0, 0, 0, 0]);
    assert.match(
      logs[0]![1],
      /^Invalid read at addr 0x2000, size 4, region 'unassigned', reason: rejected$/,
    );
  });

  test('a reservation claims its range and rejects every access (spec §10.3 vector 8)', () => {
    const { root, as } = setup();
    const l = createRam(root.system, 'L', 0x10000);
    root.addSubregion(0, l);
    root.addSubregionOverlap(0x3000, createReservation(root.system, 'N', 0x1000), 1);
    const space = as();
    const out = new AccessValue();
    assert.equal(addressSpaceLoad(space, 0x3004, 4, out), MEMTX_DECODE_ERROR);
    assert.equal(out.value, 0);
    assert.equal(addressSpaceStore(space, 0x3004, 4, 1), MEMTX_DECODE_ERROR);
    assert.equal(addressSpaceLoad(space, 0x4000, 4, out), MEMTX_OK);
  });

  test('MMIO chunks are not clipped to the region: a 2-byte read starting in a 1-byte device goes to it whole', () => {
    const { root, as } = setup();
    const a = recorder({}, () => 0xbbaa);
    const b = recorder();
    root.addSubregion(0x1000, createIo(root.system, 'a', 1, a.ops));
    root.addSubregion(0x1001, createIo(root.system, 'b', 1, b.ops));
    const buf = new Uint8Array(2);
    assert.equal(readWithAttrs(as(), 0x1000, buf), MEMTX_OK);
    assert.deepEqual(a.calls, ['r2@0']);
    assert.deepEqual(b.calls, []);
    assert.deepEqual([...buf], [0xaa, 0xbb]);
  });

  test('a readWithAttrs error and a throwing callback are OR-ed into the result', () => {
    const { root, as, logs } = setup();
    const erring: MemoryRegionOps = {
      readWithAttrs: (_r, _o, _s, _a, slot) => {
        slot.value = 0x5a;
        return MEMTX_ERROR;
      },
      write: () => {
        throw new Error('device on fire');
      },
      valid: { maxAccessSize: 1 },
    };
    const throwing: MemoryRegionOps = {
      read: () => {
        throw new TypeError('boom');
      },
      write: () => undefined,
      valid: { maxAccessSize: 1 },
    };
    root.addSubregion(0x1000, createIo(root.system, 'err', 1, erring));
    root.addSubregion(0x1001, createIo(root.system, 'throw', 1, throwing));
    root.addSubregion(0x1002, createRam(root.system, 'ram', 1));
    const space = as();
    writeWithAttrs(space, 0x1002, new Uint8Array([0x77]));
    const buf = new Uint8Array(3).fill(0xee);
    assert.equal(readWithAttrs(space, 0x1000, buf), MEMTX_ERROR);
    assert.deepEqual([...buf], [0x5a, 0, 0x77]);
    assert.equal(writeWithAttrs(space, 0x1000, new Uint8Array([1])), MEMTX_ERROR);
    assert.ok(logs.some(([k, m]) => k === 'device-error' && /'throw'.*boom/.test(m)));
    assert.ok(logs.some(([k, m]) => k === 'device-error' && /'err'.*device on fire/.test(m)));
  });

  test('a throwing accepts() rejects the access instead of escaping', () => {
    const { sys, logs } = setup();
    const mr = createIo(sys, 'acc', 4, {
      read: () => 1,
      valid: {
        accepts: () => {
          throw new Error('bad accepts');
        },
      },
    });
    assert.equal(dispatchRead(mr, 0, 4, {}, new AccessValue()), MEMTX_DECODE_ERROR);
    assert.ok(logs.some(([k]) => k === 'device-error'));
  });
});

describe('ROM, loader and debug writes (spec §6.4)', () => {
  function romSetup() {
    const s = setup();
    const rom = createRom(s.sys, 'rom', 0x1000);
    const ram = createRam(s.sys, 'ram', 0x1000);
    s.root.addSubregion(0x1000, rom);
    s.root.addSubregion(0x4000, createAlias(s.sys, 'ram-ro', ram, 0, 0x1000));
    s.root.subregions[0]!.setReadonly(true);
    return { ...s, rom, ram, space: s.as() };
  }

  test('a plain write to ROM takes the MMIO path: DECODE_ERROR, nothing written', () => {
    const { space, rom } = romSetup();
    assert.equal(writeWithAttrs(space, 0x1000, new Uint8Array([9])), MEMTX_DECODE_ERROR);
    const b = new Uint8Array(1);
    rom.ramBlock!.read(0, b);
    assert.equal(b[0], 0);
  });

  test('loader (write_rom) and debugger writes go into ROM; a CPU store is dropped', () => {
    const { space, rom, root } = romSetup();
    const b = new Uint8Array(2);
    assert.equal(writeRom(space, 0x1000, new Uint8Array([7, 8])), MEMTX_OK);
    rom.ramBlock!.read(0, b);
    assert.deepEqual([...b], [7, 8]);
    assert.equal(debugWrite(space, 0x1001, new Uint8Array([9])).result, MEMTX_OK);
    assert.equal(writeWithAttrs(space, 0x1000, new Uint8Array([1]), {}, 'cpu'), MEMTX_OK);
    const port = new CpuMemoryPort(space);
    port.store8(0x1000, 0x55);
    assert.equal(port.status, MEMTX_OK);
    rom.ramBlock!.read(0, b);
    assert.deepEqual([...b], [7, 9]);
    port.dispose();
    void root;
  });

  test('RAM behind a read-only alias: DMA writes land, CPU stores are discarded', () => {
    const { space, ram } = romSetup();
    const b = new Uint8Array(1);
    assert.equal(writeWithAttrs(space, 0x4000, new Uint8Array([3])), MEMTX_OK);
    ram.ramBlock!.read(0, b);
    assert.equal(b[0], 3);
    assert.equal(writeWithAttrs(space, 0x4000, new Uint8Array([4]), {}, 'cpu'), MEMTX_OK);
    ram.ramBlock!.read(0, b);
    assert.equal(b[0], 3);
  });

  test('loader writes skip devices silently (MEMTX_OK, callback not run)', () => {
    const { root, as } = setup();
    const { ops, calls } = recorder();
    root.addSubregion(0x1000, createIo(root.system, 'dev', 4, ops));
    assert.equal(writeRom(as(), 0x1000, new Uint8Array([1, 2, 3, 4])), MEMTX_OK);
    assert.deepEqual(calls, []);
  });

  test('ROM device: romd reads come from RAM, writes reach the callback; MMIO mode reads too', () => {
    const { root, as } = setup();
    const { ops, calls } = recorder({}, () => 0x77);
    const romd = createRomDevice(root.system, 'flash', 0x1000, ops);
    root.addSubregion(0x8000, romd);
    const space = as();
    writeRom(space, 0x8000, new Uint8Array([0xab]));
    const b = new Uint8Array(1);
    readWithAttrs(space, 0x8000, b);
    assert.equal(b[0], 0xab);
    writeWithAttrs(space, 0x8000, new Uint8Array([0x12]));
    assert.deepEqual(calls, ['w1@0=12']);
    romd.setRomdMode(false);
    readWithAttrs(space, 0x8000, b);
    assert.equal(b[0], 0x77);
  });
});

describe('attributes and the re-entrancy guard', () => {
  test('attrs.memory to a device is an ACCESS_ERROR with the QEMU message', () => {
    const { root, as, logs } = setup();
    const { ops, calls } = recorder();
    root.addSubregion(0x1000, createIo(root.system, 'dev', 4, ops));
    root.addSubregion(0x2000, createRam(root.system, 'ram', 4));
    const space = as();
    assert.equal(
      readWithAttrs(space, 0x1000, new Uint8Array(4), { memory: true }),
      MEMTX_ACCESS_ERROR,
    );
    assert.equal(readWithAttrs(space, 0x2000, new Uint8Array(4), { memory: true }), MEMTX_OK);
    assert.deepEqual(calls, []);
    assert.match(
      logs[0]![1],
      /^Invalid access to non-RAM device at addr 0x0, size 4, region 'dev'$/,
    );
  });

  test('a nested access to another MMIO region of the same device is blocked', () => {
    const { root, as, logs } = setup();
    const owner = { kind: 'dev' as const, id: 'nic' };
    let inner = -1;
    const ref: { space?: ReturnType<typeof as> } = {};
    root.addSubregion(
      0x1000,
      createIo(
        root.system,
        'a',
        4,
        {
          read: () => {
            inner = readWithAttrs(ref.space!, 0x2000, new Uint8Array(4));
            return 1;
          },
        },
        { owner },
      ),
    );
    root.addSubregion(0x2000, createIo(root.system, 'b', 4, { read: () => 2 }, { owner }));
    const space = (ref.space = as());
    assert.equal(readWithAttrs(space, 0x1000, new Uint8Array(4)), MEMTX_OK);
    assert.equal(inner, MEMTX_ACCESS_ERROR);
    assert.ok(
      logs.some(
        ([k, m]) => k === 'reentrancy' && m.includes('Blocked re-entrant IO on MemoryRegion: b'),
      ),
    );
    // Outside the callback the device is reachable again.
    assert.equal(readWithAttrs(space, 0x2000, new Uint8Array(4)), MEMTX_OK);
  });
});

describe('debug accesses', () => {
  test('a wide debug read is composed register by register (a UART-like window)', () => {
    const { root, as } = setup();
    // Eight 1-byte registers; like QEMU's serial, any access returns the register at its offset.
    const regs = [0x00, 0x00, 0x01, 0x00, 0x00, 0x60, 0xb0, 0x00];
    const uart = recorder(
      { peek: (_r, offset) => regs[offset]!, valid: { minAccessSize: 1, maxAccessSize: 4 } },
      (offset) => regs[offset]!,
    );
    root.addSubregion(0x1000, createIo(root.system, 'uart', 8, uart.ops));
    const space = as();
    const r = debugRead(space, 0x1000, 8);
    assert.deepEqual([...r.data], regs, 'each byte is its register, LSR 0x60 included');
    assert.equal(r.result, MEMTX_OK);
    const real = debugRead(space, 0x1000, 8, { runCallbacks: true });
    assert.deepEqual([...real.data], regs);
    assert.equal(uart.calls.length, 8, 'one read per register with side effects');
  });

  test('a register bank is read one whole register at a time (clear-on-read clears once)', () => {
    const { root, as } = setup();
    const bank = new RegisterBank('bank', [
      { name: 'STATUS', offset: 0, width: 4, reset: 0x11223344, access: 'rc' },
      { name: 'DATA', offset: 4, width: 4, reset: 0xa5a5a5a5 },
    ]);
    root.addSubregion(0x1000, createIo(root.system, 'bank', 8, bank.ops));
    const space = as();
    const r = debugRead(space, 0x1000, 8, { runCallbacks: true });
    assert.deepEqual([...r.data], [0x44, 0x33, 0x22, 0x11, 0xa5, 0xa5, 0xa5, 0xa5]);
    assert.equal(bank.peekRegister('STATUS'), 0, 'cleared by the one read');
  });

  test('peek: RAM direct, device peek used, device without peek reports NOT_PEEKABLE', () => {
    const { root, as } = setup();
    // One 4-byte and one 2-byte register: a debug read takes each whole (its smallest access).
    const plain = recorder({ valid: { minAccessSize: 4 } }, () => 0x12345678);
    const peeking = recorder(
      { peek: () => 0xcafe, valid: { minAccessSize: 2, maxAccessSize: 2 } },
      () => 0xbeef,
    );
    root.addSubregion(0x1000, createIo(root.system, 'plain', 4, plain.ops));
    root.addSubregion(0x1004, createIo(root.system, 'peeking', 2, peeking.ops));
    const ram = createRam(root.system, 'ram', 2);
    root.addSubregion(0x1006, ram);
    const space = as();
    writeWithAttrs(space, 0x1006, new Uint8Array([5, 6]));
    const r = debugRead(space, 0x1000, 8);
    assert.deepEqual([...r.status], [8, 8, 8, 8, 0, 0, 0, 0]);
    assert.deepEqual([...r.data.subarray(4)], [0xfe, 0xca, 5, 6]);
    assert.equal(r.result, MEMTX_NOT_PEEKABLE);
    assert.deepEqual(plain.calls, []);
    assert.deepEqual(peeking.calls, []);
    const run = debugRead(space, 0x1000, 4, { runCallbacks: true });
    assert.equal(run.result, MEMTX_OK);
    assert.deepEqual([...run.data], [0x78, 0x56, 0x34, 0x12]);
    assert.deepEqual(plain.calls, ['r4@0']);
  });

  test('debug writes to MMIO run the callbacks, as a CPU store would', () => {
    const { root, as } = setup();
    const { ops, calls } = recorder();
    root.addSubregion(0x1000, createIo(root.system, 'dev', 4, ops));
    const w = debugWrite(as(), 0x1000, new Uint8Array([1, 2, 3, 4]));
    assert.equal(w.result, MEMTX_OK);
    assert.deepEqual(calls, ['w4@0=4030201']);
  });

  test('unassigned debug reads report DECODE_ERROR, not NOT_PEEKABLE', () => {
    const { as } = setup();
    const r = debugRead(as(), 0x5000, 2);
    assert.deepEqual([...r.status], [MEMTX_DECODE_ERROR, MEMTX_DECODE_ERROR]);
  });
});

describe('transaction-style callback and 8-byte callbacks', () => {
  test('one access() callback serves reads, writes and (when declared) peeks', () => {
    const { root, as } = setup();
    const seen: string[] = [];
    let reg = 0;
    const ops = opsFromAccess(
      (_r, tx) => {
        seen.push(`${tx.isWrite ? 'w' : tx.peek ? 'p' : 'r'}${tx.size}@${tx.offset}`);
        if (tx.isWrite) reg = tx.value;
        else tx.value = reg;
        return tx.offset === 3 ? MEMTX_ERROR : undefined;
      },
      { peekable: true, impl: { maxAccessSize: 2 } },
    );
    root.addSubregion(0x1000, createIo(root.system, 'tx', 4, ops));
    const space = as();
    assert.equal(writeWithAttrs(space, 0x1000, new Uint8Array([0x34, 0x12])), MEMTX_OK);
    const buf = new Uint8Array(2);
    assert.equal(readWithAttrs(space, 0x1000, buf), MEMTX_OK);
    assert.deepEqual([...buf], [0x34, 0x12]);
    assert.equal(debugRead(space, 0x1000, 2).result, MEMTX_OK);
    assert.equal(readWithAttrs(space, 0x1003, new Uint8Array(1)), MEMTX_ERROR);
    // The region accepts 1-byte accesses, so a debugger reads it a byte at a time, as the
    // narrowest CPU load would (the debug read is composed per access unit, not widest-first).
    assert.deepEqual(seen, ['w2@0', 'r2@0', 'p1@0', 'p1@1', 'r1@3']);
  });

  test('RAM devices are reached through ramDeviceOps (host-order loads and stores on the block)', () => {
    const { root, as } = setup();
    const bar = createRamDevice(root.system, 'bar', 0x100);
    root.addSubregion(0x4000, bar);
    const space = as();
    assert.equal(writeWithAttrs(space, 0x4000, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])), MEMTX_OK);
    const direct = new Uint8Array(8);
    bar.ramBlock!.read(0, direct);
    assert.deepEqual([...direct], [1, 2, 3, 4, 5, 6, 7, 8]);
    const out = new AccessValue();
    assert.equal(addressSpaceLoad(space, 0x4000, 8, out), MEMTX_OK);
    assert.equal(out.value64, 0x0807060504030201n);
    const port = new CpuMemoryPort(space);
    assert.equal(port.readPage(0x4000), null, 'never a direct page');
    assert.equal(port.load16(0x4002), 0x0403);
    port.store32(0x4004, 0xaabbccdd);
    assert.equal(port.load32(0x4004) >>> 0, 0xaabbccdd);
    port.dispose();
  });

  test('impl max 8 requires read64/write64 and delivers bigints', () => {
    const { sys } = setup();
    assert.throws(
      () =>
        dispatchRead(
          createIo(sys, 'x', 8, { read: () => 0, impl: { maxAccessSize: 8 } }),
          0,
          8,
          {},
          new AccessValue(),
        ),
      /read64/,
    );
    let stored = 0n;
    const mr = createIo(sys, 'q', 8, {
      read64: (_r, _o, _a, slot) => void (slot.value64 = stored),
      write64: (_r, _o, v) => void (stored = v),
      read: () => 0,
      write: () => undefined,
      valid: { maxAccessSize: 8 },
      impl: { maxAccessSize: 8 },
    });
    assert.equal(dispatchWrite(mr, 0, 8, 0, 0xfedcba9876543210n, {}), MEMTX_OK);
    assert.equal(stored, 0xfedcba9876543210n);
    const out = new AccessValue();
    dispatchRead(mr, 0, 8, {}, out);
    assert.equal(out.value64, 0xfedcba9876543210n);
  });
});
