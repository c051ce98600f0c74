/*
 * MemorySystem: everything QEMU keeps in memory.c globals, as one object — transaction depth
 * and pending flags, the address-space list, the global listener list, the cache of flat
 * views per flat root, and target facts (page size, endianness, TCG). Commits re-render the
 * views (incrementally where possible, see incremental.ts) and drive the listeners.
 */
import { AddressSpace, findInView } from './addressSpace';
import { FlatView } from './flatView';
import { PendingWindows } from './incremental';
import {
  insertByPriority,
  replayAdd,
  replayDel,
  updateTopology,
  type MemoryListener,
  type MemoryRegionSection,
} from './listener';
import type { MemoryRegion } from './region';
import { flatViewRoot } from './render';
import { renderSimplified } from './renderFast';
import { UINT64_MAX } from './types';

/** Options of a MemorySystem. */
export interface MemorySystemOptions {
  /** TARGET_PAGE_SIZE in bytes (4096; 1024 for Cortex-M targets). */
  readonly targetPageSize?: number;
  /** Target byte order, for DEVICE_NATIVE_ENDIAN. */
  readonly targetBigEndian?: boolean;
  /** Running under TCG (adds the CODE client to RAM log masks). Default true. */
  readonly tcg?: boolean;
}

/** Replays extra per-space state (ioeventfds) to a listener being (un)registered. */
export type ListenerReplayHook = (
  listener: MemoryListener,
  as: AddressSpace,
  adding: boolean,
) => void;

/** MemorySystem: create one per machine; no state is global. */
export class MemorySystem {
  /** TARGET_PAGE_SIZE. */
  readonly targetPageSize: number;
  /** Target byte order (true = big-endian). */
  readonly targetBigEndian: boolean;
  /** TCG mode: RAM log masks include DIRTY_MEMORY_CODE. */
  tcg: boolean;
  /** GLOBAL_DIRTY_* flags currently on (maintained by the dirty-logging half). */
  globalDirtyLogFlags = 0;
  /** Address spaces in creation order. */
  readonly addressSpaces: AddressSpace[] = [];
  /** All registered listeners, ascending priority. */
  readonly listeners: MemoryListener[] = [];
  /** Called after a resizeable RAM block changed its used length (dirty marking). */
  readonly ramResizedHooks: Array<
    (region: MemoryRegion, oldLength: number, newLength: number) => void
  > = [];
  /** Called for each address space at a topology commit, after its listeners saw the new view (ioeventfds). */
  readonly addressSpaceUpdateHooks: Array<(as: AddressSpace) => void> = [];
  /** Called when only an ioeventfd update is pending at commit. */
  readonly ioeventfdUpdateHooks: Array<(as: AddressSpace) => void> = [];
  /**
   * Called after a region's coalesced ranges were added or cleared (QEMU tells listeners at once,
   * with no commit): lets observers of the map (the views) hear of it.
   */
  readonly coalescedUpdateHooks: Array<(mr: MemoryRegion) => void> = [];
  /** Extra replay to (un)registered listeners, before their commit. */
  listenerReplayHook: ListenerReplayHook | null = null;
  /** Number of flat-view renders done (full or incremental), for tests and benchmarks. */
  renderCount = 0;

  private depth = 0;
  private topologyPending = false;
  private ioeventfdPending = false;
  private readonly views = new Map<MemoryRegion | null, FlatView>();
  private readonly listenerSpaces = new Map<MemoryListener, AddressSpace>();
  private readonly pending = new PendingWindows();

  constructor(options: MemorySystemOptions = {}) {
    const page = options.targetPageSize ?? 4096;
    if (!Number.isInteger(page) || page < 1 || (page & (page - 1)) !== 0) {
      throw new RangeError(`targetPageSize must be a power of two (got ${page})`);
    }
    this.targetPageSize = page;
    this.targetBigEndian = options.targetBigEndian ?? false;
    this.tcg = options.tcg ?? true;
  }

