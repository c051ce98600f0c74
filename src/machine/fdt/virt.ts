/**
 * The device tree QEMU 7.2 passes to firmware on `virt` (hw/riscv/virt.c create_fdt, as
 * `-machine dumpdtb=FILE` writes it), built from a description of the board: the same nodes,
 * properties, values and order, so `dtc -I dtb -O dts` prints the same text. libfdt inserts
 * each new node and property before its older siblings, so QEMU's blob lists them in the reverse
 * of its creation order; the lists below are in blob order.
 *
 * Deliberate differences (docs/machine.md): `riscv,isa` names the hart Boardmap emulates
 * (QEMU's: rv32imafdch_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs_sstc), there is no `mmu-type`
 * (the hart has no MMU), and /chosen/rng-seed is a fixed value (QEMU's is random on every run;
 * Boardmap stays deterministic).
 */
import { cells, empty, node, str, strs, toDtb, type FdtNode } from './blob';

export interface VirtFdtParams {
  readonly ramBase: number;
  readonly ramSize: number;
  readonly harts: number;
  /** mtime frequency (Hz). */
  readonly timebase: number;
  readonly isa: string;
  /** `mmu-type` of each cpu node, if the hart has an MMU. */
  readonly mmuType?: string;
  readonly uart: { readonly base: number; readonly irq: number; readonly clock: number };
  readonly rtc?: { readonly base: number; readonly irq: number };
  readonly test: { readonly base: number };
  readonly virtio: readonly { readonly base: number; readonly irq: number }[];
  readonly plic: { readonly base: number; readonly size: number; readonly sources: number };
  readonly clint: { readonly base: number };
  readonly fwCfg?: { readonly base: number };
  readonly pcie?: { readonly ecam: number; readonly ecamSize: number };
  /** Eight words for /chosen/rng-seed. */
  readonly rngSeed: readonly number[];
}

/** QEMU virt's fixed memory map pieces the description does not carry (VIRT_* in virt.c). */
const VIRT = {
  flash: 0x2000_0000,
  flashBank: 0x200_0000,
  platformBus: 0x400_0000,
  platformBusSize: 0x200_0000,
  pcieIo: 0x300_0000,
  pcieIoSize: 0x1_0000,
  pcieMmio: 0x4000_0000,
  pcieMmioSize: 0x4000_0000,
  pcieMmioHighHi: 0x3, // 0x3_0000_0000
  pcieMmioHighSizeHi: 0x1, // 4 GiB
  pciIrqBase: 0x20,
  clintSize: 0x1_0000,
};

const IRQ_M_SOFT = 3;
const IRQ_M_TIMER = 7;
const IRQ_S_EXT = 9;
const IRQ_M_EXT = 11;

/** A fixed rng-seed ("boardmap fdt seed, deterministic"), so runs replay exactly. */
export const FIXED_RNG_SEED: readonly number[] = [
  0x626f_6172, 0x646d_6170, 0x2066_6474, 0x2073_6565, 0x642c_2064, 0x6574_6572, 0x6d69_6e69,
  0x7374_6963,
];

const hexName = (v: number) => v.toString(16);

