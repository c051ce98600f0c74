/**
 * Builds the disassembler golden from the real GNU toolchain: random encodings of every table
 * entry plus curated alias and illegal cases are assembled with `.insn`, linked at 0x80000000
 * with a symbol every 64 instructions, and disassembled by `riscv64-unknown-elf-objdump -d`.
 * Also regenerates src/machine/riscv/csr-names.ts from objdump's CSR names.
 *
 *   npx tsx test/machine/riscv/support/objdump-golden.ts          # print the golden text
 *   UPDATE_GOLDEN=1 node scripts/run-tests.mjs test/machine/riscv/disasm.test.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INSTRUCTIONS } from '../../../../src/machine/riscv';

export const TOOL_PREFIX = 'riscv64-unknown-elf-';
export const TEXT_BASE = 0x8000_0000;
const SYMBOL_EVERY = 64;

/** True when the RISC-V binutils are installed. */
export function toolchainAvailable(): boolean {
  try {
    execFileSync(`${TOOL_PREFIX}objdump`, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A small deterministic PRNG (xorshift32), so the golden is reproducible. */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
}

/** Hand-picked encodings that exercise objdump's aliases and the illegal/reserved space. */
const CURATED: [2 | 4, number][] = [
  [4, 0x00000013], [4, 0x00500513], [4, 0x00058513], [4, 0xfff5c513], [4, 0x40b00533],
  [4, 0x0015b513], [4, 0x00b03533], [4, 0x0005a533], [4, 0x00b02533], [4, 0x00008067],
  [4, 0x00078067], [4, 0x000780e7], [4, 0x00878067], [4, 0x008780e7], [4, 0x00878567],
  [4, 0xc0001073], [4, 0xc0002573], [4, 0xc0102573], [4, 0xc0202573], [4, 0xc8002573],
  [4, 0xc8102573], [4, 0xc8202573], [4, 0x30002573], [4, 0x30551073], [4, 0x3042d073],
  [4, 0x7c00e573], [4, 0x0ff0000f], [4, 0x0100000f], [4, 0x8330000f], [4, 0x0330000f],
  [4, 0x0000100f], [4, 0x00000073], [4, 0x00100073], [4, 0x30200073], [4, 0x10500073],
  [4, 0x0000007b], [4, 0x02b5053b], [4, 0x00052007],
  [2, 0x0000], [2, 0x0001], [2, 0x0081], [2, 0x4001], [2, 0x6101], [2, 0x6001], [2, 0x8002],
  [2, 0x8082], [2, 0x9002], [2, 0x9c01], [2, 0x2000], [2, 0x0002], [2, 0x1002], [2, 0x4002],
]; // prettier-ignore

/** The (length, encoding) list the golden covers. */
export function goldenEncodings(perEntry = 24): [2 | 4, number][] {
  const rnd = prng(0x5eed);
  const out: [2 | 4, number][] = [...CURATED];
  for (const spec of INSTRUCTIONS) {
    for (let i = 0; i < perEntry; i++) {
      const free = spec.length === 4 ? ~spec.mask >>> 0 : ~spec.mask & 0xffff;
      out.push([spec.length, ((rnd() & free) | spec.match) >>> 0]);
    }
  }
  // Random 16-bit parcels cover reserved compressed encodings too.
  for (let i = 0; i < 400; i++) {
    const h = rnd() & 0xffff;
    if ((h & 3) !== 3) out.push([2, h]);
  }
  return out;
}

export interface GoldenLine {
  address: number;
  hex: string;
  text: string;
}

/** Assembles, links and disassembles the encodings; returns symbols and objdump's lines. */
export function runObjdump(encodings: [2 | 4, number][]): {
  symbols: [number, string][];
  lines: GoldenLine[];
} {
  const dir = mkdtempSync(join(tmpdir(), 'rv-golden-'));
  try {
    const src = ['.text', '.globl _start', '_start:'];
    encodings.forEach(([len, value], i) => {
      if (i > 0 && i % SYMBOL_EVERY === 0) src.push(`sym_${i / SYMBOL_EVERY}:`);
      src.push(`.insn ${len}, 0x${value.toString(16)}`);
    });
    writeFileSync(join(dir, 'g.s'), src.join('\n') + '\n');
    const march = '-march=rv32imac_zicsr_zifencei';
    execFileSync(`${TOOL_PREFIX}as`, [march, '-mabi=ilp32', 'g.s', '-o', 'g.o'], { cwd: dir });
    const ldArgs = [
      '-m',
      'elf32lriscv',
      `-Ttext=0x${TEXT_BASE.toString(16)}`,
      'g.o',
      '-o',
      'g.elf',
    ];
    execFileSync(`${TOOL_PREFIX}ld`, ldArgs, { cwd: dir });
    // Keep only our own symbols (not the linker's __global_pointer$, _end, ...).
    const keep = [
      '_start',
      ...Array.from({ length: encodings.length / SYMBOL_EVERY + 1 }, (_, i) => `sym_${i}`),
    ];
    execFileSync(
      `${TOOL_PREFIX}objcopy`,
      ['--strip-all', ...keep.map((k) => `--keep-symbol=${k}`), 'g.elf'],
      { cwd: dir },
    );
    const nm = execFileSync(`${TOOL_PREFIX}nm`, ['-n', 'g.elf'], { cwd: dir }).toString();
    const symbols: [number, string][] = [];
    for (const line of nm.split('\n')) {
      const sym = /^([0-9a-f]{8}) \w (\S+)$/.exec(line);
      if (sym) symbols.push([parseInt(sym[1], 16), sym[2]]);
    }
    const dump = execFileSync(`${TOOL_PREFIX}objdump`, ['-d', 'g.elf'], { cwd: dir }).toString();
    const lines: GoldenLine[] = [];
    for (const line of dump.split('\n')) {
      const insn = /^([0-9a-f]+):\t([0-9a-f]+)\s+\t(.*)$/.exec(line);
      if (insn) lines.push({ address: parseInt(insn[1], 16), hex: insn[2], text: insn[3] });
    }
    return { symbols, lines };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The golden file's text: a header, the symbols, then one `address hex text` line each. */
export function goldenText(): string {
  const { symbols, lines } = runObjdump(goldenEncodings());
  const version = execFileSync(`${TOOL_PREFIX}objdump`, ['--version']).toString().split('\n')[0];
  return [
    `# objdump -d of rv32imac_zicsr_zifencei encodings (${version}).`,
    '# Generated by test/machine/riscv/support/objdump-golden.ts; regenerate with UPDATE_GOLDEN=1.',
    ...symbols.map(([a, n]) => `symbol ${a.toString(16)} ${n}`),
    ...lines.map((l) => `${l.address.toString(16)} ${l.hex} ${l.text}`),
    '',
  ].join('\n');
}

/** Regenerates csr-names.ts: objdump's name for every CSR number (`csrr a0,<csr>`). */
export function csrNamesFromObjdump(): [number, string][] {
  const enc: [2 | 4, number][] = [];
  for (let n = 0; n < 4096; n++) enc.push([4, ((n << 20) | (2 << 12) | (10 << 7) | 0x73) >>> 0]);
  const out: [number, string][] = [];
  for (const l of runObjdump(enc).lines) {
    const n = parseInt(l.hex, 16) >>> 20;
    const m = /^(?:csrr\ta0,|(rd\w+)\ta0)(.*)$/.exec(l.text);
    if (!m) continue;
    const name = m[1] ? { rdcycle: 'cycle', rdtime: 'time', rdinstret: 'instret', rdcycleh: 'cycleh', rdtimeh: 'timeh', rdinstreth: 'instreth' }[m[1]] : m[2]; // prettier-ignore
    if (name && !name.startsWith('0x')) out.push([n, name]);
  }
  return out;
}

/** The text of src/machine/riscv/csr-names.ts. */
export function csrNamesModule(): string {
  let line = '  ';
  const rows: string[] = [];
  for (const [n, name] of csrNamesFromObjdump()) {
    const item = `[0x${n.toString(16).padStart(3, '0')}, '${name}'], `;
    if (line.length + item.length > 100) {
      rows.push(line.trimEnd());
      line = '  ';
    }
    line += item;
  }
  rows.push(line.trimEnd());
  return [
    '/**',
    ' * CSR names exactly as GNU objdump 2.40 prints them (`csrr a0,<name>`), for every CSR number it',
    ' * knows. Generated from the real objdump by test/machine/riscv/support/objdump-golden.ts',
    ' * (`npx tsx test/machine/riscv/support/objdump-golden.ts csr-names`); do not edit by hand.',
    ' * Numbers missing here print as hex (`0x7c0`).',
    ' */',
    '// prettier-ignore',
    'const ENTRIES: readonly (readonly [number, string])[] = [',
    ...rows,
    '];',
    '',
    'const BY_NUMBER = new Map<number, string>(ENTRIES);',
    '',
    "/** objdump's name for a CSR number, or undefined when it prints the number in hex. */",
    'export function csrName(csr: number): string | undefined {',
    '  return BY_NUMBER.get(csr);',
    '}',
    '',
    '/** All named CSRs (number, name), in numeric order. */',
    'export const CSR_NAME_ENTRIES = ENTRIES;',
    '',
  ].join('\n');
}

if (process.argv[1]?.endsWith('objdump-golden.ts')) {
  if (process.argv[2] === 'csr-names') {
    writeFileSync(
      new URL('../../../../src/machine/riscv/csr-names.ts', import.meta.url),
      csrNamesModule(),
    );
  } else process.stdout.write(goldenText());
}
