// The docs match the tree: every repository path the README and docs/*.md name (src/…, test/…,
// bench/…, scripts/…, with `{a,b}` alternatives and `*` globs) exists. A file moved without its
// docs fails here.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(import.meta.dirname, '../..');
const documents = ['README.md', ...readdirSync(join(root, 'docs')).map((f) => `docs/${f}`)].filter(
  (f) => f.endsWith('.md'),
);

// A path starts a word (not the tail of dist/bench/x.js) and uses path characters only.
const PATH = /(?<![\w/.-])((?:src|test|bench|scripts)\/[A-Za-z0-9_./{},*-]*[A-Za-z0-9_*}])/g;

function expandBraces(path: string): string[] {
  const m = /\{([^{}]*)\}/.exec(path);
  if (!m) return [path];
  return m[1]!
    .split(',')
    .flatMap((alt) =>
      expandBraces(path.slice(0, m.index) + alt + path.slice(m.index + m[0].length)),
    );
}

function globExists(pattern: string): boolean {
  if (!pattern.includes('*')) return existsSync(join(root, pattern));
  const parts = pattern.split('/');
  const walk = (dir: string, i: number): boolean => {
    if (i === parts.length) return true;
    const part = parts[i]!;
    if (!part.includes('*')) return existsSync(join(dir, part)) && walk(join(dir, part), i + 1);
    const re = new RegExp(`^${part.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    if (!existsSync(dir)) return false;
    return readdirSync(dir).some((name) => re.test(name) && walk(join(dir, name), i + 1));
  };
  return walk(root, 0);
}

for (const doc of documents) {
  test(`${doc} names only paths that exist`, () => {
    const text = readFileSync(join(root, doc), 'utf8');
    const missing = new Set<string>();
    for (const m of text.matchAll(PATH)) {
      const path = m[1]!.replace(/\.$/, '');
      for (const p of expandBraces(path)) if (!globExists(p)) missing.add(p);
    }
    assert.deepEqual([...missing], [], `${doc} names paths that do not exist`);
  });
}
