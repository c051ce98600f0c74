import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FlatBus } from '../../support/flatBus';
import { Htif, Semihosting, SEMIHOSTING_FEATURES, SifiveTest } from '../../../src/machine/devices';
import { Bench } from './harness';

describe('SiFive test finisher', () => {
  const finisher = (): Bench =>
    new Bench(
      (system, env) => new SifiveTest(system, env, 'finisher', 'riscv.sifive.test'),
      0x10_0000,
    );

  test('0x5555 passes, (code << 16) | 0x3333 fails with code, 0x7777 resets', () => {
    const b = finisher();
    b.store(0, 0x5555, 4);
    b.store(0, (3 << 16) | 0x3333, 4);
    b.store(0, 0x7777, 4);
    assert.deepEqual(
      b.env.exits.map((e) => e.code),
      [0, 3],
    );
    assert.equal(b.env.resets, 1);
  });

  test('other values are ignored and counted; reads return 0', () => {
    const b = finisher();
    b.store(0, 0x1234, 4);
    assert.equal(b.env.exits.length, 0);
    assert.equal((b.device as SifiveTest).ignoredWrites, 1);
    assert.equal(b.load(0, 4), 0);
  });
});

describe('HTIF', () => {
  const htif = (): { b: Bench; dev: Htif } => {
    let dev!: Htif;
    const b = new Bench(
      (system, env) => (dev = new Htif(system, env, 'htif', 'riscv.htif.uart')),
      0x8000_03c0,
    );
    return { b, dev };
  };

  test('the window spans tohost to fromhost + 8, as QEMU maps it', () => {
    const { dev } = htif();
    const placed = dev.place(0x8000_03c0, 0x8000_0400)!;
    assert.equal(placed.region.size, 72n);
    assert.equal(placed.address, 0x8000_03c0);
  });

  test('fromhost below tohost, or both in one 16-byte window: one window from the lower', () => {
    const { dev } = htif();
    const below = dev.place(0x8000_0240, 0x8000_0200)!;
    assert.deepEqual([below.address, below.region.size], [0x8000_0200, 0x48n]);
    assert.equal(dev.registerName(undefined, 0x40), 'tohost');
    assert.equal(dev.registerName(undefined, 0), 'fromhost');
    const window = dev.place(0x8000_0200, 0x8000_0208)!;
    assert.deepEqual([window.address, window.region.size], [0x8000_0200, 16n]);
    assert.equal(dev.registerName(undefined, 8), 'fromhost');
  });

  test("without both symbols: fromhost at base, tohost at base + 8 (QEMU's spike), or unmapped", () => {
    const { dev } = htif();
    const at = dev.place(0x8000_0200, undefined, 0x100_0000)!;
    assert.deepEqual([at.address, at.region.size], [0x100_0000, 16n]);
    assert.equal(dev.registerName(undefined, 8), 'tohost');
    assert.equal(dev.place(undefined, undefined), undefined);
  });

  test('a tohost low-word write while tohost holds a command is ignored, and its high word', () => {
    const b = new Bench((system, env) => {
      const dev = new Htif(system, env, 'htif', 'riscv.htif.uart');
      dev.place(0x8000_0208, 0x8000_0200); // fromhost at +0, tohost at +8
      return dev;
    }, 0x8000_0200);
    b.store(8, 0x41, 4);
    b.store(8, 0x42, 4); // tohost not clear: refused (allow_tohost = 0)
    b.store(12, 0x0101_0000, 4); // ... and so is the high word
    assert.equal(b.env.output_, '');
    assert.equal(b.load(8, 4), 0x41);
  });

  test('putchar (device 1, command 1) acts on the high-word write, answers in fromhost, clears tohost', () => {
    const b = new Bench((system, env) => {
      const dev = new Htif(system, env, 'htif', 'riscv.htif.uart');
      dev.place(0x8000_03c0, 0x8000_0400);
      return dev;
    }, 0x8000_03c0);
    b.store(0, 0x41, 4);
    assert.equal(b.env.output_, '', 'nothing before the high word');
    b.store(4, 0x0101_0000, 4);
    assert.equal(b.env.output_, 'A');
    assert.equal(b.load(0, 4), 0, 'tohost cleared');
    assert.equal(b.load(4, 4), 0);
    assert.equal(b.load(0x40, 4), 0x141, 'fromhost = 0x100 | char');
    assert.equal(b.load(0x44, 4), 0x0101_0000);
    b.store(0x40, 0, 4);
    assert.equal(b.load(0x40, 4), 0, 'the firmware acknowledges');
  });

  test('exit: device 0 with payload bit 0 set; status payload >> 1 (riscv-tests convention)', () => {
    const { b } = htif();
    b.store(0, 1, 4);
    b.store(4, 0, 4);
    b.store(0, (5 << 1) | 1, 4);
    b.store(4, 0, 4);
    assert.deepEqual(
      b.env.exits.map((e) => e.code),
      [0, 5],
    );
  });
});

