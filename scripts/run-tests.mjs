// Runs the tests with Node's built-in test runner (TypeScript through tsx), each test file in its own
// `node --import tsx <file>` process, several files at a time.
//
//   node scripts/run-tests.mjs              every unit and integration test (test/**/*.test.ts but
//                                           test/e2e and test/extension-host): what `npm test` runs
//   node scripts/run-tests.mjs --quick      only the files that need no browser, code-server, QEMU or
//                                           RISC-V toolchain, property tests at reduced case counts
//                                           (`npm run test:quick`, run it before each commit)
//   node scripts/run-tests.mjs --e2e        the code-server end-to-end suite, one file at a time
//   node scripts/run-tests.mjs <files...>   just those files
//
// Options: --jobs N (files at a time; default: the number of CPUs, 1 for --e2e), --verbose (print
// every file's report; the default except for --quick, which prints one line per passing file),
// --list (print the files that would run, with their needs, and exit), --timeout S (per file,
// default 600). Any --test-* option goes to node, e.g. --test-name-pattern="dirty log".
//
// A test file declares what it needs besides Node with a `// test-needs: chromium, qemu` line
// (scripts/test-needs.mjs); each process may start only the programs of its declared needs
// (scripts/test-guard.mjs). Reports are buffered per file and printed when the file finishes, so
// files running side by side do not interleave. At the end: the ten slowest files and the closing
// line `N passed, N failed` (`, N skipped` when some were). Exits non-zero if any file failed.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { declaredNeeds } from './test-needs.mjs';

const scriptsDir = dirname(fileURLToPath(import.meta.url));
const guard = pathToFileURL(join(scriptsDir, 'test-guard.mjs')).href;
const timesFile = join('out', 'test-times.json'); // last run's time per file: longest first next time

// ---- arguments

const args = process.argv.slice(2);
const options = {
  quick: false,
  e2e: false,
  verbose: undefined,
  list: false,
  jobs: 0,
  timeout: 600,
};
const files = [];
const nodeTestOptions = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  const value = () => {
    if (i + 1 >= args.length) usage(`${a} needs a value`);
    return args[++i];
  };
  if (a === '--quick') options.quick = true;
  else if (a === '--e2e') options.e2e = true;
  else if (a === '--verbose') options.verbose = true;
  else if (a === '--list') options.list = true;
  else if (a === '--jobs' || a.startsWith('--jobs='))
    options.jobs = Number(a.includes('=') ? a.slice(7) : value());
  else if (a === '--timeout' || a.startsWith('--timeout='))
    options.timeout = Number(a.includes('=') ? a.slice(10) : value());
  else if (a.startsWith('--test-'))
    nodeTestOptions.push(
      a.includes('=') || !/^--test-(name|skip)-pattern$/.test(a) ? a : `${a}=${value()}`,
    );
  else if (a.startsWith('-')) usage(`unknown option ${a}`);
  else files.push(a);
}
if (!(options.jobs >= 0) || !Number.isInteger(options.jobs)) usage('--jobs takes a whole number');
if (!(options.timeout > 0)) usage('--timeout takes a number of seconds');

function usage(message) {
  console.error(`run-tests: ${message}`);
  console.error(
    'usage: node scripts/run-tests.mjs [--quick | --e2e] [--jobs N] [--verbose] [--list] [--test-name-pattern=RE] [files...]',
  );
  process.exit(2);
}

// ---- which files

