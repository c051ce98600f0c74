// The extension's shared language service and board host (src/extension/language/model): the
// views take the language features' analysis of the open document — one load, check and build per
// edit — and the host reads includes asynchronously, inside the workspace in Restricted Mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BoardReadResult } from '../../src/board';
import {
  BoardDocuments,
  PreparedBoardHost,
  RESTRICTED_MODE_REFUSAL,
  type WorkspaceAccess,
} from '../../src/extension/language/model';
import { analysisSnapshot } from '../../src/extension/views/model';

const WORKSPACE = 'file:///ws/';

function fakeWorkspace(files: Map<string, string>, trusted = true) {
  const reads: string[] = [];
  const access: WorkspaceAccess = {
    isTrusted: trusted,
    openDocumentText: () => undefined,
    insideWorkspace: async (uri) => uri.startsWith(WORKSPACE) && !uri.includes('/../'),
    readFile: async (uri): Promise<BoardReadResult> => {
      reads.push(uri);
      await new Promise((r) => setImmediate(r)); // really asynchronous
      return files.get(uri);
    },
    resolveInclude: (from, path) =>
      path.startsWith('/') ? `file://${path}` : new URL(path, from).toString(),
  };
  return { access, reads };
}

/** A host that counts the program loads the language service makes (one per analysis). */
class CountingHost extends PreparedBoardHost {
  loads = 0;
  override readFile(uri: string): BoardReadResult {
    if (uri.endsWith('/soc.board')) this.loads++;
    return super.readFile(uri);
  }
}

const MAIN = `${WORKSPACE}main.board`;
const text = (size: string) =>
  `include "soc.board"\ncontainer system size 4G {\n  ram dram @ 0x8000_0000 size ${size}\n  alias lo @ 0 -> sram\n}\nspace memory = system\n`;

test('one load, check and build per edit, shared by the diagnostics and the views', async () => {
  const files = new Map([[`${WORKSPACE}soc.board`, 'ram sram size 64K\n']]);
  const { access } = fakeWorkspace(files);
  const host = new CountingHost(access);
  const documents = new BoardDocuments(host);
  let version = 0;
  for (const size of ['1M', '2M', '4M']) {
    const doc = { uri: MAIN, getText: () => text(size) };
    const before = host.loads;
    // what the language features do on an edit …
    const service = await documents.ready(doc);
    const diagnostics = service.diagnostics(MAIN, doc.getText());
    service.documentSymbols(MAIN, doc.getText());
    service.folding(MAIN, doc.getText());
    // … and what the views do for the same edit
    const analysis = await documents.analysis(doc);
    const shown = analysisSnapshot(analysis, ++version);
    assert.deepEqual(diagnostics, []);
    assert.equal(host.loads - before, 1, `one build for the edit to ${size}`);
    assert.ok(shown.ok);
    const dram = shown.snapshot.regions.find((r) => r.name === 'dram')!;
    assert.equal(BigInt(dram.size), BigInt(size.replace('M', '')) << 20n);
    // the snapshot is of the analysis's engine objects, not of a second build
    assert.ok(analysis.built);
    assert.equal(analysis, service.analyze(MAIN, doc.getText()));
  }
});

test('an included file that changes on disk is analysed again (and only then)', async () => {
  const files = new Map([[`${WORKSPACE}soc.board`, 'ram sram size 64K\n']]);
  const { access } = fakeWorkspace(files);
  const host = new CountingHost(access);
  const documents = new BoardDocuments(host);
  const doc = { uri: MAIN, getText: () => text('1M') };
  const a = await documents.analysis(doc);
  assert.equal(await documents.analysis(doc), a);
  files.set(`${WORKSPACE}soc.board`, 'ram sram size 128K\n');
  const b = await documents.analysis(doc);
  assert.notEqual(b, a);
  assert.equal(b.model.regions.get('sram')!.size, 128n * 1024n);
  assert.equal(host.loads, 2);
});

test('Restricted Mode: includes outside the workspace folders are refused, never read', async () => {
  const files = new Map([
    ['file:///etc/passwd', 'root:x:0:0\n'],
    [`${WORKSPACE}soc.board`, 'ram sram size 64K\n'],
    ['file:///elsewhere/b.board', 'ram other size 4K\n'],
  ]);
  const main = 'include "/etc/passwd"\ninclude "../elsewhere/b.board"\ninclude "soc.board"\n';
  for (const trusted of [false, true]) {
    const { access, reads } = fakeWorkspace(files, trusted);
    const documents = new BoardDocuments(new PreparedBoardHost(access));
    const service = await documents.ready({ uri: MAIN, getText: () => main });
    const ds = service.diagnostics(MAIN, main).map((d) => `${d.range.start.line} ${d.message}`);
    if (!trusted) {
      assert.deepEqual(ds, [
        `0 Cannot read included file '/etc/passwd': ${RESTRICTED_MODE_REFUSAL}`,
        `1 Cannot read included file '../elsewhere/b.board': ${RESTRICTED_MODE_REFUSAL}`,
      ]);
      assert.deepEqual(reads, [`${WORKSPACE}soc.board`]);
    } else {
      // trusted: read, and the non-board file is reported without its contents
      assert.deepEqual(ds, [
        "0 Included file '/etc/passwd' is not a board file (it does not start with a declaration)",
      ]);
      assert.equal(reads.length, 3);
    }
  }
});

test('the synchronous service never reads a file itself: unprepared includes are not read', () => {
  const { access, reads } = fakeWorkspace(new Map([[`${WORKSPACE}soc.board`, 'ram s size 4K\n']]));
  const documents = new BoardDocuments(new PreparedBoardHost(access));
  const ds = documents.service.diagnostics(MAIN, 'include "soc.board"\n');
  assert.deepEqual(reads, []);
  assert.deepEqual(
    ds.map((d) => d.message),
    ["Cannot read included file 'soc.board': not read yet"],
  );
});

test("the views' snapshot of the analysis equals a full build's, for every example board", async () => {
  const { readdirSync, readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { analyze, compileBoard } = await import('../../src/board');
  const { nodeBoardHost } = await import('../../src/host');
  const { captureTopology } = await import('../../src/snapshot');
  const dir = join(__dirname, '..', '..', 'examples');
  const boards = readdirSync(dir).filter((f) => f.endsWith('.board'));
  assert.ok(boards.length >= 4);
  for (const name of boards) {
    const path = join(dir, name);
    const text = readFileSync(path, 'utf8');
    const shown = analysisSnapshot(analyze(path, text, nodeBoardHost), 1);
    assert.ok(shown.ok, name);
    // what the views built before they reused the analysis: a full build (register banks too)
    const full = compileBoard(path, text, nodeBoardHost).built!;
    const { snapshot } = captureTopology(full.system, {
      version: 1,
      source: shown.snapshot.source,
      sourceOf: () => undefined,
    });
    const strip = (s: typeof snapshot) =>
      JSON.parse(
        JSON.stringify(s, (k, v) => (k === 'source' && 'line' in (v ?? {}) ? undefined : v)),
      );
    assert.deepEqual(strip(shown.snapshot), strip(snapshot), name);
  }
});
