/*
 * Factories for every region kind (QEMU memory_region_init*). Each returns a MemoryRegion with
 * QEMU's flags for that kind; mapping is separate (addSubregion / AddressSpace).
 */
import { unassignedMemOps } from './defaultOps';
import { compileOps, ramDeviceOps } from './ops';
import type { MemorySystem } from './memorySystem';
import type { MemoryRegionOps } from './ops-types';
import { RamBlock } from './ramBlock';
import { MemoryRegion, type QomObject, type RamResizedCallback } from './region';
import { toHwAddr, toRegionSize, type SizeLike } from './types';

/** Options shared by all factories. */
export interface RegionOptions {
  /** QOM owner (device or object) shown by `info mtree -o`. */
  readonly owner?: QomObject | null;
}

/** Options of RAM-backed factories. */
export interface RamRegionOptions extends RegionOptions {
  /** Store the block as lazily allocated pages even if small. */
  readonly sparse?: boolean;
}

function ramLength(name: string, size: SizeLike): number {
  const s = toRegionSize(size, `size of RAM region '${name}'`);
  if (s > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`RAM region '${name}': size 0x${s.toString(16)} exceeds 2^53 bytes`);
  }
  return Number(s);
}

/** Validates @ops now (access sizes, 64-bit callbacks) so misuse throws here, not at an access. */
function checkOps(name: string, ops: MemoryRegionOps): void {
  try {
    compileOps(ops);
  } catch (e) {
    throw new Error(`region '${name}': ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** memory_region_init: a pure container (no content of its own; holes fall through). */
export function createContainer(
  system: MemorySystem,
  name: string,
  size: SizeLike,
  options: RegionOptions = {},
): MemoryRegion {
  return new MemoryRegion({
    system,
    kind: 'container',
    name,
    size,
    owner: options.owner ?? null,
    ops: unassignedMemOps,
    terminates: false,
  });
}

/**
 * memory_region_init_io: an MMIO region served by @ops. With subregions it is a
 * "container with ops" whose own callbacks serve every uncovered address.
 */
export function createIo(
  system: MemorySystem,
  name: string,
  size: SizeLike,
  ops: MemoryRegionOps,
  options: RegionOptions = {},
): MemoryRegion {
  if (ops.impl?.unaligned && !ops.valid?.unaligned) {
    throw new Error(`MMIO region '${name}': ops.impl.unaligned requires ops.valid.unaligned`);
  }
  checkOps(name, ops);
  return new MemoryRegion({
    system,
    kind: 'io',
    name,
    size,
    owner: options.owner ?? null,
    ops,
    terminates: true,
  });
}

/**
 * memory_region_init_io with NULL ops: a reservation that claims its range (hiding
 * lower-priority regions) and rejects every access (0 + MEMTX_DECODE_ERROR).
 */
export function createReservation(
  system: MemorySystem,
  name: string,
  size: SizeLike,
  options: RegionOptions = {},
): MemoryRegion {
  return new MemoryRegion({
    system,
    kind: 'reservation',
    name,
    size,
    owner: options.owner ?? null,
    ops: unassignedMemOps,
    terminates: true,
  });
}

/** memory_region_init_ram: RAM backed by a RamBlock of @size bytes (zeroed). */
export function createRam(
  system: MemorySystem,
  name: string,
  size: SizeLike,
  options: RamRegionOptions = {},
): MemoryRegion {
  const block = new RamBlock(name, ramLength(name, size), { sparse: options.sparse ?? false });
  return hostRamRegion(system, 'ram', name, size, options, block);
}

/**
 * memory_region_init_resizeable_ram: RAM whose size may later change up to @maxSize through
 * ramResize; @resized is the owner's callback after a resize.
 */
export function createResizeableRam(
  system: MemorySystem,
  name: string,
  size: SizeLike,
  maxSize: SizeLike,
  options: RamRegionOptions & { readonly resized?: RamResizedCallback } = {},
): MemoryRegion {
  const length = ramLength(name, size);
  const max = ramLength(name, maxSize);
  if (max < length) throw new RangeError(`RAM region '${name}': max size is smaller than size`);
  // qemu_ram_alloc_internal page-aligns the block's used and max lengths (the region keeps the
  // unaligned size), so a resize to exactly an unaligned max size fits.
  const page = system.targetPageSize;
  const pageAlign = (n: number) => Math.ceil(n / page) * page;
  const block = new RamBlock(name, pageAlign(length), {
    maxLength: pageAlign(max),
    resizeable: true,
    sparse: options.sparse ?? false,
  });
  const mr = hostRamRegion(system, 'ram', name, size, options, block);
  mr.resized = options.resized ?? null;
  return mr;
}

/** memory_region_init_rom: RAM marked read-only. */
export function createRom(
  system: MemorySystem,
  name: string,
  size: SizeLike,
  options: RamRegionOptions = {},
): MemoryRegion {
  const block = new RamBlock(name, ramLength(name, size), { sparse: options.sparse ?? false });
  return hostRamRegion(system, 'rom', name, size, options, block);
}

/** The region shared by RAM, resizeable RAM and ROM: host RAM served directly, ROM read-only. */
function hostRamRegion(
  system: MemorySystem,
  kind: 'ram' | 'rom',
  name: string,
  size: SizeLike,
  options: RamRegionOptions,
  block: RamBlock,
): MemoryRegion {
  return new MemoryRegion({
    system,
    kind,
    name,
    size,
    owner: options.owner ?? null,
    ops: unassignedMemOps,
    terminates: true,
    ram: true,
    ...(kind === 'rom' ? { readonly: true } : {}),
    ramBlock: block,
  });
}

/**
 * memory_region_init_rom_device: reads come straight from the RAM block in romd mode (the
 * default), writes always go to @ops.write; setRomdMode(false) routes reads to @ops too.
 */
export function createRomDevice(
  system: MemorySystem,
  name: string,
  size: SizeLike,
  ops: MemoryRegionOps,
  options: RamRegionOptions = {},
): MemoryRegion {
  checkOps(name, ops);
  const block = new RamBlock(name, ramLength(name, size), { sparse: options.sparse ?? false });
  return new MemoryRegion({
    system,
    kind: 'romDevice',
    name,
    size,
    owner: options.owner ?? null,
    ops,
    terminates: true,
    romDevice: true,
    ramBlock: block,
  });
}

/**
 * memory_region_init_ram_device_ptr: RAM that must be accessed like MMIO (VFIO BAR style),
 * with @ops doing the loads and stores (the access half supplies ram-device ops).
 */
export function createRamDevice(
  system: MemorySystem,
  name: string,
  size: SizeLike,
  ops: MemoryRegionOps = ramDeviceOps,
  options: RamRegionOptions = {},
): MemoryRegion {
  checkOps(name, ops);
  const block = new RamBlock(name, ramLength(name, size), { sparse: options.sparse ?? false });
  return new MemoryRegion({
    system,
    kind: 'ramDevice',
    name,
    size,
    owner: options.owner ?? null,
    ops,
    terminates: true,
    ram: true,
    ramDevice: true,
    ramBlock: block,
  });
}

/**
 * memory_region_init_alias: a window of @size bytes onto @target starting at @offset. The
 * target's own placement is irrelevant; the alias may point at another alias.
 */
export function createAlias(
  system: MemorySystem,
  name: string,
  target: MemoryRegion,
  offset: SizeLike,
  size: SizeLike,
  options: RegionOptions = {},
): MemoryRegion {
  if (target.system !== system) {
    throw new Error(`alias '${name}': target '${target.name}' belongs to another memory system`);
  }
  const mr = new MemoryRegion({
    system,
    kind: 'alias',
    name,
    size,
    owner: options.owner ?? null,
    ops: unassignedMemOps,
    terminates: false,
    alias: target,
  });
  mr.aliasOffset = toHwAddr(offset, `offset of alias '${name}'`);
  return mr;
}
