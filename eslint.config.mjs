// Lint config. The compiler enforces the layer rules (per-folder tsconfig, `types: []`, ES-only lib);
// `no-restricted-imports` here is the second fence, and the only one for imports between our own layers.
import tseslint from 'typescript-eslint';
import entryFiles from './scripts/lint/entry-files.mjs';

const nodeBuiltins = [
  'fs',
  'path',
  'os',
  'child_process',
  'net',
  'http',
  'https',
  'crypto',
  'events',
  'stream',
  'util',
  'url',
  'worker_threads',
  'readline',
  'process',
  'buffer',
  'timers',
  'assert',
];
const noNode = nodeBuiltins.flatMap((m) => [m, `node:${m}`, `${m}/*`, `node:${m}/*`]);

/** Restrict imports for one layer: banned module names plus our own layers it may not reach. */
function layer(files, { node = false, vscode = false, layers = [] }) {
  const paths = [];
  if (!vscode) paths.push({ name: 'vscode', message: 'Only src/extension may import vscode.' });
  const patterns = [];
  if (!node)
    patterns.push({
      group: noNode,
      message: 'This layer runs without Node: inject a host service instead.',
    });
  if (layers.length) {
    patterns.push({
      group: layers.flatMap((l) => [`**/${l}`, `**/${l}/**`]),
      message:
        'Imports flow one way: engine <- board <- machine <- debug <- extension (see DESIGN.md).',
    });
  }
  return { files, rules: { 'no-restricted-imports': ['error', { paths, patterns }] } };
}

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'out/**',
      'node_modules/**',
      'test-results/**',
      '.e2e-cache/**',
      'examples/**',
      '**/__layer_probe_*',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  layer(['src/engine/**/*.ts'], {
    layers: [
      'board',
      'snapshot',
      'machine',
      'debug',
      'extension',
      'webview',
      'cli',
      'protocol',
      'host',
    ],
  }),
  layer(['src/snapshot/**/*.ts'], {
    layers: ['machine', 'debug', 'extension', 'webview', 'cli', 'host'],
  }),
  layer(['src/protocol/**/*.ts'], {
    layers: [
      'engine',
      'board',
      'snapshot',
      'machine',
      'debug',
      'extension',
      'webview',
      'cli',
      'host',
    ],
  }),
  layer(['src/board/**/*.ts'], {
    layers: ['snapshot', 'machine', 'debug', 'extension', 'webview', 'cli', 'host'],
  }),
  layer(['src/machine/**/*.ts'], {
    layers: ['snapshot', 'debug', 'extension', 'webview', 'cli', 'host'],
  }),
  // Node platform services (board files on disk) shared by cli, debug and extension.
  layer(['src/host/**/*.ts'], {
    node: true,
    layers: ['snapshot', 'machine', 'debug', 'extension', 'webview', 'cli'],
  }),
  layer(['src/debug/**/*.ts'], { node: true, layers: ['extension', 'webview', 'cli'] }),
  layer(['src/cli/**/*.ts'], { node: true, layers: ['extension', 'webview'] }),
  layer(['src/extension/**/*.ts'], {
    node: true,
    vscode: true,
    layers: ['machine', 'webview', 'cli'],
  }),
  layer(['src/webview/**/*.ts'], {
    layers: ['engine', 'board', 'snapshot', 'machine', 'debug', 'extension', 'cli', 'host'],
  }),
  {
    // Entry files: a folder's index.ts is the only way in from outside it (scripts/lint/entry-files.mjs).
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    plugins: { boardmap: entryFiles },
    rules: { 'boardmap/entry-files': 'error' },
  },
  {
    files: ['scripts/**/*.mjs', 'eslint.config.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
