import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CSR, disassembleBuffer } from '../../../src/machine/riscv';
import * as A from './asm';
import { HartDriver, RAM_BASE } from './driver';

const { a0, a1, t0, t1 } = A;
const HANDLER = RAM_BASE + 0x400;

describe('self-modifying code and the decode cache', () => {
  test('a store over an already-executed instruction takes effect on the next execution', () => {
    // loop: a0 += [patched]; overwrite the addi at `patch` with addi a0,a0,100; run it again
    const d = new HartDriver();
    const p = new A.AsmProgram(RAM_BASE);
    p.emit(A.C(A.c_li(A.s0, 2)));
    p.label('again');
    p.label('patch');
    p.emit(A.addi(a0, a0, 1));
    p.emit(...A.li(t0, A.addi(a0, a0, 100)));
    p.emitAt(4, () => A.auipc(t1, 0));
    p.emitAt(4, (at) => A.sw(t0, t1, p.offset('patch', at - 4)));
    p.emit(A.C(A.c_addi(A.s0, -1)));
    p.emitAt(2, (at) => A.C(A.c_bnez(A.s0, p.offset('again', at))));
    p.emit(A.wfi());
    d.writeMemory(RAM_BASE, p.assemble());
    d.hart.csr.mie = 0;
    const r = d.hart.run(1000);
    assert.equal(r.reason, 'wfi');
    assert.equal(d.reg(a0), 101, 'first pass ran the original, second pass the patched code');
  });

  test('a halfword store into the upper half of a cached 32-bit instruction is seen', () => {
    const d = new HartDriver();
    const target = RAM_BASE + 0x100;
    d.writeMemory(target, A.assemble([A.addi(a0, 0, 1), A.jalr(0, A.ra, 0)]));
    // Call target once (caches it), patch its immediate's upper bits with sh, call again.
    const newInsn = A.addi(a0, 0, 0x7ff);
    d.setRegisters({ [t0]: target, [a1]: newInsn >>> 16 });
    d.load([A.jalr(A.ra, t0, 0), A.addi(A.s1, a0, 0), A.sh(a1, t0, 2), A.jalr(A.ra, t0, 0)]);
    d.hart.run(7);
    assert.equal(d.reg(A.s1), 1);
    assert.equal(d.reg(a0), 0x7ff);
  });

  test('a store at the start of a page invalidates an instruction straddling from the previous page', () => {
    const d = new HartDriver();
    const straddle = RAM_BASE + 0x1ffe;
    d.writeMemory(straddle, A.assemble([A.addi(a0, 0, 1), A.jalr(0, A.ra, 0)]));
    const patched = A.addi(a0, 0, 2);
    d.setRegisters({ [t0]: straddle, [t1]: RAM_BASE + 0x2000, [a1]: patched >>> 16 });
    d.load([A.jalr(A.ra, t0, 0), A.addi(A.s1, a0, 0), A.sh(a1, t1, 0), A.jalr(A.ra, t0, 0)]);
    d.hart.run(7);
    assert.equal(d.reg(A.s1), 1);
    assert.equal(d.reg(a0), 2);
  });

  test('fence.i after writes made behind the core (no invalidation) makes them visible', () => {
    const d = new HartDriver();
    const target = RAM_BASE + 0x200;
    d.writeMemory(target, A.assemble([A.addi(a0, 0, 1), A.jalr(0, A.ra, 0)]));
    d.setRegisters({ [t0]: target });
    d.load([A.jalr(A.ra, t0, 0), A.addi(A.s1, a0, 0), A.fence_i(), A.jalr(A.ra, t0, 0)]);
    d.hart.run(3);
    // Rewrite memory directly, as DMA without the invalidation hook would.
    d.bus.writeBytes(target, A.assemble([A.addi(a0, 0, 3)]));
    d.hart.run(4);
    assert.equal(d.reg(A.s1), 1);
    assert.equal(d.reg(a0), 3);
  });

  test('invalidateDecodeCache(address, size) makes an external write visible', () => {
    const d = new HartDriver();
    d.load([A.addi(a0, 0, 1), A.jal(0, -4)]);
    d.hart.run(2);
    d.bus.writeBytes(RAM_BASE, A.assemble([A.addi(a0, a0, 10)]));
    d.hart.run(2);
    assert.equal(d.reg(a0), 1, 'without invalidation the cached decode stays (the contract)');
    d.hart.invalidateDecodeCache(RAM_BASE, 4);
    d.hart.run(2);
    assert.equal(d.reg(a0), 11);
  });

  test('an AMO and an sc.w into code invalidate it too', () => {
    const d = new HartDriver();
    const target = RAM_BASE + 0x300;
    d.writeMemory(target, A.assemble([A.addi(a0, 0, 1), A.jalr(0, A.ra, 0)]));
    d.setRegisters({ [t0]: target, [a1]: (A.addi(a0, 0, 5) ^ A.addi(a0, 0, 1)) >>> 0 });
    d.load([A.jalr(A.ra, t0, 0), A.amoxor_w(0, a1, t0), A.jalr(A.ra, t0, 0)]);
    d.hart.run(6);
    assert.equal(d.reg(a0), 5);
  });

  test('a 32-bit instruction straddling into an uncacheable page is fetched every time', () => {
    const d = new HartDriver();
    const last = 0x8000_0000 + 0x2_0000 - 2; // last halfword of RAM
    let upper = A.addi(a0, a0, 1) >>> 16;
    d.bus.addDevice(0x8002_0000, 0x1000, {
      read: (offset) => (offset === 0 ? upper : A.jal(0, -2) & 0xffff),
      write: () => undefined,
    });
    d.writeMemory(last, Uint8Array.of(A.addi(a0, a0, 1) & 0xff, (A.addi(a0, a0, 1) >>> 8) & 0xff));
    d.setPC(last);
    d.hart.run(1);
    upper = A.addi(a0, a0, 0x10) >>> 16;
    d.setPC(last);
    d.hart.run(1);
    assert.equal(d.reg(a0), 0x11);
  });

  test('executing from an uncacheable (MMIO) page fetches every time', () => {
    const d = new HartDriver();
    let insn = A.addi(a0, a0, 1);
    d.bus.addDevice(0x2000_0000, 0x1000, {
      read: (offset, size) => {
        const word = offset < 4 ? insn : A.jal(0, -4);
        return size === 2 ? (offset & 2 ? word >>> 16 : word & 0xffff) : word;
      },
      write: () => undefined,
    });
    d.setPC(0x2000_0000);
    d.hart.run(2);
    insn = A.addi(a0, a0, 10);
    d.hart.run(2);
    assert.equal(d.reg(a0), 11);
  });
});

