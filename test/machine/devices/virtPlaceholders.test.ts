// Unit tests of the device models that answer where QEMU's virt has devices Boardmap once left
// as placeholders: what the QEMU comparison (test/firmware/fidelity-probe) cannot reach — the
// RTC alarm and its determinism, resets, fw_cfg DMA edge cases, peeks without side effects.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FwCfg, GoldfishRtc, PcieEcam, VirtioMmio } from '../../../src/machine/devices';
import * as asm from '../../../src/machine/asm';
import { rawProgram, virt } from '../machineHelpers';
import { Bench } from './harness';

function rtc(epoch = 946_684_800n): { b: Bench; dev: GoldfishRtc; irq: boolean[] } {
  let dev!: GoldfishRtc;
  const irq: boolean[] = [];
  const b = new Bench(
    (system, env) =>
      (dev = new GoldfishRtc(system, env, { id: 'rtc', epoch, setIrq: (l) => irq.push(l) })),
    0x0010_1000,
  );
  dev.reset();
  return { b, dev, irq };
}

const timeOf = (b: Bench): bigint => {
  const lo = BigInt(b.load(0, 4));
  return (BigInt(b.load(4, 4)) << 32n) | lo;
};

describe('goldfish RTC', () => {
  test('time starts at the epoch and advances 10 ns per instruction (100 ns per mtime tick)', () => {
    const { b } = rtc();
    assert.equal(timeOf(b), 946_684_800n * 1_000_000_000n);
    b.env.instructions = 1_000;
    assert.equal(timeOf(b), 946_684_800n * 1_000_000_000n + 10_000n);
  });

  test('the same instruction count gives the same time (deterministic)', () => {
    const one = rtc();
    const two = rtc();
    one.b.env.instructions = two.b.env.instructions = 123_457;
    assert.equal(timeOf(one.b), timeOf(two.b));
  });

  test('the epoch parameter sets the time at reset; TIME_HIGH is latched by TIME_LOW', () => {
    const { b, dev } = rtc(0n);
    assert.equal(timeOf(b), 0n);
    b.store(4, 1, 4); // time high word
    assert.equal(b.load(4, 4), 0, 'TIME_HIGH reads the value latched at the last TIME_LOW');
    b.load(0, 4);
    assert.equal(b.load(4, 4), 1);
    dev.reset();
    assert.equal(timeOf(b), 0n);
  });

  test('an alarm fires after the batch that reaches it, only while IRQ_ENABLED', () => {
    const { b, dev, irq } = rtc(0n);
    b.store(0x10, 1, 4); // IRQ_ENABLED
    b.store(0x0c, 0, 4);
    b.store(0x08, 50_000, 4); // 50 µs from reset
    assert.equal(b.load(0x18, 4), 1, 'ALARM_STATUS: armed');
    b.env.instructions = 4_999;
    dev.afterBatch();
    assert.deepEqual(irq, []);
    b.env.instructions = 5_000;
    dev.afterBatch();
    assert.deepEqual(irq, [true]);
    assert.equal(b.load(0x18, 4), 0, 'no longer armed');
    b.store(0x1c, 1, 4); // CLEAR_INTERRUPT
    assert.deepEqual(irq, [true, false]);
    b.store(0x08, 10, 4); // already past: pending at once
    assert.deepEqual(irq, [true, false, true]);
    b.store(0x10, 0, 4);
    assert.deepEqual(irq, [true, false, true, false], 'masked by IRQ_ENABLED');
  });

  test('a peek of TIME_LOW does not latch TIME_HIGH', () => {
    const { b } = rtc(5n * 2n ** 32n);
    assert.equal(b.peek(4, 4), 0);
    b.load(0, 4);
    assert.notEqual(b.peek(4, 4), 0);
  });
});

describe('fw_cfg', () => {
  function fwcfg(): { b: Bench; dev: FwCfg } {
    let dev!: FwCfg;
    const b = new Bench((system, env) => (dev = new FwCfg(system, env, { id: 'fw_cfg', cpus: 2 })));
    dev.reset();
    return { b, dev };
  }
  const select = (b: Bench, key: number) => b.store(8, ((key & 0xff) << 8) | (key >>> 8), 2);

  test('reset selects the signature; the CPU count item says cpus', () => {
    const { b, dev } = fwcfg();
    select(b, 0x05);
    assert.equal(b.load(0, 2), 2);
    dev.reset();
    assert.equal(b.load(0, 4), 0x554d_4551);
  });

  test('a peek reads the next bytes without consuming them', () => {
    const { b } = fwcfg();
    assert.equal(b.peek(0, 1), 0x51);
    assert.equal(b.peek(0, 1), 0x51);
    assert.equal(b.load(0, 1), 0x51);
    assert.equal(b.load(0, 1), 0x45);
  });

  test('a DMA read longer than memory stops at the first failure with ERROR, never throws', () => {
    const { b } = fwcfg();
    const env = b.env;
    const at = env.dmaBase;
    const header = new DataView(env.dmaMemory.buffer);
    header.setUint32(0, 0x0019_0000 | 0x08 | 0x02, false); // select the file directory, read
    header.setUint32(4, 0xffff_ffff, false); // 4 GiB
    header.setUint32(8, 0, false);
    header.setUint32(12, at + 0x100, false);
    b.store(0x10, 0, 4);
    const swapped =
      ((at & 0xff) << 24) | ((at & 0xff00) << 8) | ((at >>> 8) & 0xff00) | (at >>> 24);
    b.store(0x14, swapped >>> 0, 4);
    assert.equal(header.getUint32(0, false), 1, 'control: ERROR');
    assert.equal(header.getUint32(0x100, false), 3, 'the directory arrived before the failure');
  });
});

