/*
 * MemoryRegion: one class for every kind of region (QEMU include/exec/memory.h struct
 * MemoryRegion), with QEMU's fields and defaults, its hierarchy mutators and the checks that
 * turn API misuse into immediate errors. Regions belong to a MemorySystem, which batches their
 * changes into transactions and re-renders flat views (memorySystem.ts). Construction goes
 * through the factories in factories.ts.
 */
import type { MemorySystem } from './memorySystem';
import type { CoalescedMemoryRange, MemoryRegionIoeventfd, MemoryRegionOps } from './ops-types';
import type { RamBlock } from './ramBlock';
import {
  DIRTY_MEMORY_CODE,
  DIRTY_MEMORY_MIGRATION,
  DIRTY_MEMORY_VGA,
  SIZE_2_64,
  UINT64_MAX,
  toHwAddr,
  toRegionSize,
  type HwAddr,
  type Size128,
  type SizeLike,
} from './types';

/** Region kinds; one MemoryRegion class carries the kind as a discriminant. */
export type RegionKind =
  'container' | 'ram' | 'rom' | 'romDevice' | 'io' | 'alias' | 'ramDevice' | 'reservation';

/**
 * A QOM object as `info mtree -o` describes it: `dev` or `obj`, identified by id (devices
 * created with `-device …,id=`), else by canonical path, else by type name.
 */
export interface QomObject {
  readonly kind: 'dev' | 'obj';
  readonly id?: string;
  readonly path?: string;
  readonly typeName?: string;
}

/** QEMU's container for objects without a parent; the QOM parent of owner-less regions. */
export const MACHINE_UNATTACHED: QomObject = Object.freeze({
  kind: 'obj',
  path: '/machine/unattached',
});

/** Owner's callback after a resizeable RAM region changed size. */
export type RamResizedCallback = (region: MemoryRegion, newSize: bigint) => void;

const NO_ALIASES: readonly MemoryRegion[] = Object.freeze([]);
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * MemoryRegion: a node of the memory tree. Fields are public for reading (views, printers,
 * the access half); change them only through the methods, which keep the flat views and
 * listeners in step.
 */
export class MemoryRegion {
  /** The system whose transactions and flat views this region takes part in. */
  readonly system: MemorySystem;
  /** Kind discriminant (see RegionKind). */
  readonly kind: RegionKind;
  /** Debug name; not unique; may contain spaces and '@'. */
  readonly name: string;
  /** QOM owner (device or object), null for none. */
  owner: QomObject | null;
  /** QOM parent of the region object (info mtree -o `parent:`); defaults to owner or /machine/unattached. */
  qomParent: QomObject | null;
  /** Size in bytes, 0 … 2^64. */
  size: Size128;
  /** Offset inside the container (kept after removal). */
  addr: HwAddr = 0n;
  /** Parent region, null when not a subregion. */
  container: MemoryRegion | null = null;
  /** Signed 32-bit tie-breaker among siblings; highest wins. */
  priority = 0;
  /** Disabled regions and their subtree are invisible. */
  enabled = true;
  /** Children, highest priority first; among equal priorities the newest first. */
  readonly subregions: MemoryRegion[] = [];
  /** Alias target (alias regions only). */
  readonly alias: MemoryRegion | null;
  /** Offset into the alias target. */
  aliasOffset: HwAddr = 0n;
  /** The region itself provides content (false for pure containers and aliases). */
  readonly terminates: boolean;
  /** Backed by host RAM (RAM, ROM, RAM device; not ROM devices). */
  readonly ram: boolean;
  /** ROM device: RAM-backed reads in romd mode, callback writes. */
  readonly romDevice: boolean;
  /** ROM device reads go directly to RAM (true by default for every region, as in QEMU). */
  romdMode = true;
  /** Read-only (ROM); inherited by everything rendered through this region. */
  readonly = false;
  /** Non-volatile memory (printed `nv-`); inherited like readonly. */
  nonvolatile = false;
  /** RAM that must be accessed like MMIO. */
  readonly ramDevice: boolean;
  /** Access callbacks; every region starts with the unassigned ops. */
  ops: MemoryRegionOps;
  /** Free slot for the device model's state (QEMU's opaque). */
  opaque: unknown = null;
  /** Host storage of RAM-backed kinds, else null. */
  readonly ramBlock: RamBlock | null;
  /** Whether migration dirty tracking applies to the RAM block. */
  migratable = true;
  /** Own dirty log mask (bit DIRTY_MEMORY_VGA, via counted setLog). */
  dirtyLogMask = 0;
  /** Count of VGA logging users (the VGA bit is set while > 0). */
  vgaLoggingCount = 0;
  /** How many alias chains in containers point (transitively) at this region. */
  mappedViaAlias = 0;
  /**
   * Aliases whose target is this region (for finding where a change shows). Shared empty
   * array until the first alias appears: most regions are never aliased.
   */
  aliasedBy: readonly MemoryRegion[] = NO_ALIASES;
  /** ioeventfd registrations, sorted (maintained by the access half). */
  ioeventfds: MemoryRegionIoeventfd[] = [];
  /** Coalesced MMIO ranges (maintained by the access half). */
  coalesced: CoalescedMemoryRange[] = [];
  /** Flush coalesced MMIO before accessing this region. */
  flushCoalescedMmio = false;
  /** Owner callback after ramResize (resizeable RAM only). */
  resized: RamResizedCallback | null = null;

