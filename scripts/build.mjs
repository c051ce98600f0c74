// Bundles every entry point with esbuild into dist/. `--production` minifies and drops benchmarks.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, mkdirSync, cpSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = { bundle: true, sourcemap: true, minify: production, logLevel: 'warning' };
const node = { ...common, platform: 'node', format: 'cjs', target: 'node20' };
const browser = { ...common, platform: 'browser', format: 'iife', target: 'es2022' };

const builds = [
  {
    ...node,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
  },
  { ...node, entryPoints: ['src/debug/adapterMain.ts'], outfile: 'dist/adapter.js' },
  {
    ...node,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
  },
];

// One browser bundle per webview: src/webview/<name>/main.ts -> dist/webview/<name>.js
for (const name of readdirSync('src/webview', { withFileTypes: true })) {
  const entry = join('src/webview', name.name, 'main.ts');
  if (name.isDirectory() && existsSync(entry)) {
    builds.push({ ...browser, entryPoints: [entry], outfile: `dist/webview/${name.name}.js` });
  }
}

// The extension-host suite, for @vscode/test-electron and for code-server (see test/extension-host).
if (!production && existsSync('test/extension-host/index.ts')) {
  builds.push({
    ...node,
    entryPoints: ['test/extension-host/index.ts'],
    outfile: 'dist/test/extension-host.js',
    external: ['vscode'],
  });
}

if (!production) {
  for (const f of existsSync('bench') ? readdirSync('bench') : []) {
    if (f.endsWith('.ts')) {
      builds.push({
        ...node,
        entryPoints: [join('bench', f)],
        outfile: `dist/bench/${f.replace(/\.ts$/, '.js')}`,
        // Loads its own files at run time (package.json, drivers): used from node_modules as is.
        external: ['playwright-core'],
      });
    }
  }
}

mkdirSync('dist/media', { recursive: true });
// Codicons ship as a font + css; the webviews load them from dist/media.
const codicons = 'node_modules/@vscode/codicons/dist';
if (existsSync(codicons)) {
  for (const f of ['codicon.css', 'codicon.ttf']) cpSync(join(codicons, f), join('dist/media', f));
}

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log(`watching ${builds.length} bundles`);
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  console.log(`built ${builds.length} bundles into dist/`);
}
