import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  EbreakAction,
  CSR,
  IRQ_MEI,
  IRQ_MSI,
  IRQ_MTI,
  isSemihostingCall,
} from '../../../src/machine/riscv';
import * as A from './asm';
import { HartDriver, RAM_BASE } from './driver';

const { a0, a1, t0 } = A;
const HANDLER = RAM_BASE + 0x400;
const INTERRUPT = 0x8000_0000;

/** A driver whose mtvec points at HANDLER (direct mode), where a nop waits. */
function withHandler(): HartDriver {
  const d = new HartDriver();
  d.writeMemory(HANDLER, A.assemble([A.nop()]));
  d.hart.csr.mtvec = HANDLER;
  return d;
}

function assertTrap(d: HartDriver, cause: number, epc: number, tval: number): void {
  assert.equal(d.getPC(), HANDLER, 'pc at the trap vector');
  assert.equal(d.csr(CSR.mcause), cause >>> 0, 'mcause');
  assert.equal(d.csr(CSR.mepc), epc >>> 0, 'mepc');
  assert.equal(d.csr(CSR.mtval), tval >>> 0, 'mtval');
}

describe('synchronous exceptions', () => {
  test('an all-zero word is illegal (cause 2, mtval 0) and does not retire', () => {
    const d = withHandler();
    d.load([0]);
    d.step();
    assertTrap(d, 2, RAM_BASE, 0);
    assert.equal(d.csr(CSR.minstret), 0);
    assert.equal(d.csr(CSR.mcycle), 1);
  });

  test('an unknown 32-bit encoding reports its bits in mtval', () => {
    const d = withHandler();
    d.load([0xffff_ffff >>> 2]); // opcode with bits 1:0 = 11 but no table entry
    d.step();
    assertTrap(d, 2, RAM_BASE, 0x3fff_ffff);
  });

  test('slli with shamt[5] set is illegal on RV32', () => {
    const d = withHandler();
    const insn = A.rType(0x01, 0, a1, 1, a0, 0x13);
    d.load([insn]);
    d.step();
    assertTrap(d, 2, RAM_BASE, insn);
  });

  test('sret, uret and FP instructions are illegal on this M-only integer core', () => {
    for (const insn of [0x10200073, 0x00200073, 0x00052007 /* flw */, 0x7b200073 /* dret */]) {
      const d = withHandler();
      d.load([insn]);
      d.step();
      assertTrap(d, 2, RAM_BASE, insn);
    }
  });

  test('ecall from M-mode: cause 11, mtval 0, MIE stacked into MPIE', () => {
    const d = withHandler();
    d.hart.csr.mstatus |= 1 << 3;
    d.load([A.nop(), A.ecall()]);
    d.step(2);
    assertTrap(d, 11, RAM_BASE + 4, 0);
    const mstatus = d.csr(CSR.mstatus);
    assert.equal(mstatus & (1 << 3), 0, 'MIE cleared');
    assert.equal(mstatus & (1 << 7), 1 << 7, 'MPIE = old MIE');
    assert.equal((mstatus >>> 11) & 3, 3, 'MPP = M');
  });

  test('ebreak without a hook: cause 3, mtval 0 (as QEMU 7.2); c.ebreak too', () => {
    const d = withHandler();
    d.load([A.ebreak()]);
    d.step();
    assertTrap(d, 3, RAM_BASE, 0);
    const c = withHandler();
    c.load([A.C(A.c_ebreak())]);
    c.step();
    assertTrap(c, 3, RAM_BASE, 0);
  });

  test('the ebreak hook can stop the run (debugger) or resume after it (semihosting)', () => {
    const seen: [number, number][] = [];
    const d = new HartDriver({
      onEbreak: (hart, pc, length) => {
        seen.push([pc, length]);
        if (hart.readRegister(a0) === 1) return EbreakAction.Stop;
        hart.writeRegister(a1, 42);
        return EbreakAction.Resume;
      },
    });
    d.load([A.ebreak(), A.addi(a0, 0, 1), A.C(A.c_ebreak()), A.C(A.c_nop())]);
    const r1 = d.hart.run(10);
    assert.equal(d.reg(a1), 42, 'semihosting call serviced');
    assert.equal(r1.reason, 'ebreak');
    assert.equal(r1.executed, 2, 'the claimed ebreak did not execute');
    assert.equal(d.getPC(), RAM_BASE + 8);
    assert.deepEqual(seen, [
      [RAM_BASE, 4],
      [RAM_BASE + 8, 2],
    ]);
  });

  test('a semihosting hook recognises slli/ebreak/srai and resumes after the ebreak', () => {
    const calls: number[] = [];
    const d = new HartDriver({
      onEbreak: (hart, pc) => {
        if (!isSemihostingCall(hart.bus, pc)) return EbreakAction.Trap;
        calls.push(hart.readRegister(a0)!);
        hart.writeRegister(a0, 0);
        return EbreakAction.Resume;
      },
    });
    d.hart.csr.mtvec = HANDLER;
    d.writeMemory(HANDLER, A.assemble([A.nop()]));
    d.load([A.addi(a0, 0, 3), A.slli(0, 0, 0x1f), A.ebreak(), A.srai(0, 0, 7), A.ebreak()]);
    d.hart.run(5);
    assert.deepEqual(calls, [3]);
    assert.equal(d.reg(a0), 0, 'result written by the host');
    assert.equal(d.csr(CSR.mcause), 3, 'the lone ebreak is an ordinary breakpoint trap');
    assert.equal(d.csr(CSR.mepc), RAM_BASE + 16);
  });

  test('loads and stores to unmapped addresses raise access faults with the address', () => {
    const d = withHandler();
    d.setRegisters({ [t0]: 0x1000 });
    d.load([A.lw(a0, t0, 8)]);
    d.step();
    assertTrap(d, 5, RAM_BASE, 0x1008);
    d.setRegisters({ [a0]: 0 });
    d.load([A.sw(a0, t0, 4)]);
    d.step();
    assertTrap(d, 7, RAM_BASE, 0x1004);
  });

  test('fetching from unmapped memory raises an instruction access fault', () => {
    const d = withHandler();
    d.setRegisters({ [t0]: 0x2000 });
    d.load([A.jalr(0, t0, 0)]);
    d.step(2);
    assertTrap(d, 1, 0x2000, 0x2000);
  });

  test('a 32-bit instruction whose second half is unmapped faults at the second half', () => {
    const d = withHandler();
    const last = RAM_BASE + 0x2_0000 - 2;
    d.writeMemory(last, Uint8Array.of(0x13, 0x05)); // low half of addi a0,...
    d.setPC(last);
    d.step();
    assertTrap(d, 1, last, last + 2);
  });

  test('with misa.C cleared, a jump to a 2-aligned target is a misaligned-fetch exception', () => {
    const d = withHandler();
    d.load([A.csrrci(0, CSR.misa, 4), A.jal(0, 6)]);
    d.step();
    assert.equal(d.csr(CSR.misa) & 4, 0, 'C cleared');
    d.step();
    assertTrap(d, 0, RAM_BASE + 4, RAM_BASE + 10);
  });

  test('with misa.C cleared, compressed instructions are illegal', () => {
    const d = withHandler();
    d.load([A.csrrci(0, CSR.misa, 4), A.C(A.c_nop()), A.C(A.c_nop())]);
    d.step(2);
    assertTrap(d, 2, RAM_BASE + 4, 0x0001);
  });

  test('clearing misa.C is ignored when the next instruction is only 2-byte aligned', () => {
    const d = withHandler();
    d.load([A.C(A.c_nop()), A.csrrci(0, CSR.misa, 4)]);
    d.step(2);
    assert.equal(d.csr(CSR.misa), 0x40001105);
  });
});

