/**
 * Fuzzing with fast-check, 100,000+ inputs in total: token soups, mutated examples, generated
 * valid boards and raw strings. Properties: parsing, checking and building never throw; every
 * diagnostic range lies inside its text; formatting is idempotent on every syntactically valid
 * input and keeps it valid. Case counts come from test/support/property.ts (a tenth under
 * `npm run test:quick`).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { FULL_COUNTS, numRuns } from '../support/property';
import {
  analyze,
  bindProgram,
  formatBoard,
  loadProgram,
  parseBoard,
  Severity,
} from '../../src/board';
import { EXAMPLES } from './helpers';

let total = 0;

function checkRanges(
  text: string,
  ds: readonly { offset: number; length: number; uri?: string }[],
): void {
  for (const d of ds) {
    assert.ok(
      d.offset >= 0 && d.length >= 0 && d.offset + d.length <= text.length,
      `range ${d.offset}+${d.length} outside ${text.length}`,
    );
  }
}

/** The property every input must satisfy. @build also builds the engine map when possible. */
function property(text: string, build: boolean): void {
  total++;
  const parsed = parseBoard(text);
  checkRanges(text, parsed.diagnostics);
  const model = build ? analyze('f.board', text) : bindProgram(loadProgram('f.board', text));
  checkRanges(text, model.diagnostics);
  if (!parsed.diagnostics.some((d) => d.severity === Severity.Error)) {
    const once = formatBoard(text);
    assert.ok(once !== undefined, 'valid text must format');
    assert.equal(formatBoard(once), once, 'fmt must be idempotent');
    assert.ok(
      !parseBoard(once).diagnostics.some((d) => d.severity === Severity.Error),
      'formatted text must stay valid',
    );
  }
}

const FRAGMENTS = [
  'ram',
  'rom',
  'romd',
  'mmio',
  'io',
  'alias',
  'ramd',
  'reservation',
  'container',
  'device',
  'board',
  'include',
  'const',
  'space',
  'cpu',
  'reg',
  'field',
  'on-write',
  'on-read',
  'enable',
  'disable',
  'move',
  'alias-offset',
  'if',
  'else',
  'size',
  'prio',
  'offset',
  'owner',
  'parent',
  'disabled',
  'enabled',
  'readonly',
  'nonvolatile',
  'mmio-mode',
  'coalesced',
  'max-size',
  'ioeventfd',
  'data',
  'resize',
  'reset',
  'rw',
  'ro',
  'w1c',
  'rc',
  'u8',
  'u32',
  'a',
  'b',
  'sys',
  'pc.ram',
  'x-1',
  'value',
  'ns16550a',
  'plic',
  'memctl',
  'rv32imac',
  '0',
  '1',
  '4K',
  '64K',
  '2^32',
  '0x1000',
  '0x8000_0000',
  '1_0',
  '0x',
  '"s"',
  '"un',
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  ',',
  ':',
  '=',
  '@',
  '->',
  '+',
  '-',
  '*',
  '/',
  '%',
  '<<',
  '>>',
  '&',
  '|',
  '~',
  '^',
  '#c\n',
  '/*b*/',
  '/*',
  'toString',
  'constructor',
  '__proto__',
  '\n',
  ' ',
  '\t',
  '$',
  'é',
  '\u0000',
];

const tokenSoup = fc
  .array(fc.constantFrom(...FRAGMENTS), { maxLength: 24 })
  .map((parts) => parts.join(' '));

const exampleTexts = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.board'))
  .map((f) => readFileSync(join(EXAMPLES, f), 'utf8'))
  .filter((t) => t.length < 2000);

/** An example with up to five random edits (delete, insert a fragment, duplicate a slice). */
const mutated = fc
  .tuple(
    fc.constantFrom(...exampleTexts),
    fc.array(
      fc.tuple(fc.nat(), fc.nat({ max: 12 }), fc.constantFrom(...FRAGMENTS), fc.nat({ max: 2 })),
      { minLength: 1, maxLength: 5 },
    ),
  )
  .map(([text, edits]) => {
    let t = text;
    for (const [pos, len, frag, op] of edits) {
      const p = pos % (t.length + 1);
      if (op === 0) t = t.slice(0, p) + t.slice(p + len);
      else if (op === 1) t = t.slice(0, p) + frag + t.slice(p);
      else t = t.slice(0, p) + t.slice(p, p + len) + t.slice(p);
    }
    return t;
  });

