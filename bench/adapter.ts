/**
 * Debug adapter benchmark (`npm run bench:adapter`): a real DAP client talks to dist/adapter.js
 * over stdio.
 *   dap.readMemory.64k: median ms for one 64 KiB readMemory of RAM (target ≤ 5)
 *   dap.step: median ms per instruction step (stepIn, granularity instruction) round trip to the
 *     stopped event (target ≤ 5)
 *   dap.continue.mips: MIPS of bench.elf from main to board_exit under the adapter, with source,
 *     function and exception breakpoints set (never hit on the way) (target ≥ 80% of cpu.mips)
 *   cpu.mips: the same stretch on the Machine in this process, no adapter (the reference)
 *   dap.continue.ratio: dap.continue.mips / cpu.mips
 *   dap.sourceStop.cold / .warm: ms from a `stopped` event to stackTrace + scopes + the Locals of
 *     frame 0 answered, on the ~200 KB -O2 -g firmware bench/debuginfo.ts builds (the stop at a
 *     function breakpoint, then the median of 20 instruction steps from there) (target ≤ 30 ms)
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { Machine } from '../src/machine/system';

const root = process.cwd();
const adapter = join(__dirname, '..', 'adapter.js');
const helloElf = join(root, 'examples', 'firmware', 'build', 'hello.elf');
const benchElf = join(root, 'examples', 'firmware', 'build', 'bench.elf');

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function client(): Promise<DebugClient> {
  const dc = new DebugClient('node', adapter, 'boardmap');
  dc.defaultTimeout = 60_000;
  await dc.start();
  await dc.initializeRequest({
    adapterID: 'boardmap',
    linesStartAt1: true,
    columnsStartAt1: true,
    pathFormat: 'path',
    supportsMemoryEvent: true,
  });
  return dc;
}

async function launch(
  dc: DebugClient,
  program: string,
  configure: (dc: DebugClient) => Promise<unknown>,
): Promise<void> {
  const initialized = dc.waitForEvent('initialized');
  await dc.launchRequest({
    board: 'virt',
    program,
    stopOnEntry: true,
    cwd: root,
  } as DebugProtocol.LaunchRequestArguments);
  await initialized;
  await configure(dc);
  await Promise.all([dc.waitForEvent('stopped'), dc.configurationDoneRequest()]);
}

async function untilStopped(dc: DebugClient, request: Promise<unknown>): Promise<void> {
  await Promise.all([dc.waitForEvent('stopped'), request]);
}

async function readAndStep(): Promise<void> {
  const dc = await client();
  await launch(dc, helloElf, async () => undefined);
  const reads: number[] = [];
  for (let i = 0; i < 60; i++) {
    const start = performance.now();
    const r = (await dc.customRequest('readMemory', {
      memoryReference: 'memory@0x80000000',
      count: 65536,
    })) as DebugProtocol.ReadMemoryResponse;
    reads.push(performance.now() - start);
    if (Buffer.from(r.body!.data!, 'base64').length !== 65536) throw new Error('short read');
  }
  console.log(`dap.readMemory.64k: ${median(reads.slice(10)).toFixed(2)} ms`);
  const steps: number[] = [];
  for (let i = 0; i < 300; i++) {
    const start = performance.now();
    await untilStopped(dc, dc.stepInRequest({ threadId: 1, granularity: 'instruction' }));
    steps.push(performance.now() - start);
  }
  console.log(`dap.step: ${median(steps.slice(20)).toFixed(2)} ms`);
  await dc.disconnectRequest({});
  await dc.stop();
}

async function instret(dc: DebugClient): Promise<number> {
  const r = await dc.evaluateRequest({
    expression: '($minstreth << 32) | $minstret',
    context: 'watch',
  });
  return Number(r.body.result.split(' ')[0]);
}

async function continueUnderAdapter(): Promise<number> {
  const dc = await client();
  await launch(dc, benchElf, async (c) => {
    await c.setFunctionBreakpointsRequest({
      breakpoints: [{ name: 'main' }, { name: 'board_exit' }, { name: 'trap_entry' }],
    });
    await c.setExceptionBreakpointsRequest({
      filters: ['unassigned', 'accessError', 'illegalInstruction'],
    });
  });
  await untilStopped(dc, dc.continueRequest({ threadId: 1 })); // at main
  const before = await instret(dc);
  const start = performance.now();
  await untilStopped(dc, dc.continueRequest({ threadId: 1 })); // at board_exit
  const seconds = (performance.now() - start) / 1000;
  const executed = (await instret(dc)) - before;
  await dc.disconnectRequest({});
  await dc.stop();
  return executed / seconds / 1e6;
}

async function inProcess(): Promise<number> {
  const machine = Machine.builtin('virt', {
    host: { yieldToHost: () => new Promise((r) => setImmediate(r)) },
  });
  const image = machine.loadProgram(readFileSync(benchElf), { name: benchElf });
  const symbol = (name: string) => image.symbols!.byName(name)!.value;
  machine.addBreakpoint(symbol('main'));
  await machine.run();
  machine.removeBreakpoint(symbol('main'));
  machine.addBreakpoint(symbol('board_exit'));
  const before = machine.cpu.instructionCount;
  const start = performance.now();
  const stop = await machine.run();
  const seconds = (performance.now() - start) / 1000;
  if (stop.reason !== 'breakpoint') throw new Error(`bench.elf stopped for ${stop.reason}`);
  const mips = (machine.cpu.instructionCount - before) / seconds / 1e6;
  machine.dispose();
  return mips;
}

/** Stop → stackTrace + scopes + Locals of frame 0, through the adapter. */
async function sourceStop(): Promise<void> {
  const elf = join(tmpdir(), 'boardmap-bench-debuginfo', 'small-4x28', 'small.elf');
  if (!existsSync(elf)) {
    console.log(
      'dap.sourceStop: skipped (run node dist/bench/debuginfo.js first to build the ELF)',
    );
    return;
  }
  const dc = await client();
  await launch(dc, elf, (c) =>
    c.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'step_u2_f20' }] }),
  );
  const times: number[] = [];
  let variables = 0;
  for (let i = 0; i < 21; i++) {
    // The first stop at the function breakpoint (cold), then 20 instruction steps (each a stop).
    const stopped = dc.waitForEvent('stopped');
    if (i === 0) await dc.continueRequest({ threadId: 1 });
    else await dc.stepInRequest({ threadId: 1, granularity: 'instruction' });
    await stopped;
    const start = performance.now();
    const { stackFrames } = (await dc.stackTraceRequest({ threadId: 1, levels: 20 })).body;
    const { scopes } = (await dc.scopesRequest({ frameId: stackFrames[0]!.id })).body;
    const locals = scopes.find((s) => s.name === 'Locals');
    if (!locals) throw new Error('no Locals scope');
    variables = (await dc.variablesRequest({ variablesReference: locals.variablesReference })).body
      .variables.length;
    times.push(performance.now() - start);
  }
  console.log(
    `dap.sourceStop.elf: ${(statSync(elf).size / 1e3).toFixed(0)} KB, ${variables} locals`,
  );
  console.log(`dap.sourceStop.cold: ${times[0]!.toFixed(2)} ms`);
  console.log(`dap.sourceStop.warm: ${median(times.slice(1)).toFixed(2)} ms`);
  console.log(
    `# load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  await dc.disconnectRequest({});
  await dc.stop();
}

async function main(): Promise<void> {
  await sourceStop();
  if (process.argv.includes('--source-only')) return;
  await readAndStep();
  const cpu: number[] = [];
  const dap: number[] = [];
  // Alternate the two so load changes on a shared machine hit both alike.
  for (let i = 0; i < 3; i++) {
    cpu.push(await inProcess());
    dap.push(await continueUnderAdapter());
  }
  const c = median(cpu);
  const d = median(dap);
  console.log(`cpu.mips: ${c.toFixed(1)} MIPS`);
  console.log(`dap.continue.mips: ${d.toFixed(1)} MIPS`);
  console.log(`dap.continue.ratio: ${(d / c).toFixed(3)} ratio`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
