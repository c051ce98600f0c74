import { resolve } from 'node:path';
import { bindProgram, loadProgram, Severity } from '../../board';
import { analyze } from '../../board';
import { nodeBoardHost, readText, type Command } from '../io';
import { formatDiagnostics } from '../report';

export const checkCommand: Command = {
  name: 'check',
  summary: 'check board files: file:line:col: severity: message [code]; exit 1 on errors',
  usage: 'boardmap check <file.board>...',
  run(args, io) {
    if (args.length === 0) {
      io.stderr(`usage: ${this.usage}\n`);
      return 2;
    }
    let errors = 0;
    for (const arg of args) {
      const path = resolve(io.cwd, arg);
      let text: string;
      try {
        text = readText(path);
      } catch (e) {
        io.stderr(`boardmap: cannot read ${arg}: ${(e as Error).message}\n`);
        errors++;
        continue;
      }
      // analyze() adds what needs the rendered map (unreachable regions) to the model's checks
      const program = loadProgram(path, text, nodeBoardHost);
      const hasErrors = bindProgram(program).diagnostics.some((d) => d.severity === Severity.Error);
      const diagnostics = analyze(path, text, nodeBoardHost).diagnostics;
      io.stdout(formatDiagnostics(program, diagnostics, io.cwd));
      if (hasErrors) errors++;
    }
    return errors > 0 ? 1 : 0;
  },
};
