/**
 * The transports: stdio framing that survives bad frames (body not JSON, `null`, Content-Length
 * shorter or longer than the body, a bad Content-Length) against the real dist/adapter.js, and
 * `--port`: HTTP-wrapped DAP refused, the launch token, and a dropped connection ending its
 * session (machine stopped and released).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import fc from 'fast-check';
import { startAdapterServer, type AdapterServer } from '../../src/debug/session';
import { AdapterErrorCode } from '../../src/debug/errors';
import { adapterPath, ensureBuilt, firmware, root, waitFor } from './helpers';
import { errorId } from './inProcess';
import { numRuns } from '../support/property';

const tickerElf = join(firmware, 'build', 'ticker.elf');

function frame(body: string, length = Buffer.byteLength(body)): string {
  return `Content-Length: ${length}\r\n\r\n${body}`;
}

function request(seq: number, command: string, args?: unknown): string {
  return JSON.stringify({ seq, type: 'request', command, ...(args ? { arguments: args } : {}) });
}

/** Reads DAP frames from a stream (the adapter's output is well-formed). */
class FrameCollector {
  readonly messages: DebugProtocol.ProtocolMessage[] = [];
  private buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];

  constructor(stream: NodeJS.ReadableStream) {
    stream.on('data', (d: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, d]);
      for (;;) {
        const end = this.buffer.indexOf('\r\n\r\n');
        if (end < 0) break;
        const length = Number(
          /Content-Length: (\d+)/.exec(this.buffer.toString('latin1', 0, end))![1],
        );
        if (this.buffer.length < end + 4 + length) break;
        this.messages.push(JSON.parse(this.buffer.toString('utf8', end + 4, end + 4 + length)));
        this.buffer = this.buffer.subarray(end + 4 + length);
      }
      for (const w of this.waiters.splice(0)) w();
    });
  }

  response(seq: number, timeoutMs = 10_000): Promise<DebugProtocol.Response> {
    return this.until(
      () =>
        this.messages.find(
          (m): m is DebugProtocol.Response =>
            m.type === 'response' && (m as DebugProtocol.Response).request_seq === seq,
        ),
      `response to ${seq}`,
      timeoutMs,
    );
  }

  event(name: string, timeoutMs = 10_000): Promise<DebugProtocol.Event> {
    return this.until(
      () =>
        this.messages.find(
          (m): m is DebugProtocol.Event =>
            m.type === 'event' && (m as DebugProtocol.Event).event === name,
        ),
      `event ${name}`,
      timeoutMs,
    );
  }

  responsesTo(seq: number): number {
    return this.messages.filter(
      (m) => m.type === 'response' && (m as DebugProtocol.Response).request_seq === seq,
    ).length;
  }

  private async until<T>(find: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
  }
}

