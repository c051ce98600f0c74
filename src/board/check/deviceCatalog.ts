/**
 * The device and CPU models a board map may instantiate: pure data that the checker, completion
 * and hover read, and that the machine layer implements (one model per entry, same names, same
 * parameters, same windows). Window names are the names QEMU 7.2 gives the same device's
 * MemoryRegions, so `boardmap mtree` of a board looks like QEMU's `info mtree`.
 */

export type ParamType =
  /** An integer expression. */
  | 'int'
  /** An interrupt line of a controller: `plic:10`. */
  | 'irq'
  /** An address expression or a quoted ELF symbol name (`"tohost"`). */
  | 'address-or-symbol'
  /** The name of an address space declared with `space`. */
  | 'space'
  /** A quoted string (a path for `boot`). */
  | 'string';

export interface ParamSpec {
  readonly name: string;
  readonly type: ParamType;
  readonly doc: string;
  readonly required?: boolean;
  /** Default as the board language would write it (documentation and hover). */
  readonly defaultValue?: bigint | string;
  /** Allowed integer values, when the model accepts only some. */
  readonly allowed?: readonly bigint[];
  /**
   * Inclusive bounds of an integer value (an address: 0 … 2^64-1 when absent), the ranges the
   * machine's models implement (QEMU's where it has one).
   */
  readonly min?: bigint;
  readonly max?: bigint;
}

const U32_MAX = 0xffff_ffffn;

/** One MemoryRegion the device maps: `offset` from the device's address, QEMU's name. */
export interface DeviceWindow {
  readonly name: string;
  readonly offset: bigint;
  /** Size in bytes, possibly depending on the (already defaulted) parameter values. */
  readonly size: (params: ReadonlyMap<string, bigint>) => bigint;
}

export interface DeviceModel {
  readonly name: string;
  readonly doc: string;
  readonly params: readonly ParamSpec[];
  /**
   * MemoryRegions the device maps under its address. Empty for devices whose only window is
   * the `size` written on the declaration (`regbank`, `memctl`).
   */
  readonly windows: readonly DeviceWindow[];
  /** Default window size for models sized by the declaration (`regbank`, `memctl`). */
  readonly defaultSize?: bigint;
  /** Registers may be declared inline in the device body. */
  readonly inlineRegisters: boolean;
  /** Register writes may carry memory-controller actions (`on-write { enable … }`). */
  readonly actions: boolean;
  /** Number of interrupt inputs the device accepts from other devices (a controller), if any. */
  readonly irqInputs?: (params: ReadonlyMap<string, bigint>) => bigint;
  /** Names of the device's interrupt outputs (parameters of type `irq`). */
  readonly irqOutputs: readonly string[];
  /** The device may be placed at an address found in the loaded program (no `@` needed). */
  readonly symbolPlaced?: boolean;
  /**
   * Regions may be declared in the device body: they become subregions of its (one) window, as
   * QEMU's gpex puts its `gpex_mmio` container inside the all-ones `gpex_mmio_window`.
   */
  readonly containsRegions?: boolean;
}

export interface CpuModel {
  readonly name: string;
  readonly doc: string;
  readonly params: readonly ParamSpec[];
}

const K = 1024n;

/** The ACLINT windows' sizes (QEMU's RISCV_ACLINT_SWI_SIZE, RISCV_ACLINT_DEFAULT_MTIMER_SIZE). */
const ACLINT_SWI_SIZE = 0x4000n;
const ACLINT_MTIMER_SIZE = 0x8000n;
const HARTS: ParamSpec = {
  name: 'harts',
  type: 'int',
  doc: 'Number of harts served.',
  defaultValue: 1n,
  // QEMU's RISCV_ACLINT_MAX_HARTS
  min: 1n,
  max: 4095n,
};
const TIMEBASE: ParamSpec = {
  name: 'timebase',
  type: 'int',
  doc: 'mtime frequency in Hz.',
  defaultValue: 10_000_000n,
  min: 1n,
  max: U32_MAX,
};

