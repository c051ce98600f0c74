/**
 * A fuzzer over DAP request shapes (fast-check): random commands — every DAP request, Boardmap's
 * custom ones, unknown names — with random argument objects (right keys with wrong or extreme
 * values, arbitrary JSON, none), in random sequences on a launched session, sent one by one or
 * in a burst. Properties: every request gets exactly one response, within a bounded time; no
 * exception escapes; `success: true` never for a command the adapter does not implement; and the
 * session still answers afterwards. Counts through test/support/property.ts (a tenth under
 * test:quick; BOARDMAP_PROPERTY_SCALE scales them); BOARDMAP_FUZZ_SEED replays a run.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { numRuns } from '../support/property';
import { helloElf, root } from './helpers';
import { InProcessClient } from './inProcess';

/** The longest any single request may take to be answered. */
const ANSWER_MS = 5000;

const IMPLEMENTED = [
  'initialize',
  'launch',
  'configurationDone',
  'restart',
  'terminate',
  'disconnect',
  'setBreakpoints',
  'setFunctionBreakpoints',
  'setInstructionBreakpoints',
  'setExceptionBreakpoints',
  'dataBreakpointInfo',
  'setDataBreakpoints',
  'breakpointLocations',
  'continue',
  'next',
  'stepIn',
  'stepOut',
  'pause',
  'threads',
  'stackTrace',
  'scopes',
  'variables',
  'setVariable',
  'setExpression',
  'source',
  'evaluate',
  'completions',
  'exceptionInfo',
  'readMemory',
  'writeMemory',
  'disassemble',
  'cancel',
  'boardmap/topology',
  'boardmap/setRegionEnabled',
  'boardmap/resolveAddress',
  'boardmap/readMemoryEx',
  'boardmap/readWithSideEffects',
  'boardmap/registerInfo',
  'boardmap/input',
];
const NOT_IMPLEMENTED = [
  'attach',
  'stepBack',
  'reverseContinue',
  'restartFrame',
  'goto',
  'gotoTargets',
  'stepInTargets',
  'loadedSources',
  'terminateThreads',
  'modules',
  'locations',
  'runInTerminal',
  'startDebugging',
  'boardmap/nope',
];
/** Lifecycle requests that end or reset the session: only in the per-run sessions. */
const ENDING = new Set(['terminate', 'disconnect', 'restart', 'launch', 'initialize']);

const extreme = fc.constantFrom(
  0,
  1,
  -1,
  2 ** 31,
  2 ** 32,
  -(2 ** 32),
  2 ** 53,
  -(2 ** 53),
  1e300,
  Number.MAX_SAFE_INTEGER,
  0.5,
  '',
  'memory@0x80000000',
  'memory@0x1000',
  'memory@0x0',
  'memory@0xffffffffffffffff',
  '0x80000000',
  'info mtree -f',
  'x/4xw 0x80000000',
  'region disable riscv_virt_board.ram',
  '$pc',
  'hello_counter',
  '*(u8*)0x10000000',
  '> hi',
  '='.repeat(2000),
  'A'.repeat(3000),
  '{_stack}',
  '('.repeat(5000) + '1' + ')'.repeat(5000),
  'instruction',
  'repl',
  'hover',
);
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: extreme },
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 12 }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.oneof(fc.integer({ min: -5, max: 100 }), extreme), { maxLength: 3 }),
  fc.dictionary(
    fc.constantFrom('path', 'name', 'line', 'sourceReference', 'logMessage', 'condition'),
    extreme,
    { maxKeys: 3 },
  ),
);
const KEYS = [
  'threadId',
  'memoryReference',
  'count',
  'offset',
  'instructionOffset',
  'instructionCount',
  'variablesReference',
  'start',
  'levels',
  'startFrame',
  'expression',
  'context',
  'name',
  'value',
  'data',
  'allowPartial',
  'breakpoints',
  'filters',
  'source',
  'lines',
  'frameId',
  'text',
  'column',
  'requestId',
  'sourceReference',
  'dataId',
  'granularity',
  'regionId',
  'enabled',
  'address',
  'addressSpaceId',
];
const breakpointList = fc.array(
  fc.record(
    {
      line: value,
      name: value,
      instructionReference: value,
      dataId: value,
      offset: value,
      condition: value,
      hitCondition: value,
      logMessage: value,
      accessType: value,
    },
    { requiredKeys: [] },
  ),
  { maxLength: 3 },
);
const args: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 6 }) },
  {
    weight: 2,
    arbitrary: fc.record({ threadId: fc.constant(1), breakpoints: breakpointList, source: value }),
  },
  fc.constant(undefined),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 2 }),
);
const command = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...IMPLEMENTED) },
  { weight: 2, arbitrary: fc.constantFrom(...NOT_IMPLEMENTED) },
  fc.string({ maxLength: 10 }),
);
const request = fc.record({ command, args });

