/**
 * A grammar fuzzer (fast-check): random but plausible boards — nested containers, every region
 * kind, aliases to random regions (chains, cycles, ancestors), devices with parameters at and past
 * their limits, register banks with overlaps, numbers at the edges (0, 2^53, 2^64, negatives) —
 * and line-level mutations of the examples. Properties, on every input:
 *   - compileBoard never throws (checker, evaluator, builder), nor does any language service
 *     feature (diagnostics, outline, folding, hover on every name, completion);
 *   - `check` clean (no error diagnostic) ⇒ compileBoard built the board;
 *   - the formatter round-trips: formatting is idempotent, and the formatted board compiles to
 *     the same diagnostics and, when built, the same `info mtree` text.
 * Bounded to a few seconds; case counts come from test/support/property.ts (a tenth under
 * `npm run test:quick`, BOARDMAP_PROPERTY_SCALE=N for a longer search).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  compileBoard,
  formatBoard,
  getBoardMapService,
  LineIndex,
  Severity,
  type CompiledBoard,
} from '../../src/board';
import { formatMtree } from '../../src/engine';
import { EXAMPLES } from './helpers';
import { numRuns } from '../support/property';

const stats = { inputs: 0, clean: 0, built: 0 };

function compile(text: string): CompiledBoard {
  // sparse RAM: a clean board may declare terabytes of it
  return compileBoard('fuzz.board', text, undefined, { sparseRam: true });
}

function summary(c: CompiledBoard): string[] {
  return c.diagnostics.map((d) => `${d.code} ${d.severity} ${d.message}`).sort();
}

/** The three properties. */
function property(text: string): void {
  stats.inputs++;
  let c: CompiledBoard;
  try {
    c = compile(text);
  } catch (e) {
    assert.fail(`compileBoard threw ${(e as Error).stack}\n--- input ---\n${text}`);
  }
  try {
    const svc = getBoardMapService();
    svc.diagnostics('fuzz.board', text);
    svc.documentSymbols('fuzz.board', text);
    svc.folding('fuzz.board', text);
    const lines = new LineIndex(text);
    for (const o of c.model.occurrences.slice(0, 40)) {
      const at = lines.positionAt(o.name.offset + 1);
      svc.hover('fuzz.board', text, at);
      svc.definition('fuzz.board', text, at);
      svc.references('fuzz.board', text, at, true);
    }
    for (let i = 0; i < text.length; i += Math.max(1, text.length >> 3))
      svc.completion('fuzz.board', text, lines.positionAt(i));
  } catch (e) {
    assert.fail(`the language service threw ${(e as Error).stack}\n--- input ---\n${text}`);
  }
  const clean = !c.diagnostics.some((d) => d.severity === Severity.Error);
  if (clean) {
    stats.clean++;
    assert.ok(c.built, `check was clean but the build failed: ${c.error}\n--- input ---\n${text}`);
    stats.built++;
  }
  const formatted = formatBoard(text);
  if (formatted === undefined) return; // syntax errors: the formatter leaves the text alone
  assert.equal(formatBoard(formatted), formatted, `fmt is not idempotent\n--- input ---\n${text}`);
  const again = compile(formatted);
  assert.deepEqual(
    summary(again),
    summary(c),
    `fmt changed the diagnostics\n--- input ---\n${text}`,
  );
  if (c.built) {
    assert.ok(again.built, `fmt broke the build\n--- input ---\n${text}`);
    for (const flat of [false, true]) {
      assert.equal(
        formatMtree(again.built.system, { flat, disabled: true }),
        formatMtree(c.built.system, { flat, disabled: true }),
        `fmt changed the map\n--- input ---\n${text}`,
      );
    }
  }
}

// ---- plausible boards