function find(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) find(p, out);
    else if (entry.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const inFolder = (f, name) => f.split(/[\\/]/).includes(name);
const all = files.length
  ? files
  : find('test')
      .filter((f) => !inFolder(f, 'extension-host') && inFolder(f, 'e2e') === options.e2e)
      .sort();

let tests;
try {
  tests = all.map((file) => ({
    file,
    // e2e files start code-server and Chromium by definition; they run unguarded.
    needs: inFolder(file, 'e2e')
      ? ['code-server', 'chromium']
      : declaredNeeds(readFileSync(file, 'utf8'), file),
  }));
} catch (e) {
  console.error(`run-tests: ${e.message}`);
  process.exit(2);
}
const left = options.quick && !files.length ? tests.filter((t) => t.needs.length > 0) : [];
if (left.length) tests = tests.filter((t) => t.needs.length === 0);

if (options.list) {
  for (const t of tests)
    console.log(t.needs.length ? `${t.file}  (needs ${t.needs.join(', ')})` : t.file);
  process.exit(0);
}
if (tests.length === 0) {
  console.error('run-tests: no test files found');
  process.exit(1);
}

if (options.e2e) {
  // Build the .vsix and the extension-host bundle if stale, install code-server if missing.
  const prepared = spawnSync(process.execPath, [join(scriptsDir, 'e2e', 'prepare.mjs')], {
    stdio: 'inherit',
  });
  if (prepared.status !== 0) process.exit(prepared.status ?? 1);
}

// ---- running

// Each e2e file starts a code-server and a Chromium: one at a time on a 2-core machine.
const jobs = Math.max(
  1,
  Math.min(options.jobs || (options.e2e ? 1 : availableParallelism()), tests.length),
);
const verbose = options.verbose ?? !options.quick;
const stream = jobs === 1 && verbose; // nothing to interleave with: show the report as it comes

let lastTimes = {};
try {
  lastTimes = JSON.parse(readFileSync(timesFile, 'utf8'));
} catch {
  // first run: alphabetical order
}
// Longest first keeps the pool busy to the end; files never timed go first (they may be long).
const queue = [...tests].sort(
  (a, b) => (lastTimes[b.file] ?? Infinity) - (lastTimes[a.file] ?? Infinity),
);

const reports = mkdtempSync(join(tmpdir(), 'boardmap-tests-'));
const running = new Set();
const results = [];
const started = Date.now();
let interrupted = false;

console.log(
  `run-tests: ${tests.length} files, ${jobs} at a time${options.quick ? ', quick (reduced property counts)' : ''}` +
    (left.length
      ? `; left out by --quick: ${left.length} files needing ${[...new Set(left.flatMap((t) => t.needs))].join(', ')}`
      : ''),
);

function runFile({ file, needs }, index) {
  const tap = join(reports, `${index}.tap`);
  const argv = [
    '--import',
    'tsx',
    ...(options.e2e ? [] : ['--import', guard]),
    // No --test: the file runs its tests in this one process (--test would start a second one per
    // file just to relay the reports, and count a file that registered no test as one passing test).
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...nodeTestOptions,
    file,
  ];
  const env = {
    ...process.env,
    NODE_OPTIONS: '',
    BOARDMAP_TEST_FILE: file,
    BOARDMAP_TEST_NEEDS: needs.join(','),
  };
  // Run as a top-level test run even when started from inside one (node would skip the files).
  delete env.NODE_TEST_CONTEXT;
  if (options.quick) env.BOARDMAP_TEST_QUICK = '1';
  else delete env.BOARDMAP_TEST_QUICK;

  return new Promise((resolve) => {
    const t0 = Date.now();
    // Its own process group, so a timeout or Ctrl-C reaches the browsers and adapters it started.
    const child = spawn(process.execPath, argv, {
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    const output = [];
    const collect = (chunk) => (stream ? process.stdout.write(chunk) : output.push(chunk));
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      stop(child);
    }, options.timeout * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      const counts = readCounts(tap);
      const seconds = (Date.now() - t0) / 1000;
      let problem = '';
      if (timedOut) problem = `timed out after ${options.timeout} s`;
      else if (signal) problem = `killed by ${signal}`;
      else if (code !== 0 && counts.failed === 0) problem = `exited with code ${code}`;
      else if (counts.passed + counts.failed + counts.skipped === 0 && !nodeTestOptions.length)
        problem = 'no tests ran';
      // A file that fails without a failing test (crash, timeout, guard) counts as one failure.
      if (problem && counts.failed === 0) counts.failed = 1;
      const ok = code === 0 && !problem && counts.failed === 0;
      const result = { file, seconds, ok, problem, ...counts };
      results.push(result);
      printResult(result, Buffer.concat(output).toString());
      resolve();
    });
  });
}

function readCounts(tap) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  let text = '';
  try {
    text = readFileSync(tap, 'utf8');
  } catch {
    return counts;
  }
  const total = (name) =>
    [...text.matchAll(new RegExp(`^# ${name} (\\d+)$`, 'gm'))].reduce(
      (s, m) => s + Number(m[1]),
      0,
    );
  counts.passed = total('pass');
  counts.failed = total('fail') + total('cancelled');
  counts.skipped = total('skipped');
  return counts;
}

function printResult(r, output) {
  const counts = `${r.passed} passed${r.failed ? `, ${r.failed} failed` : ''}${r.skipped ? `, ${r.skipped} skipped` : ''}`;
  const line = `${r.ok ? '✔' : '✖'} ${r.file}  ${counts}  ${r.seconds.toFixed(1)} s${r.problem ? `  (${r.problem})` : ''}`;
  if (stream) {
    console.log(line);
  } else if (verbose || !r.ok) {
    console.log(`\n── ${r.file}\n${output.trimEnd()}\n${line}`);
  } else {
    console.log(line);
  }
}

function stop(child) {
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  setTimeout(() => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }, 5000).unref();
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error(`\nrun-tests: ${signal}: stopping ${running.size} running files`);
    for (const child of running) stop(child);
    queue.length = 0;
  });
}

let next = 0;
async function worker() {
  while (queue.length) {
    const test = queue.shift();
    await runFile(test, next++);
  }
}
await Promise.all(Array.from({ length: jobs }, worker));
rmSync(reports, { recursive: true, force: true });

// ---- summary

const wall = (Date.now() - started) / 1000;
if (!interrupted && !nodeTestOptions.length) {
  try {
    mkdirSync(dirname(timesFile), { recursive: true });
    const times = { ...lastTimes };
    for (const r of results) times[r.file] = Math.round(r.seconds * 10) / 10;
    writeFileSync(timesFile, `${JSON.stringify(times, null, 1)}\n`);
  } catch {
    // a read-only checkout still runs its tests
  }
}

const slowest = [...results].sort((a, b) => b.seconds - a.seconds).slice(0, 10);
console.log(`\nslowest files:`);
for (const r of slowest) console.log(`${r.seconds.toFixed(1).padStart(7)} s  ${r.file}`);
const failedFiles = results.filter((r) => !r.ok);
console.log(`\n${results.length} files in ${wall.toFixed(1)} s, ${jobs} at a time`);
if (failedFiles.length) {
  console.log(`failed files:`);
  for (const r of failedFiles) console.log(`  ${r.file}${r.problem ? `  (${r.problem})` : ''}`);
}
if (interrupted) console.log(`interrupted: ${tests.length - results.length} files did not run`);
const sum = (key) => results.reduce((s, r) => s + r[key], 0);
const skipped = sum('skipped');
console.log(
  `${sum('passed')} passed, ${sum('failed')} failed${skipped ? `, ${skipped} skipped` : ''}`,
);
process.exit(failedFiles.length || interrupted ? 1 : 0);
