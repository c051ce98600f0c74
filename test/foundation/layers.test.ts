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

/** Probes of higher layers, compiled in the same run as the layer's other probes. */
const HIGHER: Record<string, Record<string, string>> = {
  engine: { cli: "import { main } from '../cli/main';\nexport const m = main;\n" },
  snapshot: {
    machine: "import { Machine } from '../machine';\nexport const m = Machine;\n",
    debug:
      "import { BoardmapDebugSession } from '../debug';\nexport const s = BoardmapDebugSession;\n",
  },
};

const results = new Map<string, ReturnType<typeof compileProbes>>();
/**
 * One tsc run per layer for the three forbidden imports and a clean probe, and one for its
 * higher-layer probes (they pull the higher layer's sources, and with them @types/node, into the
 * program, so they cannot share a run with the Node probe).
 */
function probesOf(layer: string, higher = false): ReturnType<typeof compileProbes> {
  const key = `${layer}${higher ? ' higher' : ''}`;
  let r = results.get(key);
  if (!r) {
    const control = { control: 'export const answer: number = 42;\n' };
    r = compileProbes(
      layer,
      higher
        ? { ...HIGHER[layer], ...control }
        : {
            vscode: "import * as vscode from 'vscode';\nexport const v = vscode;\n",
            node: "import * as fs from 'node:fs';\nexport const f = fs;\n",
            dom: 'export const d = document.title;\n',
            ...control,
          },
    );
    results.set(key, r);
  }
  return r;
}

for (const layer of ['engine', 'board', 'snapshot', 'machine', 'protocol']) {
  const fails = (probe: string, codes: RegExp, higher = false) => {
    const r = probesOf(layer, higher);
    assert.equal(r.ok, false);
    assert.match(r.errors[probe]!, codes, r.output);
    assert.equal(r.errors.control, '', `the clean probe compiles:\n${r.output}`);
  };
  test(`${layer}: importing vscode fails the build`, () => fails('vscode', /TS2306|TS2307/));
  test(`${layer}: importing a Node built-in fails the build`, () => fails('node', /TS2307/));
  test(`${layer}: DOM globals are not available`, () => fails('dom', /TS2584|TS2304/));
  for (const higher of Object.keys(HIGHER[layer] ?? {})) {
    test(`${layer}: importing ${higher} (a higher layer) fails the build`, () =>
      fails(higher, /TS6307|TS6059/, true));
  }
}

test('control: a clean probe compiles alone, so the failures above are about the imports', () => {
  const r = compileWithProbe('engine', 'export const answer: number = 42;\n');
  assert.equal(r.ok, true, r.output);
});
