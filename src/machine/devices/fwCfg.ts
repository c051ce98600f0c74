/**
 * QEMU's firmware configuration device (hw/nvram/fw_cfg.c, QEMU 7.2), memory-mapped as `virt`
 * maps it (fw_cfg_init_mem_wide: data width 8, DMA on): three windows
 *
 * - `fwcfg.data` (+0, 8 bytes): a read of 1-8 bytes returns the next bytes of the selected item
 *   in item order (QEMU composes them big-endian in a big-endian region, so a little-endian load
 *   sees them in memory order; zeros past the end). Only offset 0 is accepted
 *   (fw_cfg_data_mem_accepts); writes are accepted and ignored (write support is gone).
 * - `fwcfg.ctl` (+8, 2 bytes): the selector; only 16-bit writes are accepted (a big-endian key;
 *   reads and other sizes fault). Key & 0x3fff picks the item, 0x8000 the arch-local table.
 * - `fwcfg.dma` (+0x10, 8 bytes): reads give the signature "QEMU CFG"; a big-endian address
 *   written as the high word at +0 and the low word at +4 (or 8 bytes at +0) runs a DMA
 *   transfer of the FWCfgDmaAccess there: { be32 control, be32 length, be64 address }, with
 *   control bits ERROR 1, READ 2, SKIP 4, SELECT 8 (key in bits 31..16), WRITE 0x10. Reads copy
 *   the item (zeros past its end) into guest memory, writes fail (no item is writable), and
 *   the control word is written back (0, or ERROR).
 *
 * Items, as `qemu-system-riscv32 -M virt -nographic` publishes them (virt-probe): signature
 * "QEMU", id 3 (traditional + DMA), UUID (16 zero bytes), nographic 1, CPU count, and the file
 * directory (be32 count, then { be32 size, be16 select, be16 reserved, name[56] }):
 * bios-geometry (empty, 0x20), bootorder (empty, 0x21), etc/boot-fail-wait (4 bytes
 * 0xffffffff, 0x22).
 */
import { createIo, type MemorySystem, type MemoryRegion, type QomObject } from '../../engine';
import { windowOps } from './mmio';
import type { DeviceEnv, MachineDevice } from './types';

export const FW_CFG_SIGNATURE = 0x00;
export const FW_CFG_ID = 0x01;
export const FW_CFG_UUID = 0x02;
export const FW_CFG_NOGRAPHIC = 0x04;
export const FW_CFG_NB_CPUS = 0x05;
export const FW_CFG_FILE_DIR = 0x19;
const FW_CFG_FILE_FIRST = 0x20;
const FW_CFG_ARCH_LOCAL = 0x8000;
const FW_CFG_ENTRY_MASK = 0x3fff;
/** FW_CFG_FILE_FIRST + FW_CFG_FILE_SLOTS_DFLT: keys at or above it select nothing. */
const FW_CFG_MAX_ENTRY = FW_CFG_FILE_FIRST + 0x20;
const FW_CFG_INVALID = -1;
const ID_TRADITIONAL = 1;
const ID_DMA = 2;

const DMA_CTL_ERROR = 0x01;
const DMA_CTL_READ = 0x02;
const DMA_CTL_SKIP = 0x04;
const DMA_CTL_SELECT = 0x08;
const DMA_CTL_WRITE = 0x10;
const DMA_SIGNATURE = [0x51, 0x45, 0x4d, 0x55, 0x20, 0x43, 0x46, 0x47]; // "QEMU CFG"

const FILE_NAME_SIZE = 56;
const ZEROS = new Uint8Array(0x1_0000);
/**
 * Most zero bytes one transfer writes past its item's end before it stops with ERROR. QEMU
 * writes them all (up to 4 GiB, through any device in the way: 1 GiB of the all-ones PCI window
 * takes minutes here); a bound keeps one guest store from blocking the host. Items are far
 * smaller, so real reads never reach it.
 */
const MAX_ZERO_FILL = 0x4_0000;

export interface FwCfgFile {
  readonly name: string;
  readonly data: Uint8Array;
}

const le = (value: number, bytes: number): Uint8Array =>
  Uint8Array.from({ length: bytes }, (_, i) => (value >>> (8 * i)) & 0xff);

