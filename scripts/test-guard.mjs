// Loaded into every unit and integration test process by scripts/run-tests.mjs (`--import`): the
// test file may start the programs of the needs its `// test-needs:` line declares
// (scripts/test-needs.mjs) and no other program of those kinds. An undeclared start throws at once
// and, should the test catch that (a "is QEMU installed?" probe would), still fails the file when
// the process exits.
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { promisify } from 'node:util';
import { needOfProgram } from './test-needs.mjs';

const declared = new Set((process.env.BOARDMAP_TEST_NEEDS ?? '').split(',').filter(Boolean));
const file = process.env.BOARDMAP_TEST_FILE ?? 'this test file';
const violations = [];

// What a word in command position may be before the program itself: options, assignments,
// durations (timeout 10), shell keywords and programs that run the program after them.
const PREFIX =
  /^(-.*|\w+=.*|\d+(\.\d+)?[smhd]?|if|then|else|elif|do|while|until|!|exec|command|time|env|sudo|nice|nohup|timeout|stdbuf|xargs)$/;
const SHELLS = /^(sh|bash|dash)$/;
const LAUNCHERS = /^(env|sudo|nice|nohup|timeout|stdbuf|xargs)$/;

/** The program a command line (as words) runs: the first word that is not a prefix. */
const programOf = (words) =>
  words.map((w) => w.replace(/^["']|["']$/g, '')).find((w) => !PREFIX.test(w));

/** The programs a shell script runs: the command word of each simple command. */
const scriptPrograms = (script) =>
  String(script)
    .replace(/(^|\s)#[^\n]*/g, '$1') // comments
    .replace(/\w+=\([^)]*\)/g, '') // array assignments: words, not commands
    .split(/\n|;|&&|\|\||\||\$\(|[()`{}]/)
    .map((part) => programOf(part.trim().split(/\s+/).filter(Boolean)))
    .filter(Boolean);

/** The programs a child_process call may start: the command, and through a shell or launcher more. */
function programsOf(command, args, shell) {
  if (shell) return [command, ...scriptPrograms([command, ...args].join(' '))];
  const name = String(command).split('/').pop();
  const c = args.indexOf('-c');
  if (SHELLS.test(name) && c >= 0) return [command, ...scriptPrograms(args[c + 1] ?? '')];
  if (LAUNCHERS.test(name)) return [command, programOf(args.map(String))].filter(Boolean);
  return [command];
}

function check(command, args, shell) {
  for (const program of programsOf(command, args, shell)) {
    const need = needOfProgram(program);
    if (need && !declared.has(need)) {
      const message =
        `${file} started ${program}, which needs "${need}", without declaring it: ` +
        `add the line "// test-needs: ${need}" to the file (see scripts/test-needs.mjs)`;
      violations.push(message);
      throw new Error(message);
    }
  }
}

const cp = createRequire(import.meta.url)('node:child_process');
// (command, args?, options?) for spawn/execFile; (command, options?) with a shell for exec.
function checkWithArgs(command, rest) {
  const args = Array.isArray(rest[0]) ? rest[0] : [];
  const options = (Array.isArray(rest[0]) ? rest[1] : rest[0]) ?? {};
  check(command, args, typeof options === 'object' && Boolean(options.shell));
}
const checkThroughShell = (command) => check(command, [], true);

/** `original` with the check first; util.promisify(exec/execFile) keeps its { stdout, stderr }. */
function guarded(original, checkCall) {
  const wrapper = function (command, ...rest) {
    checkCall(command, rest);
    return original.call(this, command, ...rest);
  };
  const custom = original[promisify.custom];
  if (custom) {
    wrapper[promisify.custom] = (command, ...rest) => {
      checkCall(command, rest);
      return custom(command, ...rest);
    };
  }
  return wrapper;
}
for (const name of ['spawn', 'spawnSync', 'execFile', 'execFileSync']) {
  cp[name] = guarded(cp[name], checkWithArgs);
}
for (const name of ['exec', 'execSync']) cp[name] = guarded(cp[name], checkThroughShell);
syncBuiltinESMExports(); // `import { spawn } from 'node:child_process'` sees the checked versions

process.on('exit', () => {
  if (violations.length === 0) return;
  process.stderr.write(`\n${violations.map((v) => `test-guard: ${v}\n`).join('')}`);
  process.exitCode = 1;
});
