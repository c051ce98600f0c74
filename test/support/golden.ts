/**
 * Golden files, one helper for every test. A golden is either Boardmap's own output checked in
 * (`expectGolden`) or an oracle's output — readelf, objdump, gdb, QEMU — checked in so the quick
 * suite needs no toolchain (`oracleGolden`). `UPDATE_GOLDEN=1` rewrites them; otherwise a missing
 * golden fails the test instead of being written, so no golden is ever produced without being
 * compared with something in the same run.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const updatingGoldens = (): boolean => process.env.UPDATE_GOLDEN === '1';

/**
 * Compares `actual` with the golden file at `path` (as text, or with `compare` — e.g. parsed JSON
 * so reformatting the file does not matter). With UPDATE_GOLDEN=1 the file is rewritten first.
 */
export function expectGolden(
  path: string,
  actual: string,
  compare: (actual: string, golden: string, message: string) => void = (a, g, m) =>
    assert.equal(a, g, m),
): void {
  if (updatingGoldens()) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
  } else if (!existsSync(path)) {
    assert.fail(`missing golden ${path}: run with UPDATE_GOLDEN=1, review it, commit it`);
  }
  compare(actual, readFileSync(path, 'utf8'), `golden ${path} differs (UPDATE_GOLDEN=1 to accept)`);
}

/**
 * The committed output of an oracle at `path`. With UPDATE_GOLDEN=1 and the oracle available,
 * `produce()` runs first and its text replaces the file; the caller compares Boardmap with what
 * this returns, so a regenerated golden is compared in the same run.
 */
export function oracleGolden(
  path: string,
  produce: () => string,
  oracleAvailable: () => boolean = () => true,
): string {
  if (updatingGoldens()) {
    if (!oracleAvailable())
      throw new Error(`UPDATE_GOLDEN=1: the oracle for ${path} is not installed`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, produce());
  }
  if (!existsSync(path)) throw new Error(`missing golden ${path}: run with UPDATE_GOLDEN=1`);
  return readFileSync(path, 'utf8');
}