  /** Use the factories (createRam, createIo …); this constructor does no kind checking. */
  constructor(init: {
    system: MemorySystem;
    kind: RegionKind;
    name: string;
    owner?: QomObject | null;
    size: SizeLike;
    ops: MemoryRegionOps;
    terminates: boolean;
    ram?: boolean;
    romDevice?: boolean;
    ramDevice?: boolean;
    readonly?: boolean;
    alias?: MemoryRegion | null;
    ramBlock?: RamBlock | null;
  }) {
    this.system = init.system;
    this.kind = init.kind;
    this.name = init.name;
    this.owner = init.owner ?? null;
    this.qomParent = this.owner ?? MACHINE_UNATTACHED;
    this.size = toRegionSize(init.size, `size of region '${init.name}'`);
    this.ops = init.ops;
    this.terminates = init.terminates;
    this.ram = init.ram ?? false;
    this.romDevice = init.romDevice ?? false;
    this.ramDevice = init.ramDevice ?? false;
    this.readonly = init.readonly ?? false;
    this.alias = init.alias ?? null;
    this.ramBlock = init.ramBlock ?? null;
    if (this.alias) this.alias.aliasedBy = [...this.alias.aliasedBy, this];
  }

  /** memory_region_size: the size as a u64, UINT64_MAX for a 2^64 region. */
  get sizeU64(): bigint {
    return this.size === SIZE_2_64 ? UINT64_MAX : this.size;
  }

  /** memory_region_is_mapped: in a container, or reached through a mapped alias. */
  get isMapped(): boolean {
    return this.container !== null || this.mappedViaAlias > 0;
  }

  /** The final non-alias target (the region itself if not an alias). */
  get aliasTarget(): MemoryRegion {
    return this.alias ? this.alias.aliasTarget : this;
  }

  /**
   * memory_region_type: the `info mtree` label of the final alias target: ramd, romd (ROM
   * device in romd mode), rom, ram, else i/o (containers, MMIO, reservations, MMIO-mode ROMD).
   */
  typeLabel(): 'ramd' | 'romd' | 'rom' | 'ram' | 'i/o' {
    const mr = this.aliasTarget;
    if (mr.ramDevice) return 'ramd';
    if (mr.romDevice && mr.romdMode) return 'romd';
    if (mr.ram && mr.readonly) return 'rom';
    if (mr.ram) return 'ram';
    return 'i/o';
  }

