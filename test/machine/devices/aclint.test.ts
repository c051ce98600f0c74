// The ACLINT as QEMU's virt builds it: `aclint-swi` and `aclint-mtimer`, two devices with their
// own windows and owners, and the SiFive `clint` that maps both as one device.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findDeviceModel } from '../../../src/board';
import type { QomObject } from '../../../src/engine';
import { Machine } from '../../../src/machine';
import {
  AclintMtimer,
  AclintSwi,
  Clint,
  IRQ_MSI,
  IRQ_MTI,
  type MachineDevice,
} from '../../../src/machine/devices';
import * as asm from '../../../src/machine/asm';
import { rawProgram } from '../machineHelpers';
import { Bench } from './harness';

const TIME_CSR = 0xc01;

const unattached = (n: number): QomObject => ({
  kind: 'dev',
  path: `/machine/unattached/device[${n}]`,
});

const MTIME = 0x7ff8;
const ONE_HART = { harts: 1, timebase: 10_000_000 };

function swi(harts = 1): { b: Bench; dev: AclintSwi } {
  let dev!: AclintSwi;
  const b = new Bench(
    (system, env) =>
      (dev = new AclintSwi(system, env, {
        id: 'mswi',
        harts,
        owner: unattached(0),
      })),
    0x0200_0000,
  );
  return { b, dev };
}

function mtimer(): { b: Bench; dev: AclintMtimer } {
  let dev!: AclintMtimer;
  const b = new Bench(
    (system, env) =>
      (dev = new AclintMtimer(system, env, { id: 'mtimer', ...ONE_HART, owner: unattached(1) })),
    0x0200_4000,
  );
  return { b, dev };
}

const windows = (d: MachineDevice): string[] =>
  d.regions.map(
    (r) =>
      `+${r.offset.toString(16)} ${r.region.name} ${r.region.size.toString(16)} ${r.region.owner?.path}`,
  );

describe('ACLINT MSWI (aclint-swi)', () => {
  test('one 16K window riscv.aclint.swi with its own owner', () => {
    const { dev } = swi();
    assert.equal(dev.model, 'aclint-swi');
    assert.deepEqual(windows(dev), ['+0 riscv.aclint.swi 4000 /machine/unattached/device[0]']);
  });

  test('msip0 bit 0 drives MSIP; reads back; reset clears it', () => {
    const { b, dev } = swi();
    b.store(0, 0xffff_ffff, 4);
    assert.equal(b.env.hartIrqs.get(IRQ_MSI), true);
    assert.equal(b.load(0, 4), 1, 'only bit 0 is kept');
    assert.equal(b.peek(0, 4), 1);
    dev.reset();
    assert.equal(b.env.hartIrqs.get(IRQ_MSI), false);
    assert.equal(b.load(0, 4), 0);
  });

  test('msip of harts beyond `harts` read 0 and ignore writes; names stop at the last hart', () => {
    const { b, dev } = swi(2);
    b.store(4, 1, 4);
    assert.equal(b.load(4, 4), 1, 'hart 1 has its msip');
    assert.notEqual(b.env.hartIrqs.get(IRQ_MSI), true, 'hart 1 does not drive hart 0');
    b.store(8, 1, 4);
    assert.equal(b.load(8, 4), 0);
    const region = dev.regions[0]!.region;
    assert.deepEqual(
      [0, 4, 8].map((o) => dev.registerName(region, o)),
      ['msip0', 'msip1', undefined],
    );
  });

  test('the MTIMER window is not part of it', () => {
    const { b } = swi();
    assert.throws(() => b.load(0x4000 + MTIME, 4));
  });
});

describe('ACLINT MTIMER (aclint-mtimer)', () => {
  test('one 32K window riscv.aclint.mtimer with its own owner: mtimecmp at +0, mtime at +0x7ff8', () => {
    const { b, dev } = mtimer();
    assert.equal(dev.model, 'aclint-mtimer');
    assert.ok(dev instanceof Clint, 'the machine drives it as its timer');
    assert.deepEqual(windows(dev), ['+0 riscv.aclint.mtimer 8000 /machine/unattached/device[1]']);
    const region = dev.regions[0]!.region;
    assert.deepEqual(
      [0, 4, MTIME, MTIME + 4, 8].map((o) => dev.registerName(region, o)),
      ['mtimecmp0', 'mtimecmp0h', 'mtime', 'mtimeh', undefined],
    );
    b.env.instructions = 12_345;
    assert.equal(b.load(MTIME, 4), 1234);
  });

  test('mtimecmp arms MTIP at the exact instruction; no software-interrupt register', () => {
    const { b, dev } = mtimer();
    b.store(4, 0, 4);
    b.store(0, 100, 4);
    assert.equal(dev.instructionsUntilDeadline(), 1000);
    b.env.instructions = 1000;
    dev.update();
    assert.equal(b.env.hartIrqs.get(IRQ_MTI), true);
    assert.equal(dev.swi, undefined);
    assert.equal(b.env.hartIrqs.has(IRQ_MSI), false, 'never touches MSIP');
    b.store(0, 200, 4);
    assert.equal(b.env.hartIrqs.get(IRQ_MTI), false, 'a later deadline clears it');
    dev.reset();
    assert.equal(b.env.hartIrqs.get(IRQ_MTI), true, 'mtimecmp 0 <= mtime 0 at reset (QEMU)');
    assert.equal(b.env.hartIrqs.has(IRQ_MSI), false, 'not even at reset');
  });
});