const serialSize = (p: ReadonlyMap<string, bigint>): bigint => 8n << (p.get('reg-shift') ?? 0n);

export const DEVICE_MODELS: readonly DeviceModel[] = [
  {
    name: 'ns16550a',
    doc: 'NS16550A UART (8 byte registers; byte lanes spread by reg-shift). Output on the host console.',
    params: [
      {
        name: 'clock',
        type: 'int',
        doc: 'Input clock in Hz (sets the baud divisor meaning).',
        defaultValue: 3_686_400n,
        min: 1n,
        max: U32_MAX,
      },
      { name: 'irq', type: 'irq', doc: 'Interrupt output, wired to a controller input: plic:10.' },
      {
        name: 'reg-shift',
        type: 'int',
        doc: 'Register stride is 1 << reg-shift bytes.',
        defaultValue: 0n,
        allowed: [0n, 1n, 2n],
      },
      {
        name: 'reg-io-width',
        type: 'int',
        doc: 'Access width of the registers in bytes.',
        defaultValue: 1n,
        allowed: [1n, 2n, 4n],
      },
    ],
    windows: [{ name: 'serial', offset: 0n, size: serialSize }],
    inlineRegisters: false,
    actions: false,
    irqOutputs: ['irq'],
  },
  {
    name: 'clint',
    doc: 'SiFive core-local interruptor: the ACLINT MSWI (msip per hart) at +0 and MTIMER (mtimecmp at +0x4000, mtime at +0xbff8) as one device with one owner (QEMU creates the two as separate devices: aclint-swi, aclint-mtimer).',
    params: [HARTS, TIMEBASE],
    windows: [
      { name: 'riscv.aclint.swi', offset: 0n, size: () => ACLINT_SWI_SIZE },
      { name: 'riscv.aclint.mtimer', offset: ACLINT_SWI_SIZE, size: () => ACLINT_MTIMER_SIZE },
    ],
    inlineRegisters: false,
    actions: false,
    irqOutputs: [],
  },
  {
    name: 'aclint-swi',
    doc: 'RISC-V ACLINT MSWI (QEMU riscv.aclint.swi): msip per hart at +0 (bit 0 raises MSIP). QEMU virt maps it at 0x200_0000.',
    params: [HARTS],
    windows: [{ name: 'riscv.aclint.swi', offset: 0n, size: () => ACLINT_SWI_SIZE }],
    inlineRegisters: false,
    actions: false,
    irqOutputs: [],
  },
  {
    name: 'aclint-mtimer',
    doc: 'RISC-V ACLINT MTIMER (QEMU riscv.aclint.mtimer): mtimecmp per hart at +0, mtime at +0x7ff8 (MTIP while mtime >= mtimecmp). QEMU virt maps it at 0x200_4000.',
    params: [HARTS, TIMEBASE],
    windows: [{ name: 'riscv.aclint.mtimer', offset: 0n, size: () => ACLINT_MTIMER_SIZE }],
    inlineRegisters: false,
    actions: false,
    irqOutputs: [],
  },
  {
    name: 'plic',
    doc: 'Platform-level interrupt controller (SiFive layout): priorities at +0, pending at +0x1000, enables at +0x2000, per-context threshold/claim at +0x200000.',
    params: [
      {
        name: 'sources',
        type: 'int',
        doc: 'Number of interrupt sources (source 0 is reserved).',
        defaultValue: 53n,
        // the PLIC's 1024 interrupt ids, 0 included
        min: 1n,
        max: 1024n,
      },
      {
        name: 'contexts',
        type: 'int',
        doc: 'Number of hart contexts (one M-mode context per hart).',
        defaultValue: 1n,
        // the PLIC's 15872 contexts
        min: 1n,
        max: 15872n,
      },
      {
        name: 'window-size',
        type: 'int',
        doc: "Size of the register window (QEMU virt: 0x60_0000, sized for 512 harts' contexts).",
        defaultValue: 0x4000000n,
        min: 1n,
        max: 1n << 32n,
      },
    ],
    windows: [
      { name: 'riscv.sifive.plic', offset: 0n, size: (p) => p.get('window-size') ?? 0x4000000n },
    ],
    inlineRegisters: false,
    actions: false,
    irqInputs: (p) => p.get('sources') ?? 53n,
    irqOutputs: [],
  },
  {
    name: 'sifive_test',
    doc: 'SiFive test finisher: write 0x5555 to pass, (code << 16) | 0x3333 to fail, 0x7777 to reset.',
    params: [],
    windows: [{ name: 'riscv.sifive.test', offset: 0n, size: () => 0x1000n }],
    inlineRegisters: false,
    actions: false,
    irqOutputs: [],
  },
  {
    name: 'htif',
    doc: "Host-target interface: tohost/fromhost words, found from ELF symbols or given as addresses, in one window from the lower to the end of the higher (QEMU's htif_mm_init).",
    params: [
      {
        name: 'tohost',
        type: 'address-or-symbol',
        doc: 'Address or ELF symbol of tohost.',
        defaultValue: 'tohost',
      },
      {
        name: 'fromhost',
        type: 'address-or-symbol',
        doc: 'Address or ELF symbol of fromhost.',
        defaultValue: 'fromhost',
      },
      {
        name: 'base',
        type: 'int',
        doc: "Where HTIF goes when the program lacks tohost or fromhost: fromhost here, tohost 8 bytes above (QEMU's spike: 0x100_0000). Without it HTIF is then not mapped.",
      },
    ],
    windows: [{ name: 'riscv.htif.uart', offset: 0n, size: () => 16n }],
    inlineRegisters: false,
    actions: false,
    irqOutputs: [],
    symbolPlaced: true,
  },
  {
    name: 'virtio-mmio',
    doc: "virtio-mmio transport with no backend, as QEMU's virt has eight of: reads magic 0x74726976 ('virt'), version 1 (legacy), device id 0 (nothing plugged in), vendor 0x554d4551 ('QEMU'), every other register 0; writes ignored.",
    params: [{ name: 'irq', type: 'irq', doc: 'Interrupt output (never raised: no backend).' }],
    windows: [{ name: 'virtio-mmio', offset: 0n, size: () => 0x200n }],
    inlineRegisters: false,
    actions: false,
    irqOutputs: ['irq'],
  },
  {
    name: 'fw_cfg',
    doc: "QEMU firmware configuration device, memory-mapped as on virt (fw_cfg_init_mem_wide): data at +0 (1-8 byte reads of the selected item, in its byte order), selector at +8 (16-bit big-endian writes only), DMA at +0x10 ('QEMU CFG' signature; big-endian address writes start a transfer). Items: signature, id (traditional + DMA), UUID, nographic, CPU count, and the file directory of what virt publishes (bios-geometry, bootorder, etc/boot-fail-wait).",
    params: [
      {
        name: 'cpus',
        type: 'int',
        doc: 'CPU count reported in FW_CFG_NB_CPUS.',
        defaultValue: 1n,
      },
    ],
    windows: [
      { name: 'fwcfg.data', offset: 0n, size: () => 8n },
      { name: 'fwcfg.ctl', offset: 8n, size: () => 2n },
      { name: 'fwcfg.dma', offset: 0x10n, size: () => 8n },
    ],
    inlineRegisters: false,
    actions: false,
    irqOutputs: [],
  },
  {
    name: 'goldfish_rtc',
    doc: "Goldfish real-time clock (QEMU goldfish_rtc): 64-bit nanoseconds since 1970 read as TIME_LOW then TIME_HIGH, an alarm with an interrupt. Deterministic: the time starts at `epoch` and advances with the machine's instruction-count time base, never with the host's clock.",
    params: [
      {
        name: 'epoch',
        type: 'int',
        doc: 'Time at reset, in seconds since 1970-01-01T00:00:00Z (default 2000-01-01T00:00:00Z).',
        defaultValue: 946_684_800n,
      },
      { name: 'irq', type: 'irq', doc: 'Alarm interrupt output, wired to a controller input.' },
    ],
    windows: [{ name: 'goldfish_rtc', offset: 0n, size: () => 0x24n }],
    inlineRegisters: false,
    actions: false,
    irqOutputs: ['irq'],
  },
  {
    name: 'pcie-ecam',
    doc: "PCIe ECAM configuration space of QEMU's gpex host with an empty bus: the host bridge at 00:00.0 (vendor 0x1b36, device 0x0008, class 0x0600), every other function reads all ones. Sized by the declaration (256M for buses 0-255).",
    params: [],
    windows: [],
    defaultSize: 0x1000_0000n,
    inlineRegisters: false,
    actions: false,
    irqOutputs: [],
  },
  {
    name: 'unassigned-io',
    doc: "A window that reads all ones and ignores writes (QEMU's unassigned_io_ops), as the gpex PCI MMIO and I/O windows answer where no BAR is mapped. Sized by the declaration; regions declared in its body are placed inside it.",
    params: [],
    windows: [],
    defaultSize: 4n * K,
    inlineRegisters: false,
    actions: false,
    irqOutputs: [],
    containsRegions: true,
  },
  {
    name: 'regbank',
    doc: 'Generic register bank: the registers declared in its body, with their access rules and reset values.',
    params: [{ name: 'irq', type: 'irq', doc: 'Optional interrupt output.' }],
    windows: [],
    defaultSize: 4n * K,
    inlineRegisters: true,
    actions: false,
    irqOutputs: ['irq'],
  },
  {
    name: 'memctl',
    doc: 'Memory controller: registers declared in its body; on-write actions enable, disable or move regions and change alias offsets.',
    params: [],
    windows: [],
    defaultSize: 4n * K,
    inlineRegisters: true,
    actions: true,
    irqOutputs: [],
  },
];

