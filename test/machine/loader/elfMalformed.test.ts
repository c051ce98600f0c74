// Malformed ELF input: every truncation, hand-made corruptions of each header field, and random
// mutations. Each must raise a LoaderError with a reason and a location — never a TypeError or
// RangeError, never a silent success with garbage.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { numRuns } from '../../support/property';
import { LoaderError, loadElf, parseElf } from '../../../src/machine/loader';
import { readFirmware } from './elfFixtures';

const hello = readFirmware('hello');
const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
const header = parseElf(hello).header;

function patched(edit: (v: DataView, bytes: Uint8Array) => void, source = hello): Uint8Array {
  const copy = new Uint8Array(source);
  edit(view(copy), copy);
  return copy;
}

function refusal(bytes: Uint8Array): LoaderError {
  try {
    parseElf(bytes);
  } catch (e) {
    if (e instanceof LoaderError) return e;
    throw new Error(`expected a LoaderError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected a LoaderError, but the file was accepted');
}

const ph = (i: number, field: number) => header.phoff + i * 32 + field;
const sh = (i: number, field: number) => header.shoff + i * 40 + field;

describe('truncation', () => {
  test('every prefix of hello.elf is refused with a located error', () => {
    for (let n = 0; n < hello.length; n++) {
      const e = refusal(hello.subarray(0, n));
      assert.ok(e.offset !== undefined && e.offset <= n, `prefix ${n}: ${e.message}`);
      assert.match(e.message, /^ELF: /);
    }
  });
  test('typical messages', () => {
    assert.equal(refusal(new Uint8Array(0)).message, 'ELF: the file is empty (at file offset 0x0)');
    assert.equal(refusal(hello.subarray(0, 3)).reason, 'truncated');
    const header51 = refusal(hello.subarray(0, 51));
    assert.equal(header51.reason, 'truncated');
    assert.match(header51.message, /the ELF header needs 52 bytes at 0x0, the file has 0x33/);
    const ph = refusal(hello.subarray(0, 100));
    assert.match(ph.message, /e_phoff 0x34 \+ 3 program headers end at 0x94, the file has 0x64/);
  });
});

describe('wrong kind of file', () => {
  const cases: [string, (v: DataView, b: Uint8Array) => void, string, number, RegExp][] = [
    [
      'bad magic',
      (_v, b) => (b[1] = 0x46),
      'bad-magic',
      0,
      /expected magic 7f 45 4c 46.*found 7f 46 4c 46/,
    ],
    ['text file', (_v, b) => b.set([0x23, 0x21, 0x2f, 0x62]), 'bad-magic', 0, /not an ELF file/],
    ['ELF64', (_v, b) => (b[4] = 2), 'wrong-class', 4, /64-bit ELF \(ELFCLASS64\)/],
    ['class 0', (_v, b) => (b[4] = 0), 'wrong-class', 4, /ELF class 0/],
    ['big-endian', (_v, b) => (b[5] = 2), 'wrong-endianness', 5, /big-endian \(ELFDATA2MSB\)/],
    ['EI_VERSION', (_v, b) => (b[6] = 0), 'wrong-version', 6, /EI_VERSION\] is 0/],
    [
      'ARM',
      (v) => v.setUint16(18, 40, true),
      'wrong-machine',
      18,
      /e_machine is 40 \(ARM\), expected 243 \(EM_RISCV\)/,
    ],
    ['x86-64', (v) => v.setUint16(18, 62, true), 'wrong-machine', 18, /\(x86-64\)/],
    ['relocatable', (v) => v.setUint16(16, 1, true), 'wrong-type', 16, /ET_REL/],
    ['shared object', (v) => v.setUint16(16, 3, true), 'wrong-type', 16, /ET_DYN/],
    ['e_version', (v) => v.setUint32(20, 7, true), 'wrong-version', 20, /e_version is 7/],
  ];
  for (const [name, edit, reason, offset, message] of cases) {
    test(name, () => {
      const e = refusal(patched(edit));
      assert.equal(e.reason, reason, e.message);
      assert.equal(e.offset, offset);
      assert.match(e.message, message);
    });
  }
});

describe('corrupt header fields', () => {
  const cases: [string, (v: DataView) => void, string, number][] = [
    ['e_ehsize too small', (v) => v.setUint16(40, 20, true), 'bad-header', 40],
    ['e_phentsize', (v) => v.setUint16(42, 56, true), 'bad-header', 42],
    ['e_shentsize', (v) => v.setUint16(46, 64, true), 'bad-header', 46],
    ['no program headers', (v) => v.setUint16(44, 0, true), 'no-loadable-segment', 44],
    ['PN_XNUM', (v) => v.setUint16(44, 0xffff, true), 'bad-header', 44],
    ['e_phoff past the end', (v) => v.setUint32(28, 0xffffff00, true), 'truncated', 28],
    ['e_phoff inside the header', (v) => v.setUint32(28, 8, true), 'bad-header', 28],
    ['e_phnum too large', (v) => v.setUint16(44, 5000, true), 'truncated', 28],
    ['e_shoff past the end', (v) => v.setUint32(32, hello.length, true), 'truncated', 32],
    ['e_shoff inside the header', (v) => v.setUint32(32, 4, true), 'bad-header', 32],
    ['e_shstrndx out of range', (v) => v.setUint16(50, 99, true), 'bad-header', 50],
    [
      'e_shstrndx names a non-string section',
      (v) => v.setUint16(50, 1, true),
      'bad-string-table',
      sh(1, 4),
    ],
  ];
  for (const [name, edit, reason, offset] of cases) {
    test(name, () => {
      const e = refusal(patched(edit));
      assert.equal(e.reason, reason, e.message);
      assert.equal(e.offset, offset, e.message);
    });
  }
});

describe('corrupt program and section headers', () => {
  const textSegment = 1; // hello: [0] RISCV_ATTRIBUTES, [1] text, [2] data+bss
  const cases: [string, (v: DataView) => void, string, number, RegExp][] = [
    [
      'p_offset past the end',
      (v) => v.setUint32(ph(textSegment, 4), 0x7fffffff, true),
      'truncated',
      ph(textSegment, 4),
      /program header 1 file bytes/,
    ],
    [
      'p_filesz past the end',
      (v) => v.setUint32(ph(textSegment, 16), 0x100000, true),
      'truncated',
      ph(textSegment, 4),
      /run past the end of the file/,
    ],
    [
      'p_filesz > p_memsz',
      (v) => v.setUint32(ph(textSegment, 20), 4, true),
      'bad-program-header',
      ph(textSegment, 16),
      /p_filesz 0x3e1 is larger than p_memsz 0x4/,
    ],
    [
      'p_paddr + p_memsz wraps',
      (v) => v.setUint32(ph(2, 12), 0xfffff000, true),
      'bad-program-header',
      ph(2, 12),
      /wraps past the 32-bit address space/,
    ],
    [
      'p_vaddr + p_memsz wraps',
      (v) => v.setUint32(ph(2, 8), 0xfffff000, true),
      'bad-program-header',
      ph(2, 8),
      /p_vaddr/,
    ],
    [
      'p_align not a power of two',
      (v) => v.setUint32(ph(textSegment, 28), 0x1001, true),
      'bad-program-header',
      ph(textSegment, 28),
      /power of two/,
    ],
    [
      'overlapping PT_LOAD segments',
      (v) => v.setUint32(ph(2, 12), 0x80000100, true),
      'segment-overlap',
      ph(2, 0),
      /segments 1 .* and 2 .* overlap/,
    ],
    [
      'section past the end',
      (v) => v.setUint32(sh(1, 20), 0x1000000, true),
      'truncated',
      sh(1, 16),
      /section 1 bytes/,
    ],
    [
      'section name outside the name table',
      (v) => v.setUint32(sh(2, 0), 0xfffff, true),
      'bad-string-table',
      sh(2, 0),
      /sh_name 0xfffff is outside/,
    ],
  ];
  for (const [name, edit, reason, offset, message] of cases) {
    test(name, () => {
      const e = refusal(patched(edit));
      assert.equal(e.reason, reason, e.message);
      assert.equal(e.offset, offset, e.message);
      assert.match(e.message, message);
    });
  }
  const elf = parseElf(hello);
  const symtab = elf.sections.find((s) => s.name === '.symtab')!;
  const strtab = elf.sections.find((s) => s.name === '.strtab')!;
  test('symbol table: wrong entry size, bad link, name outside the string table, unterminated string', () => {
    assert.equal(
      refusal(patched((v) => v.setUint32(sh(symtab.index, 36), 24, true))).reason,
      'bad-symbol-table',
    );
    assert.equal(
      refusal(patched((v) => v.setUint32(sh(symtab.index, 20), symtab.size - 4, true))).reason,
      'bad-symbol-table',
    );
    assert.equal(
      refusal(patched((v) => v.setUint32(sh(symtab.index, 24), 1, true))).reason,
      'bad-symbol-table',
    );
    assert.equal(
      refusal(patched((v) => v.setUint32(sh(symtab.index, 24), 500, true))).reason,
      'bad-section-header',
    );
    const badName = refusal(patched((v) => v.setUint32(symtab.offset + 16 * 20, 0xffffff, true)));
    assert.equal(badName.reason, 'bad-symbol-table');
    assert.equal(badName.offset, symtab.offset + 16 * 20);
    const unterminated = refusal(
      patched((_v, b) =>
        b.fill(0x41, strtab.offset + strtab.size - 12, strtab.offset + strtab.size),
      ),
    );
    assert.equal(unterminated.reason, 'truncated');
    assert.match(unterminated.message, /not NUL-terminated/);
  });
});

describe('random corruption never crashes', () => {
  const isLoaderError = (bytes: Uint8Array): boolean => {
    try {
      const elf = parseElf(bytes);
      // Accepted files must also load (through a permissive writer) and answer lookups.
      loadElf(bytes, { write: () => undefined, zero: () => undefined });
      elf.symbols.describe(elf.entry);
      return true;
    } catch (e) {
      if (e instanceof LoaderError) return true;
      throw e;
    }
  };
  const headerArea = Math.max(header.phoff + header.phnum * 32, 52);
  test('byte mutations in the headers', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(headerArea - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 6,
        }),
        (edits) =>
          isLoaderError(patched((_v, b) => edits.forEach(([at, value]) => (b[at] = value)))),
      ),
      { numRuns: numRuns(3000) },
    );
  });
  test('word mutations in the section headers and symbol table', () => {
    const symtab = parseElf(hello).sections.find((s) => s.name === '.symtab')!;
    const targets = [
      header.shoff,
      header.shoff + header.shnum * 40 - 4,
      symtab.offset,
      symtab.offset + symtab.size - 4,
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1 }),
        fc.nat(),
        fc.integer({ min: 0, max: 0xffffffff }),
        (region, pick, value) => {
          const [lo, hi] = region === 0 ? [targets[0]!, targets[1]!] : [targets[2]!, targets[3]!];
          const at = lo + (pick % ((hi - lo) / 4 + 1)) * 4;
          return isLoaderError(patched((v) => v.setUint32(at, value, true)));
        },
      ),
      { numRuns: numRuns(3000) },
    );
  });
  test('random bytes, with and without a valid ELF identification', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 400 }),
        fc.boolean(),
        (bytes, withIdent) => {
          if (withIdent && bytes.length >= 20) {
            bytes.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
            bytes.set([2, 0, 243, 0], 16);
          }
          return isLoaderError(bytes);
        },
      ),
      { numRuns: numRuns(3000) },
    );
  });
});