  /**
   * memory_region_get_dirty_log_mask: own mask, plus MIGRATION under global dirty tracking
   * for migratable RAM, plus CODE under TCG for RAM-backed regions.
   */
  effectiveDirtyLogMask(): number {
    let mask = this.dirtyLogMask;
    if (this.ramBlock) {
      if (this.system.globalDirtyLogFlags !== 0 && this.migratable)
        mask |= 1 << DIRTY_MEMORY_MIGRATION;
      if (this.system.tcg) mask |= 1 << DIRTY_MEMORY_CODE;
    }
    return mask;
  }

  /** memory_region_add_subregion: maps @sub at @offset with priority 0 (overwriting its priority). */
  addSubregion(offset: SizeLike, sub: MemoryRegion): void {
    this.addSubregionCommon(offset, sub, 0);
  }

  /** memory_region_add_subregion_overlap: maps @sub at @offset with signed @priority. */
  addSubregionOverlap(offset: SizeLike, sub: MemoryRegion, priority: number): void {
    if (!Number.isInteger(priority) || priority < INT32_MIN || priority > INT32_MAX) {
      throw new RangeError(
        `priority of '${sub.name}' must be a signed 32-bit integer (got ${priority})`,
      );
    }
    this.addSubregionCommon(offset, sub, priority);
  }

  /**
   * Several memory_region_add_subregion_overlap calls in one go: the same result, checks and
   * errors as calling addSubregionOverlap for each entry in order (QEMU's order: priority, then
   * the most recently added first), in O((n + m) log m) for m entries under n children instead
   * of O(n) per call — a board builder adding 100,000 siblings of equal priority would otherwise
   * move the whole list for each. Entries before one that throws stay added, as they would.
   */
  addSubregionsOverlap(
    entries: readonly {
      readonly offset: SizeLike;
      readonly sub: MemoryRegion;
      readonly priority: number;
    }[],
  ): void {
    const sys = this.system;
    const added: { sub: MemoryRegion; priority: number; seq: number }[] = [];
    sys.begin();
    try {
      for (const { offset, sub, priority } of entries) {
        if (!Number.isInteger(priority) || priority < INT32_MIN || priority > INT32_MAX) {
          throw new RangeError(
            `priority of '${sub.name}' must be a signed 32-bit integer (got ${priority})`,
          );
        }
        const addr = toHwAddr(offset, `offset of '${sub.name}' in '${this.name}'`);
        this.checkCanAdopt(sub);
        if (sub.addr !== addr) sys.noteTopologyChange(sub, false);
        sub.container = this;
        for (let a = sub.alias; a; a = a.alias) a.mappedViaAlias++;
        sub.addr = addr;
        sub.priority = priority;
        added.push({ sub, priority, seq: added.length });
      }
    } finally {
      try {
        this.mergeSubregions(added);
        for (const { sub } of added) sys.noteTopologyChange(sub, this.enabled && sub.enabled);
      } finally {
        sys.commit();
      }
    }
  }

  /**
   * Puts @added (already adopted, in the order they were added) into the subregion list where
   * one insertion each would have: before the first child whose priority is <= theirs.
   */
  private mergeSubregions(
    added: readonly { sub: MemoryRegion; priority: number; seq: number }[],
  ): void {
    if (added.length === 0) return;
    // newest first among equal priorities, as repeated insertion leaves them
    const incoming = [...added].sort((a, b) => b.priority - a.priority || b.seq - a.seq);
    const old = this.subregions.slice();
    const list = this.subregions;
    list.length = 0;
    let i = 0;
    let j = 0;
    while (i < old.length || j < incoming.length) {
      // a new child goes before every old one of lower or equal priority
      if (j < incoming.length && (i >= old.length || old[i]!.priority <= incoming[j]!.priority))
        list.push(incoming[j++]!.sub);
      else list.push(old[i++]!);
    }
  }

