// The entry-file rule (scripts/lint/entry-files.mjs): a folder's index.ts is the only way into it
// from outside the folder. Unit cases for the decision, and ESLint run on the real config over a
// probe text to prove the rule is on for src/.
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';
// @ts-expect-error: a plain .mjs module without types
import { requiredEntry } from '../../scripts/lint/entry-files.mjs';

const root = resolve(import.meta.dirname, '../..');
const at = (p: string) => join(root, p);
const entryFor = (importer: string, target: string): string | undefined => {
  const e = (requiredEntry as (i: string, t: string) => string | undefined)(
    at(importer),
    at(target),
  );
  return e === undefined ? undefined : e.slice(root.length + 1);
};

test('a file in the same folder or an ancestor folder is allowed', () => {
  assert.equal(entryFor('src/engine/core/region.ts', 'src/engine/core/types.ts'), undefined);
  assert.equal(entryFor('src/debug/run/runControl.ts', 'src/debug/index.ts'), undefined);
});

test('a sibling folder is entered through its index', () => {
  assert.equal(entryFor('src/engine/access/peek.ts', 'src/engine/core/index.ts'), undefined);
  assert.equal(
    entryFor('src/engine/access/peek.ts', 'src/engine/core/region.ts'),
    'src/engine/core/index.ts',
  );
});

test('another layer is entered through the layer entry, never a concept entry', () => {
  assert.equal(entryFor('src/debug/inspect/stack.ts', 'src/machine/index.ts'), undefined);
  assert.equal(
    entryFor('src/debug/inspect/stack.ts', 'src/machine/debuginfo/index.ts'),
    'src/machine/index.ts',
  );
  assert.equal(
    entryFor('src/debug/inspect/stack.ts', 'src/machine/system/machine.ts'),
    'src/machine/index.ts',
  );
});

test('tests may import any folder entry, never a file inside a folder', () => {
  assert.equal(entryFor('test/engine/dirty.test.ts', 'src/engine/access/index.ts'), undefined);
  assert.equal(entryFor('test/engine/dirty.test.ts', 'src/engine/index.ts'), undefined);
  assert.equal(
    entryFor('test/engine/dirty.test.ts', 'src/engine/access/dirty.ts'),
    'src/engine/access/index.ts',
  );
  assert.equal(entryFor('test/cli/cli.test.ts', 'src/cli/main.ts'), 'src/cli/index.ts');
  assert.equal(
    entryFor('test/extension/x.test.ts', 'src/extension/views/model/index.ts'),
    undefined,
  );
});

test('the lint config reports a deep import in src/', async () => {
  // lintText lints the text as if it were that file: no probe is written into the tree.
  const [result] = await new ESLint({ cwd: root }).lintText(
    "import { MemoryRegion } from '../../engine/core/region';\nexport const r = MemoryRegion;\n",
    { filePath: at('src/debug/run/probe.ts') },
  );
  const rules = result!.messages.map((m) => m.ruleId);
  assert.ok(rules.includes('boardmap/entry-files'), JSON.stringify(result!.messages));
});
