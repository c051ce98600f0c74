// The golden-file helper: a missing golden fails (never silently written), UPDATE_GOLDEN=1
// rewrites and still compares, a difference fails with the path, an oracle golden is regenerated
// only when asked and only when the oracle exists.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { expectGolden, oracleGolden } from '../support/golden';

let dir: string;
const saved = process.env.UPDATE_GOLDEN;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'golden-'));
  delete process.env.UPDATE_GOLDEN;
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  if (saved === undefined) delete process.env.UPDATE_GOLDEN;
  else process.env.UPDATE_GOLDEN = saved;
});

test('a missing golden fails and is not written', () => {
  const path = join(dir, 'a.txt');
  assert.throws(() => expectGolden(path, 'text'), /missing golden/);
  assert.equal(existsSync(path), false);
});

test('an equal golden passes; a different one fails naming the file', () => {
  const path = join(dir, 'a.txt');
  writeFileSync(path, 'one\n');
  expectGolden(path, 'one\n');
  assert.throws(
    () => expectGolden(path, 'two\n'),
    (e: Error) => e.message.includes(path),
  );
});

test('UPDATE_GOLDEN=1 rewrites the file, then compares with what it wrote', () => {
  const path = join(dir, 'sub', 'a.txt');
  process.env.UPDATE_GOLDEN = '1';
  expectGolden(path, 'new\n');
  assert.equal(readFileSync(path, 'utf8'), 'new\n');
});

test('an oracle golden is produced only on request, and only with the oracle', () => {
  const path = join(dir, 'oracle.txt');
  let runs = 0;
  const produce = () => `run ${++runs}\n`;
  assert.throws(() => oracleGolden(path, produce), /missing golden/);
  assert.equal(runs, 0);
  process.env.UPDATE_GOLDEN = '1';
  assert.throws(() => oracleGolden(path, produce, () => false), /not installed/);
  assert.equal(oracleGolden(path, produce), 'run 1\n');
  delete process.env.UPDATE_GOLDEN;
  assert.equal(oracleGolden(path, produce), 'run 1\n');
  assert.equal(runs, 1);
});
