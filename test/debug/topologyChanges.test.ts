/**
 * `boardmap/topologyChanged` carries `changedRegionIds`: in plain Node (the remap board built into
 * engine objects, REMAP written through the address space) exactly the alias's id, and over stdio
 * after `region enable`, a REMAP write from the debug console and `region disable`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { addressSpaceStore } from '../../src/engine';
import { bindProgram, loadProgram } from '../../src/board/check';
import { buildBoard } from '../../src/board/build';
import { forwardTopologyChanges } from '../../src/debug/session';
import { TopologyTracker, changedRegionIds } from '../../src/snapshot';
import type { TopologyChangedEventBody, TopologySnapshot } from '../../src/protocol';
import { launch, root, startClient } from './helpers';

const remapBoard = join(root, 'examples', 'remap.board');

function buildRemap() {
  return buildBoard(bindProgram(loadProgram(remapBoard, readFileSync(remapBoard, 'utf8'))));
}

const aliasId = (snapshot: TopologySnapshot) =>
  snapshot.regions.find((r) => r.name === 'sram-remap')!.id;

describe('changedRegionIds (plain Node)', () => {
  test('writing REMAP on and off changes exactly the alias, and nothing when nothing changed', () => {
    const board = buildRemap();
    const tracker = new TopologyTracker(board.system, { source: { kind: 'machine', label: 'r' } });
    const before = tracker.snapshot();
    assert.deepEqual(changedRegionIds(before, tracker.snapshot()), []);
    assert.equal(addressSpaceStore(board.spaces[0]!, 0x4000_0004n, 4, 1), 0);
    const on = tracker.snapshot();
    assert.ok(on.version > before.version);
    assert.deepEqual(changedRegionIds(before, on), [aliasId(on)]);
    assert.equal(addressSpaceStore(board.spaces[0]!, 0x4000_0004n, 4, 0), 0);
    const off = tracker.snapshot();
    assert.deepEqual(changedRegionIds(on, off), [aliasId(on)]);
    assert.deepEqual(changedRegionIds(before, off), [], 'on then off: back to the first map');
    tracker.dispose();
  });

  test('added and removed regions name themselves and their parent', () => {
    const board = buildRemap();
    const tracker = new TopologyTracker(board.system, { source: { kind: 'machine', label: 'r' } });
    const full = tracker.snapshot();
    const alias = full.regions.find((r) => r.name === 'sram-remap')!;
    const without: TopologySnapshot = {
      ...full,
      regions: full.regions
        .filter((r) => r.id !== alias.id)
        .map((r) =>
          r.id === alias.parentId
            ? { ...r, childIds: r.childIds.filter((c) => c !== alias.id) }
            : r,
        ),
    };
    assert.deepEqual(changedRegionIds(without, full), [alias.id, alias.parentId!].sort());
    assert.deepEqual(changedRegionIds(full, without), [alias.parentId!]);
    tracker.dispose();
  });

  test('the forwarded event carries the ids relative to the previous event', async () => {
    const board = buildRemap();
    const tracker = new TopologyTracker(board.system, { source: { kind: 'machine', label: 'r' } });
    const events: TopologyChangedEventBody[] = [];
    const forward = forwardTopologyChanges(tracker, (_e, body) => events.push(body), 10);
    const alias = aliasId(tracker.snapshot());
    addressSpaceStore(board.spaces[0]!, 0x4000_0004n, 4, 1);
    await new Promise((r) => setTimeout(r, 40));
    // Writing 1 again enables an enabled alias: no topology change, no event.
    addressSpaceStore(board.spaces[0]!, 0x4000_0004n, 4, 1);
    await new Promise((r) => setTimeout(r, 40));
    addressSpaceStore(board.spaces[0]!, 0x4000_0004n, 4, 0);
    await new Promise((r) => setTimeout(r, 40));
    forward.dispose();
    tracker.dispose();
    assert.deepEqual(
      events.map((e) => e.changedRegionIds),
      events.map(() => [alias]),
    );
    assert.equal(events.length, 2);
    assert.deepEqual(
      events.map((e) => e.version),
      [...events.map((e) => e.version)].sort((a, b) => a - b),
    );
  });
});

describe('debug adapter: topologyChanged carries changedRegionIds', () => {
  let dc: DebugClient;
  before(async () => {
    dc = await startClient();
  });
  after(async () => {
    await dc.stop();
  });

  async function changeBy(action: () => Promise<unknown>): Promise<TopologyChangedEventBody> {
    const [event] = await Promise.all([dc.waitForEvent('boardmap/topologyChanged'), action()]);
    return (event as DebugProtocol.Event).body as TopologyChangedEventBody;
  }
  const evaluate = (expression: string) =>
    dc.evaluateRequest({ expression, context: 'repl', frameId: 1 });

  test('region enable, a REMAP write and region disable each name the alias', async () => {
    await launch(dc, { board: 'examples/remap.board', program: undefined, stopOnEntry: false });
    const topology = (await dc.customRequest('boardmap/topology', {})).body as {
      snapshot: TopologySnapshot;
    };
    const alias = aliasId(topology.snapshot);

    const enabled = await changeBy(() => evaluate('region enable sram-remap'));
    assert.deepEqual(enabled.changedRegionIds, [alias]);
    assert.ok(enabled.version > topology.snapshot.version);

    const disabled = await changeBy(() => evaluate('region disable sram-remap'));
    assert.deepEqual(disabled.changedRegionIds, [alias]);

    const written = await changeBy(() =>
      dc.customRequest('writeMemory', {
        memoryReference: 'memory@0x40000004',
        data: Buffer.from([1, 0, 0, 0]).toString('base64'),
      }),
    );
    assert.deepEqual(written.changedRegionIds, [alias]);
    assert.ok(written.version > disabled.version && disabled.version > enabled.version);
    // The snapshot at the event's version shows the alias enabled.
    const after = (await dc.customRequest('boardmap/topology', {})).body as {
      snapshot: TopologySnapshot;
    };
    assert.equal(after.snapshot.version, written.version);
    assert.equal(after.snapshot.regions.find((r) => r.id === alias)!.enabled, true);
  });
});
