// Misaligned loads, stores and AMOs on the `virt` board behave as on qemu-system-riscv32 7.2
// (TCG): a misaligned load is two naturally aligned loads of the full size at the address
// rounded down and the next one, combined; a misaligned store is byte stores in address order;
// the piece (or byte) that faults is the one in mtval. Every expectation below was read from
// QEMU with test/firmware/probes/virt-probe.elf (expected/virt-probe.txt, which
// test/firmware/fidelity-probe.test.ts compares with a live QEMU run); the only deliberate
// differences are the AMO causes (see docs/machine.md, "Misaligned accesses").
// Each case runs twice in a loop, so with the block compiler compiling everything the second
// pass runs the access inside a compiled block; both engines must give the same answers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Machine, MachineOptions } from '../../../src/machine';
import * as asm from '../../../src/machine/asm';
import { virt } from '../machineHelpers';

const { a0, a1, a2, a3, a4, s2, s3, t0, t1, t2, t3 } = asm;

type Access =
  | 'lw'
  | 'lh'
  | 'lhu'
  | 'lbu'
  | 'sw'
  | 'sh'
  | 'amoadd.w'
  | 'amoswap.w'
  | 'amoor.w'
  | 'lr.w'
  | 'sc.w';

interface Case {
  readonly access: Access;
  readonly address: number;
  /** Stored value (stores, AMO operand). */
  readonly value?: number;
  /** Value left in rd (loads, AMOs), when it does not trap. */
  readonly result?: number;
  /** [mcause, mtval] when it traps. */
  readonly trap?: readonly [number, number];
  /** Memory after the access: [address, size, value] read through the debugger (no side effects). */
  readonly after?: readonly (readonly [number, 1 | 4, number])[];
  /** Words written before the access (setup). */
  readonly before?: readonly (readonly [number, number])[];
  /** What QEMU 7.2 does instead, where Boardmap deliberately differs. */
  readonly qemu?: string;
}

const RAM = 0x8010_0000; // a scratch page, away from the program
const PAGE_END = RAM + 0x1000;