describe('breakpoints', () => {
  function loop(): HartDriver {
    const d = new HartDriver();
    d.load([A.addi(a0, a0, 1), A.C(A.c_addi(a1, 1)), A.jal(0, -6)]);
    return d;
  }

  test('run stops before a breakpointed instruction and steps over it on resume', () => {
    const d = loop();
    d.hart.addBreakpoint(RAM_BASE + 4);
    let r = d.hart.run(100);
    assert.deepEqual(r, { reason: 'breakpoint', executed: 1 });
    assert.equal(d.getPC(), RAM_BASE + 4);
    assert.equal(d.reg(a1), 0, 'the breakpointed instruction did not execute');
    r = d.hart.run(100);
    assert.deepEqual(r, { reason: 'breakpoint', executed: 3 }, 'one full loop iteration');
    assert.equal(d.reg(a1), 1);
  });

  test('a budget stop exactly at a breakpoint does not skip it', () => {
    const d = loop();
    d.hart.run(1);
    d.hart.addBreakpoint(RAM_BASE + 4);
    assert.equal(d.hart.run(100).reason, 'breakpoint');
    assert.equal(d.reg(a1), 0);
  });

  test('breakpoints armed on cached code take effect, removal restores normal execution', () => {
    const d = loop();
    d.hart.run(30);
    d.hart.addBreakpoint(RAM_BASE);
    assert.equal(d.hart.run(100).reason, 'breakpoint');
    d.hart.removeBreakpoint(RAM_BASE);
    assert.deepEqual(d.hart.run(30), { reason: 'budget', executed: 30 });
    d.hart.addBreakpoint(RAM_BASE + 6);
    d.hart.addBreakpoint(RAM_BASE);
    d.hart.clearBreakpoints();
    assert.equal(d.hart.run(30).reason, 'budget');
  });

  test('stepOverBreakpoint resumes over a breakpoint at the starting pc (a user continue)', () => {
    const d = loop();
    d.hart.addBreakpoint(RAM_BASE);
    assert.deepEqual(d.hart.run(100), { reason: 'breakpoint', executed: 0 });
    d.hart.pc = RAM_BASE; // a pc write forgets the breakpoint stop
    assert.deepEqual(d.hart.run(100), { reason: 'breakpoint', executed: 0 });
    assert.deepEqual(d.hart.run(100, { stepOverBreakpoint: true }), {
      reason: 'breakpoint',
      executed: 3,
    });
    assert.equal(d.reg(a0), 1);
  });

  test('step() executes a breakpointed instruction', () => {
    const d = loop();
    d.hart.addBreakpoint(RAM_BASE);
    assert.deepEqual(d.hart.step(), { reason: 'budget', executed: 1 });
    assert.equal(d.reg(a0), 1);
    d.setPC(RAM_BASE);
    assert.equal(d.hart.run(10).reason, 'breakpoint', 'still armed');
  });

  test('a breakpoint on a self-modified instruction stays armed', () => {
    const d = new HartDriver();
    d.hart.csr.mtvec = HANDLER;
    d.setRegisters({ [t0]: RAM_BASE + 8, [a1]: A.addi(a0, 0, 9) });
    d.load([A.sw(a1, t0, 0), A.nop(), A.nop()]);
    d.hart.addBreakpoint(RAM_BASE + 8);
    assert.equal(d.hart.run(10).reason, 'breakpoint');
    assert.equal(d.getPC(), RAM_BASE + 8);
    d.hart.run(1);
    assert.equal(d.reg(a0), 9);
    assert.equal(d.csr(CSR.mcause), 0);
  });
});

