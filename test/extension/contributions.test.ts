// The views/launch parts of package.json agree with the code: every command the code registers is
// contributed (and vice versa for ours), menus name existing commands, walkthrough media exist and
// its command links point at real commands, the debugger snippets are well formed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VIEW_COMMANDS_LIST } from './contributionsFixture';

const root = join(__dirname, '..', '..');
interface Manifest {
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    views: Record<string, { id: string }[]>;
    walkthroughs: {
      id: string;
      steps: { id: string; description: string; media: { markdown?: string } }[];
    }[];
    debuggers: {
      type: string;
      configurationSnippets: { label: string; body: Record<string, unknown> }[];
      initialConfigurations: object[];
    }[];
  };
}
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const contributed = new Set(pkg.contributes.commands.map((c) => c.command));
const viewFocus = new Set(
  Object.values(pkg.contributes.views)
    .flat()
    .map((v) => `${v.id}.focus`),
);

test('every command the views and launch code register is contributed', () => {
  for (const command of VIEW_COMMANDS_LIST)
    assert.ok(contributed.has(command), `${command} is not in contributes.commands`);
});

test('menus only name contributed commands', () => {
  for (const [menu, entries] of Object.entries(pkg.contributes.menus)) {
    for (const e of entries)
      assert.ok(contributed.has(e.command), `${menu}: ${e.command} is not contributed`);
  }
});

test('the walkthrough media exist and its links run real commands', () => {
  const walkthrough = pkg.contributes.walkthroughs.find((w) => w.id === 'boardmap.gettingStarted');
  assert.ok(walkthrough);
  for (const step of walkthrough.steps) {
    if (step.media.markdown)
      assert.ok(
        existsSync(join(root, step.media.markdown)),
        `${step.id}: ${step.media.markdown} missing`,
      );
    for (const [, command, args] of step.description.matchAll(
      /\(command:([\w.]+)(?:\?([^)]*))?\)/g,
    )) {
      assert.ok(
        contributed.has(command!) || viewFocus.has(command!),
        `${step.id}: link to unknown command ${command}`,
      );
      if (args) {
        const [path] = JSON.parse(decodeURIComponent(args)) as string[];
        assert.ok(existsSync(join(root, path!)), `${step.id}: opens ${path}, which does not exist`);
      }
    }
  }
});

test('debugger snippets and initial configurations are boardmap launches', () => {
  const dbg = pkg.contributes.debuggers.find((d) => d.type === 'boardmap');
  assert.ok(dbg);
  assert.ok(dbg.configurationSnippets.length >= 2);
  for (const s of dbg.configurationSnippets) {
    assert.equal(s.body.type, 'boardmap');
    assert.equal(s.body.request, 'launch');
    assert.equal(typeof s.body.board, 'string');
  }
  assert.deepEqual(dbg.initialConfigurations, [
    {
      type: 'boardmap',
      request: 'launch',
      name: 'Debug board',
      board: '${file}',
      stopOnEntry: true,
    },
  ]);
  assert.ok(
    pkg.activationEvents.includes('onWebviewPanel:boardmap.flatView'),
    'the flat view cannot be restored without activation',
  );
});

test('the command list above matches the ids written in the sources', () => {
  const sources = ['views/index.ts', 'launch/index.ts', 'launch/machineStatus.ts'].map((f) =>
    readFileSync(join(root, 'src', 'extension', f), 'utf8'),
  );
  const ids = new Set(
    sources.flatMap((s) => [...s.matchAll(/'(boardmap\.[\w.]+)'/g)].map((m) => m[1]!)),
  );
  // Ids the sources mention that are not commands they register: the view, the debug type's
  // context keys, the machine status item and commands of other parts.
  for (const other of ['boardmap.memoryTree.focus', 'boardmap.machine']) ids.delete(other);
  assert.deepEqual([...ids].sort(), [...VIEW_COMMANDS_LIST].sort());
});
