/**
 * Issue 12 §3 and issue 19's debug-adapter items, each with its regression test: stable error
 * codes from real requests, every debugger write through Machine.writeMemory, bounded counts and
 * offsets, base64 sizes before decoding, unimplemented requests refused, arguments checked at the
 * door, initialize without pathFormat, cancel and completions, launch files that are not regular
 * files, and a trap storm stopping the debugger as an exception. Framing and `--port` are in
 * transport.test.ts; the fuzzer in fuzz.test.ts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { AdapterErrorCode } from '../../src/debug/errors';
import * as asm from '../../src/machine/asm';
import type { DebuggerWrite } from '../../src/machine';
import { minimalElf } from '../support/minimalElf';
import { firmware, helloElf, root } from './helpers';
import { errorId, errorOf, InProcessClient } from './inProcess';

const tickerElf = join(firmware, 'build', 'ticker.elf');
const b64 = (bytes: number[]) => Buffer.from(bytes).toString('base64');

async function launched(args: Record<string, unknown> = {}): Promise<InProcessClient> {
  const c = new InProcessClient();
  await c.launch({ board: 'virt', program: helloElf, cwd: root, ...args });
  return c;
}

function assertCode(r: DebugProtocol.Response, code: AdapterErrorCode, message?: RegExp): void {
  assert.equal(r.success, false, `${r.command} should fail`);
  assert.equal(errorId(r), code, `${r.command}: ${r.message}`);
  // shown to the user: their mistakes, except where the client shows them in place, or cancelled
  const inPlace = r.command === 'evaluate' || r.command === 'completions';
  assert.equal(
    errorOf(r)!.showUser,
    code !== AdapterErrorCode.Internal && code !== AdapterErrorCode.Cancelled && !inPlace,
  );
  if (message) assert.match(r.message ?? '', message);
}

describe('adapter errors: one type, stable codes', () => {
  let c: InProcessClient;
  before(async () => {
    c = await launched();
  });
  after(() => c.dispose());

  test('each user-mistake code is produced by a real request', async () => {
    const fresh = new InProcessClient();
    await fresh.request('initialize', { adapterID: 'boardmap' });
    assertCode(
      await fresh.request('readMemory', { memoryReference: 'memory@0x80000000', count: 4 }),
      AdapterErrorCode.NotLaunched,
      /launch first/,
    );
    assertCode(
      await fresh.request('initialize', { adapterID: 'boardmap' }),
      AdapterErrorCode.WrongState,
    );
    assertCode(
      await fresh.request('launch', { board: 'virt', program: '/nonexistent/x.elf' }),
      AdapterErrorCode.LaunchFailed,
      /cannot read program '\/nonexistent\/x.elf'/,
    );
    fresh.dispose();

    assertCode(
      await c.request('setBreakpoints', {
        source: { path: join(firmware, 'src', 'hello.c') },
        breakpoints: [{ line: 10, logMessage: 5 }],
      }),
      AdapterErrorCode.BadArgument,
      /setBreakpoints: breakpoints\[0\]\.logMessage: expected a string, got 5/,
    );
    assertCode(
      await c.request('readMemory', { memoryReference: 'nospace@0x0', count: 4 }),
      AdapterErrorCode.BadAddress,
      /no address space 'nospace'/,
    );
    assertCode(
      await c.request('writeMemory', { memoryReference: 'memory@0x1000', data: b64([1, 2]) }),
      AdapterErrorCode.RomWrite,
      /read-only region .*nothing written/,
    );
    assertCode(
      await c.request('writeMemory', { memoryReference: 'memory@0x0', data: b64([1]) }),
      AdapterErrorCode.UnreadableMemory,
      /nothing is mapped at 0x0/,
    );
    assertCode(
      await c.request('evaluate', { expression: '1 +', context: 'repl' }),
      AdapterErrorCode.BadExpression,
    );
    assertCode(
      await c.request('readMemory', { memoryReference: 'memory@0x80000000', count: 2 ** 30 }),
      AdapterErrorCode.TooLarge,
      /count: 1073741824 bytes is more than/,
    );
    for (const command of [
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
      'noSuchCommand',
    ]) {
      assertCode(await c.request(command, { threadId: 1 }), AdapterErrorCode.Unsupported);
    }
  });

  test('NotStopped while the machine runs', async () => {
    const t = new InProcessClient();
    await t.launch({ board: 'virt', program: tickerElf, cwd: root });
    try {
      assert.ok((await t.request('continue', { threadId: 1 })).success);
      assertCode(
        await t.request('stackTrace', { threadId: 1 }),
        AdapterErrorCode.NotStopped,
        /pause it first/,
      );
    } finally {
      t.dispose();
    }
  });

  test('a bug answers Internal (5000), not shown to the user, with the request named', async () => {
    const machine = c.session.machine!;
    const original = machine.disassemble.bind(machine);
    machine.disassemble = () => {
      throw new TypeError('boom');
    };
    try {
      const r = await c.request('disassemble', {
        memoryReference: 'memory@0x80000000',
        instructionCount: 4,
      });
      assertCode(r, AdapterErrorCode.Internal, /internal error in disassemble: boom/);
    } finally {
      machine.disassemble = original;
    }
  });

  test('an exception the base class catches is Internal (5000) too, not its own 1104', async () => {
    const session = c.session as unknown as { threadsRequest: () => void };
    const original = session.threadsRequest;
    session.threadsRequest = () => {
      throw new TypeError('kaboom');
    };
    try {
      assertCode(
        await c.request('threads'),
        AdapterErrorCode.Internal,
        /^internal error in threads: kaboom$/,
      );
    } finally {
      session.threadsRequest = original;
    }
    assert.ok((await c.request('threads')).success);
  });

  test('evaluate failures are not pushed to the user (the client shows them in place)', async () => {
    for (const context of ['hover', 'watch', 'repl', undefined]) {
      const r = await c.request('evaluate', { expression: 'no_such_symbol', context });
      assert.equal(errorId(r), AdapterErrorCode.BadExpression);
      assert.equal(errorOf(r)!.showUser, false, String(context));
      assert.equal(errorOf(r)!.sendTelemetry, undefined);
    }
    const rom = await c.request('writeMemory', { memoryReference: 'memory@0x1000', data: 'AA==' });
    assert.equal(errorOf(rom)!.showUser, true, 'a ROM write from the hex editor is shown');
  });

  test('docs/debugging.md documents every code', () => {
    const docs = readFileSync(join(root, 'docs', 'debugging.md'), 'utf8');
    for (const [name, code] of Object.entries(AdapterErrorCode)) {
      if (typeof code !== 'number') continue;
      assert.match(docs, new RegExp(`\\| ${code} +\\| \`${name}\``), `${name} (${code})`);
    }
  });
});

describe('every debugger write goes through Machine.writeMemory', () => {
  test('writeMemory, setExpression and setVariable (peripherals) each raise onDebuggerWrite', async () => {
    const c = await launched();
    try {
      const writes: DebuggerWrite[] = [];
      c.session.machine!.onDebuggerWrite((w) => writes.push(w));
      const w = await c.request('writeMemory', {
        memoryReference: 'memory@0x80002000',
        data: b64([1, 2, 3, 4]),
      });
      assert.ok(w.success, w.message);
      const e = await c.request('setExpression', {
        expression: '*(u16*)0x80002010',
        value: '0xbeef',
      });
      assert.ok(e.success, e.message);
      const scopes = (await c.request('scopes', { frameId: 1 })).body.scopes as {
        name: string;
        variablesReference: number;
      }[];
      const peripherals = scopes.find((s) => s.name === 'Peripherals')!;
      const devices = (
        await c.request('variables', { variablesReference: peripherals.variablesReference })
      ).body.variables as { name: string; variablesReference: number }[];
      const uart = devices.find((d) => d.name === 'uart0')!;
      const set = await c.request('setVariable', {
        variablesReference: uart.variablesReference,
        name: 'SCR',
        value: '0x5a',
      });
      assert.ok(set.success, set.message);
      assert.deepEqual(
        writes.map((x) => [x.address, x.length]),
        [
          [0x8000_2000n, 4],
          [0x8000_2010n, 2],
          [0x1000_0007n, 1],
        ],
      );
    } finally {
      c.dispose();
    }
  });

  test('no module of the adapter writes memory around the Machine', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (
          /\bdebugWrite\b|\.dispatchWrite\(|\.write(8|16|32|Bytes)\(/.test(
            readFileSync(path, 'utf8'),
          )
        )
          offenders.push(path);
      }
    };
    walk(join(root, 'src', 'debug'));
    assert.deepEqual(offenders, []);
  });
});

describe('bounded requests', () => {
  let c: InProcessClient;
  before(async () => {
    c = await launched();
  });
  after(() => c.dispose());

  /**
   * A request answered within @limitMs. The limits are generous for a shared, loaded machine;
   * before the fixes these requests took 5 s to hours, or never answered.
   */
  async function timed(command: string, args: unknown, limitMs: number) {
    const start = performance.now();
    const r = await c.request(command, args, limitMs * 4);
    const ms = performance.now() - start;
    assert.ok(ms < limitMs, `${command} took ${ms.toFixed(0)} ms`);
    return r;
  }

  test('disassemble with instructionOffset ±2^32 answers at once', async () => {
    for (const instructionOffset of [2 ** 32, -(2 ** 32), 2 ** 52]) {
      const r = await timed(
        'disassemble',
        { memoryReference: 'memory@0x80000000', instructionOffset, instructionCount: 50 },
        2000,
      );
      assertCode(r, AdapterErrorCode.TooLarge, /instructionOffset: .* is beyond ±65536/);
    }
    const ok = await timed(
      'disassemble',
      { memoryReference: 'memory@0x80000000', instructionOffset: -200, instructionCount: 400 },
      2000,
    );
    assert.equal((ok.body.instructions as unknown[]).length, 400);
  });

  test('counts, pages and levels out of range are refused at once', async () => {
    assertCode(
      await timed('variables', { variablesReference: 1, start: 2 ** 53, count: 10 }, 2000),
      AdapterErrorCode.BadArgument,
      /variables: start: expected an integer from 0 to 100000/,
    );
    assertCode(
      await timed('stackTrace', { threadId: 1, levels: 2 ** 31 }, 2000),
      AdapterErrorCode.BadArgument,
      /levels/,
    );
    assertCode(
      await timed('disassemble', { memoryReference: 'memory@0x0', instructionCount: 1e9 }, 2000),
      AdapterErrorCode.TooLarge,
    );
    assertCode(
      await timed('readMemory', { memoryReference: 'memory@0x0', count: 2 ** 40 }, 2000),
      AdapterErrorCode.TooLarge,
    );
    assertCode(
      await timed(
        'setBreakpoints',
        { source: { path: 'x.c' }, lines: new Array(20_000).fill(1) },
        2000,
      ),
      AdapterErrorCode.BadArgument,
      /lines: more than 10000 elements/,
    );
  });

  test("deeply nested expressions are the user's mistake, not a stack overflow", async () => {
    for (const expression of [
      '('.repeat(20_000) + '1' + ')'.repeat(20_000),
      '-'.repeat(60_000) + '1',
    ]) {
      assertCode(
        await timed('evaluate', { expression, context: 'repl' }, 2000),
        AdapterErrorCode.BadExpression,
        /nesting deeper than 256 levels/,
      );
    }
  });

  test('base64: 60,000 "=" answers at once; a 16 MiB write is refused before decoding', async () => {
    assertCode(
      await timed(
        'writeMemory',
        { memoryReference: 'memory@0x80002000', data: '='.repeat(60_000) + 'A' },
        2000,
      ),
      AdapterErrorCode.BadArgument,
      /data: base64:/,
    );
    await timed(
      'writeMemory',
      { memoryReference: 'memory@0x80002000', data: '='.repeat(1 << 20) },
      2000,
    );
    const huge = Buffer.alloc(16 << 20).toString('base64');
    assertCode(
      await timed('writeMemory', { memoryReference: 'memory@0x80000000', data: huge }, 2000),
      AdapterErrorCode.TooLarge,
    );
    assertCode(
      await timed('evaluate', { expression: '1+'.repeat(2 << 20) + '1', context: 'repl' }, 2000),
      AdapterErrorCode.BadArgument,
      /expression: longer than 65536 characters/,
    );
  });
});

