// The oracle suite: gdb-multiarch on QEMU and Boardmap's own machine stop the same ELF at the
// same place; every frame's `info args` / `info locals` and every chosen `print` must read the
// same. Goldens (oracle/golden/*.golden, JSON) hold gdb's answers; UPDATE_GOLDEN=1 re-records them
// (needs qemu-system-riscv32 and gdb-multiarch) and then compares as usual.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ORACLE_PROGRAMS, oracleElfs } from './oracle/specs';
import { captureStop, gdbVersion, type Golden } from './oracle/gdbOracle';
import { boardmapStop, elfPath, loadOracleElf, oracleDir } from './oracle/boardmapStop';

/**
 * gdb keeps a lexical block's symbols (not a function's) in a hashed dictionary and lists them in
 * its hash order, which we do not reproduce (we list declaration order). Inside such a block,
 * take gdb's order when gdb's lines are the same set as ours; everything else must match as is.
 */
function inGdbBlockOrder(
  ours: string[],
  gdb: readonly string[],
  groups: { count: number; isFunction: boolean }[],
): string[] {
  const out: string[] = [];
  let at = 0;
  for (const group of groups) {
    const mine = ours.slice(at, at + group.count);
    const theirs = gdb.slice(at, at + group.count);
    const sameSet = [...mine].sort().join('\n') === [...theirs].sort().join('\n');
    out.push(...(!group.isFunction && sameSet ? theirs : mine));
    at += group.count;
  }
  out.push(...ours.slice(at));
  return out;
}

/**
 * Values gdb reads from memory that QEMU's and Boardmap's `virt` machines answer differently.
 * Only the numbers may differ there (same names, same shape); where the value lives is
 * compared exactly through a `&x` print in the same stop.
 */
const MEMORY_DIFFERENCES: readonly {
  elf: string;
  stop: string;
  /** `info args`/`info locals` lines and `print` expressions whose numbers may differ. */
  line: RegExp;
  expressions: readonly string[];
  reason: string;
}[] = [
  {
    elf: 'extras-Og',
    stop: 'length2-return',
    line: /^v = /,
    expressions: ['v', 'v.x * 2'],
    reason:
      "-Og leaves v's DWARF location (DW_OP_breg8 s0) pointing at 0x40390000 after s0 is reused: " +
      "QEMU's virt answers all-ones in its PCIe MMIO window there, Boardmap's virt has no PCIe host",
  },
];

const shape = (text: string) => text.replace(/-?nan\(0x[0-9a-f]+\)|-?\d+(\.\d+)?(e[+-]\d+)?/g, '#');

/** Our text, or gdb's when it is a known memory difference and only the numbers differ. */
function allowMemoryDifference(
  elf: string,
  stop: string,
  ours: string,
  gdb: string,
  expression?: string,
): string {
  const known = MEMORY_DIFFERENCES.find(
    (d) =>
      d.elf === elf &&
      d.stop === stop &&
      (expression === undefined ? d.line.test(gdb) : d.expressions.includes(expression)),
  );
  return known && ours !== gdb && shape(ours) === shape(gdb) ? gdb : ours;
}

const goldenDir = join(oracleDir, 'golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const goldenPath = (elf: string) => join(goldenDir, `${elf}.golden`);
const allElfs = ORACLE_PROGRAMS.flatMap((p) => oracleElfs(p.program));

test('every golden file belongs to an oracle ELF that is compared', () => {
  const files = existsSync(goldenDir) ? readdirSync(goldenDir) : [];
  assert.deepEqual(files.sort(), allElfs.map((e) => `${e}.golden`).sort());
});

test('every allowed memory difference names a stop of an oracle ELF', () => {
  for (const d of MEMORY_DIFFERENCES) {
    const program = ORACLE_PROGRAMS.find((p) => oracleElfs(p.program).includes(d.elf));
    assert.ok(
      program?.stops.some((s) => s.id === d.stop),
      `${d.elf} ${d.stop}`,
    );
    assert.ok(d.reason.length > 0);
  }
});

for (const program of ORACLE_PROGRAMS) {
  for (const elf of oracleElfs(program.program)) {
    describe(`oracle ${elf}`, () => {
      let golden: Golden;
      before(async () => {
        if (UPDATE) {
          const stops = [];
          for (const stop of program.stops) stops.push(await captureStop(elfPath(elf), stop));
          mkdirSync(goldenDir, { recursive: true });
          writeFileSync(
            goldenPath(elf),
            JSON.stringify({ elf, gdb: gdbVersion(), stops }, null, 1) + '\n',
          );
        }
        golden = JSON.parse(readFileSync(goldenPath(elf), 'utf8')) as Golden;
      });

      test('the golden has exactly the stops of the spec', () => {
        assert.deepEqual(
          golden.stops.map((s) => s.id),
          program.stops.map((s) => s.id),
        );
      });

      for (const spec of program.stops) {
        test(spec.id, async () => {
          const g = golden.stops.find((s) => s.id === spec.id)!;
          assert.ok(g, `no golden for ${spec.id}`);
          if (!spec.location.includes(':')) {
            // `break FUNCTION`: gdb's address after (or not after) the prologue.
            const { symbols, lines } = loadOracleElf(elf);
            assert.deepEqual(
              [symbols.functionBreakpoint(spec.location, lines)],
              g.breakpointAddresses,
              'function breakpoint address',
            );
          }
          const ours = await boardmapStop(elf, g, spec.hit ?? 1);
          assert.equal(ours.pc, g.pc, 'stopped at the same pc');
          let compared = 0;
          for (const frame of g.frames) {
            const mine = ours.frames[frame.level];
            assert.ok(mine, `frame ${frame.level} exists`);
            assert.equal(mine.function, frame.function, `frame ${frame.level} function`);
            assert.deepEqual(
              mine.args.map((line, i) =>
                allowMemoryDifference(elf, spec.id, line, frame.args[i] ?? ''),
              ),
              frame.args,
              `frame ${frame.level} info args`,
            );
            assert.deepEqual(
              inGdbBlockOrder(mine.locals, frame.locals, mine.localGroups),
              frame.locals,
              `frame ${frame.level} info locals`,
            );
            compared++;
          }
          assert.equal(compared, g.frames.length);
          assert.equal(g.prints.length, spec.prints?.length ?? 0, 'golden prints match the spec');
          const mismatches = g.prints
            .map((p) => ({
              expression: p.expression,
              gdb: p.output,
              ours: allowMemoryDifference(
                elf,
                spec.id,
                ours.print(p.expression),
                p.output,
                p.expression,
              ),
            }))
            .filter((p) => p.gdb !== p.ours);
          assert.deepEqual(mismatches, [], 'print output');
        });
      }
    });
  }
}
