// test-needs: qemu
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { FlatBus } from '../../support/flatBus';
import { RiscvHart } from '../../../src/machine/riscv';
import { testJitOption } from './driver';
import { LOAD_ADDRESS, OUTPUT_LINES, randomProgram, UART_THR } from './support/random-program';

const QEMU = 'qemu-system-riscv32';
const PROGRAMS = 8;
const GROUPS = 500;

function qemuAvailable(): boolean {
  try {
    execFileSync(QEMU, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const complete = (text: string) => text.split('\n').length > OUTPUT_LINES;

/** Runs the raw program on our hart with a UART THR; stops once every line is printed. */
function runOurs(image: Uint8Array): string {
  const bus = new FlatBus(LOAD_ADDRESS, 0x10000);
  bus.writeBytes(LOAD_ADDRESS, image);
  let out = '';
  const hart = new RiscvHart(bus, { resetVector: LOAD_ADDRESS, jit: testJitOption() });
  bus.addDevice(UART_THR, 8, {
    read: (offset) => (offset === 5 ? 0x60 : 0), // LSR: THR empty, transmitter empty
    write: (offset, _size, value) => {
      if (offset !== 0) return;
      out += String.fromCharCode(value & 0xff);
      if (complete(out)) hart.requestStop();
    },
  });
  const r = hart.run(1_000_000);
  assert.equal(r.reason, 'stop-requested', `program did not finish: ${r.reason} at ${hart.pc}`);
  return out;
}

/** Runs the raw program under QEMU until every line is printed, then kills it. */
async function runQemu(image: Uint8Array): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'rv-diff-'));
  const file = join(dir, 'prog.bin');
  writeFileSync(file, image);
  const args = ['-M', 'virt', '-bios', 'none', '-nographic', '-monitor', 'none', '-kernel', file];
  const child = spawn(QEMU, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    return await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`QEMU timed out; got: ${out}`)), 20_000);
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString().replace(/\r/g, '');
        if (complete(out)) {
          clearTimeout(timer);
          resolve(out);
        }
      });
      child.on('error', reject);
    });
  } finally {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('random programs: our hart against QEMU', () => {
  test('each program prints 31 registers and a checksum on our hart', () => {
    const out = runOurs(randomProgram(1, GROUPS));
    assert.match(out, /^([0-9a-f]{8}\n){32}$/);
  });

  for (let seed = 1; seed <= PROGRAMS; seed++) {
    test(
      `program ${seed}: same registers and memory checksum as qemu-system-riscv32`,
      { skip: !qemuAvailable() && `${QEMU} not installed` },
      async () => {
        const image = randomProgram(seed, GROUPS);
        const ours = runOurs(image).split('\n');
        const theirs = (await runQemu(image)).split('\n');
        const diffs = ours
          .map((line, i) =>
            line === theirs[i]
              ? ''
              : `${i < 31 ? `x${i + 1}` : 'checksum'}: ours ${line} qemu ${theirs[i]}`,
          )
          .filter(Boolean);
        assert.deepEqual(diffs, []);
      },
    );
  }
});
