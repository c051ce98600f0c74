// C expressions, setVariable and setExpression on the program's variables, and memory references
// through the adapter (a DAP client over stdio), compared with gdb-multiarch's recorded answers
// for the same ELF at the same pc (test/machine/debuginfo/oracle goldens).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import fc from 'fast-check';
import { root } from './helpers';
import { numRuns } from '../support/property';
import { stopAt } from './sourceHelpers';
import type { Golden } from '../machine/debuginfo/oracle/gdbOracle';

const golden = (elf: string) =>
  JSON.parse(
    readFileSync(
      join(root, 'test', 'machine', 'debuginfo', 'oracle', 'golden', `${elf}.golden`),
      'utf8',
    ),
  ) as Golden;

async function variablesOf(dc: DebugClient, reference: number, start?: number, count?: number) {
  return (
    await dc.variablesRequest({
      variablesReference: reference,
      ...(start !== undefined ? { start } : {}),
      ...(count !== undefined ? { count } : {}),
    })
  ).body.variables;
}

async function scope(dc: DebugClient, frameId: number, name: string): Promise<number> {
  const { scopes } = (await dc.scopesRequest({ frameId })).body;
  const s = scopes.find((x) => x.name === name);
  assert.ok(s, `scope ${name} in ${scopes.map((x) => x.name).join(', ')}`);
  return s.variablesReference;
}

async function evaluate(
  dc: DebugClient,
  expression: string,
  context = 'watch',
): Promise<DebugProtocol.EvaluateResponse['body']> {
  return (await dc.evaluateRequest({ expression, context, frameId: 1 })).body;
}

