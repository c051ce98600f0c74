/**
 * Source-level debug info benchmark (`npm run build && node dist/bench/debuginfo.js`). Generates
 * two C firmware images with full debug info (-O2 -g, many compile units, structs, arrays,
 * unions, loops and locals), builds them with riscv64-unknown-elf-gcc once (cached in the OS temp
 * folder), runs them on Boardmap's `virt` machine to a breakpoint and measures the debug-info
 * side of a stop. Prints
 *   debuginfo.big.elf: N MB                  size of the big ELF (target ~5 MB)
 *   debuginfo.big.load: N ms                 parseElf + SourceSymbols (unit index) (≤ 1 s)
 *   debuginfo.big.firstStop: N ms            load + unwind + frames + scopes + Locals of frame 0
 *                                            formatted, cold (≤ 1 s to the first stop)
 *   debuginfo.small.elf: N KB                size of the ~200 KB firmware
 *   debuginfo.small.stop.cold: N ms          stack + scopes + Locals of frame 0, first stop
 *   debuginfo.small.stop.warm: N ms          the same at the next stop (median of 20) (≤ 30 ms)
 * Times are wall clock of this process on a shared machine; `uptime` is printed for context.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { FrameTable, SourceSymbols, formatValue, sourceStack } from '../src/machine/debuginfo';
import { parseElf } from '../src/machine/loader';
import { Machine } from '../src/machine/system';

const root = process.cwd();
const common = join(root, 'examples', 'firmware', 'common');

/** One compile unit: `functions` functions, each with its own struct type and locals. */
function unitSource(unit: number, functions: number): string {
  const out: string[] = ['#include <stdint.h>', 'extern volatile uint32_t bench_sink;'];
  for (let f = 0; f < functions; f++) {
    const id = `u${unit}_f${f}`;
    out.push(`
typedef struct rec_${id} {
  int32_t count_${f};
  uint8_t tag[12];
  struct rec_${id} *next;
  double weight;
  union { int32_t as_int; float as_float; uint8_t bytes[4]; } raw;
  enum { MODE_${id}_IDLE, MODE_${id}_RUN = ${f + 2}, MODE_${id}_STOP } mode;
  unsigned int flag_a : 1, flag_b : 3, level : 12;
  int16_t history[${4 + (f % 5)}][3];
} rec_${id}_t;
rec_${id}_t table_${id}[${2 + (f % 3)}];
static const char *name_${id} = "${id}";
__attribute__((noinline)) int32_t step_${id}(int32_t seed, rec_${id}_t *r) {
  int32_t total = seed;
  int32_t window[6] = {seed, seed + 1, seed * 2, seed - 3, 5, ${f}};
  rec_${id}_t local = *r;
  for (int k = 0; k < 6; k++) {
    int32_t scaled = window[k] * (k + ${f + 1});
    if (scaled & 1) {
      uint32_t odd = (uint32_t)scaled >> 1;
      total += (int32_t)odd;
    } else {
      total -= scaled / 3;
    }
  }
  local.count_${f} = total;
  local.raw.as_int = total ^ ${f};
  local.level = (unsigned)total & 0xfff;
  r->count_${f} += local.count_${f} + name_${id}[0];
  bench_sink += (uint32_t)total;
  return total + (int32_t)local.weight;
}`);
  }
  out.push(`int32_t run_u${unit}(int32_t seed) {`, '  int32_t acc = seed;');
  for (let f = 0; f < functions; f++)
    out.push(`  acc += step_u${unit}_f${f}(acc, &table_u${unit}_f${f}[0]);`);
  out.push('  return acc;', '}');
  return out.join('\n');
}

function mainSource(units: number): string {
  const lines = ['#include <stdint.h>', '#include "fw.h"', 'volatile uint32_t bench_sink;'];
  for (let u = 0; u < units; u++) lines.push(`int32_t run_u${u}(int32_t seed);`);
  lines.push('int main(void) {', '  int32_t seed = 7;');
  for (let u = 0; u < units; u++) lines.push(`  seed = run_u${u}(seed);`);
  lines.push('  print_str("done\\n");', '  return 0;', '}');
  return lines.join('\n');
}

