import { formatBoard, loadProgram } from '../../board';
import { readArgFile, splitArgs, writeText, type Command } from '../io';
import { formatDiagnostics } from '../report';

export const fmtCommand: Command = {
  name: 'fmt',
  summary: 'format board files in place (--check: only report files that would change; exit 1)',
  usage: 'boardmap fmt [--check] <file.board>...',
  run(args, io) {
    const { flags, positional } = splitArgs(args);
    if (positional.length === 0 || [...flags.keys()].some((f) => f !== '--check')) {
      io.stderr(`usage: ${this.usage}\n`);
      return 2;
    }
    const check = flags.has('--check');
    let status = 0;
    for (const arg of positional) {
      const file = readArgFile(arg, io);
      if (!file) {
        status = 1;
        continue;
      }
      const { path, text } = file;
      const formatted = formatBoard(text);
      if (formatted === undefined) {
        const program = loadProgram(path, text);
        io.stderr(`boardmap: ${arg} has syntax errors; not formatted\n`);
        io.stderr(
          formatDiagnostics(
            program,
            program.diagnostics.filter((d) => d.severity === 1 && (d.uri ?? path) === path),
            io.cwd,
          ),
        );
        status = 1;
        continue;
      }
      if (formatted === text) continue;
      if (check) {
        io.stdout(`${arg}: not formatted\n`);
        status = 1;
      } else {
        writeText(path, formatted);
        io.stdout(`${arg}: formatted\n`);
      }
    }
    return status;
  },
};
