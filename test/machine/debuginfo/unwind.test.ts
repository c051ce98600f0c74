// CFI unwinding checked against GDB: capture-unwind-oracle.py stopped the example firmware under
// QEMU, saved the registers, 4 KiB of stack and GDB's own frames (golden/unwind-*.json). Our
// unwinder, given only those registers and that memory, must find the same frames (pc and sp).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseElf } from '../../../src/machine/loader';
import { DebugInfo, FrameTable, LineTable, unwindStack } from '../../../src/machine/debuginfo';
import { readFirmware } from '../loader/elfFixtures';

interface Snapshot {
  elf: string;
  pc: number;
  x: number[];
  stackBase: number;
  stackHex: string;
  gdbFrames: { pc: number; sp: number }[];
  gdbBacktrace: string[];
}

const goldenDir = join(__dirname, 'golden');
const snapshots = readdirSync(goldenDir).filter(
  (f) => f.startsWith('unwind-') && f.endsWith('.json'),
);

describe('unwinding matches GDB on QEMU snapshots', () => {
  test('there are snapshots', () => assert.ok(snapshots.length >= 4));
  for (const file of snapshots) {
    test(file, () => {
      const snap = JSON.parse(readFileSync(join(goldenDir, file), 'utf8')) as Snapshot;
      const elf = parseElf(readFirmware(snap.elf.replace(/\.elf$/, '')));
      const stack = Buffer.from(snap.stackHex, 'hex');
      const readWord = (address: number) => {
        const offset = address - snap.stackBase;
        return offset >= 0 && offset + 4 <= stack.length ? stack.readUInt32LE(offset) : undefined;
      };
      const frames = unwindStack(FrameTable.fromElf(elf), { pc: snap.pc, x: snap.x }, readWord);
      const ours = frames.map((f) => ({ pc: f.pc, sp: f.x[2]! }));
      assert.deepEqual(
        ours.slice(0, snap.gdbFrames.length),
        snap.gdbFrames,
        snap.gdbBacktrace.join('\n'),
      );
      // GDB stops at main; we may go one further, into the start file, where CFI ends.
      for (const extra of ours.slice(snap.gdbFrames.length)) {
        assert.equal(
          elf.symbols.describe(extra.pc)?.startsWith('_start'),
          true,
          `extra frame at 0x${extra.pc.toString(16)}`,
        );
      }
      assert.equal(frames.at(-1)!.method, 'none');
      // Call-site lines: pc - 1 lies in the call instruction, as GDB prints for caller frames.
      const lines = LineTable.fromElf(elf);
      snap.gdbBacktrace.forEach((text, level) => {
        const m = / at (\S+):(\d+)$/.exec(text);
        if (!m || level >= frames.length) return;
        const pc = level === 0 ? frames[level]!.pc : frames[level]!.pc - 1;
        const loc = lines.lineForAddress(pc);
        assert.equal(
          loc && `${loc.path.replace(/^\.\.\//, '')}:${loc.line}`,
          `${m[1]}:${m[2]}`,
          `frame ${level}`,
        );
      });
    });
  }
});

describe('DebugInfo.backtrace names frames as GDB does', () => {
  for (const file of snapshots) {
    test(file, () => {
      const snap = JSON.parse(readFileSync(join(goldenDir, file), 'utf8')) as Snapshot;
      const info = new DebugInfo(parseElf(readFirmware(snap.elf.replace(/\.elf$/, ''))));
      const stack = Buffer.from(snap.stackHex, 'hex');
      const readWord = (address: number) => {
        const offset = address - snap.stackBase;
        return offset >= 0 && offset + 4 <= stack.length ? stack.readUInt32LE(offset) : undefined;
      };
      const frames = info.backtrace({ pc: snap.pc, x: snap.x }, readWord);
      const gdb = snap.gdbBacktrace
        .map((line) => /^#\d+\s+(?:0x[0-9a-f]+ in )?(\S+) \(.*\) at (\S+):(\d+)$/.exec(line))
        .filter((m): m is RegExpExecArray => m !== null);
      assert.ok(gdb.length >= 2);
      gdb.forEach((m, level) => {
        assert.equal(frames[level]!.functionName, m[1], `frame ${level}`);
        assert.equal(frames[level]!.source?.line, Number(m[3]), `frame ${level}`);
        assert.ok(
          frames[level]!.source?.path.endsWith(m[2]!),
          `frame ${level}: ${frames[level]!.source?.path}`,
        );
      });
      assert.deepEqual(info.problems, []);
    });
  }
  test('a corrupt .debug_frame is reported, and the stack degrades to the current frame', () => {
    const bytes = new Uint8Array(readFirmware('hello'));
    const frame = parseElf(bytes).section('.debug_frame')!;
    bytes.fill(0x3f, frame.offset + 0x14, frame.offset + frame.size); // CIE pointers and opcodes
    const info = new DebugInfo(parseElf(bytes));
    const x = new Array<number>(32).fill(0x80001000);
    x[1] = 0; // no return address: the leaf assumption cannot add a frame either
    const frames = info.backtrace({ pc: info.functionAddress('main')!, x }, () => 0);
    assert.equal(frames.length, 1);
    assert.equal(frames[0]!.functionName, 'main');
    assert.equal(info.problems.length, 1);
    assert.match(info.problems[0]!.message, /^DWARF: .*\(at \.debug_frame offset 0x[0-9a-f]+\)$/);
    assert.equal(info.addressesForLine('src/hello.c', 41)?.line, 41, 'line table unaffected');
  });
});
