import { analyze, Severity } from '../../board';
import { nodeBoardHost, readArgFile, type Command } from '../io';
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
      const file = readArgFile(arg, io);
      if (!file) {
        errors++;
        continue;
      }
      const { path, text } = file;
      // analyze() adds what needs the rendered map (unreachable regions) to the model's checks
      const analysis = analyze(path, text, nodeBoardHost);
      io.stdout(formatDiagnostics(analysis.model.program, analysis.diagnostics, io.cwd));
      if (analysis.diagnostics.some((d) => d.severity === Severity.Error)) errors++;
    }
    return errors > 0 ? 1 : 0;
  },
};
