import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  createAlias,
  createContainer,
  createIo,
  createRam,
  debugWrite,
  MemorySystem,
  type MemoryRegionOps,
  writeRom,
} from '../../../src/engine';
import { createEngineBus, linkDecodeCache } from '../../../src/machine/bus';
import { CSR, RiscvHart } from '../../../src/machine/riscv';
import * as A from './asm';
import { testJitOption } from './driver';

const RAM = 0x8000_0000;
const DEV = 0x1000_0000;
const { a0, a1, t0 } = A;

/** RAM at 0x8000_0000, a recording 4-byte-register device at 0x1000_0000, a hart on top. */
function machine() {
  const sys = new MemorySystem();
  const root = createContainer(sys, 'system', 1n << 32n);
  const ram = createRam(sys, 'ram', 0x10000);
  root.addSubregion(RAM, ram);
  const accesses: string[] = [];
  const ops: MemoryRegionOps = {
    read: (_r, offset, size) => {
      accesses.push(`r${size}@${offset.toString(16)}`);
      return 0x1234_5678;
    },
    write: (_r, offset, value, size) => {
      accesses.push(`w${size}@${offset.toString(16)}=${value.toString(16)}`);
    },
  };
  root.addSubregion(DEV, createIo(sys, 'dev', 0x100, ops));
  const as = sys.createAddressSpace(root, 'memory');
  const bus = createEngineBus(as);
  const hart = new RiscvHart(bus, { resetVector: RAM, jit: testJitOption() });
  const link = linkDecodeCache(bus, hart);
  const load = (address: number, program: A.Insn[]) =>
    assert.equal(writeRom(as, address, A.assemble(program)), 0);
  return { sys, root, ram, as, bus, hart, link, accesses, load };
}

describe('the hart on the memory engine (CpuMemoryPort)', () => {
  test('loads, stores and MMIO accesses go through the address space', () => {
    const m = machine();
    m.hart.writeRegister(t0, DEV);
    m.hart.writeRegister(a1, RAM + 0x1000);
    m.load(RAM, [A.lw(a0, t0, 4), A.sh(a0, t0, 8), A.sw(a0, a1, 0), A.lbu(A.a2, a1, 3)]);
    m.hart.pc = RAM;
    assert.equal(m.hart.run(4).executed, 4);
    assert.deepEqual(m.accesses, ['r4@4', 'w2@8=5678']);
    assert.equal(m.hart.readRegister(A.a2), 0x12);
  });

  test('unassigned addresses become access faults', () => {
    const m = machine();
    m.load(RAM + 0x400, [A.nop()]);
    m.hart.csr.mtvec = RAM + 0x400;
    m.hart.writeRegister(t0, 0x4000_0000);
    m.load(RAM, [A.lw(a0, t0, 0)]);
    m.hart.step();
    assert.equal(m.hart.readRegister(65 + CSR.mcause), 5);
    assert.equal(m.hart.readRegister(65 + CSR.mtval), 0x4000_0000);
  });

  test('a debugger write into cached code is seen by the next execution', () => {
    const m = machine();
    m.load(RAM, [A.addi(a0, a0, 1), A.jal(0, -4)]);
    m.hart.run(10);
    assert.equal(m.hart.readRegister(a0), 5);
    debugWrite(m.as, RAM, A.assemble([A.addi(a0, a0, 100)]));
    m.hart.run(2);
    assert.equal(m.hart.readRegister(a0), 105);
    debugWrite(m.as, RAM, A.assemble([A.addi(a0, a0, 7)]));
    m.hart.run(2);
    assert.equal(
      m.hart.readRegister(a0),
      112,
      'the page was protected again after the first write',
    );
  });

  test('a topology change (remap) drops decoded code mapped at the old place', () => {
    const m = machine();
    const other = createRam(m.sys, 'other', 0x1000);
    // Code at 0x2000_0000 comes from an alias of RAM; remapping it to `other` changes the code.
    const alias = createAlias(m.sys, 'boot', m.ram, 0, 0x1000);
    m.root.addSubregion(0x2000_0000, alias);
    m.load(RAM, [A.addi(a0, a0, 1), A.jal(0, -4)]);
    const otherAlias = createAlias(m.sys, 'boot2', other, 0, 0x1000);
    m.hart.pc = 0x2000_0000;
    m.hart.run(4);
    assert.equal(m.hart.readRegister(a0), 2);
    m.sys.transaction(() => {
      m.root.removeSubregion(alias);
      m.root.addSubregion(0x2000_0000, otherAlias);
    });
    m.load(0x2000_0000, [A.addi(a0, a0, 10), A.jal(0, -4)]);
    m.hart.run(4);
    assert.equal(m.hart.readRegister(a0), 22);
  });

  test('watchpoints see the hart stores (the fast path stays exact)', () => {
    const m = machine();
    const hits: number[] = [];
    m.bus.watchHook = (hit) => hits.push(hit.address);
    m.bus.addWatchpoint(RAM + 0x1004, 4, 'write');
    m.hart.writeRegister(a1, RAM + 0x1000);
    m.load(RAM, [A.sw(a0, a1, 0), A.sw(a0, a1, 4), A.sb(a0, a1, 6), A.sw(a0, a1, 8)]);
    m.hart.run(4);
    assert.deepEqual(hits, [RAM + 0x1004, RAM + 0x1006]);
  });

  test('dispose unhooks the decode cache', () => {
    const m = machine();
    m.link.dispose();
    assert.equal(m.bus.codeWriteHook, null);
    m.bus.dispose();
  });
});
