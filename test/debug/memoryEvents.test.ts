/**
 * Memory events reach views opened on any reference: VS Code matches a `memory` event to a view
 * by identical memoryReference, so each change is also sent under every reference recently given
 * or used, with the offset (possibly negative) that lands on the changed bytes.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { LIVE_REFRESH_MS, MemoryEvents, WATCHED_REFERENCES } from '../../src/debug/session';

function recorder(enabled = true) {
  const events: DebugProtocol.MemoryEvent['body'][] = [];
  const memory = new MemoryEvents(
    (e) => events.push((e as DebugProtocol.MemoryEvent).body),
    () => enabled,
  );
  return { memory, events };
}

const page = { address: 0x8000_0000n, length: 0x1000n };

describe('memory events', () => {
  test('a change goes out under its own reference and under each noted one', () => {
    const { memory, events } = recorder();
    memory.noteReference('memory@0x800003e8'); // a variable handed out by evaluate
    memory.noteReference('memory@0x7ffff000'); // a view opened before the page
    memory.report('memory', [page]);
    assert.deepEqual(events, [
      { memoryReference: 'memory@0x80000000', offset: 0, count: 0x1000 },
      { memoryReference: 'memory@0x800003e8', offset: -0x3e8, count: 0x1000 },
      { memoryReference: 'memory@0x7ffff000', offset: 0x1000, count: 0x1000 },
    ]);
  });

  test('references are noted from response bodies (evaluate, variables), once each', () => {
    const { memory, events } = recorder();
    memory.noteReferencesIn({ result: '0x1', memoryReference: 'memory@0x80000010' });
    memory.noteReferencesIn({
      variables: [{ name: 'ram', memoryReference: 'memory@0x80000010' }, { name: 'x' }],
    });
    memory.noteReferencesIn(undefined);
    memory.report('memory', [page]);
    assert.deepEqual(
      events.map((e) => e.memoryReference),
      ['memory@0x80000000', 'memory@0x80000010'],
    );
  });

  test('foreign, malformed and other-space references are ignored', () => {
    const { memory, events } = recorder();
    for (const r of ['0x80000000', 'memory@', 42, undefined, 'io@0x10']) memory.noteReference(r);
    memory.report('memory', [page]);
    assert.deepEqual(events, [{ memoryReference: 'memory@0x80000000', offset: 0, count: 0x1000 }]);
  });

  test('only the most recently used references are kept', () => {
    const { memory, events } = recorder();
    for (let i = 0; i <= WATCHED_REFERENCES; i++)
      memory.noteReference(`memory@0x${(i * 16).toString(16)}`);
    memory.noteReference('memory@0x10'); // used again: kept, moved to the newest
    memory.report('memory', [page]);
    const noted = events.slice(1).map((e) => e.memoryReference);
    assert.equal(noted.length, WATCHED_REFERENCES);
    assert.ok(!noted.includes('memory@0x0'), 'the oldest reference was dropped');
    assert.equal(noted.at(-1), 'memory@0x10');
  });

  test('nothing is sent when the client does not handle memory events', () => {
    const { memory, events } = recorder(false);
    memory.noteReference('memory@0x800003e8');
    memory.report('memory', [page]);
    assert.deepEqual(events, []);
  });
});

describe('live refresh while running', () => {
  test('dirty pages are collected at a bounded rate: once per LIVE_REFRESH_MS, never more', (t) => {
    t.mock.timers.enable({ apis: ['setInterval'] });
    const { memory, events } = recorder();
    let collected = 0;
    memory.startLive('memory', () => {
      collected++;
      return [page];
    });
    t.mock.timers.tick(LIVE_REFRESH_MS * 4 - 1);
    assert.equal(collected, 3);
    t.mock.timers.tick(1);
    assert.equal(collected, 4);
    assert.equal(events.length, 4);
    memory.stopLive();
    t.mock.timers.tick(LIVE_REFRESH_MS * 10);
    assert.equal(collected, 4, 'nothing after the machine stopped');
  });
});