describe('arguments at the door, initialize, cancel, completions', () => {
  test('non-string logMessage and numeric conditions are refused on all four breakpoint kinds', async () => {
    const c = await launched();
    try {
      const cases: [string, unknown, RegExp][] = [
        [
          'setBreakpoints',
          { source: { path: 'hello.c' }, breakpoints: [{ line: 3, logMessage: {} }] },
          /breakpoints\[0\]\.logMessage/,
        ],
        [
          'setFunctionBreakpoints',
          { breakpoints: [{ name: 'main', logMessage: 7 }] },
          /breakpoints\[0\]\.logMessage/,
        ],
        [
          'setInstructionBreakpoints',
          { breakpoints: [{ instructionReference: '0x80000000', condition: 1 }] },
          /breakpoints\[0\]\.condition: expected a string, got 1/,
        ],
        [
          'setDataBreakpoints',
          { breakpoints: [{ dataId: 'x', hitCondition: 3 }] },
          /breakpoints\[0\]\.hitCondition: expected a string, got 3/,
        ],
      ];
      for (const [command, args, message] of cases)
        assertCode(await c.request(command, args), AdapterErrorCode.BadArgument, message);
      // and the machine keeps going: nothing was stored
      const stopped = c.waitForEvent('terminated', 20_000);
      assert.ok((await c.request('continue', { threadId: 1 })).success);
      await stopped;
    } finally {
      c.dispose();
    }
  });

  test('initialize without pathFormat is accepted', async () => {
    const c = new InProcessClient();
    const r = await c.request('initialize', { adapterID: 'boardmap' });
    assert.ok(r.success, r.message);
    assert.equal(r.body.supportsCancelRequest, true);
    assert.equal(r.body.supportsCompletionsRequest, true);
    const uri = new InProcessClient();
    assertCode(
      await uri.request('initialize', { adapterID: 'boardmap', pathFormat: 'uri' }),
      AdapterErrorCode.BadArgument,
      /pathFormat 'uri'/,
    );
  });

  test('cancel: queued requests answer cancelled; answered ones are past cancelling', async () => {
    const c = await launched();
    try {
      const seqs = [1, 2, 3, 4].map(() =>
        c.send('readMemory', { memoryReference: 'memory@0x80000000', count: 1 << 20 }),
      );
      const cancel = c.send('cancel', { requestId: seqs[3] });
      const late = c.send('cancel', { requestId: 1 });
      const answers = await Promise.all(seqs.map((s) => c.response(s)));
      assert.deepEqual(
        answers.map((r) => r.success),
        [true, true, true, false],
      );
      assertCode(answers[3]!, AdapterErrorCode.Cancelled);
      assert.equal(answers[3]!.message, 'cancelled');
      assert.ok((await c.response(cancel)).success);
      assert.ok((await c.response(late)).success);
    } finally {
      c.dispose();
    }
  });

  test('completions: monitor commands, registers, CSRs and symbols', async () => {
    const c = await launched();
    try {
      const labels = async (text: string, column = text.length + 1) =>
        (
          (await c.request('completions', { text, column })).body.targets as { label: string }[]
        ).map((t) => t.label);
      assert.deepEqual(await labels('info '), ['info mtree', 'info registers']);
      assert.ok((await labels('$ms')).includes('$mstatus'));
      assert.ok((await labels('hello_c')).includes('hello_counter'));
      assert.ok((await labels('x + mep')).includes('mepc'));
      const t = (await c.request('completions', { text: 'x + mep', column: 8 })).body
        .targets[0] as DebugProtocol.CompletionItem;
      assert.equal(t.start, 5, '1-based start of the word (the client counts columns from 1)');
      assert.equal(t.length, 3);
    } finally {
      c.dispose();
    }
  });
});

