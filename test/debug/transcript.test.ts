/**
 * A golden DAP transcript of a short session on hello.elf (capabilities, breakpoint in main, stop,
 * stack, scopes, a step, disassembly, a hole read), every message in order, with volatile fields
 * (sequence numbers, the checkout path) replaced. UPDATE_GOLDEN=1 rewrites it.
 */
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { helloC, launch, root, runTo, settle, startClient } from './helpers';
import { expectGolden } from '../support/golden';

const goldenPath = join(__dirname, 'golden', 'hello-session.dap.json');

function scrub(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (key, v: unknown) =>
      key === 'seq' || key === 'request_seq' ? undefined : v,
    )
      .split(root)
      .join('<root>'),
  );
}

test('golden transcript: hello.elf stopped in main, stepped, inspected', async () => {
  const dc = await startClient();
  // Requests, their responses and the stop each run request causes, in that order (the adapter
  // always answers before it reports the stop); other events in their own ordered list, since
  // their interleaving with the client's next request depends on socket timing.
  const transcript: unknown[] = [];
  const events: unknown[] = [];
  const stop = (e: DebugProtocol.StoppedEvent) => transcript.push(scrub({ kind: 'event', ...e }));
  for (const e of ['output', 'memory', 'invalidated', 'initialized']) {
    dc.on(e, (m: DebugProtocol.ProtocolMessage) => {
      // Console output is batched by time: join consecutive pieces of one stream.
      const last = events[events.length - 1] as DebugProtocol.OutputEvent | undefined;
      const out = m as DebugProtocol.OutputEvent;
      if (
        out.event === 'output' &&
        last?.event === 'output' &&
        last.body.category === out.body.category
      ) {
        last.body.output += scrub(out.body.output) as string;
      } else events.push(scrub(m));
    });
  }
  try {
    const call = async <T>(command: string, args: unknown): Promise<T> => {
      transcript.push(scrub({ kind: 'request', command, arguments: args }));
      const r = (await dc.customRequest(command, args)) as DebugProtocol.Response;
      transcript.push(scrub({ kind: 'response', command, success: r.success, body: r.body }));
      return r.body as T;
    };
    stop(
      await launch(dc, {
        before: () =>
          call('setBreakpoints', { source: { path: helloC }, breakpoints: [{ line: 41 }] }),
      }),
    );
    stop(await runTo(dc, call('continue', { threadId: 1 })));
    await call('stackTrace', { threadId: 1 });
    await call('scopes', { frameId: 1 });
    stop(await runTo(dc, call('next', { threadId: 1 })));
    await call('stackTrace', { threadId: 1, levels: 1 });
    await call('disassemble', {
      memoryReference: '0x8000009e',
      instructionOffset: -1,
      instructionCount: 3,
    });
    await call('readMemory', { memoryReference: 'memory@0xffff0', count: 32 });
    await call('evaluate', { expression: 'x/2xw $pc', context: 'repl' });
    await settle(dc); // trailing output and memory events (not part of the transcript itself)
  } finally {
    await dc.stop();
  }
  const text = JSON.stringify({ transcript, events }, null, 1) + '\n';
  // Compared as data, so reformatting the file (prettier) does not matter.
  expectGolden(goldenPath, text, (actual, golden, message) =>
    assert.deepEqual(JSON.parse(actual), JSON.parse(golden), message),
  );
});
