/**
 * VS Code's built-in debug-memory path against the real adapter: the `vscode-debug-memory` file
 * system (what "View Binary Data" and ms-vscode.hexeditor use) turns workspace.fs reads and writes
 * of `vscode-debug-memory://<session>/<encodeURIComponent(reference)>/memory.bin?range=<from>:<to>`
 * into DAP readMemory/writeMemory. Each test asserts both ends: what VS Code sent and the adapter
 * answered (recorded by a DebugAdapterTracker), and what workspace.fs returned or threw.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { describe, test } from './runner';
import {
  DapRecorder,
  readElf32Image,
  startSession,
  stopSession,
  type DapExchange,
  type LoadSegment,
} from './debugSession';

const DEBUG_MEMORY_SCHEME = 'vscode-debug-memory';
const SESSION_NAME = 'Boardmap: built-in debug memory path';
/** RAM well away from hello.elf's image and stack: free for writes. */
const SCRATCH = 0x80100000;
/** virt's mask ROM (`riscv_virt_board.mrom`, 0x1000-0xffff) and the hole after it. */
const MROM = 0x1000;
const MROM_END = 0x10000;
/** virt's RAM is 0x80000000-0x87ffffff; nothing is mapped right after it. */
const RAM_END = 0x88000000;

interface Live {
  session: vscode.DebugSession;
  recorder: DapRecorder;
  /** The address-space part of the adapter's memory references (`<space>@0x…`). */
  space: string;
  /** hello.elf's loadable bytes. */
  image: LoadSegment[];
  /** hello.elf's entry point, the start of .text. */
  entry: number;
}

let live: Live | undefined;

function need(): Live {
  assert.ok(live, 'no debug session: the test that starts it failed');
  return live;
}

const hex = (n: number) => `0x${n.toString(16)}`;
const reference = (address: number) => `${need().space}@${hex(address)}`;

/** The URI VS Code's "View Binary Data" builds (debugModel getUriForDebugMemory), with a range. */
function memoryUri(ref: string, from: number, to: number): vscode.Uri {
  return vscode.Uri.from({
    scheme: DEBUG_MEMORY_SCHEME,
    authority: need().session.id,
    path: `/${encodeURIComponent(ref)}/memory.bin`,
    query: `range=${from}:${to}`,
  });
}

/** The adapter's own answer, through a customRequest (not through VS Code's file system). */
async function adapterRead(address: number, count: number): Promise<Uint8Array> {
  const body = (await need().session.customRequest('readMemory', {
    memoryReference: reference(address),
    offset: 0,
    count,
  })) as { data?: string; unreadableBytes?: number };
  assert.equal(body.unreadableBytes ?? 0, 0, `adapter readMemory at ${hex(address)}`);
  return Buffer.from(body.data ?? '', 'base64');
}

function imageBytes(address: number, count: number): Uint8Array {
  const segment = need().image.find(
    (s) => s.address <= address && address + count <= s.address + s.bytes.length,
  );
  assert.ok(segment, `hello.elf has no loadable bytes for ${hex(address)}+${count}`);
  return segment.bytes.subarray(address - segment.address, address - segment.address + count);
}

/** Requests of `command` that VS Code sent since `mark`, each with the adapter's response. */
function sent(command: string, mark: number): DapExchange[] {
  const exchanges = need().recorder.commands(command, mark);
  for (const e of exchanges) assert.ok(e.response, `${command} seq ${e.request.seq} unanswered`);
  return exchanges;
}

/**
 * Watches the memory of a reference as a VS Code view opened on it is told of changes: VS Code's
 * debug-memory provider reports a change of `<session>/<reference>` when the adapter sends a
 * `memory` event whose memoryReference is textually this reference. (ms-vscode.hexeditor watches
 * `RelativePattern(<session>/<reference>, 'memory.bin')`; in VS Code 1.100 that pattern never
 * fires, because the provider reports the watched folder itself, so we match any name under it.)
 */
