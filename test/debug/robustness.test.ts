/**
 * Robustness over stdio: thousands of malformed requests (bad references, huge or negative counts,
 * wrong argument types, unknown commands) each get an error response, random arguments to every
 * inspection request get some response, and afterwards the adapter still answers correctly.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { numRuns } from '../support/property';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { helloC, launch, runTo, startClient } from './helpers';

const badInteger = fc.oneof(
  fc.integer({ max: -1 }),
  fc.constantFrom(2 ** 53, 1e300, Number.MAX_SAFE_INTEGER, 0.5, -0.5),
  fc.double({ noInteger: true }),
  fc.string(),
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.nat(), { maxLength: 2 }),
);
const badOffset = fc.oneof(
  fc.double({ noInteger: true }),
  fc.string(),
  fc.constant(null),
  fc.boolean(),
  fc.constantFrom(2 ** 53, 1e300, -(2 ** 60)),
);
const badReference = fc.oneof(
  fc.string().filter(
    // Not a canonical reference, and not a plain address (disassemble accepts `0x…` and decimal).
    (s) =>
      !/^[A-Za-z0-9._~/:%-]+@0[xX][0-9a-fA-F_]+$/.test(s) && !/^\s*(0x[0-9a-f]+|\d+)\s*$/i.test(s),
  ),
  fc.constantFrom(
    'nospace@0x0',
    'memory@0x',
    'memory@0xzz',
    'memory@0x10000000000000000',
    '@0x10',
    'memory@@0x1',
    'memory@0x1_',
    'mem%zzory@0x0',
  ),
  fc.integer(),
  fc.constant(null),
  fc.object({ maxDepth: 1 }),
);
const badText = fc.oneof(fc.integer(), fc.constant(null), fc.boolean(), fc.object({ maxDepth: 1 }));
const badExpression = fc.constantFrom(
  '1 +',
  '((',
  ')',
  '*',
  '$nosuchreg',
  'nosuchsymbol',
  '1 / 0',
  '*0x0',
  '*(u8*)0xfffffff0',
  'x/1q 0',
  'info',
  'region enable',
  'region frobnicate x',
  '& 1',
  '0xg',
  '1 ? 2',
  'x/0xw 0',
);

/** Requests that must each be refused with an error response. */
const invalidRequest: fc.Arbitrary<{ command: string; args: unknown }> = fc.oneof(
  fc.record({
    command: fc.constant('readMemory'),
    args: fc.oneof(
      fc.record({ memoryReference: badReference, count: fc.nat(64) }),
      fc.record({ memoryReference: fc.constant('memory@0x80000000'), count: badInteger }),
      fc.record({
        memoryReference: fc.constant('memory@0x80000000'),
        count: fc.nat(8),
        offset: badOffset,
      }),
    ),
  }),
  fc.record({
    command: fc.constant('readMemory'),
    args: fc.record({
      memoryReference: fc.constant('memory@0xffffffffffffffff'),
      count: fc.integer({ min: 2, max: 100 }),
    }),
  }),
  fc.record({
    command: fc.constant('writeMemory'),
    args: fc.oneof(
      fc.record({ memoryReference: badReference, data: fc.constant('AAAA') }),
      fc.record({
        memoryReference: fc.constant('memory@0x80001000'),
        data: fc.oneof(badText, fc.constantFrom('@@@@', 'A', '*')),
      }),
      fc.record({
        memoryReference: fc.constantFrom('memory@0x1000', 'memory@0x0', 'memory@0x9000000'),
        data: fc.constant('AAAA'),
      }),
    ),
  }),
  fc.record({
    command: fc.constant('disassemble'),
    args: fc.oneof(
      fc.record({ memoryReference: badReference, instructionCount: fc.nat(8) }),
      fc.record({ memoryReference: fc.constant('0x80000088'), instructionCount: badInteger }),
      fc.record({
        memoryReference: fc.constant('0x80000088'),
        instructionCount: fc.nat(4),
        instructionOffset: fc.oneof(fc.double({ noInteger: true }), fc.string()),
      }),
    ),
  }),
  fc.record({
    command: fc.constant('variables'),
    args: fc.record({ variablesReference: fc.oneof(badInteger, fc.integer({ min: 100_000 })) }),
  }),
  fc.record({
    command: fc.constant('stackTrace'),
    args: fc.record({
      threadId: fc.constant(1),
      startFrame: badInteger.filter((v) => v !== Number.MAX_SAFE_INTEGER),
    }),
  }),
  fc.record({
    command: fc.constant('setExpression'),
    args: fc.record({
      expression: fc.constantFrom(
        'zero',
        '*(u32*)0x1000',
        '*(u8*)0x4',
        'hello_counter + 1',
        '(',
        '',
      ),
      value: fc.oneof(fc.constant('1'), fc.string(), fc.integer()),
    }),
  }),
  fc.record({
    command: fc.constant('setVariable'),
    args: fc.oneof(
      fc.record({
        variablesReference: fc.integer({ min: 100_000 }),
        name: fc.string(),
        value: fc.constant('1'),
      }),
      fc.record({
        variablesReference: fc.constant(1),
        name: fc.constantFrom('zero', 'nosuch', 'x0'),
        value: fc.constant('1'),
      }),
      fc.record({
        variablesReference: fc.constant(1),
        name: fc.constant('a0'),
        value: badExpression,
      }),
    ),
  }),
  fc.record({
    command: fc.constant('evaluate'),
    args: fc.oneof(
      fc.record({ expression: badText }),
      fc.record({ expression: badExpression, context: fc.constantFrom('repl', 'watch', 'hover') }),
    ),
  }),
  fc.record({
    command: fc.constant('setBreakpoints'),
    args: fc.oneof(
      fc.record({ source: fc.record({ path: badText }) }),
      fc.record({
        source: fc.constant({ path: helloC }),
        breakpoints: fc.oneof(badText, fc.constant([{ line: 'x' }])),
      }),
    ),
  }),
  fc.record({
    command: fc.constantFrom(
      'setFunctionBreakpoints',
      'setDataBreakpoints',
      'setInstructionBreakpoints',
    ),
    args: fc.record({ breakpoints: badText }),
  }),
  fc.record({
    command: fc.constant('setExceptionBreakpoints'),
    args: fc.record({ filters: fc.oneof(badText, fc.constant(['nosuchfilter'])) }),
  }),
  fc.record({ command: fc.constant('dataBreakpointInfo'), args: fc.record({ name: badText }) }),
  fc.record({
    command: fc.constantFrom(
      'boardmap/readMemoryEx',
      'boardmap/readWithSideEffects',
      'boardmap/registerInfo',
    ),
    args: fc.oneof(
      fc.record({ memoryReference: badReference, count: fc.nat(16) }),
      fc.record({
        memoryReference: fc.constant('memory@0x0'),
        count: fc.oneof(badInteger, fc.integer({ min: 65537 })),
      }),
    ),
  }),
  fc.record({
    command: fc.constant('boardmap/resolveAddress'),
    args: fc.record({
      address: fc.oneof(badText, fc.constantFrom('zz', '-1', '0x10000000000000000')),
    }),
  }),
  fc.record({
    command: fc.constant('boardmap/setRegionEnabled'),
    args: fc.record({ regionId: fc.string().map((s) => `nosuch/${s}`), enabled: fc.boolean() }),
  }),
  fc.record({
    command: fc.constant('boardmap/topology'),
    args: fc.record({ ifNewerThan: fc.oneof(fc.string(), fc.double({ noInteger: true })) }),
  }),
  fc.record({ command: fc.string({ minLength: 1 }).map((s) => `x-${s}`), args: fc.anything() }),
  fc.record({ command: fc.constantFrom('launch', 'initialize'), args: fc.anything() }),
);

