/**
 * Trap storms: a trap handler whose first instruction traps itself (mtvec on zeroed RAM → an
 * illegal-instruction loop; mtvec on a hole → an instruction access fault loop) is detected
 * after TRAP_STORM_STEPS trapping steps with nothing retired, instead of running to the budget
 * (CLI) or for ever (debugger). The CLI exits non-zero with the message; the debugger's case is
 * in test/debug/hardening.test.ts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import * as asm from '../../src/machine/asm';
import { rawProgram, repo, virt } from './machineHelpers';
import { minimalElf } from '../support/minimalElf';

const { t0 } = asm;
const MTVEC = 0x305;
/** Sets mtvec to zeroed RAM, then executes an illegal instruction (the word 0). */
const stormProgram = [...asm.li(t0, 0x8010_0000), asm.csrw(MTVEC, t0), 0];

describe('trap storms', () => {
  test('mtvec on zeroed RAM: an illegal-instruction storm stops as a fault, not at the budget', async () => {
    const m = virt();
    rawProgram(m, stormProgram);
    const stop = await m.run({ maxInstructions: 10_000_000 });
    assert.equal(stop.reason, 'fault');
    assert.match(
      stop.message!,
      /trap storm: the trap handler at mtvec = 0x80100000 can never run, its first instruction raises an illegal instruction exception \(mcause 2\) every time: it reads 0x00000000 from region/,
    );
    assert.ok(stop.instructionCount < 200_000, `stopped after ${stop.instructionCount} steps`);
  });

  test('a handler that traps once and then runs is not a storm', async () => {
    const m = virt();
    // mtvec → a handler that skips the faulting instruction (mepc += 4) and returns; the main
    // program traps 1000 times in a loop, then exits through the SiFive test finisher.
    const { a0, a1 } = asm;
    const program = new asm.AsmProgram(0x8000_0000);
    program.emitAt(4, (at) => asm.jal(0, program.offset('main', at)));
    program.label('handler');
    program.emit(asm.csrr(t0, 0x341), asm.addi(t0, t0, 4), asm.csrw(0x341, t0), asm.mret());
    program.label('main');
    program.emit(...asm.li(t0, 0x8000_0004), asm.csrw(MTVEC, t0), ...asm.li(a1, 1000));
    program.label('loop');
    program.emit(0, asm.addi(a1, a1, -1));
    program.emitAt(4, (at) => asm.bne(a1, 0, program.offset('loop', at)));
    program.emit(...asm.li(t0, 0x10_0000), ...asm.li(a0, 0x5555), asm.sw(a0, t0, 0));
    program.emit(asm.jal(0, 0));
    m.loadProgram(program.assemble(), { name: 'raw.bin', address: 0x8000_0000 });
    const stop = await m.run({ maxInstructions: 10_000_000 });
    assert.equal(stop.reason, 'exited', stop.message);
  });

  test('boardmap run: the storm exits non-zero with the message', () => {
    const dir = mkdtempSync(join(tmpdir(), 'boardmap-storm-'));
    const bin = join(dir, 'storm.elf');
    writeFileSync(bin, minimalElf(asm.assemble(stormProgram), 0x8000_0000));
    const r = spawnSync(
      process.execPath,
      [join(repo, 'dist', 'cli.js'), 'run', 'virt', '--kernel', bin, '--max-insns', '10000000'],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 125, r.stderr);
    assert.match(r.stderr, /trap storm: the trap handler at mtvec = 0x80100000 can never run/);
  });
});