function watchMemory(ref: string): { changes: () => number; dispose(): void } {
  const folder = memoryUri(ref, 0, 0).with({ path: `/${encodeURIComponent(ref)}`, query: '' });
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '*'));
  let changes = 0;
  const listener = watcher.onDidChange(() => changes++);
  return {
    changes: () => changes,
    dispose() {
      listener.dispose();
      watcher.dispose();
    },
  };
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

const bytesOf = (data: unknown) => [...Buffer.from(typeof data === 'string' ? data : '', 'base64')];

describe('VS Code built-in debug memory path (vscode-debug-memory file system)', () => {
  test(
    'a session on virt with hello.elf starts and stops on entry',
    async () => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      assert.ok(folder, 'the suite needs the examples folder open');
      const program = join(folder.uri.fsPath, 'firmware', 'build', 'hello.elf');
      const { entry, segments: image } = readElf32Image(program);
      const recorder = new DapRecorder('boardmap');
      let session: vscode.DebugSession;
      try {
        session = await startSession(folder, {
          type: 'boardmap',
          request: 'launch',
          name: SESSION_NAME,
          board: 'virt',
          program,
          stopOnEntry: true,
        });
        await recorder.until(
          () => recorder.events.some((e) => e.event === 'stopped'),
          'the stopped event',
        );
      } catch (error) {
        recorder.dispose();
        throw error;
      }
      try {
        const stopped = recorder.events.find((e) => e.event === 'stopped')!;
        assert.equal(stopped.body?.reason, 'entry');
        const capabilities = recorder.commands('initialize')[0]?.response?.body ?? {};
        assert.equal(capabilities.supportsReadMemoryRequest, true);
        assert.equal(capabilities.supportsWriteMemoryRequest, true);

        // The reference the adapter hands out for an address names the space to use.
        const evaluated = (await session.customRequest('evaluate', {
          expression: hex(entry),
          context: 'watch',
        })) as { memoryReference?: string };
        const entryReference = evaluated.memoryReference ?? '';
        assert.match(
          entryReference,
          new RegExp(`^[^@]+@${hex(entry)}$`),
          `memoryReference of ${hex(entry)}: ${JSON.stringify(evaluated)}`,
        );
        const space = entryReference.slice(0, entryReference.lastIndexOf('@'));
        assert.ok(
          image.some((s) => s.address === entry && s.bytes.length >= 0x140),
          `hello.elf has a loadable segment of at least 0x140 bytes at its entry ${hex(entry)}`,
        );
        live = { session, recorder, space, image, entry };
      } catch (error) {
        await stopSession(session).catch(() => undefined);
        recorder.dispose();
        throw error;
      }
    },
    { timeoutMs: 30_000 },
  );

  test('readFile with ?range= returns the ELF bytes: one readMemory at reference + from', async () => {
    const { recorder, entry: textStart } = need();
    const from = 0x40;
    const to = 0x140;
    const mark = recorder.mark();
    const bytes = await vscode.workspace.fs.readFile(memoryUri(reference(textStart), from, to));
    assert.deepEqual([...bytes], [...imageBytes(textStart + from, to - from)]);
    const reads = sent('readMemory', mark);
    assert.deepEqual(reads[0]?.request.arguments, {
      memoryReference: reference(textStart),
      offset: from,
      count: to - from,
    });
    assert.deepEqual(bytesOf(reads[0]?.response?.body?.data), [...bytes]);
    // Whatever else VS Code asked (a read past the range's end) returned no bytes.
    for (const e of reads.slice(1)) assert.deepEqual(bytesOf(e.response?.body?.data), []);
    assert.deepEqual([...(await adapterRead(textStart + from, to - from))], [...bytes]);
  });

  test('readFile of the whole loadable segment equals the file contents', async () => {
    const segment = need().image.find((s) => s.address === need().entry)!;
    const bytes = await vscode.workspace.fs.readFile(
      memoryUri(reference(segment.address), 0, segment.bytes.length),
    );
    assert.equal(bytes.length, segment.bytes.length);
    assert.deepEqual([...bytes], [...segment.bytes]);
  });

  test('a read running into a hole returns only the readable prefix (adapter: unreadableBytes)', async () => {
    const { recorder } = need();
    const start = MROM_END - 0x100;
    const mark = recorder.mark();
    const bytes = await vscode.workspace.fs.readFile(memoryUri(reference(start), 0, 0x200));
    const first = sent('readMemory', mark)[0];
    assert.deepEqual(first?.request.arguments, {
      memoryReference: reference(start),
      offset: 0,
      count: 0x200,
    });
    assert.equal(first?.response?.success, true);
    assert.equal(first?.response?.body?.unreadableBytes, 0x100);
    assert.equal(bytes.length, 0x100, 'VS Code ends the file at the first unreadable byte');
    assert.deepEqual([...bytes], [...(await adapterRead(start, 0x100))]);
  });

  test('a read starting in a hole returns an empty file, not an error', async () => {
    const { recorder } = need();
    const mark = recorder.mark();
    const bytes = await vscode.workspace.fs.readFile(memoryUri(reference(MROM_END), 0, 16));
    assert.equal(bytes.length, 0);
    const first = sent('readMemory', mark)[0];
    assert.equal(first?.response?.success, true);
    assert.equal(first?.response?.body?.unreadableBytes, 16);
    assert.deepEqual(bytesOf(first?.response?.body?.data), []);
  });

  test('writeFile with ?range= into RAM reaches the engine at reference + from', async () => {
    const { session, recorder } = need();
    const pattern = Uint8Array.from([0xde, 0xad, 0xbe, 0xef, 0x01, 0x23, 0x45, 0x67]);
    const from = 16;
    const target = SCRATCH + from;
    assert.notDeepEqual([...(await adapterRead(target, 8))], [...pattern], 'already there');
    const mark = recorder.mark();
    await vscode.workspace.fs.writeFile(
      memoryUri(reference(SCRATCH), from, from + pattern.length),
      pattern,
    );
    const writes = sent('writeMemory', mark);
    assert.equal(writes.length, 1, 'one writeMemory for one contiguous range');
    assert.deepEqual(writes[0]!.request.arguments, {
      memoryReference: reference(SCRATCH),
      offset: from,
      data: Buffer.from(pattern).toString('base64'),
      allowPartial: true,
    });
    assert.equal(writes[0]!.response?.success, true);
    assert.equal(writes[0]!.response?.body?.bytesWritten, pattern.length);

    assert.deepEqual([...(await adapterRead(target, pattern.length))], [...pattern]);
    const dump = (await session.customRequest('evaluate', {
      expression: `x/4xb ${hex(target)}`,
      context: 'repl',
    })) as { result: string };
    assert.equal(dump.result.trim(), `${target.toString(16)}: 0xde 0xad 0xbe 0xef`);
    const again = await vscode.workspace.fs.readFile(memoryUri(reference(target), 0, 8));
    assert.deepEqual([...again], [...pattern]);
    // The adapter announced the change (what refreshes open hex editors).
    await recorder.until(
      () =>
        recorder.events.some((e) => {
          if (e.event !== 'memory' || typeof e.body?.memoryReference !== 'string') return false;
          const ref = e.body.memoryReference;
          const base = Number(ref.slice(ref.lastIndexOf('@') + 1));
          const at = base + Number(e.body.offset ?? 0);
          return at <= target && target + 8 <= at + Number(e.body.count);
        }),
      `a memory event covering ${hex(target)}+8`,
      5_000,
    );
  });

  test('a change under a reference the adapter handed out refreshes VS Code views opened on it', async () => {
    const { session } = need();
    // "View Binary Data" on hello_counter opens the reference the adapter gave for it.
    const evaluated = (await session.customRequest('evaluate', {
      expression: '&hello_counter',
      context: 'watch',
    })) as { memoryReference?: string };
    const counterReference = evaluated.memoryReference ?? '';
    const counter = Number(counterReference.slice(counterReference.lastIndexOf('@') + 1));
    assert.match(counterReference, /@0x[0-9a-f]+$/, JSON.stringify(evaluated));
    const page = counter - (counter % 4096);
    assert.notEqual(counter, page, 'hello_counter is not page-aligned, like most variables');
    // Watchers start asynchronously in the workbench: write until the page view, created last,
    // sees a change; the counter view, created first, was watching by then.
    const counterView = watchMemory(counterReference);
    const pageView = watchMemory(reference(page));
    try {
      const deadline = Date.now() + 5_000;
      while (pageView.changes() === 0 && Date.now() < deadline) {
        // The Boardmap hex editor writes with a page reference and an offset.
        await session.customRequest('writeMemory', {
          memoryReference: reference(page),
          offset: counter - page,
          data: Buffer.from([0x2a, 0, 0, 0]).toString('base64'),
        });
        await waitUntil(() => pageView.changes() > 0, 500);
      }
      assert.ok(
        pageView.changes() > 0,
        `no change reported for a view on ${reference(page)}: VS Code's watcher is not working`,
      );
      const told = await waitUntil(() => counterView.changes() > 0, 2_000);
      const lastEvent = need()
        .recorder.events.filter((e) => e.event === 'memory')
        .at(-1)?.body;
      assert.ok(
        told,
        `a view on ${counterReference} was not told its bytes changed: VS Code matches memory ` +
          `events by identical memoryReference, the adapter sent ${JSON.stringify(lastEvent)}`,
      );
    } finally {
      counterView.dispose();
      pageView.dispose();
    }
  });

  test('writeFile into the mask ROM is refused with the adapter message; nothing changes', async () => {
    const { recorder } = need();
    const before = await adapterRead(MROM, 4);
    const mark = recorder.mark();
    await assert.rejects(
      Promise.resolve(
        vscode.workspace.fs.writeFile(memoryUri(reference(MROM), 0, 4), Uint8Array.of(1, 2, 3, 4)),
      ),
      (error: Error) => {
        assert.match(error.message, /0x1000 is in read-only region 'riscv_virt_board\.mrom'/);
        return true;
      },
    );
    const writes = sent('writeMemory', mark);
    assert.equal(writes.length, 1);
    assert.equal(writes[0]!.response?.success, false);
    assert.match(writes[0]!.response?.message ?? '', /read-only region .*nothing written/);
    assert.deepEqual([...(await adapterRead(MROM, 4))], [...before]);
  });

  test('a write from RAM into the hole after it lands the RAM part and reports the rest', async () => {
    const { recorder } = need();
    const start = RAM_END - 4;
    const pattern = Uint8Array.from([0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88]);
    const mark = recorder.mark();
    await assert.rejects(
      Promise.resolve(vscode.workspace.fs.writeFile(memoryUri(reference(start), 0, 8), pattern)),
      (error: Error) => {
        assert.match(error.message, /nothing is mapped at 0x88000000/);
        return true;
      },
    );
    const writes = sent('writeMemory', mark);
    assert.equal(writes[0]?.response?.success, true);
    assert.equal(writes[0]?.response?.body?.bytesWritten, 4);
    // VS Code's file service writes the rest again from where the adapter stopped.
    assert.deepEqual(writes[1]?.request.arguments, {
      memoryReference: reference(start),
      offset: 4,
      data: Buffer.from(pattern.subarray(4)).toString('base64'),
      allowPartial: true,
    });
    assert.equal(writes[1]?.response?.success, false);
    assert.equal(writes.length, 2);
    assert.deepEqual([...(await adapterRead(start, 4))], [...pattern.subarray(0, 4)]);
  });

  test('the session ends cleanly', async () => {
    const { session, recorder } = need();
    try {
      await stopSession(session);
      const disconnect = recorder.commands('disconnect').at(-1);
      assert.ok(disconnect, 'VS Code sent no disconnect');
      assert.equal(disconnect.response?.success, true);
      await assert.rejects(
        Promise.resolve(vscode.workspace.fs.readFile(memoryUri(reference(SCRATCH), 0, 4))),
        'a memory URI of an ended session still reads',
      );
    } finally {
      recorder.dispose();
      live = undefined;
    }
  });
});
