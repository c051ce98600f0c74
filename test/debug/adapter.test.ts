/**
 * The debug adapter over stdio (dist/adapter.js) with a real DAP client, on the example firmware:
 * breakpoints, stepping, stacks, variables, memory, disassembly, evaluate and monitor commands.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import {
  adapterCpuSeconds,
  base64,
  cliPath,
  collectOutput,
  helloC,
  launch,
  root,
  runTo,
  startClient,
  waitFor,
} from './helpers';

const HELLO_MAIN = 0x80000088;
const HELLO_COUNTER = 0x800003e8;

async function topFrame(dc: DebugClient): Promise<DebugProtocol.StackFrame> {
  const st = await dc.stackTraceRequest({ threadId: 1 });
  return st.body.stackFrames[0]!;
}

async function evaluate(
  dc: DebugClient,
  expression: string,
  context = 'repl',
): Promise<DebugProtocol.EvaluateResponse['body']> {
  return (await dc.evaluateRequest({ expression, context })).body;
}

async function request<T>(dc: DebugClient, command: string, args: unknown): Promise<T> {
  const r = (await dc.customRequest(command, args)) as DebugProtocol.Response;
  return r.body as T;
}

async function failure(dc: DebugClient, command: string, args: unknown): Promise<string> {
  try {
    await dc.customRequest(command, args);
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail(`${command} should have failed`);
}

describe('debug adapter over stdio: hello.elf on virt', () => {
  let dc: DebugClient;
  let output: { text: () => string };
  before(async () => {
    dc = await startClient();
    output = collectOutput(dc);
  });
  after(async () => {
    await dc.stop();
  });

  test('a source breakpoint on line 41 resolves to one address in main and is hit', async () => {
    let bp: DebugProtocol.Breakpoint | undefined;
    const entry = await launch(dc, {
      before: async (c) => {
        const r = await c.setBreakpointsRequest({
          source: { path: helloC },
          breakpoints: [{ line: 41 }, { line: 1000 }],
        });
        bp = r.body.breakpoints[0];
        assert.equal(r.body.breakpoints[1]!.verified, false);
        assert.match(r.body.breakpoints[1]!.message ?? '', /no code/);
      },
    });
    assert.equal(entry.body.reason, 'entry');
    assert.equal(bp?.verified, true);
    assert.equal(bp?.line, 41);
    assert.equal(Number(bp?.instructionReference), HELLO_MAIN);
    const stop = await runTo(dc, dc.continueRequest({ threadId: 1 }));
    assert.equal(stop.body.reason, 'breakpoint');
    assert.deepEqual(stop.body.hitBreakpointIds, [bp!.id]);
    const st = await dc.stackTraceRequest({ threadId: 1 });
    const [main, caller] = st.body.stackFrames;
    assert.equal(main!.name, 'main');
    assert.equal(main!.line, 41);
    assert.equal(main!.source?.path, helloC);
    assert.equal(Number(main!.instructionPointerReference), HELLO_MAIN);
    assert.equal(caller!.name, '_start', 'the caller comes from CFI / leaf unwinding');
    assert.match(caller!.source?.path ?? '', /start\.S$/);
  });

  test('step over goes 41 → 42 → 43 → 44 and the output of each line appears', async () => {
    const lines: number[] = [];
    for (let i = 0; i < 3; i++) {
      const stop = await runTo(dc, dc.nextRequest({ threadId: 1 }));
      assert.equal(stop.body.reason, 'step');
      lines.push((await topFrame(dc)).line);
    }
    assert.deepEqual(lines, [42, 43, 44]);
    await waitFor(() => output.text().includes('sum of squares 1..10 = 385'));
    assert.ok(output.text().startsWith('Hello from Boardmap!\r\nfibonacci(20) = 6765\r\n'));
  });

  test('variables: registers with memory references, CSRs, peripherals, memory map', async () => {
    const { scopes } = (await dc.scopesRequest({ frameId: 1 })).body;
    assert.deepEqual(
      scopes.map((s) => s.name),
      // main's own variables first (from DWARF), then the machine's.
      ['Arguments', 'Locals', 'Globals', 'Registers', 'CSRs', 'Peripherals', 'Memory map'],
    );
    const regs = (
      await dc.variablesRequest({
        variablesReference: scopes.find((s) => s.name === 'Registers')!.variablesReference,
      })
    ).body.variables;
    const sp = regs.find((v) => v.name === 'sp')!;
    assert.match(sp.memoryReference ?? '', /^memory@0x8000/);
    const pc = regs.find((v) => v.name === 'pc')!;
    assert.equal(Number(pc.value), Number((await topFrame(dc)).instructionPointerReference));
    assert.equal(regs.find((v) => v.name === 'zero')!.memoryReference, undefined);
    const csrs = (
      await dc.variablesRequest({
        variablesReference: scopes.find((s) => s.name === 'CSRs')!.variablesReference,
      })
    ).body.variables;
    assert.equal(csrs.find((v) => v.name === 'mtvec')!.value, '0x800002b0');
    const peripherals = (
      await dc.variablesRequest({
        variablesReference: scopes.find((s) => s.name === 'Peripherals')!.variablesReference,
      })
    ).body.variables;
    const uart = peripherals.find((p) => p.name === 'uart0')!;
    const uartRegs = (await dc.variablesRequest({ variablesReference: uart.variablesReference }))
      .body.variables;
    const lsr = uartRegs.find((r) => r.name === 'LSR')!;
    assert.equal(Number(lsr.value) & 0x60, 0x60, 'LSR peeked: transmitter empty');
    assert.equal(lsr.memoryReference, 'memory@0x10000005');
    // The ACLINT MTIMER's mtime sits at +0x7ff8 of its 32 KiB window: listed too.
    const mtimer = peripherals.find((p) => p.name === 'mtimer')!;
    const timerRegs = (await dc.variablesRequest({ variablesReference: mtimer.variablesReference }))
      .body.variables;
    assert.deepEqual(
      timerRegs.map((r) => [r.name, r.memoryReference]),
      [
        ['mtimecmp0', 'memory@0x2004000'],
        ['mtimecmp0h', 'memory@0x2004004'],
        ['mtime', 'memory@0x200bff8'],
        ['mtimeh', 'memory@0x200bffc'],
      ],
    );
    const map = (
      await dc.variablesRequest({
        variablesReference: scopes.find((s) => s.name === 'Memory map')!.variablesReference,
      })
    ).body.variables;
    const memory = map.find((m) => m.name === 'memory')!;
    const ranges = (await dc.variablesRequest({ variablesReference: memory.variablesReference }))
      .body.variables;
    const ram = ranges.find((r) => r.name === 'riscv_virt_board.ram')!;
    assert.equal(ram.memoryReference, 'memory@0x80000000');
    assert.match(ram.value, /0x80000000–0x87ffffff ram .*128 MiB/);
  });

  test('setVariable on a register; evaluate registers, symbols and addresses', async () => {
    const { scopes } = (await dc.scopesRequest({ frameId: 1 })).body;
    const set = await dc.setVariableRequest({
      variablesReference: scopes.find((s) => s.name === 'Registers')!.variablesReference,
      name: 'a5',
      value: '0x1234 + 1',
    });
    assert.equal(set.body.value, '0x00001235');
    assert.match((await evaluate(dc, '$a5', 'watch')).result, /^0x1235 \(4661\)$/);
    assert.match((await evaluate(dc, 'a5 * 2', 'watch')).result, /^0x246a/);
    const main = await evaluate(dc, 'main', 'hover');
    assert.equal(Number(main.result.split(' ')[0]), HELLO_MAIN);
    assert.equal(main.memoryReference, `memory@0x${HELLO_MAIN.toString(16)}`);
    const counter = await evaluate(dc, '&hello_counter', 'watch');
    assert.equal(counter.memoryReference, 'memory@0x800003e8');
    assert.equal(
      Number((await evaluate(dc, '*(u32*)0x80000088', 'watch')).result.split(' ')[0]),
      0x05171101,
    );
    await assert.rejects(
      dc.evaluateRequest({ expression: 'nosuchthing + 1', context: 'watch' }),
      /no register or symbol 'nosuchthing'/,
    );
    await assert.rejects(
      dc.evaluateRequest({ expression: '*0x0', context: 'watch' }),
      /cannot read 4 byte/,
    );
  });

  test('monitor commands: info registers, x, xp, help', async () => {
    const pc = Number((await topFrame(dc)).instructionPointerReference);
    const regs = (await evaluate(dc, 'info registers')).result;
    assert.match(regs, new RegExp(`^ pc {7}${pc.toString(16).padStart(8, '0')}$`, 'm'));
    assert.match(
      regs,
      /^ x0\/zero  00000000 x1\/ra {4}[0-9a-f]{8} x2\/sp {4}[0-9a-f]{8} x3\/gp {4}[0-9a-f]{8}$/m,
    );
    assert.equal(
      (await evaluate(dc, 'x/2xw 0x80000088')).result,
      '80000088: 0x05171101 0x05130000',
    );
    assert.equal(
      (await evaluate(dc, 'xp/4xb 0x80000088')).result,
      '0000000080000088: 0x01 0x11 0x17 0x05',
    );
    assert.equal((await evaluate(dc, 'x/2uh 0x80000088')).result, '80000088:  4353  1303');
    assert.equal((await evaluate(dc, 'x/4c 0x8000038c')).result, "8000038c: 'H' 'e' 'l' 'l'");
    assert.equal((await evaluate(dc, 'x/2xw 0x0')).result, '00000000: Cannot access memory');
    assert.match(
      (await evaluate(dc, 'x/2i 0x80000088')).result,
      /^0x80000088: {2}addi? sp,sp,-32\n0x8000008a: {2}auipc a0,0x0/,
    );
    assert.match((await evaluate(dc, 'help')).result, /info mtree/);
    await assert.rejects(
      dc.evaluateRequest({ expression: 'x/3q 0', context: 'repl' }),
      /invalid format or size letter 'q'/,
    );
    await assert.rejects(
      dc.evaluateRequest({ expression: 'info nothing', context: 'repl' }),
      /unknown item/,
    );
  });

  test('readMemory: RAM, an unmapped hole (unreadableBytes), MMIO peeked without side effects', async () => {
    const ram = (await request<DebugProtocol.ReadMemoryResponse['body']>(dc, 'readMemory', {
      memoryReference: 'memory@0x80000080',
      offset: 8,
      count: 4,
    }))!;
    assert.equal(ram.address, '0x80000088');
    assert.deepEqual([...Buffer.from(ram.data!, 'base64')], [0x01, 0x11, 0x17, 0x05]);
    const hole = (await request<DebugProtocol.ReadMemoryResponse['body']>(dc, 'readMemory', {
      memoryReference: 'memory@0x0',
      count: 16,
    }))!;
    assert.equal(hole.unreadableBytes, 16);
    assert.equal(hole.data ?? '', '');
    const edge = (await request<DebugProtocol.ReadMemoryResponse['body']>(dc, 'readMemory', {
      memoryReference: 'memory@0x87fffff8',
      count: 16,
    }))!;
    assert.equal(Buffer.from(edge.data!, 'base64').length, 8);
    assert.equal(edge.unreadableBytes, 8);
    const ex = await request<{
      status: { offset: number; length: number; status: string }[];
      regions: { name: string }[];
    }>(dc, 'boardmap/readMemoryEx', {
      memoryReference: 'memory@0xfff8',
      count: 16,
    });
    assert.deepEqual(ex.status, [
      { offset: 0, length: 8, status: 'ok' },
      { offset: 8, length: 8, status: 'unmapped' },
    ]);
    assert.equal(ex.regions[0]!.name, 'riscv_virt_board.mrom');
    const uart = await request<{ data: string; status: { status: string }[] }>(
      dc,
      'boardmap/readMemoryEx',
      { memoryReference: 'memory@0x10000005', count: 1 },
    );
    assert.equal(uart.status[0]!.status, 'ok');
    assert.equal(Buffer.from(uart.data, 'base64')[0]! & 0x60, 0x60);
    assert.match(
      await failure(dc, 'readMemory', { memoryReference: 'nospace@0x0', count: 4 }),
      /no address space 'nospace'/,
    );
    assert.match(
      await failure(dc, 'readMemory', { memoryReference: 'memory@0x0', count: -1 }),
      /count/,
    );
  });

  test('writeMemory: RAM with a memory event, a UART transmit that appears as output, ROM refused', async () => {
    const memoryEvent = dc.waitForEvent('memory');
    const written = await request<DebugProtocol.WriteMemoryResponse['body']>(dc, 'writeMemory', {
      memoryReference: 'memory@0x80001000',
      data: base64([1, 2, 3, 4]),
    });
    assert.equal(written!.bytesWritten, 4);
    const ev = (await memoryEvent) as DebugProtocol.MemoryEvent;
    assert.equal(ev.body.memoryReference, 'memory@0x80001000');
    assert.ok(ev.body.count >= 4);
    assert.equal((await evaluate(dc, 'x/1xw 0x80001000')).result, '80001000: 0x04030201');
    const before = output.text().length;
    await request(dc, 'writeMemory', {
      memoryReference: 'memory@0x10000000',
      data: base64([0x5a]),
    });
    await waitFor(() => output.text().slice(before).includes('Z'));
    assert.match(
      await failure(dc, 'writeMemory', { memoryReference: 'memory@0x1000', data: base64([0]) }),
      /read-only region 'riscv_virt_board\.mrom' \(ROM\); nothing written/,
    );
    assert.match(
      await failure(dc, 'writeMemory', { memoryReference: 'memory@0x0', data: base64([0]) }),
      /nothing is mapped at 0x0/,
    );
    const partial = await request<DebugProtocol.WriteMemoryResponse['body']>(dc, 'writeMemory', {
      memoryReference: 'memory@0x87fffffe',
      data: base64([9, 9, 9, 9]),
      allowPartial: true,
    });
    assert.equal(partial!.bytesWritten, 2);
  });

  test('disassemble around main with a negative instruction offset, symbols, bytes and lines', async () => {
    const r = await dc.disassembleRequest({
      memoryReference: `0x${(HELLO_MAIN + 2).toString(16)}`,
      instructionOffset: -3,
      instructionCount: 6,
    });
    const list = r.body!.instructions;
    assert.equal(list.length, 6);
    const at = list.findIndex((i) => Number(i.address) === HELLO_MAIN + 2);
    assert.equal(at, 3);
    const main = list.find((i) => Number(i.address) === HELLO_MAIN)!;
    assert.equal(main.symbol, 'main');
    assert.equal(main.instructionBytes, '01 11');
    assert.match(main.instruction, /^addi? sp,sp,-32$/);
    assert.equal(main.line, 41, 'gdb-style line of the first instruction');
    const far = await dc.disassembleRequest({
      memoryReference: 'memory@0x0',
      instructionOffset: -2,
      instructionCount: 3,
    });
    assert.equal(far.body!.instructions.length, 3);
    assert.ok(far.body!.instructions.every((i) => i.presentationHint === 'invalid'));
  });

  test("info mtree -f / -D in the Debug Console are the CLI's text (built-in virt and examples/virt.board)", async () => {
    const cli = (...args: string[]) =>
      execFileSync(process.execPath, [cliPath, 'mtree', ...args], { encoding: 'utf8' }).replace(
        /\n$/,
        '',
      );
    const flat = (await evaluate(dc, 'info mtree -f')).result;
    assert.equal(flat, cli('-f', 'virt'));
    assert.equal(flat, cli('-f', join(root, 'examples', 'virt.board')));
    assert.equal((await evaluate(dc, 'info mtree -D')).result, cli('-D', 'virt'));
    // Owners: the machine's device models get the owner the board file gives each device.
    const owners = (await evaluate(dc, 'info mtree -o')).result;
    assert.equal(owners, cli('-o', 'virt'));
    assert.match(owners, /serial owner:\{dev path=\/machine\/unattached\/device\[14\]\}/);
    assert.equal((await evaluate(dc, 'info mtree -f -o')).result, cli('-f', '-o', 'virt'));
  });

  test('a write data breakpoint on hello_counter fires on each store with values 1..5', async () => {
    const info = (await dc.dataBreakpointInfoRequest({ name: 'hello_counter' })).body;
    assert.equal(info.dataId, '0x800003e8/4');
    const byAddress = (
      await dc.dataBreakpointInfoRequest({
        name: '0x800003e8',
        asAddress: true,
        bytes: 4,
      } as DebugProtocol.DataBreakpointInfoArguments)
    ).body;
    assert.equal(byAddress.dataId, info.dataId);
    const set = await dc.setDataBreakpointsRequest({
      breakpoints: [{ dataId: info.dataId!, accessType: 'write' }],
    });
    assert.equal(set.body.breakpoints[0]!.verified, true);
    const values: number[] = [];
    for (let i = 0; i < 5; i++) {
      const stop = await runTo(dc, dc.continueRequest({ threadId: 1 }));
      assert.equal(stop.body.reason, 'data breakpoint');
      assert.deepEqual(stop.body.hitBreakpointIds, [set.body.breakpoints[0]!.id]);
      values.push(Number((await evaluate(dc, 'hello_counter', 'watch')).result.split(' ')[0]));
      // The store has completed: pc is at the next instruction, the load for line 46.
      assert.equal((await topFrame(dc)).line, 46);
    }
    assert.deepEqual(values, [1, 2, 3, 4, 5]);
    assert.equal(Number(`0x${HELLO_COUNTER.toString(16)}`), HELLO_COUNTER);
    await dc.setDataBreakpointsRequest({ breakpoints: [] });
  });

  test('runs to the end: exited with status 0, then terminated', async () => {
    await dc.setBreakpointsRequest({ source: { path: helloC }, breakpoints: [] });
    const exited = dc.waitForEvent('exited');
    const terminated = dc.waitForEvent('terminated');
    await dc.continueRequest({ threadId: 1 });
    assert.equal(((await exited) as DebugProtocol.ExitedEvent).body.exitCode, 0);
    await terminated;
    await waitFor(() => output.text().includes('Goodbye.'));
  });
});

describe('debug adapter: breakpoint kinds, stepping in and out, exceptions, pause', () => {
  let dc: DebugClient;
  before(async () => {
    dc = await startClient();
  });
  after(async () => {
    await dc.stop();
  });

  test('function breakpoint with a condition, then hit count, log point', async () => {
    await launch(dc, {
      before: async (c) => {
        const r = await c.setFunctionBreakpointsRequest({
          breakpoints: [{ name: 'print_line', condition: 'a1 == 3' }, { name: 'no_such_function' }],
        });
        assert.equal(r.body.breakpoints[0]!.verified, true);
        assert.ok(
          [34, 35].includes(r.body.breakpoints[0]!.line!),
          'print_line starts on line 34/35 of hello.c',
        );
        assert.equal(r.body.breakpoints[1]!.verified, false);
      },
    });
    const stop = await runTo(dc, dc.continueRequest({ threadId: 1 }));
    assert.equal(stop.body.reason, 'function breakpoint');
    assert.equal((await topFrame(dc)).name, 'print_line');
    assert.match((await evaluate(dc, 'a1', 'watch')).result, /\(3\)$/);
    const frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
    assert.equal(frames[1]!.name, 'main');
    assert.equal(frames[1]!.line, 46, 'caller frame: the call site in the loop');
    await dc.setFunctionBreakpointsRequest({
      breakpoints: [{ name: 'print_line', hitCondition: '2' }],
    });
    // Stopped at the call with counter = 3; with a fresh hit count, hit 1 is counter = 4, hit 2 counter = 5.
    const second = await runTo(dc, dc.continueRequest({ threadId: 1 }));
    assert.equal(second.body.reason, 'function breakpoint');
    assert.match((await evaluate(dc, 'a1', 'watch')).result, /\(5\)$/);
  });

  test('step in enters fibonacci past its first line; step out returns to main', async () => {
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    const restarted = await runTo(dc, dc.restartRequest({}));
    assert.equal(restarted.body.reason, 'entry');
    await dc.setBreakpointsRequest({ source: { path: helloC }, breakpoints: [{ line: 42 }] });
    await runTo(dc, dc.continueRequest({ threadId: 1 }));
    assert.equal((await topFrame(dc)).line, 42);
    await runTo(dc, dc.stepInRequest({ threadId: 1 }));
    const inner = await topFrame(dc);
    assert.equal(inner.name, 'fibonacci');
    assert.ok(inner.line >= 19 && inner.line <= 25, `stopped on line ${inner.line} of fibonacci`);
    const out = await runTo(dc, dc.stepOutRequest({ threadId: 1 }));
    assert.equal(out.body.reason, 'step');
    const back = await topFrame(dc);
    assert.equal(back.name, 'main');
    assert.equal(back.line, 42);
    assert.equal(Number(back.instructionPointerReference), 0x800000a2);
  });

  test('instruction stepping moves one instruction', async () => {
    const pc = Number((await topFrame(dc)).instructionPointerReference);
    await runTo(dc, dc.stepInRequest({ threadId: 1, granularity: 'instruction' }));
    assert.equal(Number((await topFrame(dc)).instructionPointerReference), pc + 2);
    // nexti over the `jal print_line` at 0x800000ac returns right after it.
    await dc.setBreakpointsRequest({ source: { path: helloC }, breakpoints: [] });
    await dc.customRequest('setInstructionBreakpoints', {
      breakpoints: [{ instructionReference: '0x800000ac' }],
    });
    const atInstruction = await runTo(dc, dc.continueRequest({ threadId: 1 }));
    assert.equal(atInstruction.body.reason, 'instruction breakpoint');
    assert.equal(Number((await topFrame(dc)).instructionPointerReference), 0x800000ac);
    await runTo(dc, dc.nextRequest({ threadId: 1, granularity: 'instruction' }));
    assert.equal(Number((await topFrame(dc)).instructionPointerReference), 0x800000ae);
    await dc.customRequest('setInstructionBreakpoints', { breakpoints: [] });
  });

  test('exception filters: a fetch from a hole and an illegal instruction stop with reason exception', async () => {
    await dc.setExceptionBreakpointsRequest({ filters: ['unassigned', 'illegalInstruction'] });
    const { scopes } = (await dc.scopesRequest({ frameId: 1 })).body;
    await dc.setVariableRequest({
      variablesReference: scopes.find((s) => s.name === 'Registers')!.variablesReference,
      name: 'pc',
      value: '0x20',
    });
    const stop = await runTo(dc, dc.continueRequest({ threadId: 1 }));
    assert.equal(stop.body.reason, 'exception');
    assert.match(
      stop.body.description ?? '',
      /instruction access fault at 0x00000020 \(nothing is mapped there\)/,
    );
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.match(info.body.description ?? '', /mepc/);
    await dc.customRequest('writeMemory', {
      memoryReference: 'memory@0x80002000',
      data: base64([0, 0, 0, 0]),
    });
    await dc.setVariableRequest({
      variablesReference: scopes.find((s) => s.name === 'Registers')!.variablesReference,
      name: 'pc',
      value: '0x80002000',
    });
    const illegal = await runTo(dc, dc.continueRequest({ threadId: 1 }));
    assert.equal(illegal.body.reason, 'exception');
    assert.equal(illegal.body.description, 'Exception: illegal instruction (0x00000000)');
    const mtvec = (parseInt((await evaluate(dc, 'mtvec', 'watch')).result) & ~3) >>> 0;
    assert.equal(Number((await topFrame(dc)).instructionPointerReference), mtvec);
    assert.match(
      (await dc.exceptionInfoRequest({ threadId: 1 })).body.description ?? '',
      /raised by the instruction at 0x80002000 \(mepc\), now at the trap handler/,
    );
    // A load from a hole after an ordinary instruction:
    // `li t0, 0x10; lw t1, 0(t0)` (nothing is mapped at 0x10 on virt), then `j .`.
    const program = [0x01000293, 0x0002a303, 0x0000006f];
    await dc.customRequest('writeMemory', {
      memoryReference: 'memory@0x80002000',
      data: base64(new Uint8Array(new Uint32Array(program).buffer)),
    });
    await dc.setVariableRequest({
      variablesReference: scopes.find((s) => s.name === 'Registers')!.variablesReference,
      name: 'pc',
      value: '0x80002000',
    });
    const load = await runTo(dc, dc.continueRequest({ threadId: 1 }));
    assert.equal(load.body.reason, 'exception');
    assert.equal(
      load.body.description,
      'Exception: load access fault at 0x00000010 (nothing is mapped there)',
    );
    assert.equal(parseInt((await evaluate(dc, 'mepc', 'watch')).result), 0x80002004);
    assert.equal(parseInt((await evaluate(dc, 'mtval', 'watch')).result), 0x10);
    assert.equal(Number((await topFrame(dc)).instructionPointerReference), mtvec);
  });

  test('pause stops a tight loop promptly', async () => {
    await dc.setExceptionBreakpointsRequest({ filters: [] });
    // `j .` at 0x80002000
    await dc.customRequest('writeMemory', {
      memoryReference: 'memory@0x80002000',
      data: base64([0x6f, 0, 0, 0]),
    });
    const { scopes } = (await dc.scopesRequest({ frameId: 1 })).body;
    await dc.setVariableRequest({
      variablesReference: scopes.find((s) => s.name === 'Registers')!.variablesReference,
      name: 'pc',
      value: '0x80002000',
    });
    await dc.continueRequest({ threadId: 1 });
    await new Promise((r) => setTimeout(r, 200));
    // While running: memory is readable (between batches), frames are not.
    const running = (await dc.customRequest('readMemory', {
      memoryReference: 'memory@0x80002000',
      count: 4,
    })) as DebugProtocol.ReadMemoryResponse;
    assert.equal(running.body!.data, Buffer.from([0x6f, 0, 0, 0]).toString('base64'));
    await assert.rejects(dc.stackTraceRequest({ threadId: 1 }), /running: pause it first/);
    await assert.rejects(dc.continueRequest({ threadId: 1 }), /already running/);
    const started = Date.now();
    const stop = await runTo(dc, dc.pauseRequest({ threadId: 1 }));
    assert.equal(stop.body.reason, 'pause');
    assert.ok(Date.now() - started < 500, `pause took ${Date.now() - started} ms`);
    assert.equal(Number((await topFrame(dc)).instructionPointerReference), 0x80002000);
  });

  test('a hart asleep in wfi with nothing to wake it does not spin the adapter; pause is prompt', async () => {
    // `wfi; j .-4` at 0x80002000 with no timer armed and no interrupt enabled
    await dc.customRequest('writeMemory', {
      memoryReference: 'memory@0x80002000',
      data: base64([0x73, 0x00, 0x50, 0x10, 0x6f, 0xf0, 0xdf, 0xff]),
    });
    const { scopes } = (await dc.scopesRequest({ frameId: 1 })).body;
    await dc.setVariableRequest({
      variablesReference: scopes.find((s) => s.name === 'Registers')!.variablesReference,
      name: 'pc',
      value: '0x80002000',
    });
    await dc.continueRequest({ threadId: 1 });
    await new Promise((r) => setTimeout(r, 100));
    const cpuBefore = adapterCpuSeconds(dc);
    const wallStart = Date.now();
    await new Promise((r) => setTimeout(r, 1000));
    const cpu = adapterCpuSeconds(dc) - cpuBefore;
    const wall = (Date.now() - wallStart) / 1000;
    assert.ok(cpu < 0.25 * wall, `the idle adapter used ${cpu} s of CPU in ${wall} s`);
    const started = Date.now();
    const stop = await runTo(dc, dc.pauseRequest({ threadId: 1 }));
    assert.equal(stop.body.reason, 'pause');
    assert.ok(Date.now() - started < 200, `pause took ${Date.now() - started} ms`);
    const pc = Number((await topFrame(dc)).instructionPointerReference);
    assert.ok(pc === 0x80002000 || pc === 0x80002004, `pc ${pc.toString(16)}`);
  });

  test('terminate ends the session', async () => {
    const terminated = dc.waitForEvent('terminated');
    await dc.terminateRequest({});
    await terminated;
  });
});

describe('debug adapter: a board without a program (remap.board)', () => {
  let dc: DebugClient;
  before(async () => {
    dc = await startClient();
  });
  after(async () => {
    await dc.stop();
  });

  test('the map is read and poked; a register field edit remaps memory and reports the topology change', async () => {
    const entry = await launch(dc, {
      board: 'examples/remap.board',
      program: undefined,
      stopOnEntry: false,
    });
    assert.equal(entry.body.reason, 'entry');
    await assert.rejects(dc.continueRequest({ threadId: 1 }), /no program is loaded/);
    const topology = await request<{
      snapshot: { version: number; addressSpaces: { id: string }[] };
    }>(dc, 'boardmap/topology', {});
    assert.deepEqual(
      topology.snapshot.addressSpaces.map((s) => s.id),
      ['memory'],
    );
    await request(dc, 'writeMemory', {
      memoryReference: 'memory@0x20000000',
      data: base64([0xaa, 0xbb]),
    });
    const { scopes } = (await dc.scopesRequest({ frameId: 1 })).body;
    const peripherals = (
      await dc.variablesRequest({
        variablesReference: scopes.find((s) => s.name === 'Peripherals')!.variablesReference,
      })
    ).body.variables;
    const sysctl = peripherals.find((p) => p.name === 'sysctl')!;
    const regs = (await dc.variablesRequest({ variablesReference: sysctl.variablesReference })).body
      .variables;
    assert.equal(regs.find((r) => r.name === 'ID')!.value, '0x52454d50');
    const remap = regs.find((r) => r.name === 'REMAP')!;
    const changed = dc.waitForEvent('boardmap/topologyChanged');
    const set = await dc.setVariableRequest({
      variablesReference: remap.variablesReference,
      name: 'EN',
      value: '1',
    });
    assert.equal(set.body.value, '1');
    const event = (await changed) as DebugProtocol.Event;
    assert.ok((event.body as { version: number }).version > topology.snapshot.version);
    const read = (await request<DebugProtocol.ReadMemoryResponse['body']>(dc, 'readMemory', {
      memoryReference: 'memory@0x0',
      count: 2,
    }))!;
    assert.deepEqual([...Buffer.from(read.data!, 'base64')], [0xaa, 0xbb], 'SRAM is seen at 0 now');
    const resolved = await request<{
      winner: { regionId: string };
      path: { name: string; kind: string }[];
    }>(dc, 'boardmap/resolveAddress', { address: '0x0' });
    assert.match(resolved.winner.regionId, /sram#0$/);
    assert.ok(resolved.path.some((step) => step.kind === 'alias' && step.name === 'sram-remap'));
    assert.match((await evaluate(dc, 'region disable sram-remap')).result, /disabled/);
    const rom = (await request<DebugProtocol.ReadMemoryResponse['body']>(dc, 'readMemory', {
      memoryReference: 'memory@0x0',
      count: 2,
    }))!;
    assert.deepEqual([...Buffer.from(rom.data!, 'base64')], [0, 0], 'the boot ROM (empty) is back');
    const info = await request<{ registers: { name: string; fields?: unknown[] }[] }>(
      dc,
      'boardmap/registerInfo',
      { memoryReference: 'memory@0x40000000', count: 8 },
    );
    assert.deepEqual(
      info.registers.map((r) => r.name),
      ['ID', 'REMAP'],
    );
  });
});
