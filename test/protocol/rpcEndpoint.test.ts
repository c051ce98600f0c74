import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  RpcEndpoint,
  RpcHandlerError,
  RpcRemoteError,
  RpcTimeoutError,
  RpcDisposedError,
  type RpcContract,
  type RpcMessage,
  type RpcTimer,
} from '../../src/protocol';

interface HostContract extends RpcContract {
  requests: {
    add: { params: { a: number; b: number }; result: number };
    fail: { params: null; result: never };
    slow: { params: null; result: string };
  };
  events: { tick: { n: number } };
}
interface ViewContract extends RpcContract {
  requests: { ping: { params: null; result: 'pong' } };
  events: Record<never, never>;
}

/** A manual timer so time-outs are tested without real time. */
class ManualTimer implements RpcTimer {
  private next = 1;
  readonly tasks = new Map<number, () => void>();
  schedule(callback: () => void): unknown {
    const id = this.next++;
    this.tasks.set(id, callback);
    return id;
  }
  cancel(handle: unknown): void {
    this.tasks.delete(handle as number);
  }
  fireAll(): void {
    for (const [id, task] of [...this.tasks]) {
      this.tasks.delete(id);
      task();
    }
  }
}

function pair(timer?: RpcTimer) {
  const problems: string[] = [];
  const wire: RpcMessage[] = [];
  // Messages pass through JSON as they do through postMessage's structured clone.
  const clone = (m: RpcMessage) => JSON.parse(JSON.stringify(m)) as unknown;
  const ends: { host?: RpcEndpoint<HostContract, ViewContract> } = {};
  const view = new RpcEndpoint<ViewContract, HostContract>({
    post: (m) => {
      wire.push(m);
      queueMicrotask(() => ends.host!.deliver(clone(m)));
    },
    timer,
    timeoutMs: 50,
    onProtocolProblem: (p) => problems.push(`view: ${p}`),
  });
  const host = (ends.host = new RpcEndpoint<HostContract, ViewContract>({
    post: (m) => {
      wire.push(m);
      queueMicrotask(() => view.deliver(clone(m)));
    },
    timer,
    onProtocolProblem: (p) => problems.push(`host: ${p}`),
  }));
  return { host, view, problems, wire };
}

describe('RpcEndpoint', () => {
  test('correlates concurrent requests with their responses', async () => {
    const { host, view } = pair();
    host.handle('add', async ({ a, b }) => {
      await new Promise((r) => setTimeout(r, a)); // answers out of order
      return a + b;
    });
    const results = await Promise.all([
      view.request('add', { a: 20, b: 1 }),
      view.request('add', { a: 1, b: 1 }),
    ]);
    assert.deepEqual(results, [21, 2]);
    assert.equal(view.pendingCount, 0);
  });

  test('a throwing handler rejects the caller with its message and code', async () => {
    const { host, view } = pair();
    host.handle('fail', () => {
      throw new RpcHandlerError('region r9 does not exist', 'unknown-region');
    });
    await assert.rejects(view.request('fail', null), (e: unknown) => {
      assert.ok(e instanceof RpcRemoteError);
      assert.equal(e.message, 'region r9 does not exist');
      assert.equal(e.code, 'unknown-region');
      assert.equal(e.method, 'fail');
      return true;
    });
    host.handle('fail', () => {
      throw new Error('plain');
    });
    await assert.rejects(view.request('fail', null), {
      name: 'RpcRemoteError',
      code: 'handler-failed',
    });
  });

  test('a request nobody handles is answered with a no-handler error and reported', async () => {
    const { view, problems } = pair();
    await assert.rejects(view.request('slow', null), {
      code: 'no-handler',
      message: "no handler for request 'slow'",
    });
    assert.deepEqual(problems, ["host: no handler for request 'slow'"]);
  });

  test('time-outs reject with a clear message and late answers are reported', async () => {
    const timer = new ManualTimer();
    const { host, view, problems } = pair(timer);
    let release!: () => void;
    host.handle('slow', () => new Promise<string>((r) => (release = () => r('late'))));
    const promise = view.request('slow', null);
    await new Promise((r) => setTimeout(r, 0));
    timer.fireAll();
    await assert.rejects(
      promise,
      (e: unknown) =>
        e instanceof RpcTimeoutError && /'slow' got no answer within 50 ms/.test(e.message),
    );
    release();
    await new Promise((r) => setTimeout(r, 0));
    assert.deepEqual(problems, ['view: response to unknown request 1']);
  });

  test('answered requests cancel their time-out', async () => {
    const timer = new ManualTimer();
    const { host, view } = pair(timer);
    host.handle('add', ({ a, b }) => a + b);
    assert.equal(await view.request('add', { a: 1, b: 2 }), 3);
    assert.equal(timer.tasks.size, 0);
  });

  test('events reach listeners; unknown events and malformed messages are reported', async () => {
    const { host, view, problems } = pair();
    const seen: number[] = [];
    const sub = view.on('tick', ({ n }) => seen.push(n));
    host.emit('tick', { n: 1 });
    await new Promise((r) => setTimeout(r, 0));
    sub.dispose();
    host.emit('tick', { n: 2 });
    await new Promise((r) => setTimeout(r, 0));
    assert.deepEqual(seen, [1]);
    assert.equal(
      view.deliver({ tag: 'boardmap-rpc', kind: 'request', id: 'x', method: 'ping' }),
      false,
    );
    assert.equal(view.deliver({ tag: 'boardmap-rpc', kind: 'telepathy' }), false);
    assert.equal(view.deliver({ somebody: 'else' }), false); // untagged: not ours, not reported
    assert.deepEqual(problems, [
      "view: no listener for event 'tick'",
      'view: malformed message: request without an integer id',
      'view: malformed message: unknown kind "telepathy"',
    ]);
  });

  test('dispose rejects pending requests and a throwing post rejects at once', async () => {
    const { view } = pair();
    const promise = view.request('slow', null); // the host never answers: no handler error comes async
    view.dispose();
    await assert.rejects(promise, RpcDisposedError);
    await assert.rejects(view.request('slow', null), RpcDisposedError);
    const broken = new RpcEndpoint<ViewContract, HostContract>({
      post: () => {
        throw new Error('webview is disposed');
      },
    });
    await assert.rejects(broken.request('add', { a: 1, b: 1 }), /webview is disposed/);
    assert.equal(broken.pendingCount, 0);
  });
});
