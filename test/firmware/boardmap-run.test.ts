// `boardmap run` on every example firmware (dist/cli.js, spawned): console output and exit status
// equal examples/firmware/expected/; bad programs and runaway firmware give clear errors and
// distinct statuses; --trace mmio prints one line per device access.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import * as asm from '../../src/machine/asm';
import { runArgs, runCli } from './cli';
import { FIRMWARE_RUNS, firmwareRoot } from './firmwareRuns';

const scratch = mkdtempSync(join(tmpdir(), 'boardmap-run-'));
const scratchFile = (name: string, bytes: Uint8Array): string => {
  const path = join(scratch, name);
  writeFileSync(path, bytes);
  return path;
};
const hello = (): Buffer => readFileSync(join(firmwareRoot, 'build', 'hello.elf'));

describe('boardmap run: example firmware', () => {
  for (const fw of FIRMWARE_RUNS) {
    test(`${fw.name}.elf on ${fw.board}`, { timeout: 120_000 }, async () => {
      const r = await runCli(runArgs(fw), 110_000);
      assert.equal(r.timedOut, false);
      assert.equal(r.stderr, '');
      assert.equal(r.stdout.toString('latin1'), fw.expectedOutput.toString('latin1'));
      assert.equal(r.status, fw.expectedExit);
    });
  }
});

describe('boardmap run: board files', () => {
  test('examples/virt.board with boot = "hello.elf" (relative to the board) runs like the built-in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'boardmap-boot-'));
    const text = readFileSync(join('examples', 'virt.board'), 'utf8').replace(
      'hartid = 0 }',
      'hartid = 0, boot = "hello.elf" }',
    );
    assert.notEqual(text, readFileSync(join('examples', 'virt.board'), 'utf8'));
    writeFileSync(join(dir, 'my-virt.board'), text);
    writeFileSync(join(dir, 'hello.elf'), hello());
    const r = await runCli(['run', join(dir, 'my-virt.board')]);
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    assert.equal(
      r.stdout.toString('latin1'),
      readFileSync(join(firmwareRoot, 'expected', 'hello.txt'), 'latin1'),
    );
  });

  test('no program: a clear message', async () => {
    const r = await runCli(['run', 'virt']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no program to run: pass --kernel/);
  });
});

describe('boardmap run: errors', () => {
  test('a missing ELF names the file', async () => {
    const r = await runCli(['run', 'virt', '--kernel', 'no/such.elf']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^boardmap run: no\/such\.elf: no such file\n$/);
  });

  test('a truncated ELF: file, what is wrong, where', async () => {
    const path = scratchFile('truncated.elf', hello().subarray(0, 30));
    const r = await runCli(['run', 'virt', '--kernel', path]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /truncated\.elf: ELF: .*truncat.*\(at file offset 0x[0-9a-f]+\)/i);
  });

  test('an ELF of another machine', async () => {
    const bytes = hello();
    bytes[18] = 40; // EM_ARM
    const r = await runCli(['run', 'virt', '--kernel', scratchFile('arm.elf', bytes)]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /arm\.elf: ELF: .*machine/i);
  });

  test('segments outside the board’s memory', async () => {
    const r = await runCli([
      'run',
      join('examples', 'remap.board'),
      '--kernel',
      join(firmwareRoot, 'build', 'hello.elf'),
    ]);
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      /hello\.elf: ELF: segment \d+ \(0x80000000\.\..*nothing is mapped at 0x80000000/,
    );
  });

  test('a firmware that runs away: budget message and status 124', async () => {
    const r = await runCli([
      'run',
      'virt',
      '--kernel',
      join(firmwareRoot, 'build', 'bench.elf'),
      '--max-insns',
      '1_000_000',
    ]);
    assert.equal(r.status, 124);
    assert.match(
      r.stderr,
      /did not finish: instruction budget of 1000000 used up \(pc 0x[0-9a-f]{8}\)/,
    );
  });

  test('a jump into the void: the fault loop is reported with the pc, status 125', async () => {
    // jalr x0, 0x100(x0): nothing is mapped at 0x100 on virt, and mtvec is still 0
    const path = scratchFile('void.elf', tinyElf([asm.jalr(0, 0, 0x100)]));
    const r = await runCli(['run', 'virt', '--kernel', path]);
    assert.equal(r.status, 125);
    assert.match(r.stderr, /jumped into the void: instruction access fault at pc 0x00000000/);
  });

  test('usage errors: status 2', async () => {
    assert.equal((await runCli(['run'])).status, 2);
    assert.equal((await runCli(['run', 'virt', '--max-insns', 'many'])).status, 2);
    assert.equal((await runCli(['run', 'virt', '--trace', 'cpu'])).status, 2);
    const unknown = await runCli(['run', 'nonexistent-board']);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /no board file or built-in board 'nonexistent-board'/);
  });
});

