// ELF32 loader: the committed example firmware parsed and compared with readelf's view of it
// (goldens under golden/), loading through a fake memory, symbol lookup, and refusals.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  LoaderError,
  loadElf,
  loadRawBinary,
  parseElf,
  looksLikeElf,
} from '../../../src/machine/loader';
import { FIRMWARE, firmwareDir, readFirmware, readelfGolden } from './elfFixtures';

const goldenDir = join(__dirname, 'golden');

interface ReadelfSymbol {
  value: number;
  size: number;
  type: string;
  bind: string;
  ndx: string;
  name: string;
}

function parseReadelfSymbols(text: string): ReadelfSymbol[] {
  const out: ReadelfSymbol[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*\d+: ([0-9a-f]{8})\s+(0x[0-9a-f]+|\d+) (\w+)\s+(\w+)\s+\w+\s+(\w+) ?(.*)$/.exec(
      line,
    );
    if (!m) continue;
    out.push({
      value: parseInt(m[1]!, 16),
      size: Number(m[2]),
      type: m[3]!,
      bind: m[4]!,
      ndx: m[5]!,
      name: m[6]!,
    });
  }
  return out;
}

function parseReadelfLoads(
  text: string,
): { offset: number; vaddr: number; paddr: number; filesz: number; memsz: number }[] {
  const out = [];
  for (const line of text.split('\n')) {
    const m =
      /^\s*LOAD\s+0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+)/.exec(line);
    if (m)
      out.push({
        offset: parseInt(m[1]!, 16),
        vaddr: parseInt(m[2]!, 16),
        paddr: parseInt(m[3]!, 16),
        filesz: parseInt(m[4]!, 16),
        memsz: parseInt(m[5]!, 16),
      });
  }
  return out;
}

/** A sparse fake memory: RAM-like ranges; writes elsewhere are refused like a machine would. */
class FakeMemory {
  readonly bytes = new Map<number, number>();
  constructor(private readonly ranges: [number, number][]) {}
  write = (address: number, data: Uint8Array): { error: string } | undefined => {
    const inside = this.ranges.some(
      ([base, size]) => address >= base && address + data.length <= base + size,
    );
    if (!inside) return { error: `no RAM or ROM at 0x${address.toString(16)} (+${data.length})` };
    data.forEach((b, i) => this.bytes.set(address + i, b));
    return undefined;
  };
}

describe('ELF parsing of the example firmware matches readelf', () => {
  for (const name of FIRMWARE) {
    test(`${name}.elf: segments and symbols`, () => {
      const elfPath = join(firmwareDir, `${name}.elf`);
      const elf = parseElf(readFirmware(name));
      assert.equal(elf.header.machine, 243);
      assert.equal(elf.header.flags & 1, 1, 'RVC flag');
      const loads = parseReadelfLoads(
        readelfGolden(join(goldenDir, `${name}.segments.txt`), elfPath, ['-lW']),
      );
      const ours = elf.segments.filter((s) => s.type === 1);
      assert.deepEqual(
        ours.map((s) => ({
          offset: s.offset,
          vaddr: s.vaddr,
          paddr: s.paddr,
          filesz: s.filesz,
          memsz: s.memsz,
        })),
        loads,
      );
      const symbols = parseReadelfSymbols(
        readelfGolden(join(goldenDir, `${name}.symbols.txt`), elfPath, ['-sW']),
      );
      assert.ok(symbols.length > 20, 'golden has the symbol table');
      const typeName: Record<string, string> = {
        notype: 'NOTYPE',
        object: 'OBJECT',
        func: 'FUNC',
        section: 'SECTION',
        file: 'FILE',
      };
      assert.deepEqual(
        elf.symbols.all.map((s) => ({
          value: s.value,
          size: s.size,
          type: typeName[s.kind] ?? s.kind,
          bind: s.binding.toUpperCase(),
          ndx:
            s.sectionIndex === 0
              ? 'UND'
              : s.sectionIndex === 0xfff1
                ? 'ABS'
                : String(s.sectionIndex),
          name: s.name,
        })),
        symbols,
      );
      for (const sym of symbols.filter((s) => s.type === 'FUNC' && s.bind === 'GLOBAL')) {
        assert.equal(elf.symbols.byName(sym.name)?.value, sym.value, sym.name);
        assert.equal(elf.symbols.describe(sym.value), sym.name);
        if (sym.size > 2) assert.equal(elf.symbols.describe(sym.value + 2), `${sym.name}+0x2`);
        assert.equal(elf.symbols.functionAt(sym.value + sym.size - 1)?.name, sym.name);
      }
    });
  }
});