const SIZES = [
  '1',
  '4',
  '4K',
  '64K',
  '1M',
  '0x1000',
  '2^32',
  '2^53 - 1',
  '2^53',
  '2^64',
  '0',
  '-4K',
  'SZ',
];
const ADDRS = [
  '0',
  '4',
  '0x1000',
  '4K',
  '64K',
  '2^32 - 4K',
  '2^63',
  '2^64 - 1',
  '2^64',
  '-1',
  'BASE',
  'BASE + 4K',
];
const PRIOS = ['0', '1', '-1', '2', '2^31 - 1', '2^31'];
const KINDS = [
  'ram',
  'rom',
  'romd',
  'ramd',
  'mmio',
  'reservation',
  'container',
  'alias',
  'device',
] as const;
const FLAGS = ['disabled', 'readonly', 'nonvolatile', 'coalesced', 'mmio-mode'];
const DEVICES: Record<string, readonly [string, readonly string[]][]> = {
  ns16550a: [
    ['reg-shift', ['0', '2', '3', '2^40']],
    ['reg-io-width', ['1', '4', '3']],
    ['clock', ['1', '3_686_400', '0', '2^40']],
  ],
  plic: [
    ['sources', ['2', '53', '1024', '1025', '0']],
    ['contexts', ['1', '2', '0', '2^20']],
    ['window-size', ['0x60_0000', '4K', '2^40']],
  ],
  clint: [
    ['harts', ['1', '4095', '4096']],
    ['timebase', ['1', '10_000_000', '2^32']],
  ],
  sifive_test: [],
  memctl: [],
  regbank: [],
};

interface RegionPlan {
  kind: (typeof KINDS)[number];
  label: boolean;
  at: string | undefined;
  size: string | undefined;
  prio: string | undefined;
  flags: string[];
  target: number;
  offset: string | undefined;
  model: string;
  params: [number, number][];
  regs: [number, string, string][];
  children: RegionPlan[];
}

function regionArb(depth: number): fc.Arbitrary<RegionPlan> {
  return fc.record({
    kind: fc.constantFrom(...KINDS),
    label: fc.boolean(),
    at: fc.option(fc.constantFrom(...ADDRS), { freq: 4 }).map((x) => x ?? undefined),
    size: fc.option(fc.constantFrom(...SIZES), { freq: 6 }).map((x) => x ?? undefined),
    prio: fc.option(fc.constantFrom(...PRIOS), { freq: 2 }).map((x) => x ?? undefined),
    flags: fc.subarray(FLAGS, { maxLength: 2 }),
    target: fc.nat(),
    offset: fc
      .option(fc.constantFrom('0', '4', '4K', '2^64'), { freq: 2 })
      .map((x) => x ?? undefined),
    model: fc.constantFrom(...Object.keys(DEVICES)),
    params: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 2 }),
    regs: fc.array(
      fc.tuple(
        fc.nat({ max: 12 }),
        fc.constantFrom('u8', 'u16', 'u32'),
        fc.constantFrom('rw', 'ro', 'w1c', 'rc'),
      ),
      { maxLength: 3 },
    ),
    children:
      depth === 0
        ? fc.constant([])
        : fc.array(regionArb(depth - 1), { maxLength: depth === 3 ? 5 : 3 }),
  });
}

interface BoardPlan {
  consts: { base: string; sz: string };
  tops: RegionPlan[];
  root: RegionPlan;
  spaces: number;
  cpu: boolean;
}

const boardArb: fc.Arbitrary<BoardPlan> = fc.record({
  consts: fc.record({
    base: fc.constantFrom(...ADDRS.slice(0, 6)),
    sz: fc.constantFrom(...SIZES.slice(0, 7)),
  }),
  tops: fc.array(regionArb(1), { maxLength: 2 }),
  root: regionArb(3),
  spaces: fc.nat({ max: 2 }),
  cpu: fc.boolean(),
});