/** The tree as QEMU builds it for `params`. Phandles: cpu n → 1 + 2n, its intc → 2 + 2n, … */
export function virtTree(p: VirtFdtParams): FdtNode {
  const cpuPhandle = (h: number) => 1 + 2 * h;
  const intcPhandle = (h: number) => 2 + 2 * h;
  const plicPhandle = 1 + 2 * p.harts;
  const testPhandle = plicPhandle + 1;
  const hartIds = Array.from({ length: p.harts }, (_, h) => h);

  const cpus = node(
    'cpus',
    [
      ['#address-cells', cells(1)],
      ['#size-cells', cells(0)],
      ['timebase-frequency', cells(p.timebase)],
    ],
    [
      ...hartIds.map((h) =>
        node(
          `cpu@${h}`,
          [
            ['phandle', cells(cpuPhandle(h))],
            ['device_type', str('cpu')],
            ['reg', cells(h)],
            ['status', str('okay')],
            ['compatible', str('riscv')],
            ['riscv,isa', str(p.isa)],
            ...(p.mmuType ? ([['mmu-type', str(p.mmuType)]] as const) : []),
          ],
          [
            node('interrupt-controller', [
              ['#interrupt-cells', cells(1)],
              ['interrupt-controller', empty()],
              ['compatible', str('riscv,cpu-intc')],
              ['phandle', cells(intcPhandle(h))],
            ]),
          ],
        ),
      ),
      node(
        'cpu-map',
        [],
        [
          node(
            'cluster0',
            [],
            hartIds.map((h) => node(`core${h}`, [['cpu', cells(cpuPhandle(h))]])),
          ),
        ],
      ),
    ],
  );

  const interruptMap: number[] = [];
  for (let slot = 0; slot < 4; slot++) {
    for (let pin = 1; pin <= 4; pin++) {
      interruptMap.push(
        slot << 11,
        0,
        0,
        pin,
        plicPhandle,
        VIRT.pciIrqBase + ((slot + pin - 1) % 4),
      );
    }
  }

  const soc = node(
    'soc',
    [
      ['#address-cells', cells(2)],
      ['#size-cells', cells(2)],
      ['compatible', str('simple-bus')],
      ['ranges', empty()],
    ],
    [
      ...(p.rtc
        ? [
            node(`rtc@${hexName(p.rtc.base)}`, [
              ['interrupts', cells(p.rtc.irq)],
              ['interrupt-parent', cells(plicPhandle)],
              ['reg', cells(0, p.rtc.base, 0, 0x1000)],
              ['compatible', str('google,goldfish-rtc')],
            ]),
          ]
        : []),
      node(`serial@${hexName(p.uart.base)}`, [
        ['interrupts', cells(p.uart.irq)],
        ['interrupt-parent', cells(plicPhandle)],
        ['clock-frequency', cells(p.uart.clock)],
        ['reg', cells(0, p.uart.base, 0, 0x100)],
        ['compatible', str('ns16550a')],
      ]),
      node(`test@${hexName(p.test.base)}`, [
        ['phandle', cells(testPhandle)],
        ['reg', cells(0, p.test.base, 0, 0x1000)],
        ['compatible', strs('sifive,test1', 'sifive,test0', 'syscon')],
      ]),
      ...(p.pcie
        ? [
            node(`pci@${hexName(p.pcie.ecam)}`, [
              ['interrupt-map-mask', cells(0x1800, 0, 0, 7)],
              ['interrupt-map', cells(...interruptMap)],
              [
                'ranges',
                cells(
                  0x100_0000,
                  0,
                  0,
                  0,
                  VIRT.pcieIo,
                  0,
                  VIRT.pcieIoSize,
                  0x200_0000,
                  0,
                  VIRT.pcieMmio,
                  0,
                  VIRT.pcieMmio,
                  0,
                  VIRT.pcieMmioSize,
                  0x300_0000,
                  VIRT.pcieMmioHighHi,
                  0,
                  VIRT.pcieMmioHighHi,
                  0,
                  VIRT.pcieMmioHighSizeHi,
                  0,
                ),
              ],
              ['reg', cells(0, p.pcie.ecam, 0, p.pcie.ecamSize)],
              ['dma-coherent', empty()],
              ['bus-range', cells(0, p.pcie.ecamSize / 0x10_0000 - 1)],
              ['linux,pci-domain', cells(0)],
              ['device_type', str('pci')],
              ['compatible', str('pci-host-ecam-generic')],
              ['#size-cells', cells(2)],
              ['#interrupt-cells', cells(1)],
              ['#address-cells', cells(3)],
            ]),
          ]
        : []),
      ...[...p.virtio]
        .sort((a, b) => b.base - a.base)
        .map((v) =>
          node(`virtio_mmio@${hexName(v.base)}`, [
            ['interrupts', cells(v.irq)],
            ['interrupt-parent', cells(plicPhandle)],
            ['reg', cells(0, v.base, 0, 0x1000)],
            ['compatible', str('virtio,mmio')],
          ]),
        ),
      node(`plic@${hexName(p.plic.base)}`, [
        ['phandle', cells(plicPhandle)],
        ['riscv,ndev', cells(p.plic.sources)],
        ['reg', cells(0, p.plic.base, 0, p.plic.size)],
        [
          'interrupts-extended',
          cells(...hartIds.flatMap((h) => [intcPhandle(h), IRQ_M_EXT, intcPhandle(h), IRQ_S_EXT])),
        ],
        ['interrupt-controller', empty()],
        ['compatible', strs('sifive,plic-1.0.0', 'riscv,plic0')],
        ['#address-cells', cells(0)],
        ['#interrupt-cells', cells(1)],
      ]),
      node(`clint@${hexName(p.clint.base)}`, [
        [
          'interrupts-extended',
          cells(
            ...hartIds.flatMap((h) => [intcPhandle(h), IRQ_M_SOFT, intcPhandle(h), IRQ_M_TIMER]),
          ),
        ],
        ['reg', cells(0, p.clint.base, 0, VIRT.clintSize)],
        ['compatible', strs('sifive,clint0', 'riscv,clint0')],
      ]),
    ],
  );

  return node(
    '',
    [
      ['#address-cells', cells(2)],
      ['#size-cells', cells(2)],
      ['compatible', str('riscv-virtio')],
      ['model', str('riscv-virtio,qemu')],
    ],
    [
      node('pmu', [
        [
          'riscv,event-to-mhpmcounters',
          cells(
            0x01,
            0x01,
            0x7fff9,
            0x02,
            0x02,
            0x7fffc,
            0x10019,
            0x10019,
            0x7fff8,
            0x1001b,
            0x1001b,
            0x7fff8,
            0x10021,
            0x10021,
            0x7fff8,
            0,
            0,
            0,
            0,
            0,
          ),
        ],
        ['compatible', str('riscv,pmu')],
      ]),
      ...(p.fwCfg
        ? [
            node(`fw-cfg@${hexName(p.fwCfg.base)}`, [
              ['dma-coherent', empty()],
              ['reg', cells(0, p.fwCfg.base, 0, 0x18)],
              ['compatible', str('qemu,fw-cfg-mmio')],
            ]),
          ]
        : []),
      node(`flash@${hexName(VIRT.flash)}`, [
        ['bank-width', cells(4)],
        [
          'reg',
          cells(
            0,
            VIRT.flash,
            0,
            VIRT.flashBank,
            0,
            VIRT.flash + VIRT.flashBank,
            0,
            VIRT.flashBank,
          ),
        ],
        ['compatible', str('cfi-flash')],
      ]),
      node('chosen', [
        ['rng-seed', cells(...p.rngSeed)],
        ['stdout-path', str(`/soc/serial@${hexName(p.uart.base)}`)],
      ]),
      node('poweroff', [
        ['value', cells(0x5555)],
        ['offset', cells(0)],
        ['regmap', cells(testPhandle)],
        ['compatible', str('syscon-poweroff')],
      ]),
      node('reboot', [
        ['value', cells(0x7777)],
        ['offset', cells(0)],
        ['regmap', cells(testPhandle)],
        ['compatible', str('syscon-reboot')],
      ]),
      node(`platform-bus@${hexName(VIRT.platformBus)}`, [
        ['interrupt-parent', cells(plicPhandle)],
        ['ranges', cells(0, 0, VIRT.platformBus, VIRT.platformBusSize)],
        ['#address-cells', cells(1)],
        ['#size-cells', cells(1)],
        ['compatible', strs('qemu,platform', 'simple-bus')],
      ]),
      node(`memory@${hexName(p.ramBase)}`, [
        ['device_type', str('memory')],
        ['reg', cells(0, p.ramBase, Math.floor(p.ramSize / 2 ** 32), p.ramSize >>> 0)],
      ]),
      cpus,
      soc,
    ],
  );
}

/** The DTB QEMU's virt would pass for `params`. */
export function virtDtb(params: VirtFdtParams): Uint8Array {
  return toDtb(virtTree(params));
}

/**
 * Where QEMU 7.2 puts the tree (riscv_load_fdt): 2 MiB-aligned below the end of DRAM (or 3 GiB),
 * far enough for its 1 MiB buffer: 0x87e0_0000 with 128 MiB at 0x8000_0000.
 */
export function fdtAddress(ramBase: number, ramSize: number): number {
  const end = ramBase + ramSize;
  const top = ramBase < 0xc000_0000 ? Math.min(end, 0xc000_0000) : end;
  const FDT_MAX_SIZE = 0x10_0000;
  return Math.floor((top - FDT_MAX_SIZE) / 0x20_0000) * 0x20_0000;
}
