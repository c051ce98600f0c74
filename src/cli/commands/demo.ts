/**
 * `boardmap demo`: the bundled examples' memory maps as `info mtree`, and the remap board before
 * and after its memory controller's REMAP register is written (the same action firmware runs).
 */
import { join } from 'node:path';
import { addressSpaceStore, describeMemTxResult } from '../../engine';
import { formatMtree } from '../../engine/mtree';
import type { Command } from '../io';
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
  run(_args, io) {
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
    return 0;
  },
};