const CASES: readonly Case[] = [
  // -- the table
  { access: 'lw', address: 0x0c00_0002, result: 0 }, // PLIC priorities 0 and 1
  { access: 'lw', address: 0x0200_4002, result: 0 }, // mtimecmp
  { access: 'lhu', address: 0x1000_0005, result: 0xb000 }, // UART MCR|LSR, MSR|SCR halves
  { access: 'lw', address: 0x0000_0ffe, trap: [5, 0xffc] }, // hole, then the reset ROM
  { access: 'lw', address: 0x87ff_fffe, trap: [5, 0x8800_0000] }, // end of RAM
  {
    access: 'sw',
    address: 0x1000_0007,
    value: 0x1122_3344,
    trap: [7, 0x1000_0008],
    after: [[0x1000_0007, 1, 0x44]], // the SCR byte was written before the fault
  },
  // -- more loads
  { access: 'lw', address: 0x0c00_0006, result: 0 },
  { access: 'lhu', address: 0x0c00_0003, trap: [5, 0x0c00_0002] }, // PLIC takes only words
  { access: 'lh', address: 0x0c00_0002, trap: [5, 0x0c00_0002] }, // (aligned reference)
  { access: 'lw', address: 0x0200_4006, result: 0 },
  { access: 'lw', address: 0x0200_bffe, trap: [5, 0x0200_c000] }, // mtime high, then a hole
  { access: 'lw', address: 0x0200_0001, result: 0 }, // msip
  { access: 'lhu', address: 0x0200_0001, trap: [5, 0x0200_0000] }, // MSWI takes only words
  { access: 'lh', address: 0x1000_0003, result: 0x800 }, // IIR|LCR, MCR|LSR: IIR 1, MCR 8
  { access: 'lw', address: 0x1000_0005, trap: [5, 0x1000_0008] }, // UART, then the hole
  { access: 'lw', address: 0x1000_0006, trap: [5, 0x1000_0008] },
  { access: 'lh', address: 0x1000_0007, trap: [5, 0x1000_0008] },
  { access: 'lbu', address: 0x1000_0005, result: 0x60 },
  { access: 'lw', address: 0x0000_1002, result: 0x8613_0000 }, // reset ROM
  { access: 'lhu', address: 0x0000_1005, result: 0x8286 },
  { access: 'lw', address: 0x0000_fffe, trap: [5, 0x0001_0000] }, // end of ROM, then a hole
  { access: 'lw', address: 0x0010_0002, result: 0 }, // SiFive test
  { access: 'lhu', address: 0x87ff_ffff, trap: [5, 0x8800_0000] },
  { access: 'lw', address: 0x87ff_fffc, result: 0 },
  { access: 'lw', address: 0x1000_11fe, trap: [5, 0x1000_1200] }, // end of a virtio-mmio slot
  {
    access: 'lw',
    address: PAGE_END - 2, // RAM, crossing a page
    before: [
      [PAGE_END - 4, 0x4433_2211],
      [PAGE_END, 0x8877_6655],
    ],
    result: 0x6655_4433,
  },
  {
    access: 'lh',
    address: PAGE_END - 1,
    before: [
      [PAGE_END - 4, 0x8833_2211],
      [PAGE_END, 0x8877_66f5],
    ],
    result: 0xffff_f588,
  },
  { access: 'lw', address: RAM + 1, before: [[RAM, 0x0403_0201]], result: 0x0004_0302 },
  // -- more stores: byte by byte, in address order
  {
    access: 'sh',
    address: 0x1000_0007,
    value: 0x5566,
    trap: [7, 0x1000_0008],
    after: [[0x1000_0007, 1, 0x66]],
  },
  { access: 'sw', address: 0x0c00_0006, value: 0x300, trap: [7, 0x0c00_0006] },
  { access: 'sw', address: 0x0200_4002, value: 0x1234_5678, trap: [7, 0x0200_4002] },
  { access: 'sh', address: 0x0010_0001, value: 0x1234, trap: [7, 0x0010_0001] },
  { access: 'sw', address: 0x0000_0ffe, value: 0x0102_0304, trap: [7, 0x0ffe] },
  { access: 'sw', address: 0x0000_fffe, value: 0x0102_0304, trap: [7, 0x0001_0000] },
  {
    access: 'sw',
    address: 0x87ff_fffe,
    value: 0xa1b2_c3d4,
    before: [[0x87ff_fffc, 0]],
    trap: [7, 0x8800_0000],
    after: [[0x87ff_fffc, 4, 0xc3d4_0000]],
  },
  {
    access: 'sw',
    address: PAGE_END - 2,
    value: 0x0a0b_0c0d,
    before: [
      [PAGE_END - 4, 0],
      [PAGE_END, 0],
    ],
    after: [
      [PAGE_END - 4, 4, 0x0c0d_0000],
      [PAGE_END, 4, 0x0000_0a0b],
    ],
  },
  {
    access: 'sh',
    address: RAM + 1,
    value: 0xbeef,
    before: [[RAM, 0x4433_2211]],
    after: [[RAM, 4, 0x44be_ef11]],
  },
  // -- atomics
  {
    access: 'amoadd.w',
    address: RAM + 8,
    value: 3,
    before: [[RAM + 8, 5]],
    result: 5,
    after: [[RAM + 8, 4, 8]],
  },
  { access: 'amoadd.w', address: RAM + 10, value: 3, trap: [6, RAM + 10], qemu: 'trap 4' },
  { access: 'amoswap.w', address: RAM + 9, value: 3, trap: [6, RAM + 9], qemu: 'trap 4' },
  { access: 'amoor.w', address: 0x0c00_0002, value: 1, trap: [6, 0x0c00_0002], qemu: 'trap 4' },
  { access: 'lr.w', address: RAM + 2, trap: [4, RAM + 2] },
  // QEMU checks the reservation first: a misaligned sc.w fails (rd = 1) without trapping.
  { access: 'sc.w', address: RAM + 2, value: 7, trap: [6, RAM + 2], qemu: 'ok 1' },
  { access: 'amoadd.w', address: 0x0000_0ffc, value: 1, trap: [7, 0xffc], qemu: 'trap 5' },
  { access: 'amoadd.w', address: 0x0000_fffc, value: 1, result: 0 }, // ROM: write ignored
  { access: 'lr.w', address: 0x0000_0ffc, trap: [5, 0xffc] },
  { access: 'sc.w', address: 0x0000_0ffc, value: 1, result: 1 }, // no reservation: no access
  {
    access: 'amoor.w',
    address: 0x0c00_0008, // PLIC priority 2
    value: 1,
    before: [[0x0c00_0008, 2]],
    result: 2,
    after: [[0x0c00_0008, 4, 3]],
  },
];

const HANDLER_SLOT = 0x8000_0800;