describe('stdio framing survives bad frames', () => {
  let child: ChildProcessWithoutNullStreams;
  let out: FrameCollector;
  let stderr = '';
  let exited: number | null | undefined;
  before(() => {
    ensureBuilt();
    child = spawn(process.execPath, [adapterPath], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => (exited = code));
    out = new FrameCollector(child.stdout);
  });
  after(() => child.kill());
  /** stderr is its own pipe: its text may arrive after the response on stdout. */
  const logged = (pattern: RegExp) =>
    waitFor(() => pattern.test(stderr), 5000).catch(() => assert.match(stderr, pattern));

  test('a body that is not JSON is logged; the next request is answered', async () => {
    child.stdin.write(frame('hello, not json'));
    child.stdin.write(frame(request(1, 'initialize', { adapterID: 'boardmap' })));
    const r = await out.response(1);
    assert.ok(r.success, r.message);
    await logged(/a frame body that is not JSON \(15 bytes\) was ignored/);
  });

  test('null, an array and a number as bodies are logged', async () => {
    child.stdin.write(frame('null') + frame('[1,2]') + frame('42'));
    child.stdin.write(frame(request(2, 'threads')));
    assert.ok((await out.response(2)).success);
    await logged(/body is null/);
    await logged(/body is an array/);
  });

  test('a JSON request without command, or with a wrong type, is answered with an error', async () => {
    child.stdin.write(frame(JSON.stringify({ seq: 3, type: 'request' })));
    child.stdin.write(frame(JSON.stringify({ seq: 4, type: 'nonsense', command: 'threads' })));
    assert.equal(errorId(await out.response(3)), AdapterErrorCode.BadArgument);
    assert.equal(errorId(await out.response(4)), AdapterErrorCode.BadArgument);
  });

  test('a Content-Length shorter than the body: that request is answered, then resync', async () => {
    const body = request(5, 'threads', { extra: 'x'.repeat(50) });
    child.stdin.write(frame(body, body.indexOf(',"arguments"')));
    child.stdin.write(frame(request(6, 'threads')));
    const cut = await out.response(5);
    assert.equal(errorId(cut), AdapterErrorCode.BadArgument);
    assert.match(cut.message ?? '', /not valid JSON \(is Content-Length right\?\)/);
    assert.ok((await out.response(6)).success);
    await logged(/skipped \d+ bytes before a Content-Length header/);
  });

  test('a Content-Length longer than the body: both frames are answered', async () => {
    const first = request(7, 'threads');
    const second = frame(request(8, 'threads'));
    child.stdin.write(frame(first, Buffer.byteLength(first) + 200) + second);
    assert.ok((await out.response(7)).success);
    assert.ok((await out.response(8)).success);
    await logged(/a Content-Length of \d+ was longer than its body/);
  });

  test('a Content-Length longer than everything that follows: the next frame resynchronises', async () => {
    const first = request(9, 'threads');
    child.stdin.write(frame(first, 100_000));
    await new Promise((r) => setTimeout(r, 50));
    child.stdin.write(frame(request(10, 'threads')));
    assert.ok((await out.response(9)).success);
    assert.ok((await out.response(10)).success);
  });

  test('a bad or missing Content-Length is skipped to the next header', async () => {
    child.stdin.write('Content-Length: abc\r\n\r\n{"seq":11}');
    child.stdin.write('Content-Type: application/json\r\n\r\n');
    child.stdin.write(frame(request(12, 'threads')));
    assert.ok((await out.response(12)).success);
    assert.equal(out.responsesTo(11), 0);
    await logged(/Content-Length 'abc'/);
  });

  test('a 16 MiB writeMemory is refused at once, over the pipe too', async (t) => {
    child.stdin.write(frame(request(14, 'launch', { board: 'virt' })));
    assert.ok((await out.response(14)).success);
    const data = Buffer.alloc(16 << 20).toString('base64');
    const start = performance.now();
    child.stdin.write(
      frame(request(15, 'writeMemory', { memoryReference: 'memory@0x80000000', data })),
    );
    const r = await out.response(15, 30_000);
    const ms = performance.now() - start;
    t.diagnostic(
      `16 MiB writeMemory (${data.length} base64 characters) refused in ${ms.toFixed(0)} ms`,
    );
    assert.equal(errorId(r), AdapterErrorCode.TooLarge);
    assert.ok(ms < 5000, `took ${ms.toFixed(0)} ms`);
  });

  test('every request got exactly one response and the adapter is still alive', async () => {
    for (const seq of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 15])
      assert.equal(out.responsesTo(seq), 1, `seq ${seq}`);
    assert.equal(exited, undefined);
    child.stdin.write(frame(request(13, 'disconnect')));
    assert.ok((await out.response(13)).success);
  });
});

describe('stdio framing fuzz', () => {
  let child: ChildProcessWithoutNullStreams;
  let out: FrameCollector;
  let exited: number | null | undefined;
  before(() => {
    ensureBuilt();
    child = spawn(process.execPath, [adapterPath], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stderr.resume();
    child.on('exit', (code) => (exited = code));
    out = new FrameCollector(child.stdout);
  });
  after(() => child.kill());

  let seq = 1000;
  /** One bad thing on the wire; requests it carries get seqs that may or may not be answered. */
  const badFrame: fc.Arbitrary<() => string> = fc.oneof(
    fc.string({ maxLength: 40 }).map((t) => () => frame(`x${t}`)), // not JSON
    fc
      .constantFrom('null', '[]', '42', '"s"', 'true', '{}', '{"type":"request"}', '{"seq":"1"}')
      .map((b) => () => frame(b)),
    fc.nat(30).map((cut) => () => {
      const body = request(seq++, 'threads', { pad: 'p'.repeat(40) });
      return frame(body, Math.min(cut, body.length - 1)); // shorter than the body
    }),
    fc.nat(300).map((extra) => () => {
      const body = request(seq++, 'threads');
      return frame(body, Buffer.byteLength(body) + 1 + extra) + frame(request(seq++, 'threads'));
    }),
    fc
      .string({ minLength: 1, maxLength: 60 })
      .filter((t) => !/content-length/i.test(t))
      .map((t) => () => t), // noise between frames
    fc
      .constantFrom(
        'Content-Length: -1\r\n\r\n',
        'Content-Length: 1e3\r\n\r\n',
        'Content-Length:\r\n\r\n',
        'X: y\r\n\r\n',
      )
      .map((h) => () => h),
    fc.constant(() => frame(request(seq++, 'threads'))), // a good one in between
  );

  test('after any mix of bad frames the next request is answered, once, and the adapter lives', async (t) => {
    let frames = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(badFrame, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        async (bad, oneChunk) => {
          const first = seq;
          const parts = bad.map((make) => make());
          frames += parts.length;
          const probe = seq++;
          parts.push(frame(request(probe, 'threads')));
          if (oneChunk) child.stdin.write(parts.join(''));
          else for (const p of parts) child.stdin.write(p);
          const r = await out.response(probe, 5000);
          assert.ok(r.success);
          for (let s = first; s <= probe; s++)
            assert.ok(out.responsesTo(s) <= 1, `seq ${s} answered twice`);
          assert.equal(exited, undefined, 'the adapter is alive');
        },
      ),
      { numRuns: numRuns(200) },
    );
    t.diagnostic(`${frames} bad frames, ${seq - 1000} requests on the wire`);
  });
});

