/**
 * More of the adapter over real transports: console input to the UART, log points, data
 * breakpoints from the Variables view, memory events after a stop (only what changed), the
 * `--port` loopback mode, and launch errors.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseElf } from '../../src/machine/loader';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import {
  adapterPath,
  ensureBuilt,
  firmware,
  helloC,
  helloElf,
  launch,
  nextEvents,
  root,
  runTo,
  settle,
  startClient,
} from './helpers';

describe('debug adapter: console input, log points, memory events', () => {
  let dc: DebugClient;
  before(async () => {
    dc = await startClient();
  });
  after(async () => {
    await dc.stop();
  });

  test('a log point prints and does not stop; the breakpoint after it stops', async () => {
    const logs: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => {
      if (e.body.category === 'console' && e.body.output.startsWith('counter '))
        logs.push(e.body.output.trim());
    });
    await launch(dc, {
      before: (c) =>
        c.setBreakpointsRequest({
          source: { path: helloC },
          breakpoints: [{ line: 46, logMessage: 'counter {hello_counter}' }, { line: 48 }],
        }),
    });
    const stop = await runTo(dc, dc.continueRequest({ threadId: 1 }));
    assert.equal(stop.body.reason, 'breakpoint');
    assert.equal((await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0]!.line, 48);
    assert.deepEqual(logs, [
      'counter 0x1',
      'counter 0x2',
      'counter 0x3',
      'counter 0x4',
      'counter 0x5',
    ]);
  });

  test('a memory event after a step names only the RAM page that changed', async () => {
    await dc.setBreakpointsRequest({ source: { path: helloC }, breakpoints: [] });
    await runTo(dc, dc.restartRequest({}));
    await dc.setBreakpointsRequest({ source: { path: helloC }, breakpoints: [{ line: 45 }] });
    const events: DebugProtocol.MemoryEvent[] = [];
    await runTo(dc, dc.continueRequest({ threadId: 1 }));
    await settle(dc); // the events of that stop (stack, .bss) follow it
    const listener = (e: DebugProtocol.MemoryEvent) => events.push(e);
    dc.on('memory', listener);
    await runTo(dc, dc.stepInRequest({ threadId: 1, granularity: 'instruction' })); // sw s0,0(s1)
    await settle(dc);
    dc.off('memory', listener);
    assert.deepEqual(
      events.map((e) => e.body),
      [{ memoryReference: 'memory@0x80000000', offset: 0, count: 4096 }],
      'hello_counter (0x800003e8) lives in the first RAM page',
    );
  });

  test('Variables-view data breakpoint on a peripheral register; console input reaches the UART', async () => {
    const { scopes } = (await dc.scopesRequest({ frameId: 1 })).body;
    const peripherals = (
      await dc.variablesRequest({
        variablesReference: scopes.find((s) => s.name === 'Peripherals')!.variablesReference,
      })
    ).body.variables;
    const uart = peripherals.find((p) => p.name === 'uart0')!;
    await dc.variablesRequest({ variablesReference: uart.variablesReference });
    const info = await dc.dataBreakpointInfoRequest({
      variablesReference: uart.variablesReference,
      name: 'LSR',
    });
    assert.equal(info.body.dataId, '0x10000005/1');
    const regInfo = await dc.dataBreakpointInfoRequest({
      variablesReference: scopes.find((s) => s.name === 'Registers')!.variablesReference,
      name: 'a0',
    });
    assert.equal(regInfo.body.dataId, null);
    const r = await dc.evaluateRequest({ expression: '> hi', context: 'repl' });
    assert.match(r.body.result, /sent "hi\\r"/);
    const lsr = (await dc.customRequest('boardmap/readMemoryEx', {
      memoryReference: 'memory@0x10000005',
      count: 1,
    })) as DebugProtocol.Response;
    assert.equal(
      Buffer.from((lsr.body as { data: string }).data, 'base64')[0]! & 1,
      1,
      'LSR.DR: received data ready',
    );
    const rbr = (await dc.customRequest('boardmap/readWithSideEffects', {
      memoryReference: 'memory@0x10000000',
      count: 1,
    })) as DebugProtocol.Response;
    assert.equal(Buffer.from((rbr.body as { data: string }).data, 'base64')[0], 'h'.charCodeAt(0));
  });
});

describe('debug adapter: traps and interrupts', () => {
  test('timer interrupts are not exceptions: timer.elf runs to its exit with every filter on', async () => {
    const dc = await startClient();
    try {
      const exited = dc.waitForEvent('exited');
      await launch(dc, {
        program: join(firmware, 'build', 'timer.elf'),
        stopOnEntry: false,
        before: (c) =>
          c.setExceptionBreakpointsRequest({
            filters: ['unassigned', 'accessError', 'illegalInstruction', 'otherTraps'],
          }),
        expectStop: false,
      });
      assert.equal(((await exited) as DebugProtocol.ExitedEvent).body.exitCode, 0);
    } finally {
      await dc.stop();
    }
  });

  test("an ecall stops under 'other traps', and not without it", async () => {
    const dc = await startClient();
    try {
      await launch(dc, {
        before: (c) => c.setExceptionBreakpointsRequest({ filters: ['otherTraps'] }),
      });
      await dc.customRequest('writeMemory', {
        memoryReference: 'memory@0x80002000',
        data: Buffer.from([0x73, 0, 0, 0]).toString('base64'),
      });
      const { scopes } = (await dc.scopesRequest({ frameId: 1 })).body;
      await dc.setVariableRequest({
        variablesReference: scopes.find((s) => s.name === 'Registers')!.variablesReference,
        name: 'pc',
        value: '0x80002000',
      });
      // mtvec is 0 before start.S runs: point it at RAM so the handler fetch works.
      await dc.setVariableRequest({
        variablesReference: scopes.find((s) => s.name === 'CSRs')!.variablesReference,
        name: 'mtvec',
        value: '0x80003000',
      });
      const stop = await runTo(dc, dc.continueRequest({ threadId: 1 }));
      assert.equal(stop.body.reason, 'exception');
      assert.match(stop.body.description ?? '', /environment call from M-mode/);
      assert.equal(
        (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0]!
          .instructionPointerReference,
        '0x80003000',
      );
    } finally {
      await dc.stop();
    }
  });
});

describe('debug adapter: --port loopback mode and launch errors', () => {
  test('serves DAP on a TCP port', async () => {
    ensureBuilt();
    const child = spawn(process.execPath, [adapterPath, '--port', '0'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    try {
      const [port, token] = await new Promise<[number, string]>((resolve, reject) => {
        let text = '';
        child.stderr.on('data', (d: Buffer) => {
          text += d.toString();
          const m = /listening on 127\.0\.0\.1:(\d+) token ([0-9a-f]+)/.exec(text);
          if (m) resolve([Number(m[1]), m[2]!]);
        });
        child.on('exit', () => reject(new Error(`adapter exited: ${text}`)));
      });
      const dc = new DebugClient('node', adapterPath, 'boardmap');
      await dc.start(port);
      await dc.initializeRequest();
      await launch(dc, { extra: { adapterToken: token } });
      const st = await dc.stackTraceRequest({ threadId: 1 });
      assert.equal(
        st.body.stackFrames[0]!.instructionPointerReference,
        '0x00001000',
        'stopped at the reset vector',
      );
      await dc.stop();
    } finally {
      child.kill();
    }
  });

  test('launch errors name what is wrong', async () => {
    const dc = await startClient();
    try {
      await assert.rejects(
        dc.launchRequest({
          board: 'nosuchboard',
          cwd: root,
        } as DebugProtocol.LaunchRequestArguments),
        /no board file .* and no built-in board 'nosuchboard'/,
      );
      await assert.rejects(
        dc.launchRequest({
          board: 'virt',
          program: 'nothere.elf',
          cwd: root,
        } as DebugProtocol.LaunchRequestArguments),
        /cannot read program/,
      );
      await assert.rejects(
        dc.launchRequest({
          board: 'examples/remap.board',
          program: helloElf,
          cwd: root,
        } as DebugProtocol.LaunchRequestArguments),
        /nothing is mapped at 0x80000000/,
      );
      await assert.rejects(
        dc.launchRequest({ cwd: root } as DebugProtocol.LaunchRequestArguments),
        /'board' must name/,
      );
    } finally {
      await dc.stop();
    }
  });
});

describe('debug adapter: restart while running', () => {
  test('restart pauses the run, resets and stops at entry once', async () => {
    const dc = await startClient();
    try {
      await launch(dc, {});
      // `j .` at 0x80002000 keeps the hart busy.
      await dc.customRequest('writeMemory', {
        memoryReference: 'memory@0x80002000',
        data: Buffer.from([0x6f, 0, 0, 0]).toString('base64'),
      });
      const { scopes } = (await dc.scopesRequest({ frameId: 1 })).body;
      await dc.setVariableRequest({
        variablesReference: scopes.find((s) => s.name === 'Registers')!.variablesReference,
        name: 'pc',
        value: '0x80002000',
      });
      await dc.continueRequest({ threadId: 1 });
      await new Promise((r) => setTimeout(r, 100));
      const stops: string[] = [];
      dc.on('stopped', (e: DebugProtocol.StoppedEvent) => stops.push(e.body.reason));
      await runTo(dc, dc.restartRequest({}));
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(stops, ['entry']);
      const st = await dc.stackTraceRequest({ threadId: 1 });
      assert.equal(st.body.stackFrames[0]!.instructionPointerReference, '0x00001000');
      const mem = (await dc.customRequest('readMemory', {
        memoryReference: 'memory@0x80002000',
        count: 4,
      })) as DebugProtocol.ReadMemoryResponse;
      assert.notEqual(
        mem.body!.data,
        Buffer.from([0x6f, 0, 0, 0]).toString('base64'),
        'RAM back to the loaded image',
      );
    } finally {
      await dc.stop();
    }
  });
});

describe('debug adapter: read watchpoints and a program without debug information', () => {
  test('a read data breakpoint fires on the load of hello_counter', async () => {
    const dc = await startClient();
    try {
      await launch(dc, {
        before: async (c) => {
          const info = await c.dataBreakpointInfoRequest({ name: '&hello_counter' });
          assert.deepEqual(info.body.accessTypes, ['read', 'write', 'readWrite']);
          const set = await c.setDataBreakpointsRequest({
            breakpoints: [{ dataId: info.body.dataId!, accessType: 'read' }],
          });
          assert.equal(set.body.breakpoints[0]!.verified, true);
        },
      });
      const stop = await runTo(dc, dc.continueRequest({ threadId: 1 }));
      assert.equal(stop.body.reason, 'data breakpoint');
      assert.match(stop.body.description ?? '', /read \(4 byte\(s\)\) at 0x800003e8/);
      // The load `lw a1,0(s1)` at 0x800000d4 has completed.
      assert.equal(
        (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0]!
          .instructionPointerReference,
        '0x800000d6',
      );
    } finally {
      await dc.stop();
    }
  });

  test('a raw binary: no symbols or lines, frame-pointer unwinding is announced', async () => {
    const elf = parseElf(readFileSync(helloElf));
    const raw = join(mkdtempSync(join(tmpdir(), 'boardmap-raw-')), 'hello.bin');
    writeFileSync(raw, elf.loadSegments[0]!.data);
    const dc = await startClient();
    const notes: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => notes.push(e.body.output));
    try {
      const initialized = dc.waitForEvent('initialized');
      await dc.launchRequest({
        board: 'virt',
        program: raw,
        loadAddress: '0x80000000',
        stopOnEntry: true,
        cwd: root,
      } as DebugProtocol.LaunchRequestArguments);
      await initialized;
      const bp = await dc.setBreakpointsRequest({
        source: { path: helloC },
        breakpoints: [{ line: 41 }],
      });
      assert.equal(bp.body.breakpoints[0]!.verified, false);
      await dc.customRequest('setInstructionBreakpoints', {
        breakpoints: [{ instructionReference: '0x80000088' }],
      });
      await runTo(dc, dc.configurationDoneRequest());
      await runTo(dc, dc.continueRequest({ threadId: 1 }));
      const frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
      assert.equal(frames[0]!.name, '0x80000088');
      // No file: the frame's source is a disassembly listing of the code around it.
      assert.equal(frames[0]!.source?.path, undefined);
      assert.equal(frames[0]!.source?.origin, 'disassembly');
      assert.ok(notes.join('').includes('frame-pointer chain'));
    } finally {
      await dc.stop();
    }
  });
});

describe('debug adapter: restart reloads a program rebuilt on disk', () => {
  test('breakpoints are resolved again with their ids; the new program runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'boardmap-reload-'));
    mkdirSync(join(dir, 'build'));
    const program = join(dir, 'build', 'prog.elf');
    copyFileSync(helloElf, program);
    const source = join(dir, 'src', 'hello.c'); // where the ELF's relative DWARF paths point
    const dc = await startClient();
    try {
      let lineBp: DebugProtocol.Breakpoint | undefined;
      let mainBp: DebugProtocol.Breakpoint | undefined;
      await launch(dc, {
        program,
        before: async (c) => {
          lineBp = (
            await c.setBreakpointsRequest({ source: { path: source }, breakpoints: [{ line: 41 }] })
          ).body.breakpoints[0];
          mainBp = (await c.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'main' }] })).body
            .breakpoints[0];
        },
      });
      assert.equal(lineBp?.verified, true);
      copyFileSync(join(firmware, 'build', 'timer.elf'), program);
      const changed: DebugProtocol.Breakpoint[] = [];
      dc.on('breakpoint', (e: DebugProtocol.BreakpointEvent) => changed.push(e.body.breakpoint));
      const entry = await runTo(dc, dc.restartRequest({}));
      assert.equal(entry.body.reason, 'entry');
      const line = changed.find((b) => b.id === lineBp!.id)!;
      assert.equal(line.verified, false, 'timer.elf has no hello.c');
      const main = changed.find((b) => b.id === mainBp!.id)!;
      assert.equal(main.verified, true);
      assert.notEqual(
        main.instructionReference,
        mainBp!.instructionReference,
        "timer.elf's main is elsewhere",
      );
      const stop = await runTo(dc, dc.continueRequest({ threadId: 1 }));
      assert.equal(stop.body.reason, 'function breakpoint');
      const top = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0]!;
      assert.equal(top.name, 'main');
      assert.match(top.source?.path ?? '', /timer\.c$/);
    } finally {
      await dc.stop();
    }
  });
});

describe('debug adapter: live memory events while running', () => {
  test('a loop storing to RAM produces memory events for that page while it runs', async () => {
    const dc = await startClient();
    try {
      await launch(dc, {});
      // loop: sw t0,0(t1); addi t0,t0,1; j loop
      const code = [0x00532023, 0x00128293, 0xff9ff06f];
      const bytes = Buffer.alloc(12);
      code.forEach((w, i) => bytes.writeUInt32LE(w, i * 4));
      await dc.customRequest('writeMemory', {
        memoryReference: 'memory@0x80002000',
        data: bytes.toString('base64'),
      });
      const { scopes } = (await dc.scopesRequest({ frameId: 1 })).body;
      const regs = scopes.find((s) => s.name === 'Registers')!.variablesReference;
      await dc.setVariableRequest({ variablesReference: regs, name: 't1', value: '0x80003000' });
      await dc.setVariableRequest({ variablesReference: regs, name: 'pc', value: '0x80002000' });
      await settle(dc);
      // Every LIVE_REFRESH_MS while it runs, the page the loop stores to goes out (under its own
      // reference and the one written with): wait for them, however long a busy machine takes.
      const live = nextEvents<DebugProtocol.MemoryEvent>(dc, 'memory', 2);
      await dc.continueRequest({ threadId: 1 });
      await live.done;
      await runTo(dc, dc.pauseRequest({ threadId: 1 }));
      await settle(dc);
      live.stop();
      const events = live.events.map((e) => e.body);
      // Each change goes out under its page and under the reference the test wrote with.
      const absolute = (e: DebugProtocol.MemoryEvent['body']) =>
        BigInt(e.memoryReference.slice(e.memoryReference.indexOf('@') + 1)) + BigInt(e.offset);
      assert.ok(events.every((e) => absolute(e) === 0x8000_3000n && e.count === 4096));
      assert.ok(events.some((e) => e.memoryReference === 'memory@0x80003000' && e.offset === 0));
      assert.ok(
        events.some((e) => e.memoryReference === 'memory@0x80002000' && e.offset === 0x1000),
      );
      const counter = await dc.evaluateRequest({ expression: '*0x80003000', context: 'watch' });
      assert.ok(Number(counter.body.result.split(' ')[0]) > 1000, 'the loop ran');
    } finally {
      await dc.stop();
    }
  });
});