  /** Current transaction nesting depth (0 outside transactions). */
  get transactionDepth(): number {
    return this.depth;
  }

  /** memory_region_transaction_begin. */
  begin(): void {
    this.depth++;
  }

  /**
   * memory_region_transaction_commit: at the outermost commit, re-render if a topology update
   * is pending (listeners: begin, per space del/add/nop + ioeventfds, commit), else refresh
   * ioeventfds if only those are pending.
   */
  commit(): void {
    if (this.depth === 0) throw new Error('MemorySystem.commit without a matching begin');
    if (--this.depth !== 0) return;
    // A throwing listener or hook must not leave views half installed: every step runs, the
    // first error is rethrown at the end.
    let failure: { error: unknown } | null = null;
    const guard = (step: () => void): void => {
      try {
        step();
      } catch (error) {
        failure ??= { error };
      }
    };
    if (this.topologyPending) {
      this.topologyPending = false;
      this.ioeventfdPending = false;
      this.resetViews();
      for (const l of this.listeners) guard(() => l.begin?.());
      for (const as of this.addressSpaces) {
        guard(() => this.installView(as));
        for (const hook of this.addressSpaceUpdateHooks) guard(() => hook(as));
      }
      for (const l of this.listeners) guard(() => l.commit?.());
    } else if (this.ioeventfdPending) {
      this.ioeventfdPending = false;
      for (const as of this.addressSpaces) {
        for (const hook of this.ioeventfdUpdateHooks) guard(() => hook(as));
      }
    }
    if (failure) throw (failure as { error: unknown }).error;
  }

  /**
   * Runs @fn inside begin/commit; the commit happens even if @fn throws (the error is
   * rethrown), so the depth stays balanced.
   */
  transaction<T>(fn: () => T): T {
    this.begin();
    try {
      return fn();
    } finally {
      this.commit();
    }
  }

  /**
   * @internal Records that @region changed (call before and, for moves and resizes, after the
   * change): where it shows is remembered so that the next re-render can be limited to those
   * windows. @markPending follows QEMU's rule for whether this change schedules a re-render
   * at the outermost commit (changes QEMU does not flag are still recorded, because they
   * become visible at whichever commit re-renders next).
   */
  noteTopologyChange(region: MemoryRegion, markPending = true): void {
    // Deliberate deviation: when the changed region is itself the flat root of a view (an
    // address-space root moved into a disabled container, say), QEMU leaves that view stale
    // until some later update; we refresh it at this commit.
    if (markPending || this.views.has(region)) this.topologyPending = true;
    this.pending.note(region, this.views);
  }

  /** Marks a full re-render pending (e.g. global dirty tracking changed every log mask). */
  markFullUpdate(): void {
    this.topologyPending = true;
    this.pending.markAllDirty();
  }

  /** Marks an ioeventfd recomputation pending (memory_region_add/del_eventfd). */
  markIoeventfdsPending(): void {
    this.ioeventfdPending = true;
  }

  /** address_space_init: a new address space over @root, appended to the list; its view is ready at once. */
  createAddressSpace(root: MemoryRegion | null, name?: string | null): AddressSpace {
    if (root && root.system !== this)
      throw new Error(`address space root '${root.name}' belongs to another memory system`);
    const flatRoot = flatViewRoot(root);
    let view = this.views.get(flatRoot);
    if (!view) {
      view = this.renderFull(flatRoot);
      this.views.set(flatRoot, view);
    }
    const as = new AddressSpace(this, root, name ?? 'anonymous', view);
    this.addressSpaces.push(as);
    return as;
  }

  /** address_space_destroy: removes @as (its listeners must be unregistered first). */
  destroyAddressSpace(as: AddressSpace): void {
    const i = this.addressSpaces.indexOf(as);
    if (i < 0) throw new Error(`address space '${as.name}' is not part of this memory system`);
    if (as.listeners.length) throw new Error(`address space '${as.name}' still has listeners`);
    this.addressSpaces.splice(i, 1);
  }

