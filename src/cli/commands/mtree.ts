import { compileBoard, Severity, type BuiltBoard } from '../../board';
import { formatMtree } from '../../engine';
import { resolveBoard } from '../boards';
import { nodeBoardHost, splitArgs, type CliIO, type Command } from '../io';
import { formatDiagnostics } from '../report';

/** Loads, checks and builds a board file or built-in board; reports and returns undefined on errors. */
export function loadBoard(arg: string, io: CliIO): BuiltBoard | undefined {
  const source = resolveBoard(arg, io.cwd);
  if (!source) {
    io.stderr(`boardmap: no board file or built-in board '${arg}'\n`);
    return undefined;
  }
  if ('error' in source) {
    io.stderr(`boardmap: cannot read ${arg}: ${source.error}\n`);
    return undefined;
  }
  const compiled = compileBoard(source.uri, source.text, nodeBoardHost);
  const errors = compiled.diagnostics.filter((d) => d.severity === Severity.Error);
  if (errors.length > 0) {
    io.stderr(formatDiagnostics(compiled.program, errors, io.cwd));
    return undefined;
  }
  if (!compiled.built) {
    io.stderr(`boardmap: ${arg}: ${compiled.error}\n`);
    return undefined;
  }
  return compiled.built;
}

export const mtreeCommand: Command = {
  name: 'mtree',
  summary: "print a board's memory map as QEMU 7.2's `info mtree` [-f] [-o] [-D]",
  usage: 'boardmap mtree [-f] [-o] [-D] <file.board | built-in board>',
  run(args, io) {
    const { flags, positional } = splitArgs(args);
    const unknown = [...flags.keys()].filter((f) => !['-f', '-o', '-D'].includes(f));
    if (positional.length !== 1 || unknown.length > 0) {
      io.stderr(
        `${unknown.length ? `boardmap: unknown option ${unknown[0]}\n` : ''}usage: ${this.usage}\n`,
      );
      return 2;
    }
    const board = loadBoard(positional[0]!, io);
    if (!board) return 1;
    io.stdout(
      formatMtree(board.system, {
        flat: flags.has('-f'),
        owner: flags.has('-o'),
        disabled: flags.has('-D'),
      }),
    );
    return 0;
  },
};
