import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FlatBus } from '../../support/flatBus';
import { CSR, IRQ_MSI, RiscvHart, type RiscvHartOptions } from '../../../src/machine/riscv';
import * as A from './asm';
import { HartDriver, RAM_BASE } from './driver';
import { LOAD_ADDRESS, OUTPUT_LINES, randomProgram, UART_THR } from './support/random-program';

const { a0, a1, t0, t1, s0 } = A;
const COMPILE_AT_ONCE: RiscvHartOptions['jit'] = { threshold: 0 };
const HANDLER = RAM_BASE + 0x400;

/** Runs a random program with the given compiler setting; returns its UART output. */
function runProgram(seed: number, jit: RiscvHartOptions['jit']): { out: string; blocks: number } {
  const bus = new FlatBus(LOAD_ADDRESS, 0x10000);
  bus.writeBytes(LOAD_ADDRESS, randomProgram(seed, 300));
  const hart = new RiscvHart(bus, { resetVector: LOAD_ADDRESS, jit });
  let out = '';
  bus.addDevice(UART_THR, 8, {
    read: (offset) => (offset === 5 ? 0x60 : 0),
    write: (offset, _size, value) => {
      if (offset !== 0) return;
      out += String.fromCharCode(value & 0xff);
      if (out.split('\n').length > OUTPUT_LINES) hart.requestStop();
    },
  });
  assert.equal(hart.run(1_000_000).reason, 'stop-requested');
  return { out, blocks: hart.code.compiledBlockCount() };
}

/** A counting loop: a0 += 1; a1 += a0; s0 -= 1 until zero, then wfi. */
function loopProgram(iterations: number): A.Insn[] {
  return [
    ...A.li(s0, iterations),
    A.addi(a0, a0, 1),
    A.add(a1, a1, a0),
    A.C(A.c_addi(s0, -1)),
    A.bne(s0, 0, -10),
    A.wfi(),
  ];
}