/** The access as one instruction: rd = a0, address in a1, value in a2. */
function instruction(c: Case): number {
  switch (c.access) {
    case 'lw':
      return asm.lw(a0, a1, 0);
    case 'lh':
      return asm.lh(a0, a1, 0);
    case 'lhu':
      return asm.lhu(a0, a1, 0);
    case 'lbu':
      return asm.lbu(a0, a1, 0);
    case 'sw':
      return asm.sw(a2, a1, 0);
    case 'sh':
      return asm.sh(a2, a1, 0);
    case 'amoadd.w':
      return asm.amoadd_w(a0, a2, a1);
    case 'amoswap.w':
      return asm.amoswap_w(a0, a2, a1);
    case 'amoor.w':
      return asm.amoor_w(a0, a2, a1);
    case 'lr.w':
      return asm.lr_w(a0, a1);
    case 'sc.w':
      return asm.sc_w(a0, a2, a1);
  }
}

/**
 * Two passes of: the setup stores, a0 = 0xdeadbeef, the access. The trap handler records mcause (a3), mtval (a4),
 * counts traps (s3) and resumes after the access. Then the finisher ends the run.
 */
function program(c: Case): { bytes: Uint8Array; loop: number } {
  const p = new asm.AsmProgram(0x8000_0000);
  p.emit(...asm.li(t0, HANDLER_SLOT), asm.csrw(0x305, t0), ...asm.li(s2, 2));
  p.label('loop');
  for (const [address, value] of c.before ?? []) {
    p.emit(...asm.li(t1, address), ...asm.li(t2, value), asm.sw(t2, t1, 0));
  }
  p.emit(...asm.li(a0, 0xdead_beef), ...asm.li(a1, c.address), ...asm.li(a2, c.value ?? 0));
  p.emit(instruction(c), asm.addi(s2, s2, -1));
  p.emitAt(4, (at) => asm.bne(s2, 0, p.offset('loop', at)));
  p.emit(...asm.li(t1, 0x10_0000), ...asm.li(t2, 0x5555), asm.sw(t2, t1, 0));
  while (p.here < HANDLER_SLOT) p.emit(asm.nop());
  p.emit(
    asm.csrr(a3, 0x342),
    asm.csrr(a4, 0x343),
    asm.addi(s3, s3, 1),
    asm.csrr(t3, 0x341),
    asm.addi(t3, t3, 4),
    asm.csrw(0x341, t3),
    asm.mret(),
  );
  return { bytes: p.assemble(), loop: p.address('loop') };
}

const label = (c: Case) =>
  `${c.access} 0x${c.address.toString(16).padStart(8, '0')}` +
  (c.trap
    ? ` traps ${c.trap[0]} 0x${c.trap[1].toString(16)}`
    : ` = 0x${(c.result ?? 0).toString(16)}`) +
  (c.qemu ? ` (QEMU: ${c.qemu})` : '');

async function runCase(c: Case, jit: MachineOptions['jit']): Promise<Machine> {
  const m = virt(jit === undefined ? {} : { jit });
  const { bytes, loop } = program(c);
  m.loadProgram(bytes, { name: 'misaligned.bin', address: 0x8000_0000 });
  const stop = await m.run({ maxInstructions: 10_000 });
  assert.equal(stop.reason, 'exited', `run ended with ${stop.reason}`);
  const block = m.cpu.code.blocksFor(loop).blocks[(loop & 0xffe) >>> 1];
  // the second pass ran the access inside the block compiled at the loop's start
  if (jit !== false) assert.ok(block, 'the loop was compiled');
  else assert.ok(!block, 'nothing compiled');
  return m;
}

const ENGINES: readonly [string, MachineOptions['jit']][] = [
  ['interpreter', false],
  ['block compiler', { threshold: 0 }],
];

describe('misaligned accesses on virt as QEMU 7.2 TCG does them', () => {
  for (const [engine, jit] of ENGINES) {
    describe(engine, () => {
      for (const c of CASES) {
        test(label(c), async () => {
          const m = await runCase(c, jit);
          const reg = (n: number) => m.cpu.readRegister(n)! >>> 0;
          if (c.trap) {
            assert.equal(reg(s3), 2, 'traps taken (one per pass)');
            assert.equal(reg(a3), c.trap[0], 'mcause');
            assert.equal(reg(a4).toString(16), c.trap[1].toString(16), 'mtval');
            if (c.access[0] === 'l' || c.access.startsWith('amo'))
              assert.equal(reg(a0), 0xdead_beef, 'rd unchanged by a faulting access');
          } else {
            assert.equal(reg(s3), 0, 'no trap');
            if (c.result !== undefined) assert.equal(reg(a0).toString(16), c.result.toString(16));
          }
          for (const [address, size, value] of c.after ?? []) {
            const bytes = m.readMemory(address, size).data;
            const got =
              size === 1
                ? bytes[0]!
                : new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
            assert.equal(
              got.toString(16),
              value.toString(16),
              `memory at 0x${address.toString(16)}`,
            );
          }
        });
      }
    });
  }
});
