// Proves the layer rule is enforced by the compiler, not by habit: a forbidden import placed in a pure
// layer must fail `tsc -b` for that layer. Each probe is written into the real layer folder (so the
// real tsconfig applies), compiled, and removed again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

function compileWithProbe(layer: string, source: string): { ok: boolean; output: string } {
  // The probe sits in the real layer folder so the layer's compiler options apply, but every layer
  // tsconfig excludes `__layer_probe_*`: a probe left behind by a killed run cannot break `tsc -b`.
  const dir = join(root, 'src', layer);
  const name = `__layer_probe_${process.pid}`;
  const probe = join(dir, `${name}.ts`);
  const config = join(dir, `${name}.tsconfig.json`);
  writeFileSync(probe, source);
  writeFileSync(
    config,
    JSON.stringify({ extends: './tsconfig.json', files: [`${name}.ts`], include: [], exclude: [] }),
  );
  try {
    // --noEmit keeps the probe out of out/ and the incremental build info untouched.
    const r = spawnSync(
      process.execPath,
      [
        tsc,
        '-p',
        config,
        '--noEmit',
        '--composite',
        'false',
        '--incremental',
        'false',
        '--declaration',
        'false',
        '--emitDeclarationOnly',
        'false',
      ],
      { encoding: 'utf8' },
    );
    return { ok: r.status === 0, output: r.stdout + r.stderr };
  } finally {
    rmSync(probe, { force: true });
    rmSync(config, { force: true });
  }
}

for (const layer of ['engine', 'board', 'snapshot', 'machine', 'protocol']) {
  test(`${layer}: importing vscode fails the build`, () => {
    const r = compileWithProbe(
      layer,
      "import * as vscode from 'vscode';\nexport const v = vscode;\n",
    );
    assert.equal(r.ok, false);
    assert.match(r.output, /TS2306|TS2307/);
  });
  test(`${layer}: importing a Node built-in fails the build`, () => {
    const r = compileWithProbe(layer, "import * as fs from 'node:fs';\nexport const f = fs;\n");
    assert.equal(r.ok, false);
    assert.match(r.output, /TS2307/);
  });
  test(`${layer}: DOM globals are not available`, () => {
    const r = compileWithProbe(layer, 'export const d = document.title;\n');
    assert.equal(r.ok, false);
    assert.match(r.output, /TS2584|TS2304/);
  });
}

test('engine: importing a higher layer fails the build', () => {
  const r = compileWithProbe(
    'engine',
    "import { main } from '../cli/main';\nexport const m = main;\n",
  );
  assert.equal(r.ok, false);
  assert.match(r.output, /TS6307|TS6059/);
});

test('snapshot: importing the machine or the debug adapter fails the build', () => {
  for (const source of [
    "import { Machine } from '../machine';\nexport const m = Machine;\n",
    "import { BoardmapDebugSession } from '../debug';\nexport const s = BoardmapDebugSession;\n",
  ]) {
    const r = compileWithProbe('snapshot', source);
    assert.equal(r.ok, false, source);
    assert.match(r.output, /TS6307|TS6059/);
  }
});

test('control: a clean probe compiles, so the failures above are about the imports', () => {
  const r = compileWithProbe('engine', 'export const answer: number = 42;\n');
  assert.equal(r.ok, true, r.output);
});
