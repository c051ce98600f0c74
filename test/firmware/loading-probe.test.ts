// test-needs: qemu
// Loading as qemu-system-riscv32 7.2 loads (test/firmware/probes, expected/ from QEMU):
// - ttext-dram.elf (gcc -Ttext=0x80000000, GNU ld's default script): its first segment starts
//   at 0x7ffff000 in virt's PCIe window; QEMU drops those bytes and runs it. So does Boardmap,
//   with a warning naming the segment.
// - ttext-mrom.elf (-Ttext=0x1000): its segment overlaps QEMU's reset vector blob; QEMU refuses
//   to start ("Some ROM regions are overlapping"), and so does Boardmap, naming the same ranges.
// - entry-offset.elf: QEMU's reset vector jumps to the start of DRAM and passes the lowest load
//   address in fw_dynamic_info whatever the ELF entry; Boardmap's ROM holds the same words.
//   Its absolute symbol __stack_size = 0x1000 and data object over code never name code.
// A QEMU run re-checks the expected files when QEMU is installed.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { toStackFrame } from '../../src/debug/inspect';
import { Machine, ProgramLoadError } from '../../src/machine';

const PROBES = join(__dirname, 'probes');
const QEMU = 'qemu-system-riscv32';
const qemuMissing =
  spawnSync(QEMU, ['--version']).status === 0
    ? false
    : `${QEMU} is not installed (Debian: apt-get install qemu-system-misc); QEMU run skipped`;

const elf = (name: string): Uint8Array => readFileSync(join(PROBES, 'build', `${name}.elf`));
const expectedText = (file: string): string =>
  readFileSync(join(PROBES, 'expected', file), 'latin1');

function virt(): Machine {
  return Machine.builtin('virt', {
    host: { yieldToHost: () => new Promise((r) => setImmediate(r)) },
  });
}

function runQemu(args: readonly string[]): Promise<{ out: string; status: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(QEMU, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ out: Buffer.concat(chunks).toString('latin1'), status });
    });
  });
}

const QEMU_VIRT = ['-M', 'virt', '-bios', 'none', '-nographic', '-monitor', 'none'];