describe('register access and disassembly through the Cpu interface', () => {
  test('the register description lists GPRs with ABI names, pc and CSRs', () => {
    const d = new HartDriver();
    const names = d.hart.registers.map((r) => r.name);
    assert.deepEqual(names.slice(0, 4), ['zero', 'ra', 'sp', 'gp']);
    assert.equal(d.hart.registers[32].name, 'pc');
    assert.ok(names.includes('mstatus') && names.includes('mcycle') && names.includes('tdata1'));
    assert.equal(d.hart.registers[0].readOnly, true);
    assert.ok(d.hart.registers.find((r) => r.name === 'mhartid')!.readOnly);
  });

  test('writeRegister refuses x0, read-only and unknown CSRs', () => {
    const d = new HartDriver();
    assert.equal(d.hart.writeRegister(0, 5), false);
    assert.equal(d.hart.writeRegister(65 + CSR.mhartid, 5), false);
    assert.equal(d.hart.writeRegister(65 + 0x7c0, 5), false);
    assert.equal(d.hart.writeRegister(65 + CSR.mscratch, 5), true);
    assert.equal(d.csr(CSR.mscratch), 5);
  });

  test('disassemble reads through the bus and renders symbols', () => {
    const d = new HartDriver();
    d.load([A.addi(a0, 0, 5), A.C(A.c_mv(a1, a0)), A.jal(A.ra, -6), 0]);
    const lines = d.hart.disassemble(RAM_BASE, 4, (addr) =>
      addr === RAM_BASE ? { name: 'main', offset: 0 } : undefined,
    );
    assert.deepEqual(
      lines.map((l) => [l.hex, l.text]),
      [
        ['00500513', 'li\ta0,5'],
        ['85aa', 'mv\ta1,a0'],
        ['ffbff0ef', 'jal\t80000000 <main>'],
        ['0000', 'unimp'],
      ],
    );
    assert.equal(lines[2].target, RAM_BASE);
    const fromBytes = disassembleBuffer(d.readMemory(RAM_BASE, 11), RAM_BASE);
    assert.deepEqual(
      fromBytes.map((l) => l.text),
      lines.slice(0, 3).map((l) => l.text.replace(' <main>', '')),
      'a buffer ending mid-instruction stops before it',
    );
    assert.equal(d.hart.disassemble(0x10, 1)[0].text, '<fetch error>');
  });
});
