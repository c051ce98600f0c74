// test-needs: qemu
// Runs every example firmware on qemu-system-riscv32 and checks that its console output and exit
// status still equal examples/firmware/expected/ (which `make -C examples/firmware expected`
// wrote from QEMU). Skips, saying why, when QEMU is not installed. The remap firmware has no QEMU
// machine; its expected output is checked against the ELF's contents instead.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseElf } from '../../src/machine/loader';
import { FIRMWARE_RUNS } from './firmwareRuns';

const QEMU = 'qemu-system-riscv32';
const qemuMissing =
  spawnSync(QEMU, ['--version']).status === 0
    ? false
    : `${QEMU} is not installed (Debian: apt-get install qemu-system-misc); QEMU cross-check skipped`;

function runQemu(
  args: readonly string[],
  timeoutMs: number,
): Promise<{ stdout: Buffer; status: number | null; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(QEMU, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(chunks), status, timedOut });
    });
  });
}

describe('example firmware on QEMU matches examples/firmware/expected', () => {
  for (const fw of FIRMWARE_RUNS.filter((f) => f.qemuArgs)) {
    test(`${fw.name}.elf on ${fw.board}`, { skip: qemuMissing, timeout: 60_000 }, async () => {
      const result = await runQemu(fw.qemuArgs!, 30_000);
      assert.equal(result.timedOut, false, `${fw.name} did not exit within 30 s`);
      assert.equal(result.stdout.toString('latin1'), fw.expectedOutput.toString('latin1'));
      assert.equal(result.status, fw.expectedExit);
    });
  }
});

describe('remap expected output agrees with remap.elf', () => {
  const remap = FIRMWARE_RUNS.find((f) => f.name === 'remap')!;
  test('the words it prints are the boot ROM word and the SRAM signature in the ELF', () => {
    const elf = parseElf(new Uint8Array(readFileSync(remap.elfPath)));
    const boot = elf.loadSegments.find((s) => s.paddr === 0)!;
    const payload = elf.loadSegments.find((s) => s.vaddr === 0x20000000)!;
    const word = (bytes: Uint8Array) =>
      '0x' +
      new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true).toString(16).padStart(8, '0');
    const text = remap.expectedOutput.toString('latin1');
    assert.ok(
      text.includes(`before REMAP: [0x00000000] = ${word(boot.data)}\r\n`),
      'ROM word at 0',
    );
    assert.ok(
      text.includes(`REMAP <- 0:   [0x00000000] = ${word(boot.data)}\r\n`),
      'ROM back after REMAP=0',
    );
    assert.ok(
      text.includes(`after REMAP:  [0x00000000] = ${word(payload.data)}\r\n`),
      'SRAM signature through the alias',
    );
    assert.equal(elf.symbols.byName('sram_signature')?.value, 0x20000000);
    assert.ok(text.endsWith('remap: OK\r\n'));
    assert.equal(remap.expectedExit, 0);
  });
});