describe('loading ELFs as QEMU 7.2 loads them', () => {
  test('a first segment below RAM (-Ttext=0x80000000): loaded, runs, warns', async () => {
    const m = virt();
    let out = '';
    m.onOutput((o) => (out += o.text));
    m.loadProgram(elf('ttext-dram'), { name: 'ttext-dram.elf' });
    const stop = await m.run({ maxInstructions: 100_000 });
    assert.equal(stop.reason, 'exited');
    assert.equal(out, expectedText('ttext-dram.txt'));
    assert.equal(stop.exitCode, Number(expectedText('ttext-dram.exit').trim()));
    assert.deepEqual(
      m.warnings.filter((w) => w.includes('segment')),
      [
        "ttext-dram.elf: segment 1 (0x7ffff000..0x80000054) is not all memory: 0x7ffff000 is the device region 'gpex_mmio_window', not memory; only the bytes that land in RAM or ROM are loaded (QEMU drops the rest too)",
      ],
    );
    assert.deepEqual(Array.from(m.readMemory(0x7ffff000, 4).data), [0xff, 0xff, 0xff, 0xff]);
  });

  test('a segment over the reset vector (-Ttext=0x1000): refused, naming both ranges', () => {
    const qemu = expectedText('ttext-mrom.txt');
    assert.equal(expectedText('ttext-mrom.exit').trim(), '1');
    assert.match(qemu, /Some ROM regions are overlapping/);
    const [, segLo, segHi] = /segment 1 \(addresses 0x([0-9a-f]+) - 0x([0-9a-f]+)\)/.exec(qemu)!;
    const [, romLo, romHi] = /mrom\.reset \(addresses 0x([0-9a-f]+) - 0x([0-9a-f]+)\)/.exec(qemu)!;
    const hex8 = (h: string) => `0x${BigInt(`0x${h}`).toString(16).padStart(8, '0')}`;
    const m = virt();
    assert.throws(
      () => m.loadProgram(elf('ttext-mrom'), { name: 'ttext-mrom.elf' }),
      (e: unknown) => {
        assert.ok(e instanceof ProgramLoadError);
        assert.equal(
          e.message,
          `ttext-mrom.elf: ELF: segment 1 (${hex8(segLo!)}..${hex8(segHi!)}) overlaps QEMU's ROM blob mrom.reset (${hex8(romLo!)}..${hex8(romHi!)}); QEMU refuses to start ("Some ROM regions are overlapping") (at file offset 0x54)`,
        );
        return true;
      },
    );
    assert.equal(m.program, undefined, 'nothing was loaded');
  });

  test('raw images and segments over fw_dynamic_info or the device tree are refused too', () => {
    const m = virt();
    assert.throws(
      () => m.loadProgram(new Uint8Array(8), { name: 'x.bin', address: 0x1030 }),
      /x\.bin: raw binary: the image \(0x00001030\.\.0x00001038\) overlaps QEMU's ROM blob mrom\.finfo/,
    );
    assert.throws(
      () => m.loadProgram(new Uint8Array(8), { name: 'y.bin', address: 0x87e0_0100 }),
      /overlaps QEMU's ROM blob fdt \(0x87e00000\.\.0x87f00000\)/,
    );
    m.loadProgram(new Uint8Array(8), { name: 'z.bin', address: 0x87f0_0000 });
  });

  test('spike: a tohost symbol that is not 8 bytes is refused, as QEMU refuses it', () => {
    const qemu = expectedText('spike-tohost4.txt');
    assert.match(qemu, /HTIF tohost must be 8 bytes/);
    assert.equal(expectedText('spike-tohost4.exit').trim(), '1');
    const m = Machine.builtin('spike');
    assert.throws(
      () => m.loadProgram(elf('spike-tohost4'), { name: 'spike-tohost4.elf' }),
      /^ProgramLoadError: spike-tohost4\.elf: ELF: HTIF tohost must be 8 bytes: the symbol 'tohost' is 4/,
    );
    assert.equal(m.program, undefined);
  });

  test('the reset vector jumps to DRAM and passes the lowest load address, as QEMU', () => {
    const m = virt();
    m.loadProgram(elf('entry-offset'), { name: 'entry-offset.elf' });
    const words: string[] = [];
    const data = m.readMemory(0x1000, 64).data;
    const view = new DataView(data.buffer, data.byteOffset);
    for (let i = 0; i < 16; i++)
      words.push(
        `0x${view
          .getUint32(i * 4, true)
          .toString(16)
          .padStart(8, '0')}`,
      );
    const qemu = expectedText('entry-offset.rom.txt')
      .trim()
      .split('\n')
      .flatMap((l) => l.split(': ')[1]!.trim().split(/\s+/));
    assert.deepEqual(words, qemu);
    assert.ok(
      m.warnings.some((w) => w.includes('the ELF entry 0x80100100 is not 0x80000000')),
      m.warnings.join('\n'),
    );
  });

  test('absolute and data symbols never name code (the reset-ROM frame, disassembly)', () => {
    const m = virt();
    m.loadProgram(elf('entry-offset'), { name: 'entry-offset.elf' });
    assert.equal(m.symbols?.byName('__stack_size')?.value, 0x1000, 'the symbol is there');
    assert.equal(m.symbolLookup(0x1000), undefined);
    assert.equal(m.symbols?.lookupCode(0x8010_0114)?.symbol.name, '_start');
    assert.equal(m.symbols?.lookup(0x8010_0114)?.symbol.name, 'code_as_data', 'data view');
    const frame = toStackFrame(
      {
        level: 0,
        pc: 0x1000,
        x: [],
        functionName: undefined,
        path: undefined,
        line: 0,
        column: 0,
        method: 'none',
        cfa: undefined,
      },
      m,
    );
    assert.equal(frame.name, '0x00001000');
    assert.doesNotMatch(
      m
        .disassemble(0x1000, 2)
        .map((d) => d.text)
        .join('\n'),
      /__stack_size/,
    );
  });

  test(
    'qemu-system-riscv32 still loads and refuses as expected/ says',
    { skip: qemuMissing, timeout: 60_000 },
    async () => {
      const dram = await runQemu([
        ...QEMU_VIRT,
        '-serial',
        'stdio',
        '-kernel',
        join(PROBES, 'build', 'ttext-dram.elf'),
      ]);
      assert.equal(dram.out, expectedText('ttext-dram.txt'));
      assert.equal(dram.status, 0);
      const mrom = await runQemu([
        ...QEMU_VIRT,
        '-serial',
        'none',
        '-kernel',
        join(PROBES, 'build', 'ttext-mrom.elf'),
      ]);
      assert.equal(mrom.status, 1);
      assert.match(mrom.out, /Some ROM regions are overlapping/);
      assert.match(
        mrom.out,
        /ELF program header segment 1 \(addresses 0x0000000000000000 - 0x0000000000001054\)/,
      );
      assert.match(mrom.out, /mrom\.reset \(addresses 0x0000000000001000 - 0x0000000000001028\)/);
      const spike = ['-M', 'spike', '-bios', 'none', '-nographic', '-monitor', 'none'];
      const tohost4 = await runQemu([
        ...spike,
        '-kernel',
        join(PROBES, 'build', 'spike-tohost4.elf'),
      ]);
      assert.equal(tohost4.status, 1);
      assert.equal(tohost4.out, expectedText('spike-tohost4.txt'));
    },
  );
});
