// test-needs: qemu
// The fidelity probes (test/firmware/probes): firmware that reads and writes what a driver
// probing QEMU's `virt` would — reset state, misaligned accesses to RAM, ROM, holes and devices,
// virtio-mmio, fw_cfg (with DMA), the PCIe ECAM and windows, the goldfish RTC and its alarm
// waking a hart in wfi through the PLIC, the device tree
// in a1 walked node by node — and prints one line per probe. Boardmap must print what qemu-system-riscv32 7.2 printed
// (probes/expected/*.txt), line for line, except for the deliberate differences listed below.
// A second test runs QEMU itself and checks the expected file is still what it prints (skipped,
// saying why, when QEMU is not installed).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { formatMtree } from '../../src/engine';
import { Machine, type MachineOptions } from '../../src/machine';

const PROBES = join(__dirname, 'probes');
const QEMU = 'qemu-system-riscv32';
const qemuMissing =
  spawnSync(QEMU, ['--version']).status === 0
    ? false
    : `${QEMU} is not installed (Debian: apt-get install qemu-system-misc); QEMU run skipped`;

/**
 * The QEMU command line of the probes' Makefile: the RTC from 2000-01-01 in guest time, and
 * instruction-counted time that jumps to the next timer when the hart sleeps (sleep=off), so
 * the RTC alarm wakes it at the same guest time on every run.
 */
const QEMU_VIRT = [
  '-M',
  'virt',
  '-bios',
  'none',
  '-nographic',
  '-monitor',
  'none',
  '-serial',
  'stdio',
  '-rtc',
  'base=2000-01-01T00:00:00,clock=vm',
  '-icount',
  'shift=0,sleep=off',
];

/**
 * Lines where Boardmap deliberately differs from QEMU 7.2 (docs/machine.md, "Misaligned
 * accesses"): AMOs keep the causes the ISA gives. QEMU runs an AMO on one vCPU as a plain load
 * then store, so a misaligned one raises the load's cause 4 and one into a hole the load's
 * access fault 5; the ISA says store/AMO misaligned (6) and store/AMO access fault (7). QEMU
 * compares sc.w's address with the reservation before any alignment check, so a misaligned
 * sc.w just fails; the ISA says it raises cause 6. And the device tree names Boardmap's hart
 * (riscv,isa is shorter, no mmu-type).
 */
const DIFFERENCES: readonly { readonly qemu: RegExp; readonly ours: string | null }[] = [
  { qemu: /^(amoadd\.w 0x[0-9a-f]{8}): trap 4 (0x[0-9a-f]{8})$/, ours: '$1: trap 6 $2' },
  { qemu: /^(amoswap\.w 0x[0-9a-f]{8}): trap 4 (0x[0-9a-f]{8})$/, ours: '$1: trap 6 $2' },
  { qemu: /^(amoor\.w 0x0c000002): trap 4 (0x0c000002)$/, ours: '$1: trap 6 $2' },
  { qemu: /^sc\.w (0x[0-9a-f]{7}[1235679abdef]): ok 0x00000001$/, ours: 'sc.w $1: trap 6 $1' },
  { qemu: /^(amoadd\.w 0x00000ffc): trap 5 (0x00000ffc)$/, ours: '$1: trap 7 $2' },
  // the device tree describes the hart Boardmap emulates (src/machine/fdt/virt.ts)
  { qemu: /^( +)riscv,isa \[60\]$/, ours: '$1riscv,isa [24]' },
  { qemu: /^ +mmu-type \[11\]$/, ours: null },
];

/** QEMU's expected lines with the deliberate differences applied: what Boardmap must print. */
function oursFromQemu(lines: readonly string[]): { lines: string[]; replaced: number } {
  let replaced = 0;
  const out: string[] = [];
  for (const line of lines) {
    const d = DIFFERENCES.find((x) => x.qemu.test(line));
    if (d) replaced++;
    if (!d) out.push(line);
    else if (d.ours !== null) out.push(line.replace(d.qemu, d.ours));
  }
  return { lines: out, replaced };
}

function expected(name: string): { text: string; exit: number } {
  return {
    text: readFileSync(join(PROBES, 'expected', `${name}.txt`), 'latin1'),
    exit: Number(readFileSync(join(PROBES, 'expected', `${name}.exit`), 'utf8').trim()),
  };
}

