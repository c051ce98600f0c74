/** The `boardmap` command: the extension's work, headless. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const USAGE = `usage: boardmap <command> [args]

commands:
  demo                 show what Boardmap can do on the bundled example
  version              print the version
  help                 print this help
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export function main(argv: string[]): number {
  const [command] = argv;
  switch (command) {
    case 'version':
    case '--version':
      process.stdout.write(`boardmap ${version()}\n`);
      return 0;
    case 'demo':
      process.stdout.write(
        `boardmap ${version()}\n(the demo grows as the engine, board language and machine land)\n`,
      );
      return 0;
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`boardmap: unknown command '${command}'\n${USAGE}`);
      return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
