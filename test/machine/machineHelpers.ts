// Shared helpers for machine tests: paths, a real host yield, running to the end with output.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Machine, type MachineOptions, type MachineStop } from '../../src/machine';
import * as asm from '../../src/machine/asm';

export const repo = join(__dirname, '..', '..');
export const firmwarePath = (name: string): string =>
  join(repo, 'examples', 'firmware', 'build', `${name}.elf`);
export const readFirmware = (name: string): Uint8Array => readFileSync(firmwarePath(name));
export const expectedOutput = (name: string): string =>
  readFileSync(join(repo, 'examples', 'firmware', 'expected', `${name}.txt`), 'latin1');

export const setImmediateYield = (): Promise<void> => new Promise((r) => setImmediate(r));

export function virt(options: MachineOptions = {}): Machine {
  return Machine.builtin('virt', { host: { yieldToHost: setImmediateYield }, ...options });
}

export function remapBoard(): Machine {
  const path = join(repo, 'examples', 'remap.board');
  return Machine.fromBoard(path, readFileSync(path, 'utf8'), {
    host: { yieldToHost: setImmediateYield },
  });
}

/** Runs to the final stop, collecting console output. */
export async function runCollect(
  machine: Machine,
  maxInstructions?: number,
): Promise<{ stop: MachineStop; output: string }> {
  let output = '';
  const sub = machine.onOutput((o) => (output += o.text));
  const stop = await machine.run(maxInstructions ? { maxInstructions } : {});
  sub.dispose();
  return { stop, output };
}

/** A raw RV32 program at DRAM (0x8000_0000) on the virt board. */
export function rawProgram(machine: Machine, program: readonly asm.Insn[]): void {
  machine.loadProgram(asm.assemble(program), { name: 'raw.bin', address: 0x8000_0000 });
}
