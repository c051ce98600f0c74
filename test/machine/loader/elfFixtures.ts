// Shared helpers for the loader and debug-info tests: the committed example ELFs, the golden
// directory and the readelf oracle (used only to regenerate goldens when the toolchain exists).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { oracleGolden } from '../../support/golden';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '..', '..', '..');
export const firmwareDir = join(repoRoot, 'examples', 'firmware', 'build');
export const FIRMWARE = [
  'hello',
  'timer',
  'selftest',
  'bench',
  'bench-small',
  'exitcode',
  'remap',
  'spike-hello',
] as const;

export function readFirmware(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(firmwareDir, `${name}.elf`)));
}

const READELF = 'riscv64-unknown-elf-readelf';

export function readelfAvailable(): boolean {
  return spawnSync(READELF, ['--version']).status === 0;
}

/**
 * The golden text for `file`: when UPDATE_GOLDEN=1 and readelf is installed, rewritten from
 * `readelf <args>` first. Returns the committed text.
 */
export function readelfGolden(goldenPath: string, elfPath: string, args: string[]): string {
  return toolGolden(goldenPath, READELF, [...args, elfPath]);
}

/** Like readelfGolden, for any binutils tool (e.g. addr2line) and argument list. */
export function toolGolden(goldenPath: string, tool: string, args: string[]): string {
  return oracleGolden(
    goldenPath,
    () => {
      const r = spawnSync(tool, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
      if (r.status !== 0) throw new Error(`${tool} failed: ${r.stderr}`);
      return r.stdout;
    },
    readelfAvailable,
  );
}