/** The files `virt` publishes (fw_cfg_common_init, fw_cfg_machine_reset), in directory order. */
export const VIRT_FW_CFG_FILES: readonly FwCfgFile[] = [
  { name: 'bios-geometry', data: new Uint8Array(0) },
  { name: 'bootorder', data: new Uint8Array(0) },
  { name: 'etc/boot-fail-wait', data: le(0xffff_ffff, 4) }, // reboot-timeout -1
];

function fileDirectory(files: readonly FwCfgFile[]): Uint8Array {
  const dir = new Uint8Array(4 + files.length * 64);
  const view = new DataView(dir.buffer);
  view.setUint32(0, files.length, false);
  files.forEach((f, i) => {
    const at = 4 + i * 64;
    view.setUint32(at, f.data.length, false);
    view.setUint16(at + 4, FW_CFG_FILE_FIRST + i, false);
    for (let j = 0; j < f.name.length && j < FILE_NAME_SIZE - 1; j++)
      dir[at + 8 + j] = f.name.charCodeAt(j) & 0xff;
  });
  return dir;
}

export interface FwCfgOptions {
  readonly id: string;
  readonly cpus: number;
  readonly owner?: QomObject | null;
  readonly files?: readonly FwCfgFile[];
}

export class FwCfg implements MachineDevice {
  readonly model = 'fw_cfg';
  readonly id: string;
  readonly regions: readonly { region: MemoryRegion; offset: bigint }[];
  /** Items by key (the generic table; the arch-local one is empty on virt). */
  private readonly items = new Map<number, Uint8Array>();
  private current = FW_CFG_INVALID;
  private offset = 0;
  /** The DMA address being written: the high word (at +0), then the low word (at +4). */
  private dmaHigh = 0;
  private dmaAddress = 0;
  private readonly dataRegion: MemoryRegion;
  private readonly ctlRegion: MemoryRegion;

  constructor(
    system: MemorySystem,
    private readonly env: DeviceEnv,
    options: FwCfgOptions,
  ) {
    this.id = options.id;
    const files = options.files ?? VIRT_FW_CFG_FILES;
    this.items.set(FW_CFG_SIGNATURE, Uint8Array.from([0x51, 0x45, 0x4d, 0x55])); // "QEMU"
    this.items.set(FW_CFG_ID, le(ID_TRADITIONAL | ID_DMA, 4));
    this.items.set(FW_CFG_UUID, new Uint8Array(16));
    this.items.set(FW_CFG_NOGRAPHIC, le(1, 2));
    this.items.set(FW_CFG_NB_CPUS, le(options.cpus, 2));
    this.items.set(FW_CFG_FILE_DIR, fileDirectory(files));
    files.forEach((f, i) => this.items.set(FW_CFG_FILE_FIRST + i, f.data));
    const owner = { owner: options.owner ?? null };
    const data = windowOps(
      env,
      options.id,
      {
        read: (_o, size) => this.readData(size, true),
        write: () => undefined,
        peek: (_o, size) => this.readData(size, false),
        registerName: (o) => (o === 0 ? 'data' : undefined),
      },
      { min: 1, max: 8, implMax: 4, accepts: (offset) => offset === 0 },
    );
    const ctl = windowOps(
      env,
      options.id,
      {
        read: () => 0,
        write: (_o, value) => this.select(((value & 0xff) << 8) | ((value >>> 8) & 0xff)),
        peek: () => undefined,
        registerName: (o) => (o === 0 ? 'selector' : undefined),
      },
      { min: 1, max: 2, accepts: (_o, size, isWrite) => isWrite && size === 2 },
    );
    const dmaRead = (offset: number, size: number): number => {
      let v = 0;
      for (let i = 0; i < size && offset + i < 8; i++) v |= DMA_SIGNATURE[offset + i]! << (8 * i);
      return v >>> 0;
    };
    const dma = windowOps(
      env,
      options.id,
      {
        read: dmaRead,
        write: (offset, value) => this.writeDma(offset, value),
        peek: dmaRead,
        registerName: (o) =>
          o === 0 ? 'dma address high' : o === 4 ? 'dma address low' : undefined,
      },
      {
        min: 1,
        max: 8,
        implMax: 4,
        accepts: (offset, size, isWrite) =>
          !isWrite ||
          (size === 4 && (offset === 0 || offset === 4)) ||
          (size === 8 && offset === 0),
      },
    );
    this.dataRegion = createIo(system, 'fwcfg.data', 8, data, owner);
    this.ctlRegion = createIo(system, 'fwcfg.ctl', 2, ctl, owner);
    this.regions = [
      { region: this.dataRegion, offset: 0n },
      { region: this.ctlRegion, offset: 8n },
      { region: createIo(system, 'fwcfg.dma', 8, dma, owner), offset: 0x10n },
    ];
  }