async function runOurs(
  name: string,
  options: MachineOptions,
  board = 'virt',
): Promise<{ text: string; exit?: number; machine: Machine }> {
  const m = Machine.builtin(board, {
    host: { yieldToHost: () => new Promise((r) => setImmediate(r)) },
    ...options,
  });
  let text = '';
  m.onOutput((o) => (text += o.text));
  m.loadProgram(readFileSync(join(PROBES, 'build', `${name}.elf`)), { name: `${name}.elf` });
  const stop = await m.run({ maxInstructions: 50_000_000 });
  assert.equal(stop.reason, 'exited', `${name} did not exit: ${stop.reason} ${stop.message ?? ''}`);
  return { text, exit: stop.exitCode, machine: m };
}

function runQemu(args: readonly string[]): Promise<{ stdout: string; status: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(QEMU, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(chunks).toString('latin1'), status });
    });
  });
}

const splitLines = (text: string): string[] => text.replace(/\r\n/g, '\n').split('\n');

describe('virt-probe: Boardmap answers as QEMU 7.2 does', () => {
  const qemu = expected('virt-probe');
  for (const [engine, jit] of [
    ['interpreter', false],
    ['block compiler', { threshold: 0 }],
  ] as const) {
    test(`every probe line (${engine})`, async () => {
      const ours = await runOurs('virt-probe', { jit });
      const want = oursFromQemu(splitLines(qemu.text));
      assert.equal(want.replaced, 7, 'the deliberate differences are all in the QEMU output');
      const got = splitLines(ours.text);
      const mismatches: string[] = [];
      for (let i = 0; i < Math.max(got.length, want.lines.length); i++) {
        if (got[i] !== want.lines[i])
          mismatches.push(`line ${i + 1}: QEMU ${want.lines[i]} | Boardmap ${got[i]}`);
      }
      assert.deepEqual(mismatches, []);
      assert.equal(ours.exit, qemu.exit);
    });
  }

  test('every section ran to the end on QEMU', () => {
    const sections = splitLines(qemu.text).filter((l) => l.startsWith('== '));
    assert.deepEqual(sections, [
      '== reset',
      '== misaligned loads',
      '== misaligned stores',
      '== atomics',
      '== virtio-mmio',
      '== fw_cfg',
      '== fw_cfg dma',
      '== pcie',
      '== goldfish rtc',
      '== rtc alarm',
      '== device tree',
      '== end',
    ]);
  });

  test(
    'qemu-system-riscv32 still prints expected/virt-probe.txt',
    { skip: qemuMissing, timeout: 60_000 },
    async () => {
      const elf = join(PROBES, 'build', 'virt-probe.elf');
      const result = await runQemu([...QEMU_VIRT, '-kernel', elf]);
      assert.equal(result.stdout, qemu.text);
      assert.equal(result.status, qemu.exit);
    },
  );
});

/**
 * HTIF mailboxes in the layouts QEMU's spike accepts besides riscv-tests' (tohost, fromhost 64
 * bytes later): both in one 16-byte window, fromhost 64 or 8 bytes below tohost. The probe
 * prints through HTIF putchar, shows the host's answer in fromhost and exits with status 5; the
 * HTIF window must sit where QEMU's `info mtree` shows it.
 */
describe('spike HTIF layouts: Boardmap maps and answers HTIF as QEMU 7.2 does', () => {
  for (const layout of ['window16', 'below64', 'below8']) {
    const name = `spike-htif-${layout}`;
    test(`${name}.elf: same output, exit status and HTIF window`, async () => {
      const qemu = expected(name);
      const ours = await runOurs(name, {}, 'spike');
      assert.equal(ours.text, qemu.text);
      assert.equal(ours.exit, qemu.exit);
      const window = readFileSync(join(PROBES, 'expected', `${name}.mtree.txt`), 'utf8').trim();
      const line = formatMtree(ours.machine.system)
        .split('\n')
        .find((l) => l.includes('riscv.htif.uart'))
        ?.trim();
      assert.equal(line, window);
      ours.machine.reset(); // a reset keeps HTIF where the program put it
      const after = formatMtree(ours.machine.system)
        .split('\n')
        .find((l) => l.includes('riscv.htif.uart'))
        ?.trim();
      assert.equal(after, window);
    });

    test(
      `${name}.elf on qemu-system-riscv32 still prints its expected output`,
      {
        skip: qemuMissing,
        timeout: 60_000,
      },
      async () => {
        const qemu = expected(name);
        const elf = join(PROBES, 'build', `${name}.elf`);
        const spike = ['-M', 'spike', '-bios', 'none', '-nographic', '-monitor', 'none'];
        const result = await runQemu([...spike, '-serial', 'stdio', '-kernel', elf]);
        assert.equal(result.stdout, qemu.text);
        assert.equal(result.status, qemu.exit);
      },
    );
  }
});
