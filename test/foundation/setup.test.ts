/**
 * `scripts/setup.sh` on simulated machines: a copy of the script runs in a temporary project folder
 * with stub `dpkg-query`, `apt-get`, `npm` and `sudo` first on PATH. The stubs behave like the real
 * programs where the script depends on it — `dpkg-query -W` prints one formatted line per package
 * dpkg knows, and for each package it does not know it prints "no packages found matching" on stderr
 * and exits 1 (what ended the script silently on a fresh machine before c5f7ae2) — and log every
 * call, so the tests see exactly what the script asked to install.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

const root = join(__dirname, '..', '..');
const setupScript = join(root, 'scripts', 'setup.sh');

/** The DEBIAN_PACKAGES list as bash itself reads it (comments and line breaks included). */
function listedPackages(): string[] {
  const block = /^DEBIAN_PACKAGES=\([\s\S]*?^\)$/m.exec(readFileSync(setupScript, 'utf8'));
  assert.ok(block, 'scripts/setup.sh defines DEBIAN_PACKAGES=( … ) at the start of a line');
  const r = spawnSync('bash', ['-c', `${block[0]}\nprintf '%s\\n' "\${DEBIAN_PACKAGES[@]}"`], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean);
}

/** Stub programs (shell scripts, linted with the others), copied first on PATH. */
const stubSource = join(__dirname, 'setup-stubs');
const STUBS = ['dpkg-query', 'apt-get', 'npm', 'sudo'];

interface Machine {
  /** `package status` lines, as dpkg-query's ${Status} prints them. */
  dpkg: Record<string, string>;
  nodeModules: 'missing' | 'up to date' | 'older than package-lock.json';
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Every stub call, `program args…`, in order. */
  calls: string[];
  /** User + system CPU seconds of the script and every process it started. */
  cpuSeconds: number;
}

const temps: string[] = [];
after(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function runSetup(machine: Machine): Run {
  const dir = mkdtempSync(join(tmpdir(), 'boardmap-setup-'));
  temps.push(dir);
  const stubs = join(dir, 'stubs');
  const project = join(dir, 'project');
  mkdirSync(stubs);
  mkdirSync(join(project, 'scripts'), { recursive: true });
  for (const name of STUBS) {
    copyFileSync(join(stubSource, name), join(stubs, name));
    chmodSync(join(stubs, name), 0o755);
  }
  writeFileSync(join(stubs, 'calls'), '');
  writeFileSync(
    join(stubs, 'dpkg-status'),
    Object.entries(machine.dpkg)
      .map(([p, s]) => `${p} ${s}\n`)
      .join(''),
  );
  copyFileSync(setupScript, join(project, 'scripts', 'setup.sh'));
  copyFileSync(join(root, 'package-lock.json'), join(project, 'package-lock.json'));
  const lock = join(project, 'package-lock.json');
  const installed = join(project, 'node_modules', '.package-lock.json');
  if (machine.nodeModules !== 'missing') {
    mkdirSync(join(project, 'node_modules'));
    copyFileSync(lock, installed);
    const [older, newer] = [new Date(Date.now() - 3_600_000), new Date()];
    const upToDate = machine.nodeModules === 'up to date';
    utimesSync(lock, upToDate ? older : newer, upToDate ? older : newer);
    utimesSync(installed, upToDate ? newer : older, upToDate ? newer : older);
  }
  // `times` prints the shell's and then its children's user and system time.
  const r = spawnSync(
    'bash',
    [
      '-c',
      'bash "$1" </dev/null; s=$?; times >&3; exit $s',
      'run',
      join(project, 'scripts', 'setup.sh'),
    ],
    {
      cwd: dir, // the script must find its project from its own path
      encoding: 'utf8',
      env: { ...process.env, PATH: `${stubs}:${process.env.PATH}`, STUB_DIR: stubs },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    },
  );
  const times = String(r.output[3] ?? '')
    .trim()
    .split('\n');
  const seconds = (t: string) => {
    const m = /^(\d+)m([\d.]+)s$/.exec(t);
    assert.ok(m, `bash times printed ${t}`);
    return Number(m[1]) * 60 + Number(m[2]);
  };
  const cpuSeconds = times
    .flatMap((line) => line.trim().split(/\s+/))
    .reduce((sum, t) => sum + seconds(t), 0);
  const calls = readFileSync(join(stubs, 'calls'), 'utf8').split('\n').filter(Boolean);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, calls, cpuSeconds };
}