  reset(): void {
    this.select(0); // fw_cfg_reset selects the signature
    this.dmaHigh = this.dmaAddress = 0;
  }

  registerName(region: MemoryRegion, offset: number): string | undefined {
    if (region === this.dataRegion) return offset === 0 ? 'data' : undefined;
    if (region === this.ctlRegion) return offset === 0 ? 'selector' : undefined;
    return offset === 0 ? 'dma address high' : offset === 4 ? 'dma address low' : undefined;
  }

  private item(): Uint8Array | undefined {
    if (this.current === FW_CFG_INVALID || (this.current & FW_CFG_ARCH_LOCAL) !== 0)
      return undefined;
    return this.items.get(this.current & FW_CFG_ENTRY_MASK);
  }

  private select(key: number): void {
    this.offset = 0;
    this.current = (key & FW_CFG_ENTRY_MASK) >= FW_CFG_MAX_ENTRY ? FW_CFG_INVALID : key;
  }

  /** The next `size` bytes of the item, first byte lowest (memory order on a little-endian CPU). */
  private readData(size: number, advance: boolean): number {
    const item = this.item();
    let v = 0;
    let at = this.offset;
    if (item) {
      for (let i = 0; i < size && at < item.length; i++) v |= item[at++]! << (8 * i);
    }
    if (advance) this.offset = at;
    return v >>> 0;
  }

  private writeDma(offset: number, value: number): void {
    // a big-endian region: the address word arrives byte-swapped
    const word =
      (((value & 0xff) << 24) |
        ((value & 0xff00) << 8) |
        ((value >>> 8) & 0xff00) |
        (value >>> 24)) >>>
      0;
    if (offset === 0) this.dmaHigh = word;
    else {
      this.dmaAddress = word;
      this.transfer();
    }
  }

  /** fw_cfg_dma_transfer. */
  private transfer(): void {
    const at = this.dmaAddress;
    const env = this.env;
    const status = new Uint8Array(4);
    const header = new Uint8Array(16);
    if (this.dmaHigh !== 0 || !env.dmaRead(at, header)) {
      if (this.dmaHigh === 0) {
        new DataView(status.buffer).setUint32(0, DMA_CTL_ERROR, false);
        env.dmaWrite(at, status);
      }
      return;
    }
    const view = new DataView(header.buffer);
    let control = view.getUint32(0, false);
    let length = view.getUint32(4, false);
    const addressHigh = view.getUint32(8, false);
    let address = view.getUint32(12, false);
    if (control & DMA_CTL_SELECT) this.select(control >>> 16);
    let read = false;
    let write = false;
    if (control & DMA_CTL_READ) read = true;
    else if (control & DMA_CTL_WRITE) write = true;
    else if (!(control & DMA_CTL_SKIP)) length = 0;
    control = 0;
    if (addressHigh !== 0 && (read || write) && length > 0) {
      control |= DMA_CTL_ERROR; // beyond the 32-bit address space
      length = 0;
    }
    const item = this.item();
    let zeroFilled = 0;
    while (length > 0 && !(control & DMA_CTL_ERROR)) {
      let len: number;
      if (!item || this.offset >= item.length) {
        // zeros past the item, in bounded pieces (a firmware may ask for up to 4 GiB)
        len = Math.min(length, ZEROS.length);
        if (read && zeroFilled >= MAX_ZERO_FILL) {
          control |= DMA_CTL_ERROR;
          break;
        }
        if (read && !env.dmaWrite(address, ZEROS.subarray(0, len))) control |= DMA_CTL_ERROR;
        zeroFilled += len;
        if (write) control |= DMA_CTL_ERROR;
      } else {
        len = Math.min(length, item.length - this.offset);
        if (read && !env.dmaWrite(address, item.subarray(this.offset, this.offset + len)))
          control |= DMA_CTL_ERROR;
        if (write) control |= DMA_CTL_ERROR; // no item is writable
        this.offset += len;
      }
      address = (address + len) >>> 0;
      length -= len;
    }
    new DataView(status.buffer).setUint32(0, control, false);
    env.dmaWrite(at, status);
  }
}
