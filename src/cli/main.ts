/** The `boardmap` command: the extension's work, headless. One file per command in commands/. */
import {
  checkCommand,
  demoCommand,
  fmtCommand,
  helpCommand,
  importMtreeCommand,
  mtreeCommand,
  runCommand,
  versionCommand,
} from './commands';
import type { CliIO, Command } from './io';

/** The dispatch table: a new command is one file plus one entry here. */
export const COMMANDS: Command[] = [
  checkCommand,
  mtreeCommand,
  runCommand,
  fmtCommand,
  importMtreeCommand,
  demoCommand,
  versionCommand,
];
COMMANDS.push(helpCommand(() => COMMANDS));

const ALIASES: Record<string, string> = { '--version': 'version', '--help': 'help', '-h': 'help' };

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const [first, ...rest] = argv;
  const name =
    first === undefined ? 'help' : Object.hasOwn(ALIASES, first) ? ALIASES[first]! : first;
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr(`boardmap: unknown command '${first}'\n`);
    await COMMANDS.find((c) => c.name === 'help')!.run([], { ...io, stdout: io.stderr });
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    io.stderr(`boardmap ${name}: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 70;
  }
}

void main(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  stdoutBytes: (b) => process.stdout.write(b),
}).then((code) => {
  process.exitCode = code;
});
