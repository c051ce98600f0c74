// .debug_line decoding of every example ELF compared row by row with
// `riscv64-unknown-elf-readelf -W --debug-dump=decodedline` (goldens in golden/, rewritten from
// readelf when UPDATE_GOLDEN=1 and the toolchain is installed).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseElf } from '../../../src/machine/loader';
import { LineTable, parseDebugLine } from '../../../src/machine/debuginfo';
import {
  FIRMWARE,
  firmwareDir,
  readFirmware,
  readelfGolden,
  toolGolden,
} from '../loader/elfFixtures';

const goldenDir = join(__dirname, 'golden');

/** One decoded row as readelf prints it: name, line ('-' = end of sequence), address, view, stmt. */
function parseDecodedLine(text: string): string[] {
  const rows: string[] = [];
  for (const line of text.split('\n')) {
    // readelf prints address 0 as "0" (printf %#x), everything else as 0x...
    const m = /^(\S+)\s+(\d+|-)\s+(0x[0-9a-f]+|0)(?:\s+(\d+))?(\s+x)?\s*$/.exec(line);
    if (!m) continue;
    const address = m[3] === '0' ? '0x0' : m[3];
    rows.push(
      m[2] === '-'
        ? `${m[1]} - ${address}`
        : `${m[1]} ${m[2]} ${address} ${m[4] ?? 0} ${m[5] ? 'x' : ''}`,
    );
  }
  return rows;
}

function ourRows(bytes: Uint8Array): string[] {
  const elf = parseElf(bytes);
  const programs = parseDebugLine({
    debugLine: elf.section('.debug_line')!.data,
    debugLineStr: elf.section('.debug_line_str')?.data,
    debugStr: elf.section('.debug_str')?.data,
  });
  const rows: string[] = [];
  for (const p of programs) {
    for (const r of p.rows) {
      const name = p.header.files[r.file]!.name;
      const address = `0x${r.address.toString(16)}`;
      rows.push(
        r.endSequence
          ? `${name} - ${address}`
          : `${name} ${r.line} ${address} ${r.view} ${r.isStmt ? 'x' : ''}`,
      );
    }
  }
  return rows;
}

describe('decoded line rows equal readelf --debug-dump=decodedline', () => {
  for (const name of FIRMWARE) {
    test(`${name}.elf`, () => {
      const golden = readelfGolden(
        join(goldenDir, `${name}.decodedline.txt`),
        join(firmwareDir, `${name}.elf`),
        ['-W', '--debug-dump=decodedline'],
      );
      const expected = parseDecodedLine(golden);
      assert.ok(expected.length > 100, `golden has rows (${expected.length})`);
      const ours = ourRows(readFirmware(name));
      // Report the first differing row with context (a full-array diff of thousands of rows is slow).
      const first = ours.findIndex((row, i) => row !== expected[i]);
      if (first >= 0 || ours.length !== expected.length) {
        const at = first >= 0 ? first : Math.min(ours.length, expected.length);
        assert.deepEqual(
          ours.slice(Math.max(0, at - 3), at + 3),
          expected.slice(Math.max(0, at - 3), at + 3),
          `row ${at}`,
        );
        assert.equal(ours.length, expected.length, 'row count');
      }
    });
  }
});

describe('line table headers (DWARF 5 as GCC 12 writes it)', () => {
  const elf = parseElf(readFirmware('hello'));
  const programs = parseDebugLine({
    debugLine: elf.section('.debug_line')!.data,
    debugLineStr: elf.section('.debug_line_str')!.data,
  });
  test('one unit per source file, version 5, directory 0 = compilation directory', () => {
    assert.deepEqual(
      programs.map((p) => p.header.version),
      [5, 5, 5, 5, 5],
    ); // hello, print, start, trap, uart
    const hello = programs.find((p) => p.header.files[0]!.name === 'hello.c')!;
    assert.deepEqual(hello.header.directories.slice(0, 3), ['..', 'src', 'common']);
    assert.equal(hello.header.files[1]!.path, '../src/hello.c');
    assert.equal(hello.header.files[2]!.path, '../common/fw.h');
    assert.equal(hello.header.addressSize, 4);
    assert.equal(hello.header.minimumInstructionLength, 1);
  });
});