/** Builds (once) a firmware of `units` × `functions`; returns the ELF path, or undefined without gcc. */
function build(name: string, units: number, functions: number): string | undefined {
  const dir = join(tmpdir(), 'boardmap-bench-debuginfo', `${name}-${units}x${functions}`);
  const elf = join(dir, `${name}.elf`);
  if (existsSync(elf)) return elf;
  try {
    execFileSync('riscv64-unknown-elf-gcc', ['--version'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  mkdirSync(dir, { recursive: true });
  const ld = readFileSync(join(common, 'ram.ld'), 'utf8').replace('LENGTH = 1M', 'LENGTH = 64M');
  writeFileSync(join(dir, 'ram.ld'), ld);
  const cflags = [
    '-march=rv32imac_zicsr_zifencei',
    '-mabi=ilp32',
    '-mcmodel=medany',
    '-O2',
    '-g',
    '-ffreestanding',
    '-fno-common',
    `-I${common}`,
  ];
  const objects: string[] = [];
  const compile = (source: string, object: string) => {
    execFileSync('riscv64-unknown-elf-gcc', [...cflags, '-c', source, '-o', object]);
    objects.push(object);
  };
  for (const file of ['start.S', 'trap.S', 'uart.c', 'print.c', 'mem.c'])
    compile(join(common, file), join(dir, `${file}.o`));
  writeFileSync(join(dir, 'main.c'), mainSource(units));
  compile(join(dir, 'main.c'), join(dir, 'main.o'));
  for (let u = 0; u < units; u++) {
    writeFileSync(join(dir, `unit${u}.c`), unitSource(u, functions));
    compile(join(dir, `unit${u}.c`), join(dir, `unit${u}.o`));
  }
  execFileSync('riscv64-unknown-elf-gcc', [
    '-march=rv32imac',
    '-mabi=ilp32',
    '-nostartfiles',
    '-nostdlib',
    '-Wl,--no-warn-rwx-segments',
    '-T',
    join(dir, 'ram.ld'),
    ...objects,
    '-lgcc',
    '-o',
    elf,
  ]);
  return elf;
}

interface Stopped {
  machine: Machine;
  pc: number;
}

async function runTo(elfBytes: Uint8Array, symbol: string, hits: number): Promise<Stopped> {
  const machine = Machine.builtin('virt', {
    host: { yieldToHost: () => new Promise((r) => setImmediate(r)) },
  });
  machine.loadProgram(elfBytes, { name: 'bench.elf' });
  const address = machine.symbols?.byName(symbol)?.value;
  if (address === undefined) throw new Error(`no symbol ${symbol}`);
  machine.addBreakpoint(address);
  for (let i = 0; i < hits; i++) {
    const stop = await machine.run({ maxInstructions: 50_000_000 });
    if (stop.reason !== 'breakpoint') throw new Error(`stopped for ${stop.reason}`);
  }
  return { machine, pc: machine.cpu.pc };
}

/** What the adapter does on a stop: unwind, frames, scopes, and the Locals of frame 0 as text. */
function answerStop(
  symbols: SourceSymbols,
  table: FrameTable,
  machine: Machine,
): { frames: number; variables: number; text: number } {
  const readMemory = (a: number, n: number) => machine.readMemory(a, n);
  const x = Array.from({ length: 32 }, (_, i) => machine.cpu.readRegister(i));
  const stack = sourceStack(symbols, table, { pc: machine.cpu.pc, x }, readMemory, {
    atUserBreakpoint: true,
  });
  const frames = stack.flatMap((entry) => (entry.frame ? [entry.frame] : []));
  let text = 0;
  let variables = 0;
  const frame0 = frames[0];
  if (frame0) {
    for (const v of [...frame0.arguments(), ...frame0.locals()]) {
      text += formatValue(v.value(), { symbolize: symbols.symbolize }).length;
      variables++;
    }
    variables += symbols.globals(frame0.physical.pc, readMemory).length;
  }
  return { frames: stack.length, variables, text };
}

const ms = (t0: number) => performance.now() - t0;
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  console.log(
    `# uptime load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} on ${cpus().length} cpus`,
  );
  const big = build('big', 48, 58);
  const small = build('small', 4, 28);
  if (!big || !small) {
    console.log('debuginfo: skipped (riscv64-unknown-elf-gcc is not installed)');
    return;
  }
  {
    const bytes = readFileSync(big);
    console.log(`debuginfo.big.elf: ${(statSync(big).size / 1e6).toFixed(2)} MB`);
    const stopped = await runTo(bytes, 'step_u40_f50', 1);
    const t0 = performance.now();
    const elf = parseElf(bytes);
    const table = FrameTable.fromElf(elf);
    const symbols = new SourceSymbols(elf, table);
    console.log(`debuginfo.big.load: ${ms(t0).toFixed(1)} ms`);
    const answer = answerStop(symbols, table, stopped.machine);
    console.log(`debuginfo.big.firstStop: ${ms(t0).toFixed(1)} ms`);
    console.log(
      `# big: ${symbols.program.units.length} units, ${answer.frames} frames, ${answer.variables} variables`,
    );
  }
  {
    const bytes = readFileSync(small);
    console.log(`debuginfo.small.elf: ${(statSync(small).size / 1e3).toFixed(0)} KB`);
    const stopped = await runTo(bytes, 'step_u2_f20', 1);
    const elf = parseElf(bytes);
    const table = FrameTable.fromElf(elf);
    const symbols = new SourceSymbols(elf, table);
    let t0 = performance.now();
    const answer = answerStop(symbols, table, stopped.machine);
    console.log(`debuginfo.small.stop.cold: ${ms(t0).toFixed(2)} ms`);
    console.log(
      `# small: ${answer.frames} frames, ${answer.variables} variables, ${answer.text} characters`,
    );
    const warm: number[] = [];
    for (let i = 0; i < 20; i++) {
      t0 = performance.now();
      answerStop(symbols, table, stopped.machine);
      warm.push(ms(t0));
    }
    console.log(`debuginfo.small.stop.warm: ${median(warm).toFixed(2)} ms`);
  }
}

void main();