interface Tally {
  requests: number;
  crashes: number;
  hangs: number;
  wrongSuccesses: number;
  duplicates: number;
}
const tally: Tally = { requests: 0, crashes: 0, hangs: 0, wrongSuccesses: 0, duplicates: 0 };
const escaped: unknown[] = [];
const onEscape = (e: unknown) => escaped.push(e);

function isUnimplemented(name: string): boolean {
  return !IMPLEMENTED.includes(name) || NOT_IMPLEMENTED.includes(name);
}

async function sendAll(
  c: InProcessClient,
  requests: readonly { command: string; args: unknown }[],
  burst: boolean,
): Promise<void> {
  const sent: { seq: number; command: string }[] = [];
  const answers: Promise<DebugProtocol.Response>[] = [];
  for (const r of requests) {
    const seq = c.send(r.command, r.args);
    sent.push({ seq, command: r.command });
    tally.requests++;
    if (burst) answers.push(c.response(seq, ANSWER_MS));
    else {
      try {
        answers.push(Promise.resolve(await c.response(seq, ANSWER_MS)));
      } catch (e) {
        tally.hangs++;
        throw e;
      }
    }
  }
  let responses: DebugProtocol.Response[];
  try {
    responses = await Promise.all(answers);
  } catch (e) {
    tally.hangs++;
    throw e;
  }
  // a second answer would come right after the first: let the queue settle
  await new Promise((r) => setTimeout(r, 5));
  for (const [i, { seq, command: name }] of sent.entries()) {
    const count = c.responses.get(seq)?.length ?? 0;
    if (count !== 1) tally.duplicates++;
    assert.equal(count, 1, `${name} (seq ${seq}) got ${count} responses`);
    if (isUnimplemented(name) && responses[i]!.success) {
      tally.wrongSuccesses++;
      assert.fail(`${name} is not implemented but answered success`);
    }
  }
  if (escaped.length > 0) {
    tally.crashes += escaped.length;
    assert.fail(`an exception escaped: ${String(escaped[0])}`);
  }
}

describe('DAP request fuzzer', () => {
  before(() => {
    process.on('uncaughtException', onEscape);
    process.on('unhandledRejection', onEscape);
  });
  after(() => {
    process.off('uncaughtException', onEscape);
    process.off('unhandledRejection', onEscape);
  });

  test('random requests on one stopped session (no lifecycle requests)', async (t) => {
    const c = new InProcessClient();
    await c.launch({ board: 'virt', program: helloElf, cwd: root });
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            request.filter((r) => !ENDING.has(r.command)),
            { minLength: 1, maxLength: 8 },
          ),
          fc.boolean(),
          async (requests, burst) => {
            await sendAll(c, requests, burst);
            // still answering
            const threads = await c.request('threads', undefined, ANSWER_MS);
            assert.ok(threads.success);
          },
        ),
        {
          numRuns: numRuns(300),
          seed: Number(process.env['BOARDMAP_FUZZ_SEED'] ?? Date.now() % 2 ** 31),
        },
      );
    } finally {
      c.dispose();
      t.diagnostic(JSON.stringify(tally));
    }
  });

  test('random sequences, lifecycle included, each on a fresh session', async (t) => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(request, { minLength: 1, maxLength: 10 }),
        fc.boolean(),
        fc.boolean(),
        async (requests, burst, launched) => {
          const c = new InProcessClient();
          try {
            if (launched) await c.launch({ board: 'virt', program: helloElf, cwd: root });
            await sendAll(c, requests, burst);
            const threads = await c.request('threads', undefined, ANSWER_MS);
            assert.equal(c.responses.get(threads.request_seq)?.length, 1);
          } finally {
            c.dispose();
          }
        },
      ),
      {
        numRuns: numRuns(150),
        seed: Number(process.env['BOARDMAP_FUZZ_SEED'] ?? Date.now() % 2 ** 31),
      },
    );
    t.diagnostic(JSON.stringify(tally));
    assert.deepEqual(
      {
        crashes: tally.crashes,
        hangs: tally.hangs,
        wrongSuccesses: tally.wrongSuccesses,
        duplicates: tally.duplicates,
      },
      { crashes: 0, hangs: 0, wrongSuccesses: 0, duplicates: 0 },
    );
  });
});
