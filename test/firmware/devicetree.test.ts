// test-needs: qemu, riscv-toolchain
// The device tree Boardmap's virt passes in a1, against QEMU 7.2's `-machine dumpdtb`
// (test/firmware/probes/expected/virt.dts, through `dtc -I dtb -O dts`): the same nodes,
// properties, values and order, except the deliberate differences (src/machine/fdt/virt.ts):
// riscv,isa names Boardmap's hart, no mmu-type, a fixed rng-seed. The tree sits where QEMU puts
// it (0x87e00000 with 128 MiB), the reset vector passes that address, and a reset writes it back.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Machine } from '../../src/machine';
import { fdtAddress, virtDtb, virtFdtParams } from '../../src/machine/fdt';

const PROBES = join(__dirname, 'probes');
const dtcMissing =
  spawnSync('dtc', ['--version']).status === 0
    ? false
    : 'dtc is not installed (Debian: apt-get install device-tree-compiler); DTS comparison skipped';
const qemuMissing =
  spawnSync('qemu-system-riscv32', ['--version']).status === 0
    ? false
    : 'qemu-system-riscv32 is not installed; live dumpdtb comparison skipped';

function dts(dtb: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'boardmap-dtb-'));
  try {
    const file = join(dir, 'x.dtb');
    writeFileSync(file, dtb);
    const r = spawnSync('dtc', ['-q', '-I', 'dtb', '-O', 'dts', file], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** QEMU's text with Boardmap's deliberate differences applied. */
function oursFromQemu(qemu: string): string {
  const isa = /\t\t\triscv,isa = "rv32imafdch[^"]*";\n\t\t\tmmu-type = "riscv,sv32";\n/;
  assert.match(qemu, isa);
  assert.match(qemu, /rng-seed = <[^>]+>;/);
  return qemu
    .replace(isa, '\t\t\triscv,isa = "rv32imac_zicsr_zifencei";\n')
    .replace(
      /rng-seed = <[^>]+>;/,
      'rng-seed = <0x626f6172 0x646d6170 0x20666474 0x20736565 0x642c2064 0x65746572 0x6d696e69 0x73746963>;',
    );
}

function virtMachine(): Machine {
  const m = Machine.builtin('virt');
  m.loadProgram(
    readFileSync(join(__dirname, '..', '..', 'examples', 'firmware', 'build', 'hello.elf')),
    {
      name: 'hello.elf',
    },
  );
  return m;
}

describe('virt device tree', () => {
  test('the blob is in RAM at 0x87e00000 and the reset vector passes that address in a1', () => {
    const m = virtMachine();
    assert.equal(fdtAddress(0x8000_0000, 128 * 1024 * 1024), 0x87e0_0000);
    const blob = virtDtb(virtFdtParams(m.board)!);
    const inRam = m.readMemory(0x87e0_0000, blob.length).data;
    assert.deepEqual(Buffer.from(inRam), Buffer.from(blob));
    const header = new DataView(blob.buffer, blob.byteOffset);
    assert.equal(header.getUint32(0, false), 0xd00d_feed);
    assert.equal(header.getUint32(4, false), blob.length, 'totalsize');
    assert.equal(header.getUint32(20, false), 17, 'version');
    const rom = m.readMemory(0x1020, 4).data;
    assert.equal(new DataView(rom.buffer, rom.byteOffset).getUint32(0, true), 0x87e0_0000);
  });

  test('a reset writes the tree back after the firmware overwrote it', () => {
    const m = virtMachine();
    m.writeMemory(0x87e0_0000, new Uint8Array(16));
    m.reset();
    const magic = m.readMemory(0x87e0_0000, 4).data;
    assert.deepEqual(Array.from(magic), [0xd0, 0x0d, 0xfe, 0xed]);
  });

  test('dtc prints the same tree as for QEMU 7.2 dumpdtb', { skip: dtcMissing }, () => {
    const qemu = readFileSync(join(PROBES, 'expected', 'virt.dts'), 'utf8');
    const ours = dts(virtDtb(virtFdtParams(virtMachine().board)!));
    assert.equal(ours, oursFromQemu(qemu));
  });

  test(
    'qemu-system-riscv32 -machine dumpdtb still gives expected/virt.dts',
    { skip: qemuMissing || dtcMissing, timeout: 60_000 },
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'boardmap-dumpdtb-'));
      try {
        const file = join(dir, 'virt.dtb');
        const r = spawnSync(
          'qemu-system-riscv32',
          ['-M', `virt,dumpdtb=${file}`, '-bios', 'none', '-nographic'],
          {
            encoding: 'utf8',
            timeout: 30_000,
          },
        );
        assert.equal(r.status, 0, r.stderr);
        const live = dts(readFileSync(file));
        const expected = readFileSync(join(PROBES, 'expected', 'virt.dts'), 'utf8');
        const seedless = (t: string) => t.replace(/rng-seed = <[^>]+>;/, 'rng-seed = <…>;');
        assert.equal(seedless(live), seedless(expected));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
