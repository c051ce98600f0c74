/**
 * Board-language benchmarks: `name: number unit` lines.
 *   parse.10k-lines     ms to parse and fully check (binding, layout checks, engine build and the
 *                       flat-view based unreachable check) a generated 10,000-line board
 *   parse.only.10k-lines ms for the parser alone
 *   service.hover       ms per hover request on that file (analysis cached per document version)
 *   service.completion  ms per completion request on that file
 * Each also as `<name>.cpu`: user CPU ms per call, which stays meaningful when other processes
 * share the cores (wall-clock figures then grow with the machine's load).
 *
 * Checker scaling (issue 19: "a 100,000-region board checks in ≤ 1 s"), `check` = load + bind +
 * layout checks (what `boardmap check` runs before the engine build):
 *   check.regions.100k        ms to check 100,000 sibling MMIO regions
 *   check.overlap.5k          ms to check 5,000 mutually overlapping equal-priority siblings
 *   check.registers.10k       ms to check 10,000 registers in one window
 *   check.<kind>.ratio        time(2n) / time(n), measured in this run: ~2 for n log n, ~4 for n²
 *   check.full.regions.100k   ms for what `boardmap check` runs on the 100,000 regions: the checks
 *                             plus the layout build and the flat-view based unreachable check (BM310)
 */
import {
  analyze,
  bindProgram,
  getBoardMapService,
  loadProgram,
  parseBoard,
  type Position,
} from '../src/board';

function generate(lines: number): string {
  const out: string[] = ['board bench', 'const BASE = 0x1000_0000', 'ram backing size 16M', ''];
  out.push('container system size 2^32 {');
  let n = 0;
  while (out.length < lines - 20) {
    out.push(`  # bank ${n}`);
    out.push(`  container bank${n} @ BASE + ${n} * 64K size 64K {`);
    for (let i = 0; i < 8; i++) out.push(`    mmio dev${n}-${i} @ ${i} * 4K size 4K prio ${i % 3}`);
    out.push(`    alias win${n} @ 0x8000 -> backing offset ${n} * 4K size 4K prio 1`);
    out.push(`    mmio regs${n} @ 0xc000 size 4K {`);
    out.push(`      reg CTRL @ 0 : u32 rw reset 0 {`);
    out.push(`        field EN [0]`);
    out.push(`        on-write { enable win${n} = EN }`);
    out.push(`      }`);
    out.push(`      reg STATUS @ 4 : u32 w1c`);
    out.push(`    }`);
    out.push(`  }`);
    n++;
  }
  out.push('}', 'space memory = system', 'cpu hart0 : rv32imac { space = memory }');
  while (out.length < lines) out.push('# padding');
  return out.join('\n') + '\n';
}

/** Wall-clock ms per call, and CPU ms per call (user time: what an idle machine would show). */
function time(f: () => void, minMs = 300): { wall: number; cpu: number } {
  f();
  let runs = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  while (performance.now() - start < minMs) {
    f();
    runs++;
  }
  const wall = (performance.now() - start) / runs;
  return { wall, cpu: process.cpuUsage(cpu0).user / 1000 / runs };
}

const text = generate(10_000);
const lineCount = text.split('\n').length - 1;
const diagnostics = analyze('bench.board', text).diagnostics.filter((d) => d.severity === 1);
if (diagnostics.length > 0)
  throw new Error(`generated board has errors: ${diagnostics[0]!.message}`);

const parseCheck = time(() => analyze('bench.board', text), 1500);
const parseOnly = time(() => parseBoard(text), 500);

const svc = getBoardMapService();
svc.diagnostics('bench.board', text); // first analysis of this version
const lines = text.split('\n');
const hoverAt: Position[] = [];
const completeAt: Position[] = [];
lines.forEach((l, line) => {
  const i = l.indexOf('dev');
  if (i >= 0 && hoverAt.length < 200) hoverAt.push({ line, character: i + 2 });
  const j = l.indexOf('-> ');
  if (j >= 0 && completeAt.length < 50) completeAt.push({ line, character: j + 3 });
});
let k = 0;
const hover = time(() => void svc.hover('bench.board', text, hoverAt[k++ % hoverAt.length]!));
k = 0;
const completion = time(
  () => void svc.completion('bench.board', text, completeAt[k++ % completeAt.length]!),
);

console.log(`lines: ${lineCount} count`);
for (const [name, t, digits] of [
  ['parse.10k-lines', parseCheck, 1],
  ['parse.only.10k-lines', parseOnly, 1],
  ['service.hover', hover, 3],
  ['service.completion', completion, 3],
] as const) {
  console.log(`${name}: ${t.wall.toFixed(digits)} ms`);
  console.log(`${name}.cpu: ${t.cpu.toFixed(digits)} ms`);
}

// ---- checker scaling

const scaling: Record<string, (n: number) => string> = {
  regions: (n) => {
    const out = ['container system size 2^64 {'];
    for (let i = 0; i < n; i++) out.push(`  mmio r${i} @ ${i} * 4K size 4K`);
    out.push('}', 'space memory = system');
    return out.join('\n') + '\n';
  },
  overlap: (n) => {
    const out = ['container system size 2^32 {'];
    for (let i = 0; i < n; i++) out.push(`  mmio r${i} @ ${i} size 64K`);
    out.push('}', 'space memory = system');
    return out.join('\n') + '\n';
  },
  registers: (n) => {
    const out = ['container system size 2^32 {', `  mmio regs @ 0 size ${n * 4} {`];
    for (let i = 0; i < n; i++) out.push(`    reg R${i} @ ${i * 4} : u32 rw`);
    out.push('  }', '}', 'space memory = system');
    return out.join('\n') + '\n';
  },
};
const check = (text: string) => () => void bindProgram(loadProgram('scale.board', text));
for (const [kind, n] of [
  ['regions', 100_000],
  ['overlap', 5_000],
  ['registers', 10_000],
] as const) {
  const big = time(check(scaling[kind]!(n)), 2000);
  const half = time(check(scaling[kind]!(n / 2)), 2000);
  const label = n >= 1000 ? `${n / 1000}k` : `${n}`;
  console.log(`check.${kind}.${label}: ${big.wall.toFixed(0)} ms`);
  console.log(`check.${kind}.${label}.cpu: ${big.cpu.toFixed(0)} ms`);
  console.log(`check.${kind}.ratio: ${(big.cpu / half.cpu).toFixed(2)} x`);
}

const full = (text: string) => () => void analyze('scale.board', text);
const fullBig = time(full(scaling.regions!(100_000)), 2000);
const fullHalf = time(full(scaling.regions!(50_000)), 2000);
console.log(`check.full.regions.100k: ${fullBig.wall.toFixed(0)} ms`);
console.log(`check.full.regions.100k.cpu: ${fullBig.cpu.toFixed(0)} ms`);
console.log(`check.full.regions.ratio: ${(fullBig.cpu / fullHalf.cpu).toFixed(2)} x`);
