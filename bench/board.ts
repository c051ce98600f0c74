/**
 * Board-language benchmarks: `name: number unit` lines.
 *   parse.10k-lines     ms to parse and fully check (binding, layout checks, engine build and the
 *                       flat-view based unreachable check) a generated 10,000-line board
 *   parse.only.10k-lines ms for the parser alone
 *   service.hover       ms per hover request on that file (analysis cached per document version)
 *   service.completion  ms per completion request on that file
 * Each also as `<name>.cpu`: user CPU ms per call, which stays meaningful when other processes
 * share the cores (wall-clock figures then grow with the machine's load).
 */
import { analyze, getBoardMapService, parseBoard, type Position } from '../src/board';

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
