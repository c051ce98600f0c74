/** Builder: the spec's vectors through the language, devices, CPUs, memory-controller actions. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  addressSpaceLoad,
  addressSpaceStore,
  AccessValue,
  createIo,
  unassignedIoOps,
} from '../../src/engine';
import { formatMtree } from '../../src/engine/mtree';
import { buildBoard, bindProgram, compileBoard, loadProgram, BuildError } from '../../src/board';
import { EXAMPLES } from './helpers';

function build(text: string) {
  const c = compileBoard('t.board', text);
  assert.ok(c.built, c.error ?? 'not built');
  return c.built!;
}

const flat = (b: ReturnType<typeof build>, i = 0) =>
  b.spaces[i]!.flatView.ranges.map(
    (r) =>
      `${r.start.toString(16)}-${(r.end - 1n).toString(16)} ${r.mr.name}${r.offsetInRegion ? ` @${r.offsetInRegion.toString(16)}` : ''}`,
  );

describe('builder', () => {
  test('spec 10.2: examples/pc.board prints the documented info mtree', () => {
    const b = build(readFileSync(join(EXAMPLES, 'pc.board'), 'utf8'));
    assert.equal(
      formatMtree(b.system, {}),
      `address-space: memory
  0000000000000000-0000ffffffffffff (prio 0, i/o): system
    0000000000000000-00000000dfffffff (prio 0, ram): alias lomem @ram 0000000000000000-00000000dfffffff
    00000000000a0000-00000000000bffff (prio 1, i/o): alias vga-window @pci 00000000000a0000-00000000000bffff
    00000000e0000000-00000000ffffffff (prio 0, i/o): alias pci-hole @pci 00000000e0000000-00000000ffffffff
    0000000100000000-000000011fffffff (prio 0, ram): alias himem @ram 00000000e0000000-00000000ffffffff

memory-region: ram
  0000000000000000-00000000ffffffff (prio 0, ram): ram

memory-region: pci
  0000000000000000-00000000ffffffff (prio 0, i/o): pci
    00000000000a0000-00000000000bffff (prio 0, i/o): vga-area
      00000000000a0000-00000000000a7fff (prio 0, ram): alias vga-lo @vram 0000000000010000-0000000000017fff
      00000000000a8000-00000000000affff (prio 0, ram): alias vga-hi @vram 0000000000020000-0000000000027fff
    00000000e1000000-00000000e1ffffff (prio 0, ram): vram
    00000000e2000000-00000000e200ffff (prio 0, i/o): vga-mmio

memory-region: vram
  00000000e1000000-00000000e1ffffff (prio 0, ram): vram

`,
    );
    assert.deepEqual(flat(b), [
      '0-9ffff ram',
      'a0000-a7fff vram @10000',
      'a8000-affff vram @20000',
      'b0000-dfffffff ram @b0000',
      'e1000000-e1ffffff vram',
      'e2000000-e200ffff vga-mmio',
      '100000000-11fffffff ram @e0000000',
    ]);
  });

  test('spec 10.1: priorities, a pure container and a container with its own MMIO', () => {
    const text = (bKind: string) => `container A size 0x8000 {
  mmio C @ 0 size 0x6000 prio 1
  ${bKind} B @ 0x2000 size 0x4000 prio 2 {
    mmio D @ 0 size 0x1000
    mmio E @ 0x2000 size 0x1000
  }
}
space test = A
`;
    assert.deepEqual(flat(build(text('container'))), [
      '0-1fff C',
      '2000-2fff D',
      '3000-3fff C @3000',
      '4000-4fff E',
      '5000-5fff C @5000',
    ]);
    assert.deepEqual(flat(build(text('mmio'))), [
      '0-1fff C',
      '2000-2fff D',
      '3000-3fff B @1000',
      '4000-4fff E',
      '5000-5fff B @3000',
    ]);
  });

  test('spec 10.3.1: equal priorities follow declaration order (the later one wins)', () => {
    assert.deepEqual(
      flat(
        build(
          'container R size 64K {\n  mmio X @ 0 size 8K\n  mmio Y @ 4K size 8K\n}\nspace s = R\n',
        ),
      ),
      ['0-fff X', '1000-2fff Y'],
    );
    assert.deepEqual(
      flat(
        build(
          'container R size 64K {\n  mmio Y @ 4K size 8K\n  mmio X @ 0 size 8K\n}\nspace s = R\n',
        ),
      ),
      ['0-1fff X', '2000-2fff Y @1000'],
    );
  });

  test('read-only alias, nonvolatile, reservation and romd in mmio mode reach the engine', () => {
    const b = build(`ram M size 16K
container R size 64K {
  alias lo @ 0 -> M size 8K
  alias hi @ 8K -> M offset 8K size 8K readonly
  reservation N @ 0x3000 size 4K prio 1
  romd F @ 0x8000 size 4K mmio-mode
  ram V @ 0xc000 size 4K nonvolatile
}
space s = R
`);
    const ranges = b.spaces[0]!.flatView.ranges;
    assert.equal(ranges.find((r) => r.start === 0x2000n)!.readonly, true);
    assert.equal(ranges.find((r) => r.mr.name === 'N')!.mr.kind, 'reservation');
    assert.equal(b.regions.get('F')!.romdMode, false);
    assert.equal(ranges.find((r) => r.mr.name === 'V')!.nonvolatile, true);
  });

  test('devices: QEMU names, catalog windows, parameters and irq wiring described for the machine', () => {
    const b = build(`container sys size 2^32 {
  device plic : plic @ 0x0c00_0000 { sources = 32 }
  device clint : clint @ 0x0200_0000
  device uart0 : ns16550a @ 0x1000_0000 { irq = plic:10, reg-shift = 2 }
}
space memory = sys
cpu hart0 : rv32imac { reset = 0x8000_0000, boot = "fw.elf" }
`);
    assert.deepEqual(flat(b), [
      '2000000-2003fff riscv.aclint.swi',
      '2004000-200bfff riscv.aclint.mtimer',
      'c000000-fffffff riscv.sifive.plic',
      '10000000-1000001f serial',
    ]);
    const uart = b.devices.find((d) => d.description.id === 'uart0')!.description;
    assert.equal(uart.model.name, 'ns16550a');
    assert.deepEqual(uart.irqs, [{ param: 'irq', controller: 'plic', line: 10 }]);
    assert.equal(uart.intParams.get('clock'), 3_686_400n);
    assert.equal(uart.address, 0x1000_0000n);
    assert.equal(b.cpus[0]!.space, b.spaces[0]);
    assert.equal(b.cpus[0]!.reset, 0x8000_0000n);
    assert.equal(b.cpus[0]!.boot, 'fw.elf');
  });

  test('a device factory from the machine layer replaces the placeholder regions', () => {
    const model = bindProgram(
      loadProgram(
        't.board',
        'container s size 64K {\n  device t : sifive_test @ 0x1000\n}\nspace m = s\n',
      ),
    );
    const seen: string[] = [];
    const b = buildBoard(model, {
      createDevice: (d, system) => {
        seen.push(`${d.model.name}:${d.name}`);
        return {
          regions: [
            { region: createIo(system, 'custom-test', 0x1000n, unassignedIoOps), offset: 0n },
          ],
          instance: 42,
        };
      },
    });
    assert.deepEqual(seen, ['sifive_test:riscv.sifive.test']);
    assert.equal(b.devices[0]!.instance, 42);
    assert.equal(b.spaces[0]!.flatView.ranges[0]!.mr.name, 'custom-test');
  });

  test('remap.board: a store to REMAP maps SRAM over the boot ROM; 0 unmaps it', () => {
    const b = build(readFileSync(join(EXAMPLES, 'remap.board'), 'utf8'));
    const as = b.spaces[0]!;
    assert.equal(as.flatView.lookup(0n)!.mr.name, 'boot-rom');
    const v = new AccessValue();
    assert.equal(addressSpaceLoad(as, 0x4000_0000n, 4, v), 0);
    assert.equal(v.value >>> 0, 0x5245_4d50);
    assert.equal(addressSpaceStore(as, 0x4000_0004n, 4, 1), 0);
    assert.equal(as.flatView.lookup(0n)!.mr.name, 'sram');
    assert.deepEqual(b.actionLog.at(-1), { action: 'enable', region: 'sram-remap', value: true });
    assert.equal(addressSpaceStore(as, 0x4000_0004n, 4, 0), 0);
    assert.equal(as.flatView.lookup(0n)!.mr.name, 'boot-rom');
    assert.equal(b.cpus[0]!.reset, 0n);
  });

  test('move and alias-offset actions, and if/else', () => {
    const b = build(`ram M size 64K
container R size 1M {
  alias W @ 0 -> M size 4K
  ram X @ 0x10000 size 4K
  device ctl : memctl @ 0x80000 {
    reg WIN @ 0 : u32 { on-write { alias-offset W = value * 4K } }
    reg POS @ 4 : u32 {
      on-write {
        if value & 1 { move X @ 0x20000 } else { move X @ 0x10000 }
      }
    }
  }
}
space s = R
`);
    const as = b.spaces[0]!;
    addressSpaceStore(as, 0x80000n, 4, 3);
    assert.equal(as.flatView.lookup(0n)!.offsetInRegion, 0x3000n);
    addressSpaceStore(as, 0x80004n, 4, 1);
    assert.equal(as.flatView.lookup(0x20000n)!.mr.name, 'X');
    addressSpaceStore(as, 0x80004n, 4, 0);
    assert.equal(as.flatView.lookup(0x10000n)!.mr.name, 'X');
  });

  test('refuses a model with errors', () => {
    const model = bindProgram(loadProgram('t.board', 'ram a size 0\n'));
    assert.throws(() => buildBoard(model), BuildError);
  });
});

describe('on-read actions', () => {
  test('a guest read runs them; a debug peek does not', () => {
    const a = compileBoard(
      't.board',
      `container R size 64K {
  ram A @ 0 size 4K
  mmio ctl @ 0x8000 size 16 {
    reg ACK @ 0 : u32 ro reset 7 { on-read { disable A } }
  }
}
space s = R
`,
    );
    const b = a.built!;
    const as = b.spaces[0]!;
    const bank = b.banks.get('ctl')!;
    assert.equal(bank.peekRegister('ACK'), 7);
    assert.equal(as.flatView.lookup(0n)?.mr.name, 'A');
    const v = new AccessValue();
    assert.equal(addressSpaceLoad(as, 0x8000n, 4, v), 0);
    assert.equal(v.value, 7);
    assert.equal(as.flatView.lookup(0n), null);
  });
});

describe('compileBoard', () => {
  test('returns diagnostics instead of throwing, and the built map when clean', async () => {
    const { compileBoard } = await import('../../src/board');
    const bad = compileBoard('x.board', 'ram a size 0\n');
    assert.equal(bad.built, undefined);
    assert.match(bad.error!, /Size must be positive/);
    const good = compileBoard(
      'x.board',
      'container c size 4K {\n  ram a @ 0 size 1K\n}\nspace m = c\n',
    );
    assert.equal(good.built!.spaces[0]!.flatView.ranges.length, 1);
  });
});
