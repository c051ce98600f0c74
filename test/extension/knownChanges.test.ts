// The Memory Tree refreshes from the adapter's changedRegionIds when they lead from the snapshot
// it shows to the new one, and falls back to its own diff otherwise: the remap board, a REMAP
// store through the address space, the forwarded event, the refetch, the model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addressSpaceStore } from '../../src/engine';
import { bindProgram, loadProgram } from '../../src/board/check';
import { buildBoard } from '../../src/board/build';
import { forwardTopologyChanges } from '../../src/debug/session';
import { TopologyTracker } from '../../src/snapshot';
import { MemoryTreeModel, type MemoryTreeElement } from '../../src/extension/views/model';
import type { TopologyChangedEventBody, TopologySnapshot } from '../../src/protocol';

async function remapOnce() {
  const path = join(__dirname, '..', '..', 'examples', 'remap.board');
  const board = buildBoard(bindProgram(loadProgram(path, readFileSync(path, 'utf8'))));
  const tracker = new TopologyTracker(board.system, { source: { kind: 'machine', label: 'r' } });
  const events: TopologyChangedEventBody[] = [];
  const forward = forwardTopologyChanges(tracker, (_e, body) => events.push(body), 10);
  const first = tracker.snapshot();
  assert.equal(addressSpaceStore(board.spaces[0]!, 0x4000_0004n, 4, 1), 0);
  await new Promise((r) => setTimeout(r, 40));
  const second = tracker.snapshot();
  forward.dispose();
  tracker.dispose();
  assert.equal(events.length, 1);
  return { first, second, event: events[0]! };
}

function shownModel(snapshot: TopologySnapshot): MemoryTreeModel {
  const model = new MemoryTreeModel();
  model.setSnapshot(snapshot);
  const visit = (e?: MemoryTreeElement): void => model.getChildren(e).forEach(visit);
  visit();
  return model;
}

function refreshedLabels(
  model: MemoryTreeModel,
  change: ReturnType<MemoryTreeModel['setSnapshot']>,
) {
  assert.equal(change.kind, 'elements');
  return change.kind === 'elements' ? change.elements.map((e) => model.getItem(e).label) : [];
}

const idOf = (snapshot: TopologySnapshot, name: string) =>
  snapshot.regions.find((r) => r.name === name)!.id;

test('the event ids refresh exactly the alias', async () => {
  const { first, second, event } = await remapOnce();
  assert.equal(event.version, second.version);
  assert.deepEqual(event.changedRegionIds, [idOf(second, 'sram-remap')]);
  const model = shownModel(first);
  const change = model.setSnapshot(second, {
    fromVersion: first.version,
    toVersion: event.version,
    regionIds: event.changedRegionIds!,
  });
  assert.deepEqual(refreshedLabels(model, change), ['sram-remap']);
});

test('known changes replace the diff only when their versions match the snapshots', async () => {
  const { first, second } = await remapOnce();
  // A deliberately different id shows which source the model used.
  const regionIds = [idOf(second, 'boot-rom')];
  const used = shownModel(first);
  const change = used.setSnapshot(second, {
    fromVersion: first.version,
    toVersion: second.version,
    regionIds,
  });
  assert.deepEqual(refreshedLabels(used, change), ['boot-rom']);

  for (const [fromVersion, toVersion] of [
    [first.version - 1, second.version],
    [first.version, second.version + 1],
  ]) {
    const ignored = shownModel(first);
    const diffed = ignored.setSnapshot(second, { fromVersion, toVersion, regionIds });
    assert.deepEqual(
      refreshedLabels(ignored, diffed),
      ['sram-remap'],
      `${fromVersion}→${toVersion}`,
    );
  }
});
