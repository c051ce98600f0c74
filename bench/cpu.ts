/**
 * Machine benchmark: examples/firmware/build/bench.elf (GCC -O2: CRC, sieve, matrix multiply,
 * sort, recursion; 417.8 M instructions per QEMU -icount) on the full `virt` machine — board,
 * devices, engine address space, run loop with host yields — as `boardmap run` executes it.
 * Prints
 *   cpu.mips: N MIPS               best of 3 runs, wall clock of machine.run() (load excluded)
 *   cpu.mips.breakpoints: N MIPS   the same with 8 breakpoints armed on the firmware's rarely
 *                                  run functions (each hit stops the run; we continue, as a
 *                                  debugger would)
 *   cpu.qemu.ratio: N x            our run time / qemu-system-riscv32's on the same ELF, QEMU's
 *                                  start-up and exit subtracted by also timing hello.elf (which
 *                                  executes ~2 k instructions); only when QEMU is installed
 * and checks the checksum the firmware prints. CPU_BENCH_RUNS sets the number of runs;
 * CPU_BENCH_CLOCK=cpu measures CPU time (ours: process user + system; QEMU's: user + system of
 * its threads) instead of wall time — the figures to trust on a shared, loaded machine.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Machine, type MachineStop } from '../src/machine';

const root = join(__dirname, '..', '..');
const firmware = (name: string): string =>
  join(root, 'examples', 'firmware', 'build', `${name}.elf`);
const EXPECTED = readFileSync(
  join(root, 'examples', 'firmware', 'expected', 'bench.txt'),
  'latin1',
);
const RUNS = Number(process.env.CPU_BENCH_RUNS ?? 3);
const CPU_CLOCK = process.env.CPU_BENCH_CLOCK === 'cpu';
const BREAKPOINT_SYMBOLS = [
  'print_str',
  'print_nl',
  'print_udec',
  'print_hex',
  'trap_entry',
  'console_putc',
  'board_exit',
  'main',
];

interface Timed {
  /** Wall or CPU seconds (CPU_BENCH_CLOCK), for MIPS. */
  readonly seconds: number;
  readonly instructions: number;
  readonly breakpointHits: number;
}

async function runOnce(withBreakpoints: boolean): Promise<Timed> {
  const machine = Machine.builtin('virt', {
    host: { yieldToHost: () => new Promise((r) => setImmediate(r)) },
  });
  let out = '';
  machine.onOutput((o) => (out += o.text));
  machine.loadProgram(readFileSync(firmware('bench')), { name: 'bench.elf' });
  if (withBreakpoints) {
    for (const name of BREAKPOINT_SYMBOLS) {
      const s = machine.symbols?.byName(name);
      if (!s) throw new Error(`bench.elf has no symbol ${name}`);
      machine.addBreakpoint(s.value);
    }
  }
  let hits = 0;
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  let stop: MachineStop = await machine.run();
  while (stop.reason === 'breakpoint') {
    hits++;
    stop = await machine.run();
  }
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const seconds = CPU_CLOCK ? (cpu.user + cpu.system) / 1e6 : wall;
  if (stop.reason !== 'exited' || stop.exitCode !== 0) {
    throw new Error(`bench.elf stopped with ${stop.reason} ${stop.message ?? ''}`);
  }
  if (out !== EXPECTED) throw new Error(`bench.elf printed ${JSON.stringify(out)}`);
  return { seconds, instructions: stop.instructionCount, breakpointHits: hits };
}

async function best(withBreakpoints: boolean): Promise<Timed> {
  let bestRun: Timed | undefined;
  for (let i = 0; i < RUNS; i++) {
    const r = await runOnce(withBreakpoints);
    if (!bestRun || r.seconds < bestRun.seconds) bestRun = r;
  }
  return bestRun!;
}

/** QEMU's wall time, and its CPU time (user + sys of all its threads, from bash's `time`). */
function qemuSeconds(elf: string): { wall: number; cpu: number } | undefined {
  const args = [
    '-M',
    'virt',
    '-bios',
    'none',
    '-nographic',
    '-monitor',
    'none',
    '-serial',
    'stdio',
  ];
  const command = `TIMEFORMAT='%3U %3S'; time qemu-system-riscv32 ${args.join(' ')} -kernel '${elf}' > /dev/null`;
  const start = process.hrtime.bigint();
  const r = spawnSync('bash', ['-c', command], { encoding: 'utf8', timeout: 120_000 });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  const times = /(\d+\.\d+) (\d+\.\d+)\s*$/.exec(r.stderr ?? '');
  if (r.error || r.status !== 0 || !times) return undefined;
  return { wall, cpu: Number(times[1]) + Number(times[2]) };
}

function qemuInstalled(): boolean {
  try {
    execFileSync('qemu-system-riscv32', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const plain = await best(false);
  const mips = plain.instructions / plain.seconds / 1e6;
  console.log(`cpu.mips: ${mips.toFixed(1)} MIPS`);
  const bp = await best(true);
  console.log(`cpu.mips.breakpoints: ${(bp.instructions / bp.seconds / 1e6).toFixed(1)} MIPS`);
  console.error(
    `  (${plain.instructions} instructions in ${plain.seconds.toFixed(3)} s ${CPU_CLOCK ? 'CPU' : 'wall'}; with breakpoints ${bp.breakpointHits} stops)`,
  );
  if (!qemuInstalled()) {
    console.error('  cpu.qemu.ratio skipped: qemu-system-riscv32 is not installed');
    return;
  }
  let qemuBench = Infinity;
  let qemuStartup = Infinity;
  const clock = (t: { wall: number; cpu: number } | undefined): number =>
    t === undefined ? Infinity : CPU_CLOCK ? t.cpu : t.wall;
  for (let i = 0; i < RUNS; i++) {
    qemuBench = Math.min(qemuBench, clock(qemuSeconds(firmware('bench'))));
    qemuStartup = Math.min(qemuStartup, clock(qemuSeconds(firmware('hello'))));
  }
  if (!Number.isFinite(qemuBench) || !Number.isFinite(qemuStartup)) {
    console.error('  cpu.qemu.ratio skipped: QEMU did not run the firmware');
    return;
  }
  const qemuRun = Math.max(qemuBench - qemuStartup, 1e-3);
  console.log(`cpu.qemu.ratio: ${(plain.seconds / qemuRun).toFixed(2)} x`);
  console.error(
    `  (${CPU_CLOCK ? 'CPU' : 'wall'}: QEMU ${qemuBench.toFixed(3)} s for bench.elf, ${qemuStartup.toFixed(3)} s for hello.elf = start-up; ours ${plain.seconds.toFixed(3)} s)`,
  );
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
