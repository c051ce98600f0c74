// The live path end to end without VS Code: the remap board built into engine objects, a store to
// its REMAP register through the address space (what the firmware does), the adapter-side tracker
// and its throttled topologyChanged event, the extension-side refetch with ifNewerThan, and the
// Memory Tree model refreshing only the alias that changed; the resolver then explains address 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addressSpaceStore } from '../../src/engine';
import { bindProgram, loadProgram } from '../../src/board/check';
import { buildBoard } from '../../src/board/build';
import { answerTopologyRequest, forwardTopologyChanges } from '../../src/debug/session';
import { TopologyTracker } from '../../src/snapshot';
import { MemoryTreeModel, type MemoryTreeElement } from '../../src/extension/views/model';
import type { TopologyResponseBody, TopologySnapshot } from '../../src/protocol';

test('firmware writes REMAP: one event, one refetch, one tree element refreshed', async () => {
  const path = join(__dirname, '..', '..', 'examples', 'remap.board');
  const board = buildBoard(bindProgram(loadProgram(path, readFileSync(path, 'utf8'))));
  const tracker = new TopologyTracker(board.system, {
    source: { kind: 'machine', label: 'remap' },
  });
  const events: number[] = [];
  const forward = forwardTopologyChanges(tracker, (_event, body) => events.push(body.version), 20);

  // The extension: first fetch, tree fully expanded by the user.
  const fetch = (ifNewerThan?: number): TopologyResponseBody => {
    const answer = answerTopologyRequest(
      tracker,
      'boardmap/topology',
      ifNewerThan === undefined ? {} : { ifNewerThan },
    );
    assert.ok(answer.handled);
    return answer.body as TopologyResponseBody;
  };
  const first = fetch();
  assert.ok('snapshot' in first && first.snapshot);
  const model = new MemoryTreeModel();
  model.setSnapshot(first.snapshot);
  const visit = (e?: MemoryTreeElement): void => model.getChildren(e).forEach(visit);
  visit();
  assert.deepEqual(fetch(first.snapshot.version), {
    unchanged: true,
    version: first.snapshot.version,
  });

  // The firmware: a 32-bit store of 1 to REMAP (0x4000_0004).
  assert.equal(addressSpaceStore(board.spaces[0]!, 0x4000_0004n, 4, 1), 0);
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(events.length, 1);

  // The extension refetches on the event and refreshes only the alias.
  const second = fetch(first.snapshot.version);
  assert.ok('snapshot' in second && second.snapshot);
  const snapshot: TopologySnapshot = second.snapshot;
  assert.equal(snapshot.version, events[0]);
  const change = model.setSnapshot(snapshot);
  assert.ok(change.kind === 'elements');
  assert.deepEqual(
    change.elements.map((e) => model.getItem(e).label),
    ['sram-remap'],
  );
  assert.doesNotMatch(model.getItem(change.elements[0]!).description, /disabled/);
  // The flat view now maps SRAM at 0, and the resolver says the alias hides the boot ROM.
  const space = snapshot.addressSpaces[0]!;
  assert.equal(space.flatView[0]!.regionName, 'sram');
  const why = answerTopologyRequest(tracker, 'boardmap/resolveAddress', { address: '0x0' });
  assert.ok(why.handled);
  const body = why.body as {
    path: { kind: string; name: string }[];
    hidden: { name: string; reason: string }[];
  };
  assert.deepEqual(
    body.path.map((s) => [s.kind, s.name]),
    [
      ['root', 'system'],
      ['alias', 'sram-remap'],
      ['leaf', 'sram'],
    ],
  );
  assert.deepEqual(
    body.hidden.map((h) => [h.name, h.reason]),
    [['boot-rom', 'outranked']],
  );

  // The user disables the alias from the tree: the adapter answers with the new version.
  const id = snapshot.regions.find((r) => r.name === 'sram-remap')!.id;
  const set = answerTopologyRequest(tracker, 'boardmap/setRegionEnabled', {
    regionId: id,
    enabled: false,
  });
  assert.ok(set.handled);
  assert.equal((set.body as { version: number }).version, snapshot.version + 1);
  forward.dispose();
  tracker.dispose();
});
