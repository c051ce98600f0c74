/**
 * The core on real compiled firmware: the example ELFs (built with GCC for rv32imac, committed
 * in examples/firmware/build) run on a hart over a FlatBus with just the devices they touch on
 * the virt board (UART THR/LSR, SiFive test finisher). Output and exit status must equal the
 * QEMU-made expectations in examples/firmware/expected. Devices, boards and the run loop proper
 * come with the machine; this checks the CPU on compiler-generated code.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { FlatBus } from '../../support/flatBus';
import { loadElf } from '../../../src/machine/loader';
import { RiscvHart } from '../../../src/machine/riscv';
import { testJitOption } from './driver';

const FIRMWARE = join('examples', 'firmware');
const DRAM = 0x8000_0000;
const UART = 0x1000_0000;
const FINISHER = 0x0010_0000;

interface RunOutcome {
  output: string;
  exitCode: number | undefined;
  instructions: number;
}

/** Loads `name`.elf and runs it until the finisher is written (or the budget runs out). */
export function runFirmware(name: string, budget = 50_000_000): RunOutcome {
  const bus = new FlatBus(DRAM, 1 << 20);
  const image = loadElf(readFileSync(join(FIRMWARE, 'build', `${name}.elf`)), (address, bytes) =>
    bus.writeBytes(address, bytes),
  );
  const hart = new RiscvHart(bus, { resetVector: image.entry, jit: testJitOption() });
  let output = '';
  let exitCode: number | undefined;
  bus.addDevice(UART, 8, {
    read: (offset) => (offset === 5 ? 0x60 : 0), // LSR: THR empty, transmitter idle
    write: (offset, _size, value) => {
      if (offset === 0) output += String.fromCharCode(value & 0xff);
    },
  });
  bus.addDevice(FINISHER, 0x1000, {
    read: () => 0,
    write: (_offset, _size, value) => {
      const kind = value & 0xffff;
      if (kind === 0x5555) exitCode = 0;
      else if (kind === 0x3333) exitCode = value >>> 16;
      hart.requestStop();
    },
  });
  let instructions = 0;
  while (exitCode === undefined && instructions < budget) {
    const r = hart.run(Math.min(1_000_000, budget - instructions));
    instructions += r.executed;
    if (r.reason !== 'budget' && r.reason !== 'stop-requested') {
      throw new Error(`${name}: unexpected stop ${r.reason} at ${hart.pc.toString(16)}`);
    }
  }
  return { output, exitCode, instructions };
}

const expected = (name: string) => ({
  output: readFileSync(join(FIRMWARE, 'expected', `${name}.txt`), 'latin1'),
  exitCode: Number(readFileSync(join(FIRMWARE, 'expected', `${name}.exit`), 'utf8').trim()),
});

describe('example firmware on the core (virt UART + finisher)', () => {
  for (const name of ['hello', 'selftest', 'bench-small', 'exitcode']) {
    test(
      `${name}.elf prints the expected output and exits as on QEMU`,
      { skip: !existsSync(join(FIRMWARE, 'build', `${name}.elf`)) && 'firmware not built' },
      () => {
        const got = runFirmware(name);
        const want = expected(name);
        assert.equal(got.output, want.output);
        assert.equal(got.exitCode, want.exitCode);
      },
    );
  }
});