const ident = fc.constantFrom(
  'a',
  'b',
  'c',
  'ram0',
  'pc.ram',
  'x-y',
  'dev_1',
  'ctl',
  'toString',
  '__proto__',
);
const num = fc.constantFrom(
  '0',
  '0x10',
  '4K',
  '64K',
  '1M',
  '2^12',
  '(1 + 2) * 4K',
  '0x1000 - 16',
  '1 << 12',
);

/** Small boards that are syntactically valid by construction (semantics may still be wrong). */
const validBoard = fc
  .array(
    fc.oneof(
      fc.tuple(ident, num).map(([n, v]) => `const ${n} = ${v}`),
      fc
        .tuple(fc.constantFrom('ram', 'rom', 'mmio', 'reservation', 'romd', 'ramd'), ident, num)
        .map(([k, n, s]) => `${k} ${n} size ${s}`),
      fc
        .tuple(ident, ident, num, num)
        .map(([n, t, o, s]) => `alias ${n} -> ${t} offset ${o} size ${s} prio -1`),
      fc
        .tuple(
          ident,
          num,
          fc.array(
            fc.tuple(
              fc.constantFrom('ram', 'mmio', 'alias'),
              ident,
              num,
              fc.integer({ min: -3, max: 3 }),
            ),
            { maxLength: 4 },
          ),
        )
        .map(
          ([n, s, kids]) =>
            `container ${n} size ${s} {\n${kids.map(([k, c, a, p]) => (k === 'alias' ? `  alias ${c} @ ${a} -> ${n} size 16 prio ${p}` : `  ${k} ${c} @ ${a} size 4K prio ${p}`)).join('\n')}\n}  # end`,
        ),
      fc
        .tuple(ident, num)
        .map(
          ([n, a]) =>
            `mmio ${n} size 4K {\n  reg R @ ${a} : u32 rw reset 1 {\n    field F [3:0] w1c\n    on-write { enable ${n} = F & 1 }\n  }\n}`,
        ),
      fc
        .tuple(ident, num, num, fc.constantFrom('0', '1', '2', '4', '8', '3'), num)
        .map(
          ([n, s, a, w, d]) =>
            `mmio ${n} size ${s} coalesced {\n  ioeventfd q @ ${a} size ${w} data ${d}\n  coalesced @ ${a} size 16\n}`,
        ),
      fc.tuple(ident, num, num).map(([n, s, m]) => `ram ${n} size ${s} max-size ${m}`),
      fc.tuple(ident, ident).map(([n, r]) => `space ${n} = ${r}`),
      fc
        .tuple(ident, ident)
        .map(([n, s]) => `cpu ${n} : rv32imac { space = ${s}, reset = 0x1000 }`),
    ),
    { maxLength: 8 },
  )
  .map((lines) => lines.join('\n') + '\n');

describe('fuzz', () => {
  test('token soups: parse and check never throw; ranges inside the text', () => {
    fc.assert(
      fc.property(tokenSoup, (t) => property(t, false)),
      { numRuns: numRuns(50_000) },
    );
  });
  test('mutated examples: parse, check and build never throw', () => {
    fc.assert(
      fc.property(mutated, (t) => property(t, true)),
      { numRuns: numRuns(5_000) },
    );
  });
  test('generated valid boards: check, build and idempotent fmt', () => {
    fc.assert(
      fc.property(validBoard, (t) => {
        assert.deepEqual(parseBoard(t).diagnostics, []);
        property(t, true);
      }),
      { numRuns: numRuns(20_000) },
    );
  });
  test('arbitrary unicode strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (t) => property(t, false)),
      { numRuns: numRuns(25_000) },
    );
  });
  test('at least 100,000 inputs in total', { skip: !FULL_COUNTS && 'reduced case counts' }, () => {
    assert.ok(total >= 100_000, `only ${total} inputs`);
  });
});