export const CPU_MODELS: readonly CpuModel[] = [
  {
    name: 'rv32imac',
    doc: 'RISC-V RV32IMAC + Zicsr + Zifencei hart, machine mode.',
    params: [
      {
        name: 'space',
        type: 'space',
        doc: 'Address space the hart fetches, loads and stores through.',
        defaultValue: 'memory',
      },
      {
        name: 'reset',
        type: 'int',
        doc: 'Reset vector: pc after reset.',
        defaultValue: 0x1000n,
        min: 0n,
        max: U32_MAX,
      },
      {
        name: 'hartid',
        type: 'int',
        doc: 'Value of mhartid.',
        defaultValue: 0n,
        min: 0n,
        max: U32_MAX,
      },
      {
        name: 'boot',
        type: 'string',
        doc: 'Program (ELF or raw binary) loaded before reset, relative to the board file.',
      },
    ],
  },
];

const deviceByName = new Map(DEVICE_MODELS.map((m) => [m.name, m]));
const cpuByName = new Map(CPU_MODELS.map((m) => [m.name, m]));

export function findDeviceModel(name: string): DeviceModel | undefined {
  return deviceByName.get(name);
}

export function findCpuModel(name: string): CpuModel | undefined {
  return cpuByName.get(name);
}

/** Integer parameter values with the catalog defaults filled in. */
export function withDefaults(
  specs: readonly ParamSpec[],
  given: ReadonlyMap<string, bigint>,
): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const s of specs) {
    const v =
      given.get(s.name) ?? (typeof s.defaultValue === 'bigint' ? s.defaultValue : undefined);
    if (v !== undefined) out.set(s.name, v);
  }
  return out;
}

/** Total extent of a device's windows (or its declared/default size for inline-register models). */
export function deviceExtent(
  model: DeviceModel,
  params: ReadonlyMap<string, bigint>,
  declaredSize: bigint | undefined,
): bigint {
  if (model.windows.length === 0) return declaredSize ?? model.defaultSize ?? 0n;
  let end = 0n;
  for (const w of model.windows) {
    const e = w.offset + w.size(params);
    if (e > end) end = e;
  }
  return end;
}
