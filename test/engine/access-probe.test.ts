// Unassigned behaviour against real QEMU 7.2 (oracle/qemu-7.2/*.probe.txt): the relevant part
// of each machine's map is rebuilt with the names and addresses of its `info mtree` dump, the
// HMP `xp` and `i` commands are replayed through the engine (address_space_read, as HMP does)
// and the transcript must equal QEMU's byte for byte. Plus the spec §6.7 statements about the
// virt PCIe windows (container with unassigned_io_ops vs an empty pure container).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  MemorySystem,
  createAlias,
  createContainer,
  createIo,
  createRam,
  createRom,
  readWithAttrs,
  unassignedIoOps,
  writeRom,
  MEMTX_DECODE_ERROR,
  MEMTX_OK,
  type AddressSpace,
} from '../../src/engine/index';

import { QEMU_ORACLE as ORACLE } from '../oracle';

/** HMP `xp /<count>x<b|h|w|g> <addr>` (monitor/misc.c memory_dump, physical). */
function xp(as: AddressSpace, count: number, wsize: number, addr: number): string {
  const lineSize = wsize === 1 ? 8 : 16;
  let len = count * wsize;
  let out = '';
  let a = addr;
  while (len > 0) {
    out += a.toString(16).padStart(16, '0') + ':';
    const l = Math.min(len, lineSize);
    const buf = new Uint8Array(l);
    if (readWithAttrs(as, a, buf) !== MEMTX_OK) {
      out += ' Cannot access memory\n';
      break;
    }
    for (let i = 0; i < l; i += wsize) {
      let v = 0;
      for (let k = wsize - 1; k >= 0; k--) v = v * 256 + buf[i + k]!;
      out += ' 0x' + v.toString(16).padStart(wsize * 2, '0');
    }
    out += '\n';
    a += l;
    len -= l;
  }
  return out;
}

/** HMP `i /<b|h|w> <port>` (hmp_ioport_read → cpu_inb/inw/inl, result ignored). */
function ioRead(io: AddressSpace, size: number, port: number): string {
  const buf = new Uint8Array(size);
  readWithAttrs(io, port, buf);
  let v = 0;
  for (let k = size - 1; k >= 0; k--) v = v * 256 + buf[k]!;
  const suffix = size === 1 ? 'b' : size === 2 ? 'w' : 'l';
  return `port${suffix}[0x${port.toString(16).padStart(4, '0')}] = 0x${v.toString(16).padStart(size * 2, '0')}\n`;
}

/** Replays a probe transcript's commands; returns our transcript. */
function replay(text: string, memory: AddressSpace, io: AddressSpace | null): string {
  let out = '';
  for (const line of text.split('\n')) {
    if (!line.startsWith('(qemu) ')) continue;
    out += line + '\n';
    const cmd = line.slice(7);
    let m = /^xp \/(\d+)x([bhwg]) (0x[0-9a-f]+)$/.exec(cmd);
    if (m) {
      const wsize = { b: 1, h: 2, w: 4, g: 8 }[m[2] as 'b']!;
      out += xp(memory, Number(m[1]), wsize, Number(m[3]));
      continue;
    }
    m = /^i \/([bhw]) (0x[0-9a-f]+)$/.exec(cmd);
    if (m && io) {
      out += ioRead(io, { b: 1, h: 2, w: 4 }[m[1] as 'b']!, Number(m[2]));
      continue;
    }
    throw new Error(`probe command not modelled: ${cmd}`);
  }
  return out;
}