const failure = (r: Run) => `exit ${r.status}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
const installCalls = (r: Run) =>
  r.calls.filter((c) => /^apt-get (\S+ )*install /.test(c) || /^npm (ci|install)\b/.test(c));
const aptInstalled = (r: Run) =>
  r.calls
    .filter((c) => /^apt-get (\S+ )*install /.test(c))
    .flatMap((c) => c.split(' ').slice(1))
    .filter((w) => w !== 'install' && !w.startsWith('-'));

describe('scripts/setup.sh', () => {
  const packages = listedPackages();

  test('lists the Debian packages it installs', () => {
    assert.ok(packages.length >= 5, `DEBIAN_PACKAGES: ${packages.join(' ')}`);
    assert.equal(new Set(packages).size, packages.length, 'no package listed twice');
    for (const p of packages) assert.match(p, /^[a-z0-9][a-z0-9+.-]+$/, `package name ${p}`);
  });

  test('a fresh machine: installs every listed package and the npm dependencies, says so', () => {
    const r = runSetup({ dpkg: {}, nodeModules: 'missing' });
    assert.equal(r.status, 0, failure(r));
    assert.deepEqual(aptInstalled(r).sort(), [...packages].sort(), r.calls.join('\n'));
    const update = r.calls.findIndex((c) => /^apt-get (\S+ )*update/.test(c));
    const install = r.calls.findIndex((c) => /^apt-get (\S+ )*install /.test(c));
    assert.ok(
      update >= 0 && update < install,
      `apt-get update before install:\n${r.calls.join('\n')}`,
    );
    assert.ok(r.calls.includes('npm ci --no-audit --no-fund'), r.calls.join('\n'));
    for (const p of packages)
      assert.ok(r.stdout.includes(p), `the output names ${p}:\n${r.stdout}`);
    assert.match(r.stdout, /about \d+ s/, 'the output says how long it takes');
    assert.match(r.stdout.trim().split('\n').at(-1)!, /^setup: ready/);
  });

  test('after `apt-get remove` of one package: installs only that one', () => {
    const [removed, ...kept] = packages;
    const dpkg: Record<string, string> = { [removed!]: 'deinstall ok config-files' };
    for (const p of kept) dpkg[p] = 'install ok installed';
    const r = runSetup({ dpkg, nodeModules: 'up to date' });
    assert.equal(r.status, 0, failure(r));
    assert.deepEqual(aptInstalled(r), [removed], r.calls.join('\n'));
    assert.ok(!r.calls.some((c) => c.startsWith('npm')), r.calls.join('\n'));
  });

  test('package-lock.json newer than node_modules: npm ci only', () => {
    const dpkg = Object.fromEntries(packages.map((p) => [p, 'install ok installed']));
    const r = runSetup({ dpkg, nodeModules: 'older than package-lock.json' });
    assert.equal(r.status, 0, failure(r));
    assert.deepEqual(installCalls(r), ['npm ci --no-audit --no-fund']);
  });

  test('everything installed: no install, one line, well under a second of work', () => {
    const dpkg = Object.fromEntries(packages.map((p) => [p, 'install ok installed']));
    const r = runSetup({ dpkg, nodeModules: 'up to date' });
    assert.equal(r.status, 0, failure(r));
    assert.deepEqual(installCalls(r), []);
    assert.ok(
      !r.calls.some((c) => c.startsWith('apt-get') || c.startsWith('npm')),
      r.calls.join('\n'),
    );
    assert.equal(r.stdout.trim().split('\n').length, 1, `one line on a second run:\n${r.stdout}`);
    assert.equal(r.stderr, '');
    // CPU time, not wall time: the check must not depend on how busy the machine is.
    assert.ok(r.cpuSeconds < 1, `the check took ${r.cpuSeconds} s of CPU`);
  });
});