describe('types-O0 stopped at inspect() entry', () => {
  const elf = 'types-O0';
  const stop = golden(elf).stops.find((s) => s.id === 'inspect-entry')!;
  let dc: DebugClient;
  before(async () => {
    dc = await stopAt(elf, stop.breakpointAddresses, 1);
  });
  after(() => dc.stop());

  test("evaluate prints what gdb's print printed (every recorded expression)", async () => {
    const mismatches: string[] = [];
    let compared = 0;
    for (const p of stop.prints) {
      if (/^(whatis|ptype) /.test(p.expression)) continue;
      // `$reg` without program names answers in the Debug Console's language (checked below).
      if (p.expression.includes('$') && !/[a-z_]\w*/i.test(p.expression.replace(/\$\w+/g, '')))
        continue;
      let ours: string;
      try {
        ours = (await evaluate(dc, p.expression)).result;
      } catch (e) {
        // An error starts with gdb's message (then the column, then the console language's).
        const message = (e as Error).message;
        if (!message.startsWith(p.output)) mismatches.push(`${p.expression}: ${message}`);
        compared++;
        continue;
      }
      // Functions show their address first (type in `type`): gdb's text without `{type} `.
      const expected = p.output.replace(/^\{[^}]*\} (?=0x)/, '');
      if (ours !== expected) mismatches.push(`${p.expression}: ours ${ours} gdb ${p.output}`);
      compared++;
    }
    assert.deepEqual(mismatches, []);
    assert.ok(compared >= 140, `${compared} expressions compared`);
  });

  test('results are typed, expandable and carry memory references', async () => {
    const t = await evaluate(dc, 'g_triangle');
    assert.equal(t.type, 'struct shape');
    assert.equal(t.memoryReference, 'memory@0x8000078c');
    assert.ok(t.variablesReference > 0);
    const members = await variablesOf(dc, t.variablesReference);
    assert.deepEqual(
      members.map((m) => m.name),
      ['name', 'color', 'corners', 'tag', 'bits', 'area', 'next', 'label', 'status', 'visible'],
    );
    const corners = members.find((m) => m.name === 'corners')!;
    assert.equal(corners.indexedVariables, 3);
    assert.equal(corners.evaluateName, 'g_triangle.corners');
    assert.equal(corners.memoryReference, 'memory@0x80000794');
    const second = await variablesOf(dc, corners.variablesReference, 1, 1);
    assert.deepEqual(
      second.map((v) => [v.name, v.value, v.evaluateName, v.type]),
      [
        [
          '[1]',
          (await evaluate(dc, 'g_triangle.corners[1]')).result,
          'g_triangle.corners[1]',
          'struct point',
        ],
      ],
    );
    const color = members.find((m) => m.name === 'color')!;
    assert.equal(color.value, (await evaluate(dc, 'g_triangle.color')).result);
    const label = members.find((m) => m.name === 'label')!;
    assert.equal(label.value, (await evaluate(dc, 'g_triangle.label')).result);
    assert.match(label.value, /^"/, 'a char array reads as a string');
    // A pointer expands to its target (g_square.next points at g_triangle).
    const square = await variablesOf(dc, (await evaluate(dc, 'g_square')).variablesReference);
    const pointer = square.find((m) => m.name === 'next')!;
    assert.equal(
      pointer.memoryReference,
      (await evaluate(dc, '&g_square.next')).memoryReference,
      'where the pointer lives',
    );
    const next = await variablesOf(dc, pointer.variablesReference);
    assert.equal(next.length, 1);
    assert.equal(next[0]!.evaluateName, '*g_square.next');
    assert.equal(next[0]!.memoryReference, 'memory@0x8000078c', 'the target, g_triangle');
    assert.equal(next[0]!.value, (await evaluate(dc, '*g_square.next')).result);
    // An rvalue address (an integer) is an address too, mapped or not.
    assert.equal((await evaluate(dc, '0x0')).memoryReference, 'memory@0x0');
    assert.equal((await evaluate(dc, '&g_matrix[1]')).memoryReference, 'memory@0x80000700');
  });

  test('errors name the symbol and the column', async () => {
    await assert.rejects(
      dc.evaluateRequest({ expression: 'scale + cnt', context: 'watch', frameId: 1 }),
      /No symbol "cnt" in current context\. \(column 9\)/,
    );
    await assert.rejects(
      dc.evaluateRequest({ expression: 'g_triangle.nope', context: 'watch', frameId: 1 }),
      /There is no member named nope\./,
    );
  });

  test('hover and the Debug Console see locals and arguments of the selected frame', async () => {
    assert.equal((await evaluate(dc, 'scale', 'hover')).result, '3');
    assert.equal((await evaluate(dc, 'tag', 'repl')).result, "116 't'");
    // frame 2 is main: its local `total`, and `scale` is not visible there.
    const total = await dc.evaluateRequest({ expression: 'total', context: 'hover', frameId: 2 });
    assert.equal(total.body.result, stop.frames[1]!.locals[0]!.replace(/^total = /, ''));
    await assert.rejects(
      dc.evaluateRequest({ expression: 'scale', context: 'hover', frameId: 2 }),
      /No symbol "scale" in current context/,
    );
    // The console language still answers registers and monitor commands.
    assert.match((await evaluate(dc, '$a1', 'watch')).result, /^0x3 \(3\)$/);
    assert.match((await evaluate(dc, 'info registers', 'repl')).result, /pc/);
  });

  test('setVariable on a local field, an element, a bitfield and a global; read back', async () => {
    const locals = await scope(dc, 1, 'Locals');
    const point = (await variablesOf(dc, locals)).find((v) => v.name === 'local_point')!;
    const set = await dc.setVariableRequest({
      variablesReference: point.variablesReference,
      name: 'y',
      value: '-17 * 2',
    });
    assert.equal(set.body.value, '-34');
    assert.equal((await evaluate(dc, 'local_point.y')).result, '-34');
    const numbers = (await variablesOf(dc, locals)).find((v) => v.name === 'numbers')!;
    await dc.setVariableRequest({
      variablesReference: numbers.variablesReference,
      name: '[4]',
      value: '0x41',
    });
    assert.equal((await evaluate(dc, 'numbers[4]')).result, '65');
    const globals = await scope(dc, 1, 'Globals');
    const names = (await variablesOf(dc, globals)).map((v) => v.name);
    assert.deepEqual(names, [...names].sort(), 'Globals are sorted');
    const bits = (await variablesOf(dc, globals)).find((v) => v.name === 'g_bits')!;
    const before = bits.value;
    const r = await dc.setVariableRequest({
      variablesReference: bits.variablesReference,
      name: 'delta',
      value: '-9',
    });
    assert.equal(r.body.value, '-9');
    assert.equal(
      (await evaluate(dc, 'g_bits')).result,
      before.replace(/delta = -?\d+/, 'delta = -9'),
      'the neighbouring bitfields are kept',
    );
    // An argument in memory (at -O0) through the Arguments scope.
    const args = await scope(dc, 1, 'Arguments');
    await dc.setVariableRequest({ variablesReference: args, name: 'scale', value: '12' });
    assert.equal((await evaluate(dc, 'scale')).result, '12');
    // setExpression on a Watch expression, through the same C assignment.
    const e = (await dc.customRequest('setExpression', {
      expression: 'g_matrix[0][1]',
      value: '99',
      frameId: 1,
    })) as DebugProtocol.SetExpressionResponse;
    assert.equal(e.body.value, '99');
    assert.equal((await evaluate(dc, 'g_matrix[0]')).result, '{1, 99, 3, 4}');
  });

  test('a program variable in memory can be watched (dataBreakpointInfo); a bitfield cannot', async () => {
    const globals = await scope(dc, 1, 'Globals');
    const vars = await variablesOf(dc, globals);
    const triangle = vars.find((v) => v.name === 'g_triangle')!;
    const info = await dc.dataBreakpointInfoRequest({
      variablesReference: globals,
      name: 'g_triangle',
    });
    assert.equal(info.body.description, `64 byte(s) at ${triangle.memoryReference!.split('@')[1]}`);
    assert.ok(info.body.dataId);
    const bits = vars.find((v) => v.name === 'g_bits')!;
    const members = await variablesOf(dc, bits.variablesReference);
    assert.equal(members.find((m) => m.name === 'mode')!.memoryReference, undefined);
    const none = await dc.dataBreakpointInfoRequest({
      variablesReference: bits.variablesReference,
      name: 'mode',
    });
    assert.equal(none.body.dataId, null);
  });

  test("readMemory accepts the frames' instructionPointerReference and plain addresses", async () => {
    const frame = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0]!;
    const ip = frame.instructionPointerReference!;
    assert.match(ip, /^0x[0-9a-f]+$/);
    const r = await dc.customRequest('readMemory', { memoryReference: ip, count: 4 });
    assert.equal(r.body.address, ip);
    assert.equal(Buffer.from(r.body.data, 'base64').length, 4);
    const z = await dc.customRequest('readMemory', { memoryReference: '0x0', count: 4 });
    assert.equal(z.body.unreadableBytes, 4);
  });
  // Last: random assignments may change anything.
  test('any text in C evaluates or fails with a message, never an internal error', async () => {
    const words = [
      'g_triangle',
      'shape',
      'scale',
      'numbers',
      'text',
      'g_matrix',
      'local_word',
      'nope',
      '->',
      '.',
      '[',
      ']',
      '(',
      ')',
      '*',
      '&',
      '+',
      '-',
      '/',
      '%',
      '==',
      '=',
      '?',
      ':',
      ',',
      'sizeof',
      'struct',
      'point',
      'int',
      '(struct point *)',
      '0',
      '1',
      '7',
      '0x80000000',
      '$pc',
      '$a0',
      '"ab"',
      "'c'",
      '!',
      '~',
      '<<',
      '&&',
    ];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...words), { maxLength: 8 }), async (tokens) => {
        const expression = tokens.join(' ');
        try {
          await dc.evaluateRequest({ expression, context: 'watch', frameId: 1 });
        } catch (e) {
          const message = (e as Error).message;
          assert.ok(!/internal error/.test(message), `${expression}: ${message}`);
          assert.ok(message.length > 0);
        }
      }),
      { numRuns: numRuns(600) },
    );
  });
});