describe('unassigned accesses match the QEMU 7.2 probe transcripts', () => {
  test('pc-x86_64: unassigned memory, ROM through the isa-bios alias, RAM, and the io root', () => {
    const sys = new MemorySystem();
    const system = createContainer(sys, 'system', 1n << 64n);
    const pcRam = createRam(sys, 'pc.ram', 0x8000000, { sparse: true });
    system.addSubregion(0, createAlias(sys, 'ram-below-4g', pcRam, 0, 0x8000000));
    const pci = createContainer(sys, 'pci', 1n << 64n);
    system.addSubregionOverlap(0, pci, -1);
    const bios = createRom(sys, 'pc.bios', 0x40000);
    pci.addSubregion(0xfffc0000, bios);
    pci.addSubregionOverlap(0xe0000, createAlias(sys, 'isa-bios', bios, 0x20000, 0x20000), 1);
    // PAM in its reset state: the 0xf0000 segment maps to PCI (prio 1 over the RAM alias).
    system.addSubregionOverlap(0xf0000, createAlias(sys, 'pam-pci', pci, 0xf0000, 0x10000), 1);
    const memory = sys.createAddressSpace(system, 'memory');
    // SeaBIOS's reset vector, loaded as QEMU's loader does (a ROM write).
    writeRom(memory, 0xfffffff0, new Uint8Array([0xea, 0x5b, 0xe0, 0x00]));
    const ioRoot = createIo(sys, 'io', 0x10000, unassignedIoOps);
    ioRoot.addSubregion(0x3f6, createIo(sys, 'ide', 1, { read: () => 0, write: () => undefined }));
    // fdc's DIR register (bit 7: disk change) — the one device the transcript reads.
    ioRoot.addSubregion(
      0x3f7,
      createIo(sys, 'fdc', 1, { read: () => 0x80, write: () => undefined }),
    );
    const io = sys.createAddressSpace(ioRoot, 'I/O');
    const oracle = readFileSync(`${ORACLE}/pc-x86_64.probe.txt`, 'utf8');
    assert.equal(replay(oracle, memory, io), oracle);
  });

  test('lm3s6965evb-arm: unassigned, a prio -1000 unimplemented stub, SRAM, SysTick', () => {
    const sys = new MemorySystem({ targetPageSize: 1024 });
    const system = createContainer(sys, 'system', 1n << 32n);
    system.addSubregion(0x20000000, createRam(sys, 'stellaris.sram', 0x10000));
    // unimplemented-device: reads 0 with success, writes ignored.
    system.addSubregionOverlap(
      0x40002000,
      createIo(sys, 'i2c-0', 0x1000, { read: () => 0, write: () => undefined }),
      -1000,
    );
    system.addSubregionOverlap(
      0xe0000000,
      createIo(sys, 'nvic-default', 0x100000, { read: () => 0, write: () => undefined }),
      -1,
    );
    const sysregs = createIo(sys, 'nvic_sysregs', 0x1000, {
      read: () => 0,
      write: () => undefined,
    });
    system.addSubregion(0xe000e000, sysregs);
    // SysTick CSR reads CLKSOURCE (bit 2) after reset; RVR is 0.
    const systick = createIo(sys, 'v7m_systick', 0xe0, {
      read: (_r, o) => (o === 0 ? 4 : 0),
      write: () => undefined,
    });
    sysregs.addSubregionOverlap(0x10, systick, 1);
    const memory = sys.createAddressSpace(system, 'memory');
    const oracle = readFileSync(`${ORACLE}/lm3s6965evb-arm.probe.txt`, 'utf8');
    assert.equal(replay(oracle, memory, null), oracle);
  });

  test('virt PCIe windows (spec §6.7): a window with unassigned_io_ops reads all-ones with success; an empty pure container is a decode error', () => {
    const sys = new MemorySystem();
    const system = createContainer(sys, 'system', 1n << 64n);
    const window = createIo(sys, 'gpex_mmio_window', 0x2eff0000, unassignedIoOps);
    window.addSubregion(0, createContainer(sys, 'gpex_mmio', 1n << 64n));
    system.addSubregion(0x10000000, window);
    system.addSubregion(0x0c000000, createContainer(sys, 'platform bus', 0x2000000));
    const memory = sys.createAddressSpace(system, 'memory');
    const buf = new Uint8Array(8);
    assert.equal(readWithAttrs(memory, 0x10000000, buf), MEMTX_OK);
    assert.deepEqual([...buf], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    assert.equal(readWithAttrs(memory, 0x0c000000, buf), MEMTX_DECODE_ERROR);
    assert.deepEqual([...buf], [0, 0, 0, 0, 0, 0, 0, 0]);
  });
});