describe('basic-block compiler', () => {
  test('random programs give the same output compiled and interpreted', () => {
    for (let seed = 100; seed < 116; seed++) {
      const compiled = runProgram(seed, COMPILE_AT_ONCE);
      const interpreted = runProgram(seed, false);
      assert.equal(compiled.out, interpreted.out, `seed ${seed}`);
      assert.ok(compiled.blocks > 20, `seed ${seed}: only ${compiled.blocks} blocks compiled`);
      assert.equal(interpreted.blocks, 0);
    }
  });

  test('blocks never exceed the budget: same pc and counters after every slice', () => {
    const make = (jit: RiscvHartOptions['jit']) => {
      const d = new HartDriver({ jit });
      d.load(loopProgram(500));
      return d;
    };
    const jit = make(COMPILE_AT_ONCE);
    const interp = make(false);
    let seed = 3;
    for (let i = 0; i < 2000; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const budget = 1 + (seed % 13);
      const r1 = jit.hart.run(budget);
      const r2 = interp.hart.run(budget);
      assert.deepEqual(r1, r2, `slice ${i}`);
      assert.equal(jit.getPC(), interp.getPC());
      assert.equal(jit.csr(CSR.minstret), interp.csr(CSR.minstret));
      if (r1.reason === 'wfi') break;
    }
    assert.equal(jit.reg(a1), (500 * 501) / 2);
    assert.ok(jit.hart.code.compiledBlockCount() > 0, 'the loop ran compiled');
  });

  test('a device interrupt raised by a store inside a block is taken right after it', () => {
    const d = new HartDriver({ jit: COMPILE_AT_ONCE });
    d.writeMemory(HANDLER, A.assemble([A.jal(0, 0)])); // spin in the handler
    d.hart.csr.mtvec = HANDLER;
    d.hart.csr.mie = 1 << IRQ_MSI;
    d.hart.csr.mstatus |= 8;
    let stores = 0;
    d.bus.addDevice(0x1000_0000, 0x10, {
      read: () => 0,
      write: () => {
        if (++stores === 20) d.hart.setInterruptLine(IRQ_MSI, true);
      },
    });
    d.setRegisters({ [t0]: 0x1000_0000 });
    // loop: store to the device, count, repeat
    d.load([A.sw(0, t0, 0), A.addi(a0, a0, 1), A.addi(a1, a1, 2), A.jal(0, -12)]);
    d.hart.run(10_000);
    assert.equal(d.csr(CSR.mcause), (0x8000_0000 | IRQ_MSI) >>> 0);
    assert.equal(d.csr(CSR.mepc), RAM_BASE + 4, 'taken after the store, before the next add');
    assert.equal(d.reg(a0), 19);
  });

  test('self-modifying code inside a hot block takes effect on the next iteration', () => {
    const d = new HartDriver({ jit: COMPILE_AT_ONCE });
    const patch = RAM_BASE + 0x10;
    // s0 iterations: at patch: addi a0,a0,1; after 5 rounds store addi a0,a0,100 over it.
    const p = new A.AsmProgram(RAM_BASE);
    p.emit(...A.li(s0, 10), ...A.li(t1, A.addi(a0, a0, 100)));
    while (p.here < patch) p.emit(A.C(A.c_nop()));
    p.label('top');
    p.emit(A.addi(a0, a0, 1), A.C(A.c_addi(s0, -1)), A.addi(a1, 0, 5));
    p.emitAt(4, (at) => A.bne(s0, a1, p.offset('skip', at)));
    p.emitAt(4, () => A.lui(t0, (patch + 0x800) >>> 12));
    p.emitAt(4, () => A.sw(t1, t0, (patch << 20) >> 20));
    p.label('skip');
    p.emitAt(4, (at) => A.bne(s0, 0, p.offset('top', at)));
    p.emit(A.wfi());
    d.writeMemory(RAM_BASE, p.assemble());
    d.setPC(RAM_BASE);
    assert.equal(d.hart.run(10_000).reason, 'wfi');
    assert.equal(d.reg(a0), 5 + 5 * 100);
  });

  test('a load fault inside a block is precise (mepc, mtval, instret)', () => {
    const d = new HartDriver({ jit: COMPILE_AT_ONCE });
    d.writeMemory(HANDLER, A.assemble([A.wfi()]));
    d.hart.csr.mtvec = HANDLER;
    d.setRegisters({ [t0]: 0x4000 });
    d.load([A.addi(a0, 0, 1), A.addi(a1, 0, 2), A.lw(A.a2, t0, 8), A.addi(a0, 0, 9), A.wfi()]);
    d.hart.run(100);
    assert.equal(d.csr(CSR.mcause), 5);
    assert.equal(d.csr(CSR.mepc), RAM_BASE + 8);
    assert.equal(d.csr(CSR.mtval), 0x4008);
    assert.equal(d.reg(a0), 1, 'nothing after the fault executed');
    assert.equal(d.csr(CSR.minstret), 2 + 1, 'two before the fault, wfi in the handler');
  });

  test('a breakpoint inside a hot loop stops there; removing it lets the loop finish', () => {
    const d = new HartDriver({ jit: COMPILE_AT_ONCE });
    d.load(loopProgram(100));
    d.hart.run(200);
    const bp = RAM_BASE + 8 + 4; // add a1,a1,a0
    d.hart.addBreakpoint(bp);
    const r = d.hart.run(1000);
    assert.equal(r.reason, 'breakpoint');
    assert.equal(d.getPC(), bp);
    d.hart.removeBreakpoint(bp);
    assert.equal(d.hart.run(1000).reason, 'wfi');
    assert.equal(d.reg(a1), (100 * 101) / 2);
  });

  test('where code generation is forbidden the compiler turns itself off', () => {
    const original = globalThis.Function;
    const forbidden = function () {
      throw new EvalError('Code generation from strings disallowed for this context');
    } as unknown as FunctionConstructor;
    globalThis.Function = forbidden;
    try {
      const d = new HartDriver({ jit: COMPILE_AT_ONCE });
      d.load(loopProgram(200));
      assert.equal(d.hart.run(100_000).reason, 'wfi');
      assert.equal(d.reg(a1), (200 * 201) / 2);
      assert.equal(d.hart.code.jitThreshold, Infinity);
    } finally {
      globalThis.Function = original;
    }
  });

  test('jit: false runs the pure interpreter with identical results', () => {
    const a = new HartDriver({ jit: false });
    a.load(loopProgram(300));
    const b = new HartDriver({ jit: COMPILE_AT_ONCE });
    b.load(loopProgram(300));
    assert.deepEqual(a.hart.run(100_000), b.hart.run(100_000));
    assert.equal(a.reg(a1), b.reg(a1));
  });
});