describe('interrupts', () => {
  function enabled(mie: number, program = [A.nop(), A.nop(), A.nop()]): HartDriver {
    const d = withHandler();
    d.load(program);
    d.hart.csr.mie = mie;
    d.hart.csr.mstatus |= 1 << 3;
    return d;
  }

  test('a timer interrupt is taken before the next instruction', () => {
    const d = enabled(1 << IRQ_MTI);
    d.step();
    d.hart.setInterruptLine(IRQ_MTI, true);
    d.step();
    assertTrap(d, INTERRUPT | 7, RAM_BASE + 4, 0);
    assert.equal(d.csr(CSR.mip), 1 << IRQ_MTI);
  });

  test('an interrupt is not taken while mstatus.MIE or its mie bit is clear', () => {
    const d = enabled(0);
    d.hart.setInterruptLine(IRQ_MTI, true);
    d.step();
    assert.equal(d.getPC(), RAM_BASE + 4);
    d.hart.csr.mie = 1 << IRQ_MTI;
    d.hart.csr.mstatus = 3 << 11;
    d.step();
    assert.equal(d.getPC(), RAM_BASE + 8);
  });

  test('priority: external before software before timer', () => {
    const d = enabled((1 << IRQ_MEI) | (1 << IRQ_MSI) | (1 << IRQ_MTI));
    d.hart.setInterruptLine(IRQ_MTI, true);
    d.hart.setInterruptLine(IRQ_MSI, true);
    d.hart.setInterruptLine(IRQ_MEI, true);
    d.step();
    assert.equal(d.csr(CSR.mcause), (INTERRUPT | 11) >>> 0);
    d.hart.setInterruptLine(IRQ_MEI, false);
    d.hart.csr.mstatus |= 1 << 3;
    d.step();
    assert.equal(d.csr(CSR.mcause), (INTERRUPT | 3) >>> 0);
  });

  test('vectored mtvec sends interrupts to base + 4*cause and exceptions to base', () => {
    const d = enabled(1 << IRQ_MSI, [A.nop(), A.ecall()]);
    d.hart.csr.mtvec = HANDLER | 1;
    d.hart.setInterruptLine(IRQ_MSI, true);
    d.step();
    assert.equal(d.getPC(), HANDLER + 4 * 3);
    d.hart.setInterruptLine(IRQ_MSI, false);
    d.setPC(RAM_BASE + 4);
    d.step();
    assert.equal(d.getPC(), HANDLER);
    assert.equal(d.csr(CSR.mcause), 11);
  });

  test('enabling MIE with csrs makes a pending interrupt fire after that instruction', () => {
    const d = withHandler();
    d.hart.csr.mie = 1 << IRQ_MTI;
    d.hart.setInterruptLine(IRQ_MTI, true);
    d.load([A.csrrsi(0, CSR.mstatus, 8), A.nop()]);
    const r = d.hart.run(2);
    assert.equal(r.executed, 2);
    assert.equal(d.csr(CSR.mepc), RAM_BASE + 4);
    assert.equal(d.getPC(), HANDLER + 4, 'handler nop executed');
  });

  test('mret restores MIE from MPIE and returns to mepc; nesting re-enters', () => {
    const d = withHandler();
    // Handler: re-enable interrupts (nesting), then mret.
    d.writeMemory(HANDLER, A.assemble([A.csrrsi(0, CSR.mstatus, 8), A.mret()]));
    d.load([A.nop(), A.nop(), A.nop()]);
    d.hart.csr.mie = 1 << IRQ_MSI;
    d.hart.csr.mstatus |= 1 << 3;
    d.hart.setInterruptLine(IRQ_MSI, true);
    d.step(); // the interrupt is taken: a step of its own that executes nothing
    assert.equal(d.getPC(), HANDLER);
    assert.equal(d.csr(CSR.mepc), RAM_BASE);
    d.step(); // csrrsi sets MIE inside the handler
    d.step(); // the still-pending interrupt nests
    assert.equal(d.getPC(), HANDLER);
    assert.equal(d.csr(CSR.mepc), HANDLER + 4, 'nested trap saved the handler pc');
    assert.equal(d.csr(CSR.mstatus) & 0x88, 0x80, 'MIE cleared, MPIE = 1');
    d.hart.setInterruptLine(IRQ_MSI, false);
    d.step(2); // csrrsi, then mret from the nested trap
    assert.equal(d.getPC(), HANDLER + 4);
    assert.equal(d.csr(CSR.mstatus) & 0x88, 0x88, 'MIE restored from MPIE, MPIE set');
  });

  test('wfi waits until an enabled interrupt is pending, even with MIE clear', () => {
    const d = withHandler();
    d.load([A.wfi(), A.addi(a0, 0, 1)]);
    d.hart.csr.mie = 1 << IRQ_MTI;
    let r = d.hart.run(100);
    assert.equal(r.reason, 'wfi');
    assert.equal(r.executed, 1);
    assert.equal(d.hart.waiting, true);
    assert.equal(d.getPC(), RAM_BASE + 4);
    r = d.hart.run(100);
    assert.deepEqual(r, { reason: 'wfi', executed: 0 }, 'still asleep');
    d.hart.setInterruptLine(IRQ_MSI, true); // not enabled in mie: keeps sleeping
    assert.equal(d.hart.run(100).reason, 'wfi');
    d.hart.setInterruptLine(IRQ_MTI, true);
    r = d.hart.run(1);
    assert.equal(d.hart.waiting, false);
    assert.equal(d.reg(a0), 1, 'resumed after wfi without trapping (MIE clear)');
  });

  test('wfi with an interrupt already pending and enabled does not sleep', () => {
    const d = enabled(1 << IRQ_MTI, [A.wfi(), A.nop()]);
    d.hart.csr.mstatus &= ~8;
    d.hart.setInterruptLine(IRQ_MTI, true);
    const r = d.hart.run(2);
    assert.equal(r.reason, 'budget');
    assert.equal(d.getPC(), RAM_BASE + 8);
  });

  test('requestStop from a device during a store ends the run after that instruction', () => {
    const d = new HartDriver();
    d.bus.addDevice(0x1000_0000, 0x100, {
      read: () => 0,
      write: () => d.hart.requestStop(),
    });
    d.setRegisters({ [t0]: 0x1000_0000 });
    d.load([A.nop(), A.sw(0, t0, 0), A.nop(), A.nop()]);
    const r = d.hart.run(100);
    assert.deepEqual(r, { reason: 'stop-requested', executed: 2 });
    assert.equal(d.getPC(), RAM_BASE + 8);
  });
});
