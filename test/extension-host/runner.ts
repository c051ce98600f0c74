/**
 * A tiny test runner for the extension host. node:test cannot be used here: its programmatic
 * `run()` (Node 20) runs every file in a child process, where the `vscode` module does not exist,
 * and calling its `test()` in-process reports only to stdout at process exit. This runner keeps
 * node:test's vocabulary (`describe`, `test`, `t.skip`) so the suites read like the rest of ours.
 */

export interface TestContext {
  /** Marks the running test as skipped; call it and return. */
  skip(reason: string): void;
}

export type TestBody = (t: TestContext) => void | Promise<void>;

export interface TestOptions {
  /** Per-test time limit; the default suits API calls, not UI waits. */
  timeoutMs?: number;
}

export interface TestOutcome {
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  durationMs: number;
  /** The failure's message and stack, or the skip reason. */
  detail?: string;
}

export interface SuiteReport {
  passed: number;
  failed: number;
  skipped: number;
  durationMs: number;
  tests: TestOutcome[];
}

interface RegisteredTest {
  name: string;
  body: TestBody;
  timeoutMs: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const registered: RegisteredTest[] = [];
const suitePath: string[] = [];

/** Groups tests under a name; the body runs at once and only registers. */
export function describe(name: string, body: () => void): void {
  suitePath.push(name);
  try {
    body();
  } finally {
    suitePath.pop();
  }
}

export function test(name: string, body: TestBody, options: TestOptions = {}): void {
  registered.push({
    name: [...suitePath, name].join(' > '),
    body,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
}

function withTimeout<T>(work: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`test "${name}" timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

/** Runs every registered test in registration order, one at a time, and reports each as it ends. */
export async function runRegisteredTests(log: (line: string) => void): Promise<SuiteReport> {
  const started = Date.now();
  const tests: TestOutcome[] = [];
  for (const { name, body, timeoutMs } of registered) {
    const testStarted = Date.now();
    let outcome: TestOutcome;
    try {
      let skipReason: string | undefined;
      const context: TestContext = {
        skip(reason) {
          skipReason = reason;
        },
      };
      await withTimeout(
        Promise.resolve().then(() => body(context)),
        timeoutMs,
        name,
      );
      outcome =
        skipReason === undefined
          ? { name, status: 'passed', durationMs: Date.now() - testStarted }
          : { name, status: 'skipped', durationMs: Date.now() - testStarted, detail: skipReason };
    } catch (error) {
      outcome = {
        name,
        status: 'failed',
        durationMs: Date.now() - testStarted,
        detail: describeError(error),
      };
    }
    tests.push(outcome);
    const mark = { passed: '✔', failed: '✖', skipped: '﹣' }[outcome.status];
    log(
      `${mark} ${name} (${outcome.durationMs} ms)${outcome.detail ? `\n  ${outcome.detail}` : ''}`,
    );
  }
  const count = (status: TestOutcome['status']) => tests.filter((t) => t.status === status).length;
  return {
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped'),
    durationMs: Date.now() - started,
    tests,
  };
}