function render(plan: BoardPlan): string {
  const all: RegionPlan[] = [];
  const collect = (r: RegionPlan) => {
    all.push(r);
    r.children.forEach(collect);
  };
  plan.tops.forEach(collect);
  collect(plan.root);
  const ids = new Map(all.map((r, i) => [r, i === all.length - 1 ? 'sys' : `r${i}`]));
  const rootIndex = all.indexOf(plan.root);
  ids.set(plan.root, 'sys');
  all.forEach((r, i) => i !== rootIndex && ids.set(r, `r${i}`));
  const out = [`const BASE = ${plan.consts.base}`, `const SZ = ${plan.consts.sz}`];
  const emit = (r: RegionPlan, indent: string, nested: boolean): void => {
    const id = ids.get(r)!;
    const isRoot = r === plan.root;
    const kind = isRoot ? 'container' : r.kind;
    let line = `${indent}${kind} ${id}`;
    if (r.label) line += ` "q ${id}"`;
    if (kind === 'device') line += ` : ${r.model}`;
    if (nested && r.at !== undefined) line += ` @ ${r.at}`;
    if (kind === 'alias') line += ` -> ${ids.get(all[r.target % all.length]!)}`;
    if (kind === 'alias' && r.offset !== undefined) line += ` offset ${r.offset}`;
    const size = isRoot ? '2^64' : r.size;
    if (size !== undefined && kind !== 'device') line += ` size ${size}`;
    if (kind === 'device' && (r.model === 'memctl' || r.model === 'regbank') && size !== undefined)
      line += ` size ${size}`;
    if (r.prio !== undefined && nested) line += ` prio ${r.prio}`;
    if (!isRoot) for (const f of r.flags) line += ` ${f}`;
    const body: string[] = [];
    if (kind === 'device') {
      const specs = DEVICES[r.model]!;
      const seen = new Set<string>();
      for (const [p, v] of r.params) {
        if (specs.length === 0) break;
        const [name, values] = specs[p % specs.length]!;
        if (seen.has(name)) continue;
        seen.add(name);
        body.push(`${indent}  ${name} = ${values[v % values.length]}`);
      }
    }
    if (kind === 'mmio' || (kind === 'device' && (r.model === 'memctl' || r.model === 'regbank'))) {
      r.regs.forEach(([o, w, a], i) => body.push(`${indent}  reg R${i} @ ${o} : ${w} ${a}`));
    }
    if (kind !== 'alias' && kind !== 'device')
      for (const c of r.children) emitInto(body, c, `${indent}  `);
    if (body.length === 0) out.push(line);
    else out.push(`${line} {`, ...body, `${indent}}`);
  };
  const emitInto = (body: string[], r: RegionPlan, indent: string) => {
    const before = out.length;
    emit(r, indent, true);
    body.push(...out.splice(before));
  };
  plan.tops.forEach((r) => emit(r, '', false));
  emit(plan.root, '', false);
  for (let i = 0; i < plan.spaces; i++) out.push(`space ${i === 0 ? 'memory' : `s${i}`} = sys`);
  if (plan.cpu && plan.spaces > 0) out.push('cpu hart0 : rv32imac { space = memory }');
  return out.join('\n') + '\n';
}

const plausible = boardArb.map(render);

// ---- mutations of the examples

const exampleLines = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.board'))
  .map((f) => readFileSync(join(EXAMPLES, f), 'utf8'))
  .filter((t) => t.length < 20_000)
  .map((t) => t.split('\n'));

const NUMBERS = ['0', '1', '2^53', '2^64', '2^64 - 1', '-1', '0x8000_0000', '(1 + 2) * 4K'];

const mutatedExample = fc
  .tuple(
    fc.constantFrom(...exampleLines),
    fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat({ max: 4 }), fc.constantFrom(...NUMBERS)), {
      minLength: 1,
      maxLength: 4,
    }),
  )
  .map(([lines, edits]) => {
    const l = [...lines];
    for (const [a, b, op, num] of edits) {
      const i = a % l.length;
      const j = b % l.length;
      if (op === 0)
        l.splice(i, 1); // delete a line
      else if (op === 1)
        l.splice(i, 0, l[j]!); // duplicate one elsewhere
      else if (op === 2)
        [l[i], l[j]] = [l[j]!, l[i]!]; // swap two
      else if (op === 3)
        l[i] = l[i]!.replace(/\b(?:0x[0-9a-f_]+|\d[\d_]*[KMG]?)\b/i, num); // a number
      else
        l[i] = l[i]!.replace(
          /-> *("[^"]*"|[\w.-]+)/,
          `-> ${/[\w.-]+/.exec(l[j]!.trim().split(/\s+/)[1] ?? 'x')?.[0] ?? 'x'}`,
        ); // retarget
    }
    return l.join('\n');
  });

describe('grammar fuzzer', () => {
  test('plausible generated boards', () => {
    fc.assert(fc.property(plausible, property), { numRuns: numRuns(400) });
  });

  test('mutated examples', () => {
    fc.assert(fc.property(mutatedExample, property), { numRuns: numRuns(150) });
  });

  test('the generators reach both sides of "check clean ⇒ builds"', () => {
    // not vacuous: a fair share of the generated boards is clean (and so was built)
    console.log(`grammar fuzzer: ${JSON.stringify(stats)}`);
    assert.ok(stats.clean >= stats.inputs / 20, JSON.stringify(stats));
    assert.ok(stats.clean < stats.inputs, JSON.stringify(stats));
  });
});