describe('SiFive CLINT (clint)', () => {
  test('maps the ACLINT MSWI at +0 and MTIMER at +0x4000, both owned by the one device', () => {
    let dev!: Clint;
    const b = new Bench(
      (system, env) =>
        (dev = new Clint(system, env, { id: 'clint', ...ONE_HART, owner: unattached(1) })),
      0x0200_0000,
    );
    assert.equal(dev.model, 'clint');
    assert.deepEqual(windows(dev), [
      '+0 riscv.aclint.swi 4000 /machine/unattached/device[1]',
      '+4000 riscv.aclint.mtimer 8000 /machine/unattached/device[1]',
    ]);
    const [swiWindow, timerWindow] = dev.regions.map((r) => r.region);
    assert.equal(dev.registerName(swiWindow!, 0), 'msip0');
    assert.equal(dev.registerName(timerWindow!, MTIME), 'mtime');
    b.store(0, 1, 4);
    assert.equal(b.env.hartIrqs.get(IRQ_MSI), true);
    dev.reset();
    assert.equal(b.env.hartIrqs.get(IRQ_MSI), false, 'its reset resets the MSWI too');
  });
});

describe('ACLINT on the board', () => {
  test('the catalog has both kinds with their parameters and windows', () => {
    const swiModel = findDeviceModel('aclint-swi')!;
    const timerModel = findDeviceModel('aclint-mtimer')!;
    assert.deepEqual(
      swiModel.params.map((p) => p.name),
      ['harts'],
    );
    assert.deepEqual(
      timerModel.params.map((p) => p.name),
      ['harts', 'timebase'],
    );
    const params = new Map<string, bigint>();
    assert.deepEqual(
      [...swiModel.windows, ...timerModel.windows].map((w) => [w.name, w.offset, w.size(params)]),
      [
        ['riscv.aclint.swi', 0n, 0x4000n],
        ['riscv.aclint.mtimer', 0n, 0x8000n],
      ],
    );
  });

  test('virt: two devices; the MTIMER is the time base of the time CSR and MTIP', () => {
    const m = Machine.builtin('virt');
    assert.equal(m.devices.get('mswi')?.model, 'aclint-swi');
    assert.equal(m.devices.get('mtimer')?.model, 'aclint-mtimer');
    assert.equal(m.timer, m.devices.get('mtimer'));
    rawProgram(m, [asm.csrr(asm.a0, TIME_CSR), asm.jal(0, 0)]);
    m.step(6); // QEMU's reset vector, to the program
    m.timer!.mtime = 5000;
    m.step(1);
    assert.equal(m.cpu.readRegister(asm.a0), 5000);
    assert.equal((m.cpu.csr.mip >>> IRQ_MTI) & 1, 1, 'mtimecmp 0 <= mtime: pending from reset');
    m.writeMemory(0x0200_4000, new Uint8Array([0x10, 0x27, 0, 0, 0, 0, 0, 0]));
    assert.equal((m.cpu.csr.mip >>> IRQ_MTI) & 1, 0, 'mtimecmp 10000 > mtime');
    m.writeMemory(0x0200_4000, new Uint8Array([100, 0, 0, 0, 0, 0, 0, 0]));
    assert.equal((m.cpu.csr.mip >>> IRQ_MTI) & 1, 1, 'mtimecmp 100 <= mtime: MTIP');
  });

  test('a quoted QEMU name renames the window; harts sizes the registers', () => {
    const m = Machine.fromBoard(
      'aclint.board',
      [
        'board aclint',
        'container system size 4G {',
        '  device s "my.swi" : aclint-swi @ 0x200_0000 { harts = 2 }',
        '  device t "my.timer" : aclint-mtimer @ 0x300_0000 { harts = 2 }',
        '  ram ram @ 0x8000_0000 size 64K',
        '}',
        'space memory = system',
        'cpu hart0 : rv32imac { space = memory, reset = 0x8000_0000 }',
        '',
      ].join('\n'),
    );
    const s = m.devices.get('s')!;
    const t = m.devices.get('t')!;
    assert.deepEqual(windows(s), ['+0 my.swi 4000 undefined']);
    assert.deepEqual(windows(t), ['+0 my.timer 8000 undefined']);
    assert.equal(s.registerName!(s.regions[0]!.region, 4), 'msip1');
    assert.equal(t.registerName!(t.regions[0]!.region, 8), 'mtimecmp1');
    assert.equal(m.timer, t);
  });
});
