// The example firmware and what each run must produce: UART (or HTIF console) output and exit
// status, from examples/firmware/expected/. Shared by the QEMU cross-check and by tests that run
// the same ELFs on our machine (`boardmap run`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const firmwareRoot = join(__dirname, '..', '..', 'examples', 'firmware');

export interface FirmwareRun {
  readonly name: string;
  /** The built-in board (or examples/<board>.board) the ELF is built for. */
  readonly board: 'virt' | 'spike' | 'remap';
  readonly elfPath: string;
  /** Exact console bytes (the firmware writes "\r\n" line ends). */
  readonly expectedOutput: Buffer;
  /** Exit status: finisher code, tohost payload >> 1. */
  readonly expectedExit: number;
  /** The QEMU command that produced the expectation, when QEMU can run it. */
  readonly qemuArgs?: readonly string[];
}

function run(name: string, board: FirmwareRun['board'], qemuMachine?: string): FirmwareRun {
  const elfPath = join(firmwareRoot, 'build', `${name}.elf`);
  return {
    name,
    board,
    elfPath,
    expectedOutput: readFileSync(join(firmwareRoot, 'expected', `${name}.txt`)),
    expectedExit: Number(
      readFileSync(join(firmwareRoot, 'expected', `${name}.exit`), 'utf8').trim(),
    ),
    qemuArgs: qemuMachine
      ? [
          '-M',
          qemuMachine,
          '-bios',
          'none',
          '-nographic',
          '-monitor',
          'none',
          '-serial',
          'stdio',
          '-kernel',
          elfPath,
        ]
      : undefined,
  };
}

export const FIRMWARE_RUNS: readonly FirmwareRun[] = [
  run('hello', 'virt', 'virt'),
  run('timer', 'virt', 'virt'),
  run('selftest', 'virt', 'virt'),
  run('bench-small', 'virt', 'virt'),
  run('bench', 'virt', 'virt'),
  run('exitcode', 'virt', 'virt'), // exits with status 3 through the finisher
  run('spike-hello', 'spike', 'spike'),
  run('remap', 'remap'), // no QEMU machine has this map; expected output derived from the ELF
];