describe('PCIe ECAM and virtio-mmio', () => {
  test('ECAM: writes follow the write mask and reset restores the header', () => {
    let dev!: PcieEcam;
    const b = new Bench(
      (system, env) =>
        (dev = new PcieEcam(system, env, 'ecam', 'pcie-mmcfg-mmio', 0x1000_0000n, null)),
      0x3000_0000,
    );
    b.store(4, 0xffff_ffff, 4);
    assert.equal(b.load(4, 4), 0x0507);
    b.store(0, 0, 4);
    assert.equal(b.load(0, 4), 0x0008_1b36, 'ids are read-only');
    dev.reset();
    assert.equal(b.load(4, 4), 0);
    assert.equal(b.load((3 << 15) | 8, 2), 0xffff, 'absent function');
  });

  test('virtio-mmio: every register is write-ignored, reads are side-effect free', () => {
    const b = new Bench(
      (system, env) => new VirtioMmio(system, env, 'v', 'virtio-mmio', null),
      0x1000_1000,
    );
    b.store(0x70, 0xf, 4);
    b.store(0, 0, 4);
    assert.deepEqual(
      [0, 4, 8, 0xc, 0x70].map((o) => b.load(o, 4)),
      [0x7472_6976, 1, 0, 0x554d_4551, 0],
    );
  });
});

describe('goldfish RTC on the machine', () => {
  const rtcNs = (m: ReturnType<typeof virt>): bigint =>
    (m.devices.get('goldfish_rtc') as GoldfishRtc).time;

  test('a hart sleeping in wfi until a timer 1 s ahead finds the RTC 1 s later; mtime writes do not move it', async () => {
    const m = virt();
    // mtimecmp = 10_000_000 (1 s at 10 MHz), MTIE on, wfi; then mtime = 0 and wfi again
    rawProgram(m, [
      ...asm.li(asm.t0, 0x0200_4000),
      ...asm.li(asm.t1, 10_000_000),
      asm.sw(asm.t1, asm.t0, 0),
      asm.sw(0, asm.t0, 4),
      ...asm.li(asm.t1, 0x80),
      asm.csrw(0x304, asm.t1), // mie.MTIE
      asm.wfi(),
      ...asm.li(asm.t0, 0x0200_bff8),
      asm.sw(0, asm.t0, 0), // mtime = 0: the guest moves mtime back
      asm.sw(0, asm.t0, 4),
      asm.jal(0, 0),
    ]);
    const start = 946_684_800n * 1_000_000_000n;
    await m.run({ maxInstructions: 100 });
    const after = rtcNs(m);
    assert.ok(after >= start + 1_000_000_000n, `RTC ${after - start} ns after the epoch`);
    assert.ok(after < start + 1_000_100_000n, 'and not much more');
    assert.ok(m.timer!.mtime < 100, 'mtime was written back to 0');
    m.reset();
    assert.equal(rtcNs(m), start, 'a reset restarts the RTC at the epoch');
  });
});

describe('bad input: nothing a firmware does to the new devices throws', () => {
  test('random loads and stores of every size over their windows, and random fw_cfg DMA', () => {
    const m = virt();
    const bus = m.cpu.bus;
    let seed = 0x1234_5678;
    const rand = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return seed >>> 0;
    };
    const windows: [number, number][] = [
      [0x0010_1000, 0x40], // goldfish RTC (and past its end)
      [0x1000_1000, 0x1000], // virtio-mmio
      [0x1010_0000, 0x20], // fw_cfg
      [0x3000_0000, 0x10_0000], // ECAM, the first buses
      [0x4000_0000, 0x1000], // PCI MMIO window
      [0x0300_0000, 0x1_0000], // PCI I/O window
    ];
    for (let i = 0; i < 20_000; i++) {
      const [base, size] = windows[rand() % windows.length]!;
      const address = (base + (rand() % size)) >>> 0;
      const value = rand();
      switch (rand() % 6) {
        case 0:
          bus.load8(address);
          break;
        case 1:
          bus.load16(address & ~1);
          break;
        case 2:
          bus.load32(address & ~3);
          break;
        case 3:
          bus.store8(address, value);
          break;
        case 4:
          bus.store16(address & ~1, value);
          break;
        default:
          bus.store32(address & ~3, value);
      }
      assert.equal(typeof bus.status, 'number');
    }
    // fw_cfg DMA with random control words, lengths (a few huge) and addresses
    const be = (v: number) =>
      (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
    const header = 0x8000_1000;
    for (let i = 0; i < 60; i++) {
      const length = i % 10 === 0 ? rand() : rand() % 0x2000;
      const words = [rand(), length, rand() % 3 === 0 ? rand() : 0, rand()];
      for (let w = 0; w < 4; w++) bus.store32(header + 4 * w, be(words[w]!));
      bus.store32(0x1010_0010, 0);
      const started = Date.now();
      bus.store32(0x1010_0014, be(header));
      assert.ok(Date.now() - started < 2_000, `transfer ${i} (length ${length}) took too long`);
    }
    // the machine still runs a program afterwards
    m.reset();
    assert.equal(m.pc, 0x1000);
  });
});