describe('queries on hello.elf', () => {
  const bytes = readFirmware('hello');
  const elf = parseElf(bytes);
  const table = LineTable.fromElf(elf, { baseDirectory: firmwareDir });
  const source = join(firmwareDir, '..', 'src', 'hello.c');
  const main = elf.symbols.byName('main')!;
  test('paths resolve against the ELF directory', () => {
    assert.ok(table.sourcePaths().includes(source), table.sourcePaths().join(', '));
  });
  test("breakpoint on main's first body line (41) lands in main; blank line 39 moves to 40", () => {
    const at41 = table.addressesForLine(source, 41)!;
    assert.equal(at41.line, 41);
    assert.equal(at41.addresses.length, 1);
    assert.ok(at41.addresses[0]! >= main.value && at41.addresses[0]! < main.value + main.size);
    assert.deepEqual(table.addressesForLine(source, 39), { line: 40, addresses: [main.value] });
    assert.deepEqual(table.addressesForLine('src/hello.c', 41), at41, 'relative query');
    assert.equal(table.addressesForLine(source, 1000), undefined);
    assert.equal(table.addressesForLine('/elsewhere/other.c', 41), undefined);
  });
  test('address → line, and step-over ranges that advance line by line', () => {
    assert.equal(table.lineForAddress(main.value, 'addr2line')?.line, 40);
    assert.equal(
      table.lineForAddress(main.value)?.line,
      41,
      'gdb shows the last statement at the address',
    );
    assert.equal(table.lineForAddress(0x100), undefined);
    const lines: number[] = [];
    let range = table.lineRangeAt(table.addressesForLine(source, 42)!.addresses[0]!)!;
    for (let i = 0; i < 3; i++) {
      lines.push(range.line);
      assert.ok(range.end > range.start);
      assert.ok(
        table.isStatementStart(range.end),
        `0x${range.end.toString(16)} starts a statement`,
      );
      range = table.lineRangeAt(range.end)!;
    }
    assert.deepEqual(lines, [42, 43, 44]);
  });
});

describe('address → line equals addr2line at every halfword of .text', () => {
  for (const name of ['hello', 'selftest']) {
    test(`${name}.elf`, () => {
      const elfPath = join(firmwareDir, `${name}.elf`);
      const elf = parseElf(readFirmware(name));
      const text = elf.section('.text')!;
      const addresses: number[] = [];
      for (let a = text.addr; a < text.addr + text.size; a += 2) addresses.push(a);
      const golden = toolGolden(
        join(goldenDir, `${name}.addr2line.txt`),
        'riscv64-unknown-elf-addr2line',
        ['-e', elfPath, ...addresses.map((a) => a.toString(16))],
      )
        .trim()
        .split('\n');
      assert.equal(golden.length, addresses.length);
      const table = LineTable.fromElf(elf);
      addresses.forEach((address, i) => {
        const expected = golden[i]!.replace(/ \(discriminator \d+\)$/, '');
        const ours = table.lineForAddress(address, 'addr2line');
        assert.equal(
          ours ? `${ours.path}:${ours.line}` : '??:0',
          expected.startsWith('??') ? '??:0' : expected,
          `0x${address.toString(16)}`,
        );
      });
    });
  }
});

describe("address → line equals GDB's `info line *ADDR` at every halfword of .text", () => {
  for (const name of ['hello', 'bench', 'selftest', 'timer']) {
    test(`${name}.elf`, () => {
      const elfPath = join(firmwareDir, `${name}.elf`);
      const elf = parseElf(readFirmware(name));
      const text = elf.section('.text')!;
      const addresses: number[] = [];
      for (let a = text.addr; a < text.addr + text.size; a += 2) addresses.push(a);
      const args = [
        '-nx',
        '-batch',
        elfPath,
        ...addresses.flatMap((a) => ['-ex', `info line *0x${a.toString(16)}`]),
      ];
      const golden = toolGolden(join(goldenDir, `${name}.gdb-info-line.txt`), 'gdb-multiarch', args)
        .trim()
        .split('\n');
      assert.equal(golden.length, addresses.length);
      const table = LineTable.fromElf(elf);
      let withLines = 0;
      const mismatches: string[] = [];
      addresses.forEach((address, i) => {
        const m = /^Line (\d+) of "([^"]+)"/.exec(golden[i]!);
        const ours = table.lineForAddress(address);
        if (!m) {
          assert.match(golden[i]!, /^No line number information/, golden[i]);
          assert.equal(ours, undefined, `0x${address.toString(16)}`);
          return;
        }
        withLines++;
        // GDB prints the file name as recorded (dir 0 omitted); ours joins the directory.
        const sameFile =
          ours && (ours.path === m[2] || ours.path.endsWith(`/${m[2]!.replace(/^(\.\.\/)+/, '')}`));
        if (!sameFile || ours.line !== Number(m[1])) {
          mismatches.push(
            `0x${address.toString(16)}: ours ${ours?.path}:${ours?.line}; gdb: ${golden[i]}`,
          );
        }
      });
      assert.deepEqual(mismatches, []);
      assert.ok(withLines > addresses.length / 2);
    });
  }
});