describe('launch refuses files that are not regular or too large', () => {
  const dir = mkdtempSync(join(tmpdir(), 'boardmap-launch-'));
  const fifo = join(dir, 'fifo.elf');
  spawnSync('mkfifo', [fifo]);
  const big = join(dir, 'big.elf');
  writeFileSync(big, '');
  truncateSync(big, 300 << 20); // sparse

  const bootFifo = join(dir, 'boot.board');
  writeFileSync(
    bootFifo,
    `board boot-fifo
container system size 2^32 {
  ram dram @ 0x8000_0000 size 1M
}
space memory = system
cpu hart0 : rv32imac { space = memory, reset = 0x8000_0000, boot = "fifo.elf" }
`,
  );

  for (const [what, args, message] of [
    ['a FIFO program', { program: fifo }, /program '.*fifo\.elf' is a FIFO, not a regular file/],
    ['a device program', { program: '/dev/zero' }, /is a device, not a regular file/],
    ['a directory board', { board: dir }, /board '.*' is a directory, not a regular file/],
    ['a board whose boot is a FIFO', { board: bootFifo }, /program '.*fifo\.elf' is a FIFO/],
    [
      'a huge program',
      { program: big },
      /is 314572800 bytes, more than the 268435456 a launch reads/,
    ],
  ] as const) {
    test(what, async () => {
      const c = new InProcessClient();
      await c.request('initialize', { adapterID: 'boardmap' });
      const start = performance.now();
      const r = await c.request('launch', { board: 'virt', ...args }, 5000);
      assert.ok(performance.now() - start < 2000);
      assertCode(r, AdapterErrorCode.LaunchFailed, message);
    });
  }
});

describe('a trap storm stops the debugger as an exception', () => {
  test('mtvec on zeroed RAM with no exception filter set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'boardmap-storm-'));
    const elf = join(dir, 'storm.elf');
    const code = asm.assemble([...asm.li(asm.t0, 0x8010_0000), asm.csrw(0x305, asm.t0), 0]);
    writeFileSync(elf, minimalElf(code, 0x8000_0000));
    const c = new InProcessClient();
    try {
      const entry = await c.launch({ board: 'virt', program: elf }, () =>
        c.request('setExceptionBreakpoints', { filters: [] }),
      );
      assert.equal(entry.body.reason, 'entry');
      const stop = c.waitForEvent('stopped', 20_000);
      await c.request('continue', { threadId: 1 });
      const body = (await stop).body as DebugProtocol.StoppedEvent['body'];
      assert.equal(body.reason, 'exception');
      assert.match(body.description ?? '', /stuck in a trap loop/);
      assert.match(body.text ?? '', /trap storm: .*illegal instruction/);
    } finally {
      c.dispose();
    }
  });
});
