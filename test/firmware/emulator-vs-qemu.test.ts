// test-needs: qemu
// The QEMU cross-check, emulator half: each example firmware QEMU can run is run on
// qemu-system-riscv32 and on `boardmap run` (dist/cli.js) side by side; the console bytes and the
// exit status must be equal, and bench-small's checksum line must be the same on both. Skips,
// saying why, when QEMU is not installed.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { runArgs, runCli } from './cli';
import { FIRMWARE_RUNS } from './firmwareRuns';

const QEMU = 'qemu-system-riscv32';
const qemuMissing =
  spawnSync(QEMU, ['--version']).status === 0
    ? false
    : `${QEMU} is not installed (Debian: apt-get install qemu-system-misc); cross-check skipped`;

function runQemu(args: readonly string[]): Promise<{ stdout: Buffer; status: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(QEMU, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(chunks), status });
    });
  });
}

describe('our emulator and QEMU agree on the example firmware', () => {
  // bench.elf (418 M instructions) is covered by boardmap-run.test.ts against the same expected
  // output QEMU produced; here the cheaper programs run on both at once.
  for (const fw of FIRMWARE_RUNS.filter((f) => f.qemuArgs && f.name !== 'bench')) {
    test(`${fw.name}.elf on ${fw.board}`, { skip: qemuMissing, timeout: 120_000 }, async () => {
      const [qemu, ours] = await Promise.all([runQemu(fw.qemuArgs!), runCli(runArgs(fw))]);
      assert.equal(ours.stdout.toString('latin1'), qemu.stdout.toString('latin1'));
      assert.equal(ours.status, qemu.status);
      if (fw.name === 'bench-small') {
        const checksum = (b: Buffer): string | undefined =>
          /checksum (0x[0-9a-f]{8})/.exec(b.toString('latin1'))?.[1];
        assert.ok(checksum(qemu.stdout), 'QEMU printed a checksum');
        assert.equal(checksum(ours.stdout), checksum(qemu.stdout));
      }
    });
  }
});
