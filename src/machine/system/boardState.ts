/**
 * Board-level state a machine restores or derives at reset and program load: the map's initial
 * region states (a memory controller may have changed them), QEMU's reset vector in a board's
 * reset ROM, and devices placed at the program's symbols (HTIF at `tohost`).
 */
import type { BuiltBoard, DeviceDescription } from '../../board';
import { writeRom, type AddressSpace, type MemoryRegion, type MemorySystem } from '../../engine';
import { RESET_ROMS, resetVectorBytes, type ResetRom } from '../boards';
import { addressParam, Htif, type MachineDevice } from '../devices';

export interface RegionState {
  readonly region: MemoryRegion;
  readonly enabled: boolean;
  /** Where it was mapped; undefined when it was in no container (HTIF before a program). */
  readonly address: bigint | undefined;
  readonly aliasOffset: bigint;
}

/** What can change at run time in every region the board built. */
export function snapshotRegions(board: BuiltBoard): RegionState[] {
  return [...board.ids.keys()].map((region) => ({
    region,
    enabled: region.enabled,
    address: region.container ? region.addr : undefined,
    aliasOffset: region.aliasOffset,
  }));
}

/** Puts every region back as snapshotted, in one transaction. */
export function restoreRegions(system: MemorySystem, states: readonly RegionState[]): void {
  system.begin();
  try {
    for (const s of states) {
      if (s.region.enabled !== s.enabled) s.region.setEnabled(s.enabled);
      // a region mapped later (HTIF at the program's tohost) keeps that placement
      if (s.address !== undefined && s.region.addr !== s.address && s.region.container)
        s.region.setAddress(s.address);
      if (s.region.alias && s.region.aliasOffset !== s.aliasOffset) {
        s.region.setAliasOffset(s.aliasOffset);
      }
    }
  } finally {
    system.commit();
  }
}

/** The reset ROM of a board (by `board` name) when its region is where the hook expects it. */
export function resetRomOf(
  space: AddressSpace,
  boardName: string | undefined,
): ResetRom | undefined {
  const rom = boardName ? RESET_ROMS.get(boardName) : undefined;
  if (!rom) return undefined;
  const range = space.flatView.lookup(rom.address);
  return range && range.mr.name === rom.region ? rom : undefined;
}

/**
 * Writes QEMU's reset vector into the reset ROM of boards that have one (by `board` name): it
 * jumps to the start of DRAM and passes `nextAddress` (the program's lowest load address, 0
 * without a program) in fw_dynamic_info, as `-bios none` does. Returns the ROM address
 * written, or undefined.
 */
export function writeResetRom(
  space: AddressSpace,
  boardName: string | undefined,
  nextAddress: number | undefined,
  fdtAddress?: number,
): number | undefined {
  const rom = resetRomOf(space, boardName);
  if (!rom) return undefined;
  writeRom(space, rom.address, resetVectorBytes(rom.start, nextAddress ?? 0, fdtAddress));
  return rom.address;
}

/**
 * Maps symbol-placed devices (HTIF without `@`) at the program's symbols, replacing an earlier
 * placement; a missing symbol leaves the device unmapped and adds a warning.
 */
export function placeSymbolDevices(
  board: BuiltBoard,
  devices: ReadonlyMap<string, MachineDevice>,
  symbol: (name: string) => number | undefined,
  placed: Map<string, MemoryRegion>,
  warnings: string[],
): void {
  for (const device of devices.values()) {
    if (!(device instanceof Htif)) continue;
    const description = board.devices.find((d) => d.description.id === device.id)?.description;
    if (!description || description.address !== undefined) continue;
    const parent = description.parentId ? board.regions.get(description.parentId) : undefined;
    if (!parent) continue;
    const to = resolveAddress(description, 'tohost', symbol);
    const from = resolveAddress(description, 'fromhost', symbol);
    const baseParam = description.intParams.get('base');
    const base = baseParam === undefined ? undefined : Number(baseParam);
    const old = placed.get(device.id);
    board.system.begin();
    try {
      if (old) parent.removeSubregion(old);
      placed.delete(device.id);
      const where = device.place(to, from, base);
      const missing = ['tohost', 'fromhost']
        .filter((_param, i) => (i === 0 ? to : from) === undefined)
        .map((param) => {
          const p = addressParam(description.params.get(param), param);
          return `'${'symbol' in p ? p.symbol : param}'`;
        });
      if (!where) {
        warnings.push(
          `${device.id}: the program has no ${missing.join(' or ')} symbol; HTIF is not mapped`,
        );
        continue;
      }
      if (missing.length > 0) {
        warnings.push(
          `${device.id}: the program has no ${missing.join(' or ')} symbol; HTIF is at ` +
            `0x${where.address.toString(16)} (fromhost) as on QEMU's spike`,
        );
      } else if (Number(where.region.size) > 0x1000) {
        warnings.push(
          `${device.id}: tohost and fromhost are ${Number(where.region.size) - 8} bytes apart; ` +
            `the HTIF window covers the memory between them, as QEMU maps it`,
        );
      }
      parent.addSubregionOverlap(BigInt(where.address) - absoluteAddress(parent), where.region, 1);
      placed.set(device.id, where.region);
    } finally {
      board.system.commit();
    }
  }
}

function resolveAddress(
  d: DeviceDescription,
  param: string,
  symbol: (name: string) => number | undefined,
): number | undefined {
  const p = addressParam(d.params.get(param), param);
  return 'address' in p ? Number(p.address) : symbol(p.symbol);
}

/** Where `region` starts in its address space: its offset plus its containers' offsets. */
function absoluteAddress(region: MemoryRegion): bigint {
  let at = 0n;
  for (let r: MemoryRegion | null = region; r; r = r.container) at += r.addr;
  return at;
}
