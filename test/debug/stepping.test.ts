// Stepping as gdb steps, through the adapter (a DAP client over stdio): Step Into from
// hello.c:43 (`print_line("…", sum_of_squares(10))`) enters sum_of_squares at its first line after
// the prologue (the bug ended two calls deep in print_str), Step Out stops where gdb's
// `finish` stops (right after the call returns, mid-line), the next Step Into enters print_line
// past its prologue, and Step Over moves line by line over calls. The oracle is gdb-multiarch on
// qemu-system-riscv32 with the same ELF: golden/hello-stepping.gdb.txt, re-recorded by
// golden/record-hello-stepping.sh.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { helloC, launch, runTo, startClient } from './helpers';

const gdb = readFileSync(join(__dirname, 'golden', 'hello-stepping.gdb.txt'), 'utf8');
/** gdb's `p/x $pc` after each command: the break, step, finish, step, next, next. */
const pcs = [...gdb.matchAll(/^\$\d+ = (0x[0-9a-f]+)$/gm)].map((m) => Number(m[1]));
/** The line gdb shows before each `p/x $pc` (the frame line it printed last). */
const lines = [...gdb.matchAll(/^(\d+)\t/gm)].map((m) => Number(m[1]));

let dc: DebugClient;
before(async () => {
  dc = await startClient();
  await launch(dc, {
    stopOnEntry: false,
    before: (c) =>
      c.setBreakpointsRequest({ source: { path: helloC }, breakpoints: [{ line: 43 }] }),
  });
});
after(() => dc.stop());

async function top() {
  return (await dc.stackTraceRequest({ threadId: 1, levels: 1 })).body.stackFrames[0]!;
}

test('the golden has the six stops', () => {
  assert.equal(pcs.length, 6, gdb);
  assert.deepEqual(lines, [43, 30, 43, 35, 36, 37]);
});

test('stopped at the breakpoint on line 43 where gdb stopped', async () => {
  const f = await top();
  assert.equal(Number(f.instructionPointerReference), pcs[0]);
  assert.equal(f.line, 43);
});

test('Step Into enters sum_of_squares (the first call) at its first line, as gdb step', async () => {
  await runTo(dc, dc.stepInRequest({ threadId: 1 }));
  const f = await top();
  assert.equal(f.name, 'sum_of_squares');
  assert.equal(f.line, lines[1]);
  assert.equal(Number(f.instructionPointerReference), pcs[1]);
});

test("Step Out stops where gdb's finish does: right after the call, mid-line 43", async () => {
  await runTo(dc, dc.stepOutRequest({ threadId: 1 }));
  const f = await top();
  assert.equal(f.name, 'main');
  assert.equal(f.line, lines[2]);
  assert.equal(Number(f.instructionPointerReference), pcs[2]);
});

test('Step Into then enters print_line after its prologue, not print_str', async () => {
  await runTo(dc, dc.stepInRequest({ threadId: 1 }));
  const f = await top();
  assert.equal(f.name, 'print_line');
  assert.equal(f.line, lines[3]);
  assert.equal(Number(f.instructionPointerReference), pcs[3]);
});

test('Step Over moves 35 → 36 → 37 over the calls, at the pcs gdb next stops at', async () => {
  for (const i of [4, 5]) {
    await runTo(dc, dc.nextRequest({ threadId: 1 }));
    const f = await top();
    assert.equal(f.name, 'print_line');
    assert.equal(f.line, lines[i]);
    assert.equal(Number(f.instructionPointerReference), pcs[i]);
  }
});

describe('Step Over a line whose call hits a breakpoint (gdb: next stops at it)', () => {
  const text = readFileSync(join(__dirname, 'golden', 'hello-stepping-breakpoint.gdb.txt'), 'utf8');
  /** gdb's pc after next, next, finish, next. */
  const at = [...text.matchAll(/^\$\d+ = (0x[0-9a-f]+)$/gm)].map((m) => Number(m[1]));
  const lineOf = [...text.matchAll(/^(\d+)\t/gm)].map((m) => Number(m[1])).slice(1);
  let c: DebugClient;
  before(async () => {
    c = await startClient();
    await launch(c, {
      stopOnEntry: false,
      before: (x) =>
        x.setBreakpointsRequest({ source: { path: helloC }, breakpoints: [{ line: 43 }] }),
    });
    await c.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'print_line' }] });
  });
  after(() => c.stop());
  const frame0 = async () =>
    (await c.stackTraceRequest({ threadId: 1, levels: 1 })).body.stackFrames[0]!;

  test('the golden has four stops', () => {
    assert.equal(at.length, 4, text);
    assert.deepEqual(lineOf, [35, 36, 44, 45]);
  });

  test('next from 43 stops at the breakpoint in print_line, then next goes to 36', async () => {
    const stop = await runTo(c, c.nextRequest({ threadId: 1 }));
    assert.equal(stop.body.reason, 'function breakpoint');
    let f = await frame0();
    assert.deepEqual(
      [f.name, f.line, Number(f.instructionPointerReference)],
      ['print_line', lineOf[0], at[0]],
    );
    await runTo(c, c.nextRequest({ threadId: 1 }));
    f = await frame0();
    assert.deepEqual([f.line, Number(f.instructionPointerReference)], [lineOf[1], at[1]]);
  });

  test('Step Out returns to main where finish does (here a line boundary: 44), next to 45', async () => {
    await runTo(c, c.stepOutRequest({ threadId: 1 }));
    let f = await frame0();
    assert.deepEqual(
      [f.name, f.line, Number(f.instructionPointerReference)],
      ['main', lineOf[2], at[2]],
    );
    await runTo(c, c.nextRequest({ threadId: 1 }));
    f = await frame0();
    assert.deepEqual([f.line, Number(f.instructionPointerReference)], [lineOf[3], at[3]]);
  });
});