  /** memory_region_del_subregion: unmaps @sub, which must be a child of this region. */
  removeSubregion(sub: MemoryRegion): void {
    if (sub.container !== this) {
      const where = sub.container ? `'${sub.container.name}'` : 'no container';
      throw new Error(
        `cannot remove '${sub.name}' from '${this.name}': it is a subregion of ${where}`,
      );
    }
    const sys = this.system;
    sys.begin();
    try {
      sys.noteTopologyChange(sub, this.enabled && sub.enabled);
      sub.container = null;
      for (let a = sub.alias; a; a = a.alias) a.mappedViaAlias--;
      this.subregions.splice(this.subregions.indexOf(sub), 1);
    } finally {
      sys.commit();
    }
  }

  /** memory_region_set_enabled: shows or hides the region and its subtree. */
  setEnabled(enabled: boolean): void {
    if (enabled === this.enabled) return;
    const sys = this.system;
    sys.begin();
    try {
      sys.noteTopologyChange(this);
      this.enabled = enabled;
    } finally {
      sys.commit();
    }
  }

  /**
   * memory_region_set_address: moves the region inside its container. A mapped region is
   * removed and re-added, so it becomes the newest among its equal-priority siblings.
   */
  setAddress(addr: SizeLike): void {
    const newAddr = toHwAddr(addr, `address of '${this.name}'`);
    if (newAddr === this.addr) return;
    const parent = this.container;
    const sys = this.system;
    sys.begin();
    try {
      if (parent) {
        parent.removeSubregion(this);
        parent.addSubregionCommon(newAddr, this, this.priority);
      } else {
        // Unmapped: only the field changes, but an address-space root's own addr shifts its
        // view, so the views that render it are refreshed (QEMU never reaches this case).
        sys.noteTopologyChange(this);
        this.addr = newAddr;
        sys.noteTopologyChange(this);
      }
    } finally {
      sys.commit();
    }
  }

  /** memory_region_set_alias_offset: moves an alias's window over its target. */
  setAliasOffset(offset: SizeLike): void {
    if (!this.alias) throw new Error(`setAliasOffset: '${this.name}' is not an alias`);
    const off = toHwAddr(offset, `alias offset of '${this.name}'`);
    if (off === this.aliasOffset) return;
    this.changeFlag(() => {
      this.aliasOffset = off;
    }, this.enabled);
  }

  /** memory_region_set_size: UINT64_MAX means 2^64. Always schedules a re-render on change. */
  setSize(size: SizeLike): void {
    const newSize = toRegionSize(size, `size of '${this.name}'`);
    if (newSize === this.size) return;
    const sys = this.system;
    sys.begin();
    try {
      sys.noteTopologyChange(this);
      this.size = newSize;
      sys.noteTopologyChange(this);
    } finally {
      sys.commit();
    }
  }

  /** memory_region_set_readonly. */
  setReadonly(readonly: boolean): void {
    if (readonly === this.readonly) return;
    this.changeFlag(() => {
      this.readonly = readonly;
    }, this.enabled);
  }

  /** memory_region_set_nonvolatile. */
  setNonvolatile(nonvolatile: boolean): void {
    if (nonvolatile === this.nonvolatile) return;
    this.changeFlag(() => {
      this.nonvolatile = nonvolatile;
    }, this.enabled);
  }

  /** memory_region_rom_device_set_romd: true = reads straight from RAM, false = via ops.read. */
  setRomdMode(romdMode: boolean): void {
    if (!this.romDevice) throw new Error(`setRomdMode: '${this.name}' is not a ROM device`);
    if (romdMode === this.romdMode) return;
    this.changeFlag(() => {
      this.romdMode = romdMode;
    }, this.enabled);
  }

