// Board-declared devices in a running machine: UART → PLIC → MEIP wiring woken by host input,
// a regbank's declared registers, and a memctl's move/alias-offset actions driven by the hart.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Machine } from '../../src/machine';
import * as asm from '../../src/machine/asm';
import { setImmediateYield } from './machineHelpers';

const { t0, t1, a0, a1 } = asm;
const CSRRS = (rd: number, csr: number, rs1: number): number =>
  ((csr << 20) | (rs1 << 15) | (2 << 12) | (rd << 7) | 0x73) >>> 0;
const MIE = 0x304;

describe('interrupt wiring', () => {
  test('a byte typed by the host wakes wfi through UART irq → PLIC source 10 → MEIP', async () => {
    let idleWaits = 0;
    const m = Machine.builtin('virt', {
      host: {
        yieldToHost: setImmediateYield,
        idleWait: () => {
          idleWaits++;
          return new Promise((r) => setTimeout(r, 2));
        },
      },
      whenIdle: 'wait',
    });
    const program = [
      ...asm.li(t0, 0x0c00_0000 + 10 * 4),
      ...asm.li(t1, 1),
      asm.sw(t1, t0, 0), // priority[10] = 1
      ...asm.li(t0, 0x0c00_2000),
      ...asm.li(t1, 1 << 10),
      asm.sw(t1, t0, 0), // context 0 enables source 10
      ...asm.li(t0, 0x1000_0000),
      ...asm.li(t1, 1),
      asm.sb(t1, t0, 1), // UART IER.ERBFI
      ...asm.li(t1, 1 << 11),
      CSRRS(0, MIE, t1), // mie.MEIE (mstatus.MIE stays 0: wfi wakes, no trap is taken)
      asm.wfi(),
      ...asm.li(t0, 0x0c20_0004),
      asm.lw(a0, t0, 0), // claim: the source
      ...asm.li(t1, 0x1000_0000),
      asm.lbu(a1, t1, 0), // RBR: the byte
      asm.sw(a0, t0, 0), // complete
      asm.slli(a1, a1, 16),
      ...asm.li(t1, 0x3333),
      asm.or(a1, a1, t1),
      ...asm.li(t0, 0x10_0000),
      asm.sw(a1, t0, 0), // finisher: fail with status = the byte
      asm.jal(0, 0),
    ];
    m.loadProgram(asm.assemble(program), { name: 'irq.bin', address: 0x8000_0000 });
    const running = m.run();
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(m.state, 'running', 'asleep in wfi, waiting for input');
    assert.ok(
      idleWaits > 0 && idleWaits < 30,
      `idle waits: ${idleWaits} (the host's delay, not a spin)`,
    );
    m.input([0x2a]);
    const stop = await running;
    assert.equal(stop.reason, 'exited');
    assert.equal(stop.exitCode, 0x2a);
    assert.equal(m.cpu.readRegister(10), 10, 'the claim returned source 10');
  });
});

const BOARD = `board wiring
container system size 2^32 {
  ram dram @ 0x8000_0000 size 64K
  ram window-target size 64K
  alias window @ 0x9000_0000 -> window-target size 4K
  ram movable @ 0xa000_0000 size 4K
  device regs : regbank @ 0x4000_0000 size 4K {
    reg ID @ 0x0 : u32 ro reset 0x1234_5678
    reg CTRL @ 0x4 : u32 rw reset 0x0 {
      field EN [0] rw
      field MODE [3:1] rw
    }
    reg STATUS @ 0x8 : u32 w1c reset 0xff
  }
  device ctl : memctl @ 0x4000_1000 size 4K {
    reg WIN @ 0x0 : u32 rw reset 0 { on-write { alias-offset window = value * 4K } }
    reg POS @ 0x4 : u32 rw reset 0 {
      on-write { if value & 1 { move movable @ 0xb000_0000 } else { move movable @ 0xa000_0000 } }
    }
  }
  device finisher : sifive_test @ 0x10_0000
}
space memory = system
cpu hart0 : rv32imac { space = memory, reset = 0x8000_0000 }
`;

describe('board-declared register banks', () => {
  test('regbank registers keep their access rules; memctl actions move regions and alias offsets', async () => {
    const m = Machine.fromBoard('wiring.board', BOARD);
    const trace: string[] = [];
    m.mmioTrace = (a) =>
      trace.push(`${a.isWrite ? 'w' : 'r'} ${a.register} ${a.value.toString(16)}`);
    const program = [
      ...asm.li(t0, 0x4000_0000),
      ...asm.li(t1, 0xffff_ffff),
      asm.sw(t1, t0, 0), // ID is read-only
      asm.sw(t1, t0, 4), // CTRL: all bits written
      ...asm.li(t1, 0x0f),
      asm.sw(t1, t0, 8), // STATUS: write 1 to clear the low 4 bits
      asm.lw(a0, t0, 0),
      asm.lw(a1, t0, 8),
      ...asm.li(t0, 0x4000_1000),
      ...asm.li(t1, 3),
      asm.sw(t1, t0, 0), // WIN = 3: alias window shows target + 0x3000
      ...asm.li(t1, 1),
      asm.sw(t1, t0, 4), // POS = 1: movable at 0xb000_0000
      ...asm.li(t0, 0x10_0000),
      ...asm.li(t1, 0x5555),
      asm.sw(t1, t0, 0),
      asm.jal(0, 0),
    ];
    m.loadProgram(asm.assemble(program), { name: 'regs.bin', address: 0x8000_0000 });
    const versions: number[] = [];
    m.onTopologyChanged((v) => versions.push(v));
    const stop = await m.run();
    assert.equal(stop.exitCode, 0);
    assert.equal(m.cpu.readRegister(10), 0x1234_5678);
    assert.equal(m.cpu.readRegister(11), 0xf0);
    const regs = m.readMemory(0x4000_0004, 4).data;
    assert.equal(new DataView(regs.buffer).getUint32(0, true), 0xffff_ffff);
    assert.equal(m.space.flatView.lookup(0x9000_0000)!.offsetInRegion, 0x3000n);
    assert.equal(m.space.flatView.lookup(0xb000_0000)!.mr.name, 'movable');
    assert.equal(m.space.flatView.lookup(0xa000_0000), null);
    assert.ok(versions.length >= 2, 'the moves changed the topology');
    assert.deepEqual(trace.slice(0, 5), [
      'w ID ffffffff',
      'w CTRL ffffffff',
      'w STATUS f',
      'r ID 12345678',
      'r STATUS f0',
    ]);
  });
});