/** Inspection requests with arbitrary arguments: some may succeed, all must be answered. */
const randomRequest = fc.record({
  command: fc.constantFrom(
    'readMemory',
    'writeMemory',
    'disassemble',
    'variables',
    'scopes',
    'stackTrace',
    'evaluate',
    'dataBreakpointInfo',
    'boardmap/readMemoryEx',
    'boardmap/registerInfo',
    'boardmap/resolveAddress',
    'boardmap/topology',
    'threads',
    'exceptionInfo',
    'source',
    'setExpression',
    'completions',
    'gotoTargets',
  ),
  args: fc.anything({ maxDepth: 2 }),
});

async function send(
  dc: DebugClient,
  command: string,
  args: unknown,
): Promise<{ ok: boolean; message: string }> {
  try {
    await dc.customRequest(command, args);
    return { ok: true, message: '' };
  } catch (e) {
    const message = (e as Error).message;
    if (/timeout|no response|received after/i.test(message))
      throw new Error(`${command} was not answered: ${message}`);
    return { ok: false, message };
  }
}

describe('debug adapter robustness (fast-check over stdio)', () => {
  let dc: DebugClient;
  before(async () => {
    dc = await startClient();
    await launch(dc, {
      before: (c) =>
        c.setBreakpointsRequest({ source: { path: helloC }, breakpoints: [{ line: 41 }] }),
    });
    await runTo(dc, dc.continueRequest({ threadId: 1 }));
  });
  after(async () => {
    await dc.stop();
  });

  test('every malformed request gets an error response with a message', async () => {
    await fc.assert(
      fc.asyncProperty(invalidRequest, async ({ command, args }) => {
        const r = await send(dc, command, args);
        assert.equal(r.ok, false, `${command} ${JSON.stringify(args)} should have failed`);
        assert.ok(r.message.length > 0);
      }),
      { numRuns: numRuns(2500) },
    );
  });

  test('random arguments to inspection requests are all answered', async () => {
    await fc.assert(
      fc.asyncProperty(randomRequest, async ({ command, args }) => {
        await send(dc, command, args);
      }),
      { numRuns: numRuns(1500) },
    );
  });

  test('afterwards the adapter still answers correctly', async () => {
    const st = await dc.stackTraceRequest({ threadId: 1 });
    assert.equal(st.body.stackFrames[0]!.name, 'main');
    assert.equal(st.body.stackFrames[0]!.line, 41);
    const mem = (await dc.customRequest('readMemory', {
      memoryReference: 'memory@0x80000088',
      count: 4,
    })) as DebugProtocol.ReadMemoryResponse;
    assert.deepEqual([...Buffer.from(mem.body!.data!, 'base64')], [0x01, 0x11, 0x17, 0x05]);
    await dc.setBreakpointsRequest({ source: { path: helloC }, breakpoints: [] });
    await dc.setDataBreakpointsRequest({ breakpoints: [] });
    await dc.customRequest('setInstructionBreakpoints', { breakpoints: [] });
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    const stop = await runTo(dc, dc.nextRequest({ threadId: 1 }));
    assert.equal(stop.body.reason, 'step');
    assert.equal((await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0]!.line, 42);
  });
});
