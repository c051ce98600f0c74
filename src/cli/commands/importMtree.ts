import { basename, resolve } from 'node:path';
import { topologyToBoard } from '../../board';
import { importMtreeDump } from '../../engine';
import { readText, splitArgs, writeText, type Command } from '../io';

export const importMtreeCommand: Command = {
  name: 'import-mtree',
  summary: "turn a QEMU machine's `info mtree -D` and `info mtree -f` dumps into a .board file",
  usage:
    'boardmap import-mtree --tree <info-mtree-D.txt> --flat <info-mtree-f.txt> [--owners <info-mtree-o.txt>] [--page-size N] [-o out.board]',
  run(args, io) {
    const { flags, positional } = splitArgs(args, [
      '--tree',
      '--flat',
      '--owners',
      '--page-size',
      '-o',
    ]);
    const tree = flags.get('--tree');
    const flat = flags.get('--flat');
    if (typeof tree !== 'string' || typeof flat !== 'string' || positional.length > 0) {
      io.stderr(`usage: ${this.usage}\n`);
      return 2;
    }
    const owners = flags.get('--owners');
    const pageSize = flags.get('--page-size');
    let treeText: string, flatText: string, ownerText: string | undefined;
    try {
      treeText = readText(resolve(io.cwd, tree));
      flatText = readText(resolve(io.cwd, flat));
      ownerText = typeof owners === 'string' ? readText(resolve(io.cwd, owners)) : undefined;
    } catch (e) {
      io.stderr(`boardmap: ${(e as Error).message}\n`);
      return 1;
    }
    let imported;
    try {
      imported = importMtreeDump(
        {
          tree: treeText,
          flat: flatText,
          ...(ownerText !== undefined ? { ownerTree: ownerText } : {}),
        },
        typeof pageSize === 'string' ? { targetPageSize: Number(pageSize) } : {},
      );
    } catch (e) {
      io.stderr(`boardmap: cannot read the dumps: ${(e as Error).message}\n`);
      return 1;
    }
    for (const p of imported.problems) io.stderr(`boardmap: warning: ${p}\n`);
    const name = basename(tree).replace(/\.mtree.*$|\.txt$/g, '');
    const text = topologyToBoard(imported.spaces, {
      boardName: name,
      header: `Imported from QEMU 'info mtree' dumps: ${basename(tree)}, ${basename(flat)}${ownerText !== undefined ? `, ${basename(owners as string)}` : ''}`,
      owners: ownerText !== undefined || / owner:\{| parent:\{/.test(treeText),
    });
    const out = flags.get('-o');
    if (typeof out === 'string') writeText(resolve(io.cwd, out), text);
    else io.stdout(text);
    return 0;
  },
};
