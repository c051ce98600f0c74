import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from '../io';

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export const versionCommand: Command = {
  name: 'version',
  summary: 'print the version',
  usage: 'boardmap version',
  run(_args, io) {
    io.stdout(`boardmap ${packageVersion()}\n`);
    return 0;
  },
};