  /** memory_listener_register: attaches @listener to @as and replays the current view to it. */
  registerListener(listener: MemoryListener, as: AddressSpace): void {
    if (this.listenerSpaces.has(listener))
      throw new Error(`listener '${listener.name ?? '?'}' is already registered`);
    if (as.system !== this || !this.addressSpaces.includes(as)) {
      throw new Error(`address space '${as.name}' is not part of this memory system`);
    }
    this.listenerSpaces.set(listener, as);
    insertByPriority(this.listeners, listener);
    insertByPriority(as.listeners, listener);
    replayAdd(listener, as, this.globalDirtyLogFlags !== 0, this.listenerReplayHook);
  }

  /** memory_listener_unregister: replays deletions to @listener and detaches it. */
  unregisterListener(listener: MemoryListener): void {
    const as = this.listenerSpaces.get(listener);
    if (!as) throw new Error(`listener '${listener.name ?? '?'}' is not registered`);
    replayDel(listener, as, this.listenerReplayHook);
    this.listeners.splice(this.listeners.indexOf(listener), 1);
    as.listeners.splice(as.listeners.indexOf(listener), 1);
    this.listenerSpaces.delete(listener);
  }

  /** The address space a registered listener follows. */
  listenerAddressSpace(listener: MemoryListener): AddressSpace | null {
    return this.listenerSpaces.get(listener) ?? null;
  }

  /**
   * memory_region_find: translates (@region, @addr) to an absolute address through the
   * container chain, finds the address space whose root is the top container and returns the
   * first flat range overlapping [addr, addr+size) cut to that window (null if none).
   */
  find(
    region: MemoryRegion,
    addr: bigint | number,
    size: bigint | number = 1n,
  ): MemoryRegionSection | null {
    let abs = BigInt(addr) + region.addr;
    let root = region;
    while (root.container) {
      root = root.container;
      abs += root.addr;
    }
    const as = this.addressSpaces.find((s) => s.root === root);
    if (!as) return null;
    return findInView(as.flatView, abs & UINT64_MAX, BigInt(size));
  }

  /** memory_region_present: something other than @container itself is mapped at @addr. */
  present(container: MemoryRegion, addr: bigint | number): boolean {
    const mr = this.find(container, addr, 1n)?.mr;
    return mr != null && mr !== container;
  }

  /** The cached view of a flat root, if any (for tests and printers). */
  viewOf(flatRoot: MemoryRegion | null): FlatView | undefined {
    return this.views.get(flatRoot);
  }

  /** Renders @flatRoot from scratch (generate_memory_topology without dispatch). */
  renderFull(flatRoot: MemoryRegion | null): FlatView {
    this.renderCount++;
    return new FlatView(flatRoot, renderSimplified(flatRoot));
  }

  /**
   * flatviews_reset: computes the view of every distinct flat root, re-rendering only the
   * recorded windows of roots that already had a view.
   */
  private resetViews(): void {
    const next = new Map<MemoryRegion | null, FlatView>();
    for (const as of this.addressSpaces) {
      const flatRoot = flatViewRoot(as.root);
      if (next.has(flatRoot)) continue;
      const old = this.views.get(flatRoot);
      next.set(flatRoot, old ? this.pending.update(old, this) : this.renderFull(flatRoot));
    }
    this.pending.clear();
    this.views.clear();
    for (const [k, v] of next) this.views.set(k, v);
  }

  /** address_space_set_flatview: installs the new view and diffs it for the space's listeners. */
  private installView(as: AddressSpace): void {
    const view = this.views.get(flatViewRoot(as.root))!;
    const old = as.view;
    as.view = view;
    if (as.listeners.length) updateTopology(as, old, view);
  }
}