describe('boardmap run --trace mmio', () => {
  test('one line per device access: pc, region+offset, size, value, register', async () => {
    const r = await runCli([
      'run',
      'virt',
      '--kernel',
      join(firmwareRoot, 'build', 'hello.elf'),
      '--trace',
      'mmio',
    ]);
    assert.equal(r.status, 0);
    const lines = r.stderr.trimEnd().split('\n');
    const thr = lines.filter((l) => / serial\+0x0 w1 /.test(l));
    assert.equal(thr.length, readFileSync(join(firmwareRoot, 'expected', 'hello.txt')).length);
    assert.match(thr[0]!, /^mmio pc=0x800[0-9a-f]{5} serial\+0x0 w1 0x48 RBR\/THR$/);
    assert.ok(lines.some((l) => /serial\+0x5 r1 0x60 LSR$/.test(l)));
    assert.match(lines.at(-1)!, /riscv\.sifive\.test\+0x0 w4 0x5555 finisher$/);
    assert.equal(
      r.stdout.toString('latin1'),
      readFileSync(join(firmwareRoot, 'expected', 'hello.txt'), 'latin1'),
    );
  });
});

/** A minimal ELF32 RISC-V executable with one PT_LOAD at 0x8000_0000 holding `program`. */
function tinyElf(program: readonly asm.Insn[]): Uint8Array {
  const code = asm.assemble(program);
  const bytes = new Uint8Array(0x54 + code.length);
  const v = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1], 0);
  v.setUint16(16, 2, true); // ET_EXEC
  v.setUint16(18, 243, true); // EM_RISCV
  v.setUint32(20, 1, true);
  v.setUint32(24, 0x8000_0000, true); // entry
  v.setUint32(28, 0x34, true); // phoff
  v.setUint32(36, 1, true); // flags: RVC
  v.setUint16(40, 0x34, true); // ehsize
  v.setUint16(42, 32, true); // phentsize
  v.setUint16(44, 1, true); // phnum
  v.setUint16(46, 40, true); // shentsize
  v.setUint32(0x34, 1, true); // PT_LOAD
  v.setUint32(0x38, 0x54, true); // offset
  v.setUint32(0x3c, 0x8000_0000, true); // vaddr
  v.setUint32(0x40, 0x8000_0000, true); // paddr
  v.setUint32(0x44, code.length, true);
  v.setUint32(0x48, code.length, true);
  v.setUint32(0x4c, 5, true); // R-X
  v.setUint32(0x50, 4, true);
  bytes.set(code, 0x54);
  return bytes;
}

describe('boardmap demo runs the machine', () => {
  test('virt info mtree, hello.elf output and exit, remap.elf with the flat view changing', async () => {
    const r = await runCli(['demo'], 110_000);
    assert.equal(r.status, 0, r.stderr);
    const out = r.stdout.toString('utf8');
    const virtPart = out.split('== built-in board virt')[1]!;
    assert.match(virtPart, /0000000010000000-0000000010000007 \(prio 0, i\/o\): serial/);
    assert.match(virtPart, /Hello from Boardmap!\nfibonacci\(20\) = 6765\n/);
    assert.match(virtPart, /== hello\.elf: exited, status 0 /);
    const remapPart = out.split('== remap.elf on examples/remap.board')[1]!;
    const changes = remapPart.split('== the firmware wrote REMAP');
    assert.equal(changes.length, 3, 'REMAP = 1, then REMAP = 0');
    assert.match(changes[1]!, /0000000000000000-000000000000ffff \(prio 0, ram\): sram/);
    assert.match(changes[2]!, /0000000000000000-000000000000ffff \(prio 0, rom\): boot-rom/);
    assert.match(remapPart, /remap: OK\n== remap\.elf: exited, status 0 ==/);
  });
});
