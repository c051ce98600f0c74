/**
 * `boardmap demo`: the bundled examples' memory maps as `info mtree`, the remap board before and
 * after its memory controller's REMAP register is written (the same action firmware runs), then
 * the emulated machine: the built-in virt board's `info mtree`, hello.elf running on it, and
 * remap.elf on examples/remap.board with the flat view as the firmware remaps memory.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Machine } from '../../machine';
import { addressSpaceStore, describeMemTxResult, formatMtree } from '../../engine';
import { nodeBoardHost, type CliIO, type Command } from '../io';
import { loadBoard } from './mtree';
import { packageVersion } from './version';

/** The examples folder next to dist/ (the package root). */
export function examplesDir(): string {
  return join(__dirname, '..', 'examples');
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'show what Boardmap can do on the bundled examples',
  usage: 'boardmap demo',
  async run(_args, io) {
    io.stdout(`boardmap ${packageVersion()}\n\n`);
    const pc = loadBoard(join(examplesDir(), 'pc.board'), io);
    if (!pc) return 1;
    io.stdout('== examples/pc.board: info mtree ==\n');
    io.stdout(formatMtree(pc.system, {}));
    io.stdout('== examples/pc.board: info mtree -f ==\n');
    io.stdout(formatMtree(pc.system, { flat: true }));
    const remap = loadBoard(join(examplesDir(), 'remap.board'), io);
    if (!remap) return 1;
    io.stdout('== examples/remap.board: info mtree -f (after reset: boot ROM at 0) ==\n');
    io.stdout(formatMtree(remap.system, { flat: true }));
    // a 32-bit store to REMAP (0x4000_0004) through the address space, as the CPU would do it
    const result = addressSpaceStore(remap.spaces[0]!, 0x4000_0004n, 4, 1);
    const effects = remap.actionLog.map((e) => `${e.action} ${e.region}`).join(', ');
    io.stdout(`== store 1 to REMAP @ 0x40000004 (${describeMemTxResult(result)}): ${effects} ==\n`);
    io.stdout(formatMtree(remap.system, { flat: true }));
    return runMachineDemo(io);
  },
};

const hostYield = (): Promise<void> => new Promise((r) => setImmediate(r));

/** The emulated machine part of the demo: virt + hello.elf, remap board + remap.elf. */
async function runMachineDemo(io: CliIO): Promise<number> {
  const firmware = (name: string): Uint8Array =>
    readFileSync(join(examplesDir(), 'firmware', 'build', `${name}.elf`));
  const virt = Machine.builtin('virt', { host: { yieldToHost: hostYield } });
  io.stdout('\n== built-in board virt (QEMU riscv32 virt, -bios none): info mtree ==\n');
  io.stdout(formatMtree(virt.system, {}));
  virt.loadProgram(firmware('hello'), { name: 'examples/firmware/build/hello.elf' });
  io.stdout('== boardmap run virt --kernel examples/firmware/build/hello.elf ==\n');
  virt.onOutput((o) => io.stdout(o.text.replace(/\r/g, '')));
  const hello = await virt.run();
  io.stdout(
    `== hello.elf: ${hello.reason}, status ${hello.exitCode ?? '-'} (${hello.message ?? ''}), ${hello.instructionCount} instructions ==\n`,
  );
  const boardPath = join(examplesDir(), 'remap.board');
  const remap = Machine.fromBoard(boardPath, readFileSync(boardPath, 'utf8'), {
    boardHost: nodeBoardHost,
    host: { yieldToHost: hostYield },
  });
  remap.loadProgram(firmware('remap'), { name: 'examples/firmware/build/remap.elf' });
  io.stdout('\n== remap.elf on examples/remap.board: info mtree -f at reset ==\n');
  io.stdout(formatMtree(remap.system, { flat: true }));
  remap.onOutput((o) => io.stdout(o.text.replace(/\r/g, '')));
  remap.onTopologyChanged((version) => {
    io.stdout(`== the firmware wrote REMAP: topology version ${version}, info mtree -f ==\n`);
    io.stdout(formatMtree(remap.system, { flat: true }));
  });
  const done = await remap.run();
  io.stdout(`== remap.elf: ${done.reason}, status ${done.exitCode ?? '-'} ==\n`);
  return hello.exitCode === 0 && done.exitCode === 0 ? 0 : 1;
}