  /**
   * memory_region_ram_resize: resizeable RAM only. The block's used length becomes @newSize
   * rounded up to the target page size (at most its max length); the region's size becomes
   * @newSize exactly; system ramResized hooks (dirty marking) and the owner's callback run.
   */
  ramResize(newSize: SizeLike): void {
    const block = this.ramBlock;
    if (!block || !block.resizeable)
      throw new Error(`ramResize: '${this.name}' is not resizeable RAM`);
    const size = toRegionSize(newSize, `new size of '${this.name}'`);
    const page = BigInt(this.system.targetPageSize);
    const aligned = ((size + page - 1n) / page) * page;
    if (aligned > BigInt(block.maxLength)) {
      throw new RangeError(
        `ramResize: '${this.name}' size 0x${size.toString(16)} exceeds max 0x${block.maxLength.toString(16)}`,
      );
    }
    const used = Number(aligned);
    if (used !== block.usedLength) {
      const oldLength = block.usedLength;
      block.resize(used);
      for (const hook of this.system.ramResizedHooks) hook(this, oldLength, used);
    }
    this.setSize(size);
    if (this.resized) this.resized(this, size);
  }

  /**
   * Shared body of flag setters: QEMU marks an update pending only when the region itself is
   * enabled; where it shows is recorded either way, for whichever commit re-renders next.
   */
  private changeFlag(apply: () => void, pending: boolean): void {
    const sys = this.system;
    sys.begin();
    try {
      sys.noteTopologyChange(this, pending);
      apply();
    } finally {
      sys.commit();
    }
  }

  /** @internal memory_region_add_subregion_common plus update_container_subregions. */
  addSubregionCommon(offset: SizeLike, sub: MemoryRegion, priority: number): void {
    const addr = toHwAddr(offset, `offset of '${sub.name}' in '${this.name}'`);
    this.checkCanAdopt(sub);
    const sys = this.system;
    sys.begin();
    try {
      // Where @sub shows before the move matters when it is itself an address-space root.
      if (sub.addr !== addr) sys.noteTopologyChange(sub, false);
      sub.container = this;
      for (let a = sub.alias; a; a = a.alias) a.mappedViaAlias++;
      sub.addr = addr;
      sub.priority = priority;
      // Insert before the first child whose priority is <= ours: equal priorities put the
      // newest first, which makes it win overlaps (QEMU's tie-break).
      const list = this.subregions;
      let i = 0;
      while (i < list.length && list[i]!.priority > priority) i++;
      list.splice(i, 0, sub);
      sys.noteTopologyChange(sub, this.enabled && sub.enabled);
    } finally {
      sys.commit();
    }
  }

  /** Throws unless @sub may become a child of this region (one parent, same system, no cycle). */
  private checkCanAdopt(sub: MemoryRegion): void {
    if (sub.system !== this.system) {
      throw new Error(
        `cannot add '${sub.name}' to '${this.name}': regions belong to different memory systems`,
      );
    }
    if (sub.container) {
      throw new Error(
        `cannot add '${sub.name}' to '${this.name}': it is already a subregion of '${sub.container.name}'`,
      );
    }
    if (sub === this) throw new Error(`cannot add '${sub.name}' to itself`);
    // Rendering @sub visits its children and alias targets; reaching this region again would
    // recurse forever (QEMU does not check; we refuse).
    const seen = new Set<MemoryRegion>();
    const stack: MemoryRegion[] = [sub];
    while (stack.length) {
      const mr = stack.pop()!;
      if (mr === this) {
        throw new Error(
          `cannot add '${sub.name}' to '${this.name}': '${this.name}' is reachable from '${sub.name}' (cycle)`,
        );
      }
      if (seen.has(mr)) continue;
      seen.add(mr);
      if (mr.alias) stack.push(mr.alias);
      for (const child of mr.subregions) stack.push(child);
    }
    // Also refuse when @sub would reach one of this region's ancestors (via an alias).
    for (let up = this.container; up; up = up.container) {
      if (seen.has(up)) {
        throw new Error(
          `cannot add '${sub.name}' to '${this.name}': ancestor '${up.name}' is reachable from '${sub.name}' (cycle)`,
        );
      }
    }
  }
}

/** The VGA client bit of a dirty log mask. */
export const DIRTY_LOG_VGA_BIT = 1 << DIRTY_MEMORY_VGA;