describe('DWARF 4 line tables (fixtures/hello-dwarf4.elf, built with -gdwarf-4)', () => {
  const fixture = join(__dirname, 'fixtures', 'hello-dwarf4.elf');
  const bytes = new Uint8Array(readFileSync(fixture));
  test('rows equal readelf decodedline', () => {
    const expected = parseDecodedLine(
      readelfGolden(join(goldenDir, 'hello-dwarf4.decodedline.txt'), fixture, [
        '-W',
        '--debug-dump=decodedline',
      ]),
    );
    assert.ok(expected.length > 100);
    assert.deepEqual(ourRows(bytes), expected);
  });
  test('v4 header: include_directories and file_names, 1-based, directory 0 implicit', () => {
    const elf = parseElf(bytes);
    const programs = parseDebugLine({ debugLine: elf.section('.debug_line')!.data });
    assert.deepEqual(
      programs.map((p) => p.header.version),
      [4, 4, 4, 4, 4],
    );
    const hello = programs.find((p) => p.header.files[1]?.name === 'hello.c')!;
    assert.deepEqual(hello.header.directories, [
      '',
      'src',
      'common',
      '/usr/lib/gcc/riscv64-unknown-elf/12.2.0/include',
    ]);
    assert.deepEqual(
      hello.header.files.map((f) => f.path),
      [
        '',
        'src/hello.c',
        'common/fw.h',
        '/usr/lib/gcc/riscv64-unknown-elf/12.2.0/include/stdint-gcc.h',
      ],
    );
    // The same source breakpoint resolves to the same place as in the DWARF 5 build.
    const v4 = LineTable.fromElf(elf).addressesForLine('src/hello.c', 41);
    const v5 = LineTable.fromElf(parseElf(readFirmware('hello'))).addressesForLine(
      'src/hello.c',
      41,
    );
    assert.equal(v4?.line, 41);
    assert.equal(v4?.addresses.length, v5?.addresses.length);
  });
});

describe('query invariants over every address and every statement line', () => {
  for (const name of ['hello', 'selftest', 'bench']) {
    test(`${name}.elf`, () => {
      const elf = parseElf(readFirmware(name));
      const table = LineTable.fromElf(elf);
      const text = elf.section('.text')!;
      let checked = 0;
      for (let a = text.addr; a < text.addr + text.size; a += 2) {
        const range = table.lineRangeAt(a);
        if (!range) continue;
        checked++;
        assert.ok(range.start <= a && a < range.end, `0x${a.toString(16)} in its step range`);
        assert.ok(
          table.isStatementStart(range.start),
          `range of 0x${a.toString(16)} starts a statement`,
        );
      }
      assert.ok(checked > text.size / 4);
      for (const s of table.sequences) {
        for (const row of s.rows.filter((r) => r.isStmt && !r.endSequence)) {
          const path = table.pathOf(s.program, row.file);
          const found = table.addressesForLine(path, row.line);
          assert.equal(found?.line, row.line, `${path}:${row.line}`);
          for (const address of found!.addresses) assert.ok(table.isStatementStart(address));
          // The row's own sequence contributes an address no later than the row itself.
          assert.ok(
            found!.addresses.some((x) => x >= s.start && x <= row.address),
            `${path}:${row.line}`,
          );
        }
      }
    });
  }
});
