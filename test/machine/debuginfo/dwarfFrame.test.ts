// .debug_frame CFI: every FDE's rule table of every example ELF compared row by row with
// `riscv64-unknown-elf-readelf -W --debug-dump=frames-interp` (goldens in golden/).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parseElf } from '../../../src/machine/loader';
import {
  type CfiRow,
  DwarfError,
  FrameTable,
  parseDebugFrame,
  type RegisterRule,
} from '../../../src/machine/debuginfo';
import { FIRMWARE, firmwareDir, readFirmware, readelfGolden } from '../loader/elfFixtures';
import { ABI_NAMES } from '../../../src/machine/riscv';

const goldenDir = join(__dirname, 'golden');

interface GoldenFde {
  range: string;
  rows: string[];
}

/** FDE blocks of readelf's interpreted output: "pc=start..end" and its rows, normalised. */
function parseFramesInterp(text: string): GoldenFde[] {
  const fdes: GoldenFde[] = [];
  let current: GoldenFde | undefined;
  let columns: string[] = [];
  for (const line of text.split('\n')) {
    const fde = /FDE cie=[0-9a-f]+ pc=([0-9a-f]+)\.\.([0-9a-f]+)/.exec(line);
    if (fde) {
      current = { range: `${fde[1]}..${fde[2]}`, rows: [] };
      fdes.push(current);
      continue;
    }
    if (/ CIE /.test(line)) {
      current = undefined;
      continue;
    }
    if (!current) continue;
    const header = /^\s+LOC\s+CFA\s*(.*)$/.exec(line);
    if (header) {
      columns = header[1]!.trim().split(/\s+/).filter(Boolean);
      continue;
    }
    const row = /^([0-9a-f]{8}) (\S+)\s*(.*)$/.exec(line);
    if (row) {
      const cells = row[3]!.trim().split(/\s+/).filter(Boolean);
      current.rows.push(
        `${row[1]} ${row[2]} ${columns.map((c, i) => `${c}=${cells[i]}`).join(' ')}`.trim(),
      );
    }
  }
  return fdes;
}

function cell(rule: RegisterRule | undefined): string {
  if (!rule || rule.kind === 'undefined') return 'u';
  if (rule.kind === 'same') return 's';
  if (rule.kind === 'offset') return `c${rule.offset >= 0 ? '+' : ''}${rule.offset}`;
  if (rule.kind === 'register') return `r${rule.register}`;
  return rule.kind;
}

function formatRows(rows: CfiRow[]): string[] {
  const registers = [...new Set(rows.flatMap((r) => [...r.registers.keys()]))].sort(
    (a, b) => a - b,
  );
  return rows.map((r) => {
    const cfa =
      r.cfa.kind === 'register'
        ? `${ABI_NAMES[r.cfa.register]}${r.cfa.offset >= 0 ? '+' : ''}${r.cfa.offset}`
        : 'exp';
    const cells = registers
      .map((reg) => `${ABI_NAMES[reg]}=${cell(r.registers.get(reg))}`)
      .join(' ');
    return `${r.location.toString(16).padStart(8, '0')} ${cfa} ${cells}`.trim();
  });
}

describe('CFI rule tables equal readelf --debug-dump=frames-interp', () => {
  for (const name of FIRMWARE) {
    test(`${name}.elf`, () => {
      const golden = parseFramesInterp(
        readelfGolden(
          join(goldenDir, `${name}.frames-interp.txt`),
          join(firmwareDir, `${name}.elf`),
          ['-W', '--debug-dump=frames-interp'],
        ),
      );
      const table = FrameTable.fromElf(parseElf(readFirmware(name)));
      assert.ok(golden.length >= 8, 'golden has FDEs');
      const ours = [...table.fdes].sort((a, b) => a.offset - b.offset);
      assert.equal(ours.length, golden.length);
      ours.forEach((fde, i) => {
        const expected = golden[i]!;
        assert.equal(
          `${fde.start.toString(16).padStart(8, '0')}..${fde.end.toString(16).padStart(8, '0')}`,
          expected.range,
        );
        const rows = formatRows(table.rows(fde));
        // readelf prints no table for an FDE without instructions: ours is the CIE's single row.
        if (expected.rows.length === 0)
          assert.deepEqual(
            rows,
            [`${fde.start.toString(16).padStart(8, '0')} sp+0`],
            expected.range,
          );
        else assert.deepEqual(rows, expected.rows, expected.range);
      });
    });
  }
});

describe('malformed .debug_frame', () => {
  const section = parseElf(readFirmware('hello')).section('.debug_frame')!.data;
  test('every truncation gives a DwarfError, never a crash', () => {
    for (let n = 1; n < section.length; n++) {
      try {
        const fdes = parseDebugFrame(section.subarray(0, n));
        const table = new FrameTable(fdes);
        for (const fde of fdes) table.rows(fde);
      } catch (e) {
        assert.ok(e instanceof DwarfError, `prefix ${n}: ${String(e)}`);
        assert.equal(e.section, '.debug_frame');
      }
    }
  });
  test('an FDE pointing at a non-CIE, an unknown CFA opcode, a bad CIE version', () => {
    const copy = (edit: (v: DataView, b: Uint8Array) => void) => {
      const b = new Uint8Array(section);
      edit(new DataView(b.buffer), b);
      return b;
    };
    // hello: CIE at 0 (length 0xc), first FDE at 0x10 with its CIE pointer at 0x14.
    assert.throws(
      () => parseDebugFrame(copy((v) => v.setUint32(0x14, 0x4, true))),
      /FDE at 0x10 points to 0x4, which is not a CIE/,
    );
    assert.throws(
      () => parseDebugFrame(copy((_v, b) => (b[8] = 2))),
      /CIE version 2 is not supported/,
    );
    const fdes = parseDebugFrame(copy((_v, b) => (b[0x50 + 0x14] = 0x3f)));
    const bad = fdes.find((f) => f.offset === 0x50)!;
    assert.throws(
      () => new FrameTable(fdes).rows(bad),
      (e: unknown) =>
        e instanceof DwarfError &&
        /unknown CFA instruction 0x3f/.test(e.message) &&
        e.offset === 0x64,
    );
  });
});