/** A raw DAP connection to the server. */
async function dial(
  server: AdapterServer,
): Promise<{ socket: Socket; out: FrameCollector; closed: Promise<void> }> {
  const socket = connect(server.address().port, '127.0.0.1');
  await new Promise<void>((r) => socket.once('connect', () => r()));
  const closed = new Promise<void>((r) => socket.once('close', () => r()));
  socket.on('error', () => undefined);
  return { socket, out: new FrameCollector(socket), closed };
}

describe('--port', () => {
  let server: AdapterServer;
  before(async () => {
    server = await startAdapterServer({ port: 0 });
  });
  after(() => server.close());

  test('DAP wrapped in an HTTP POST is refused: the connection closes, nothing runs', async () => {
    const { socket, out, closed } = await dial(server);
    const body = request(1, 'initialize', { adapterID: 'boardmap' });
    socket.write(
      `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    await closed;
    assert.equal(out.messages.length, 0);
  });

  test('another header field next to Content-Length closes the connection', async () => {
    const { socket, closed } = await dial(server);
    socket.write(`Content-Length: 2\r\nX-Evil: 1\r\n\r\n{}`);
    await closed;
  });

  test('a launch without the token is refused; with it the machine runs', async () => {
    const { socket, out } = await dial(server);
    socket.write(frame(request(1, 'initialize', { adapterID: 'boardmap' })));
    assert.ok((await out.response(1)).success);
    socket.write(frame(request(2, 'launch', { board: 'virt', program: tickerElf, cwd: root })));
    const refused = await out.response(2);
    assert.equal(errorId(refused), AdapterErrorCode.Unauthorized);
    socket.write(
      frame(
        request(3, 'launch', { board: 'virt', program: tickerElf, adapterToken: 'wrong-token' }),
      ),
    );
    assert.equal(errorId(await out.response(3)), AdapterErrorCode.Unauthorized);
    socket.write(
      frame(
        request(4, 'launch', { board: 'virt', program: tickerElf, adapterToken: server.token }),
      ),
    );
    assert.ok((await out.response(4)).success);
    socket.destroy();
  });

  test('a client that drops the connection without disconnect ends its session', async () => {
    const { socket, out } = await dial(server);
    socket.write(frame(request(1, 'initialize', { adapterID: 'boardmap' })));
    socket.write(
      frame(
        request(2, 'launch', { board: 'virt', program: tickerElf, adapterToken: server.token }),
      ),
    );
    assert.ok((await out.response(2)).success);
    socket.write(frame(request(3, 'configurationDone')));
    await out.response(3);
    const session = [...server.sessions].find((s) => s.machine?.program)!;
    const machine = session.machine!;
    // the ticker runs: its instruction count grows
    const before = machine.instructionCount;
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(machine.instructionCount > before, 'the machine runs');
    socket.destroy();
    const deadline = Date.now() + 5000;
    while (server.sessions.has(session) || machine.state === 'running') {
      assert.ok(Date.now() < deadline, 'the session ended');
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(session.machine, undefined, 'the session let go of its machine');
    const stoppedAt = machine.instructionCount;
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(machine.instructionCount, stoppedAt, 'the machine no longer runs');
  });
});