describe('hello.elf in detail', () => {
  const elf = parseElf(readFirmware('hello'));
  test('entry, sections and the debugger-test symbols', () => {
    assert.equal(elf.entry, 0x80000000);
    assert.equal(elf.symbols.byName('_start')?.value, 0x80000000);
    const main = elf.symbols.byName('main')!;
    assert.equal(main.kind, 'func');
    const counter = elf.symbols.byName('hello_counter')!;
    assert.equal(counter.kind, 'object');
    assert.equal(counter.size, 4);
    assert.equal(
      elf.symbols.describe(counter.value),
      'hello_counter',
      'object wins over the __bss_start label',
    );
    assert.equal(elf.symbols.describe(counter.value + 3), 'hello_counter+0x3');
    assert.equal(elf.section('.debug_line')?.type, 1);
    assert.equal(elf.section('.bss')?.type, 8);
    assert.equal(elf.section('.bss')?.data.length, 0);
  });
  test('address lookup: labels, gaps and addresses before any symbol', () => {
    const trap = elf.symbols.byName('trap_entry')!;
    assert.equal(trap.size, 0);
    assert.equal(
      elf.symbols.describe(trap.value + 8),
      'trap_entry+0x8',
      'size-0 asm label names what follows',
    );
    assert.equal(elf.symbols.describe(0x10), undefined);
    assert.equal(elf.symbols.functionAt(trap.value), undefined, 'a label is not a sized function');
  });
  test('loads segments with .bss zero-filled, through a function writer', () => {
    const memory = new FakeMemory([[0x80000000, 0x100000]]);
    for (let a = 0x800003e8; a < 0x800003ec; a++) memory.bytes.set(a, 0xaa); // stale data in .bss
    const image = loadElf(readFirmware('hello'), memory.write);
    assert.equal(image.entry, 0x80000000);
    assert.equal(image.ranges.length, 2);
    const text = elf.loadSegments[0]!;
    text.data.forEach((b, i) => assert.equal(memory.bytes.get(text.paddr + i), b));
    const data = elf.loadSegments[1]!;
    assert.ok(data.memsz > data.filesz);
    for (let i = data.filesz; i < data.memsz; i++)
      assert.equal(memory.bytes.get(data.paddr + i), 0);
  });
  test('a target with a zero() fill gets one call for .bss', () => {
    const calls: string[] = [];
    loadElf(readFirmware('hello'), {
      write: (a, b) => void calls.push(`write ${a.toString(16)} ${b.length}`),
      zero: (a, n) => void calls.push(`zero ${a.toString(16)} ${n}`),
    });
    assert.deepEqual(calls, ['write 80000000 993', 'zero 800003e8 16392']);
  });
});

