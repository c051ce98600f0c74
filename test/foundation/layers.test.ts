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

/**
 * Compiles probe files placed in the real layer folder with the layer's own compiler options, all
 * in one tsc run, and returns each probe's diagnostics (the error lines that name its file).
 * Probes that import nothing of ours are independent, so one run per layer gives each the
 * answer a run of its own would (tsc starts in about half a second; this file used to start it
 * for every probe).
 */
function compileProbes(
  layer: string,
  sources: Record<string, string>,
): { ok: boolean; output: string; errors: Record<string, string> } {
  // The probes sit in the real layer folder so the layer's compiler options apply, but every layer
  // tsconfig excludes `__layer_probe_*`: a probe left behind by a killed run cannot break `tsc -b`.
  const dir = join(root, 'src', layer);
  const prefix = `__layer_probe_${process.pid}`;
  const names = Object.keys(sources);
  const file = (name: string) => `${prefix}_${name}.ts`;
  const config = join(dir, `${prefix}.tsconfig.json`);
  for (const name of names) writeFileSync(join(dir, file(name)), sources[name]!);
  writeFileSync(
    config,
    JSON.stringify({
      extends: './tsconfig.json',
      files: names.map(file),
      include: [],
      exclude: [],
    }),
  );
  try {
    // --noEmit keeps the probes out of out/ and the incremental build info untouched.
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
        '--pretty',
        'false',
      ],
      { encoding: 'utf8' },
    );
    const output = r.stdout + r.stderr;
    const errors = Object.fromEntries(
      names.map((name) => [
        name,
        output
          .split('\n')
          .filter((line) => line.includes(`${file(name)}(`))
          .join('\n'),
      ]),
    );
    return { ok: r.status === 0, output, errors };
  } finally {
    for (const name of names) rmSync(join(dir, file(name)), { force: true });
    rmSync(config, { force: true });
  }
}

function compileWithProbe(layer: string, source: string): { ok: boolean; output: string } {
  return compileProbes(layer, { probe: source });
}

for (const layer of ['engine', 'board', 'snapshot', 'machine', 'protocol']) {
  // One tsc run per layer for these three probes and a clean one beside them.
  let result: ReturnType<typeof compileProbes> | undefined;
  const probes = () =>
    (result ??= compileProbes(layer, {
      vscode: "import * as vscode from 'vscode';\nexport const v = vscode;\n",
      node: "import * as fs from 'node:fs';\nexport const f = fs;\n",
      dom: 'export const d = document.title;\n',
      control: 'export const answer: number = 42;\n',
    }));
  const fails = (probe: 'vscode' | 'node' | 'dom', codes: RegExp) => {
    const r = probes();
    assert.equal(r.ok, false);
    assert.match(r.errors[probe]!, codes, r.output);
    assert.equal(r.errors.control, '', `the clean probe compiles:\n${r.output}`);
  };
  test(`${layer}: importing vscode fails the build`, () => fails('vscode', /TS2306|TS2307/));
  test(`${layer}: importing a Node built-in fails the build`, () => fails('node', /TS2307/));
  test(`${layer}: DOM globals are not available`, () => fails('dom', /TS2584|TS2304/));
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
