/**
 * Every property test takes its case count from test/support/property.ts, so `npm test` runs the
 * full counts and `npm run test:quick` a tenth: a literal count, or none (fast-check's default of
 * 100), would run the same number of cases in both.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const root = join(__dirname, '..', '..');

function tsFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) tsFiles(path, out);
    else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** The text of a call's arguments: from after `(` at `open` to its matching `)`. */
function callArguments(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return text.slice(open + 1, i);
  }
  throw new Error('unbalanced parentheses');
}

test('every fc.assert / fc.check in test/ passes numRuns: numRuns(N)', () => {
  const calls: string[] = [];
  const missing: string[] = [];
  for (const file of tsFiles(join(root, 'test'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bfc\.(assert|check)\(/g)) {
      const line = text.slice(0, m.index).split('\n').length;
      const where = `${relative(root, file)}:${line}`;
      calls.push(where);
      const args = callArguments(text, m.index! + m[0].length - 1);
      // numRuns: numRuns(N), or a constant the file defines as numRuns(N).
      const count = /\bnumRuns: (numRuns\([^)]+\)|\w+)/.exec(args)?.[1];
      const fromHelper =
        count?.startsWith('numRuns(') ||
        (count !== undefined && new RegExp(`\\bconst ${count} = numRuns\\(`).test(text));
      if (!fromHelper) missing.push(where);
    }
  }
  assert.ok(calls.length >= 20, `found only ${calls.length} property checks: is the scan broken?`);
  assert.deepEqual(missing, [], 'property checks without a count from test/support/property.ts');
});

/** numRuns(n) for each n, as a test process of the given suite computes it. */
function countsUnder(env: Record<string, string>, ns: number[]): number[] {
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `const { numRuns } = require('./test/support/property'); console.log(JSON.stringify(${JSON.stringify(ns)}.map(numRuns)))`,
    ],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, BOARDMAP_TEST_QUICK: '', BOARDMAP_PROPERTY_SCALE: '', ...env },
    },
  );
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as number[];
}

test('numRuns: the full count in npm test, a tenth (at least 10) in the quick suite', () => {
  const ns = [50_000, 3000, 150, 40, 5];
  assert.deepEqual(countsUnder({}, ns), ns);
  assert.deepEqual(countsUnder({ BOARDMAP_TEST_QUICK: '1' }, ns), [5000, 300, 15, 10, 5]);
  assert.deepEqual(
    countsUnder({ BOARDMAP_PROPERTY_SCALE: '10' }, ns),
    [500_000, 30_000, 1500, 400, 50],
  );
});