describe('remap.elf loads at physical addresses', () => {
  test('payload placed in ROM at p_paddr, run address in SRAM', () => {
    const elf = parseElf(readFirmware('remap'));
    assert.equal(elf.entry, 0);
    const payload = elf.loadSegments[1]!;
    assert.equal(payload.vaddr, 0x20000000);
    assert.equal(payload.paddr, 0x3c);
    const memory = new FakeMemory([
      [0, 0x10000],
      [0x20000000, 0x10000],
    ]);
    const image = loadElf(readFirmware('remap'), memory.write);
    assert.deepEqual(
      image.ranges.map((r) => r.address),
      [0, 0x3c, 0x20000510],
    );
    // The SRAM signature word sits at the start of the payload's load image in ROM.
    assert.deepEqual(
      [0x3c, 0x3d, 0x3e, 0x3f].map((a) => memory.bytes.get(a)),
      [0x4d, 0x41, 0x52, 0x53],
    );
    const virtual = new FakeMemory([
      [0, 0x10000],
      [0x20000000, 0x10000],
    ]);
    assert.deepEqual(
      loadElf(readFirmware('remap'), virtual.write, { addresses: 'virtual' }).ranges.map(
        (r) => r.address,
      ),
      [0, 0x20000000, 0x20000510],
    );
  });
  test('spike-hello exposes tohost/fromhost for the HTIF device', () => {
    const elf = parseElf(readFirmware('spike-hello'));
    const tohost = elf.symbols.byName('tohost')!;
    assert.equal(tohost.value % 64, 0);
    assert.equal(tohost.size, 8);
    assert.equal(elf.symbols.byName('fromhost')!.value, tohost.value + 64);
  });
});

describe('segments outside memory', () => {
  test('a refusing writer (returned error) becomes a LoaderError naming the segment', () => {
    const memory = new FakeMemory([[0x80000000, 0x200]]); // too small for hello's text
    assert.throws(
      () => loadElf(readFirmware('hello'), memory.write),
      (e: unknown) =>
        e instanceof LoaderError &&
        e.reason === 'segment-not-loadable' &&
        e.offset === 52 + 32 &&
        /segment 1 \(0x80000000\.\.0x800003e1, 993 bytes, R-X\) cannot be loaded: no RAM or ROM at 0x80000000/.test(
          e.message,
        ),
    );
  });
  test('a throwing writer is wrapped, with the original error as cause', () => {
    const original = new RangeError('address 0x0 is unmapped');
    assert.throws(
      () =>
        loadElf(readFirmware('remap'), () => {
          throw original;
        }),
      (e: unknown) =>
        e instanceof LoaderError &&
        e.cause === original &&
        /segment 1 .*address 0x0 is unmapped/.test(e.message),
    );
  });
});

describe('raw binaries', () => {
  test('loads at the given address, entry = load address', () => {
    const memory = new FakeMemory([[0x1000, 0x100]]);
    const image = loadRawBinary(new Uint8Array([1, 2, 3]), 0x1000, memory.write);
    assert.equal(image.entry, 0x1000);
    assert.deepEqual(
      [...memory.bytes.entries()],
      [
        [0x1000, 1],
        [0x1001, 2],
        [0x1002, 3],
      ],
    );
  });
  test('refuses empty files, bad addresses and writer refusals', () => {
    const ok = () => undefined;
    const reason = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        assert.ok(e instanceof LoaderError, String(e));
        assert.equal(e.format, 'raw binary');
        return e.reason;
      }
      return 'no error';
    };
    assert.equal(
      reason(() => loadRawBinary(new Uint8Array(0), 0, ok)),
      'empty',
    );
    assert.equal(
      reason(() => loadRawBinary(new Uint8Array(8), -4, ok)),
      'bad-load-address',
    );
    assert.equal(
      reason(() => loadRawBinary(new Uint8Array(8), 0.5, ok)),
      'bad-load-address',
    );
    assert.equal(
      reason(() => loadRawBinary(new Uint8Array(8), 0xfffffffc, ok)),
      'bad-load-address',
    );
    assert.equal(
      reason(() => loadRawBinary(new Uint8Array(8), 0, () => ({ error: 'hole' }))),
      'segment-not-loadable',
    );
  });
  test('looksLikeElf tells ELF from raw', () => {
    assert.equal(looksLikeElf(readFirmware('hello')), true);
    assert.equal(looksLikeElf(new Uint8Array([0x7f, 0x45, 0x4c])), false);
  });
});