describe('semihosting', () => {
  const setup = (): {
    bus: FlatBus;
    sh: Semihosting;
    out: string[];
    exits: number[];
    input: number[];
  } => {
    const bus = new FlatBus(0x8000_0000, 0x1_0000);
    const out: string[] = [];
    const exits: number[] = [];
    const input: number[] = [];
    const sh = new Semihosting({
      output: (stream, text) => out.push(`${stream}:${text}`),
      readInput: () => input.shift(),
      exit: (code) => exits.push(code),
    });
    return { bus, sh, out, exits, input };
  };
  const words = (bus: FlatBus, at: number, values: number[]): void =>
    values.forEach((v, i) => bus.store32(at + 4 * i, v));
  const text = (bus: FlatBus, at: number, s: string): void =>
    bus.writeBytes(at, new Uint8Array([...Buffer.from(s, 'latin1'), 0]));

  test('SYS_WRITEC, SYS_WRITE0 and SYS_WRITE to :tt', () => {
    const { bus, sh, out } = setup();
    text(bus, 0x8000_1000, 'hello');
    assert.equal(sh.call(bus, 0x03, 0x8000_1000), 0);
    assert.equal(sh.call(bus, 0x04, 0x8000_1000), 0);
    text(bus, 0x8000_1100, ':tt');
    words(bus, 0x8000_2000, [0x8000_1100, 4, 3]);
    const handle = sh.call(bus, 0x01, 0x8000_2000);
    assert.ok(handle > 0 && handle < 0xffff_ffff);
    words(bus, 0x8000_2010, [handle, 0x8000_1000, 3]);
    assert.equal(sh.call(bus, 0x05, 0x8000_2010), 0, 'bytes not written');
    assert.deepEqual(out, ['stdout:h', 'stdout:hello', 'stdout:hel']);
  });

  test(':semihosting-features reads SHFB and the feature byte through OPEN/FLEN/READ/CLOSE', () => {
    const { bus, sh } = setup();
    const name = ':semihosting-features';
    text(bus, 0x8000_1000, name);
    words(bus, 0x8000_2000, [0x8000_1000, 0, name.length]);
    const h = sh.call(bus, 0x01, 0x8000_2000);
    words(bus, 0x8000_2010, [h]);
    assert.equal(sh.call(bus, 0x0c, 0x8000_2010), SEMIHOSTING_FEATURES.length);
    words(bus, 0x8000_2020, [h, 0x8000_3000, 16]);
    assert.equal(sh.call(bus, 0x06, 0x8000_2020), 16 - 5, 'bytes not read');
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((i) => bus.load8(0x8000_3000 + i)),
      [0x53, 0x48, 0x46, 0x42, 0x03],
    );
    assert.equal(sh.call(bus, 0x02, 0x8000_2010), 0);
    assert.equal(sh.call(bus, 0x02, 0x8000_2010), 0xffff_ffff, 'closed twice');
    words(bus, 0x8000_2000, [0x8000_1000, 4, name.length]);
    assert.equal(sh.call(bus, 0x01, 0x8000_2000), 0xffff_ffff, 'the feature file is read-only');
  });

  test('SYS_READC takes console input; unknown files fail with ENOENT', () => {
    const { bus, sh, input } = setup();
    input.push(0x71);
    assert.equal(sh.call(bus, 0x07, 0), 0x71);
    text(bus, 0x8000_1000, '/etc/passwd');
    words(bus, 0x8000_2000, [0x8000_1000, 0, 11]);
    assert.equal(sh.call(bus, 0x01, 0x8000_2000), 0xffff_ffff);
    assert.equal(sh.call(bus, 0x13, 0), 2);
  });

  test('SYS_EXIT (reason in a1) and SYS_EXIT_EXTENDED (reason, subcode)', () => {
    const { bus, sh, exits } = setup();
    sh.call(bus, 0x18, 0x20026);
    sh.call(bus, 0x18, 0x20023);
    words(bus, 0x8000_2000, [0x20026, 42]);
    sh.call(bus, 0x20, 0x8000_2000);
    assert.deepEqual(exits, [0, 1, 42]);
  });

  test('a parameter block outside memory fails with EINVAL instead of throwing', () => {
    const { bus, sh } = setup();
    assert.equal(sh.call(bus, 0x05, 0x1000), 0xffff_ffff);
    assert.equal(sh.call(bus, 0x13, 0), 22);
  });
});
