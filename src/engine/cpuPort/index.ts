/**
 * The CPU-facing memory port: QEMU's AddressSpaceDispatch and softmmu TLB in one, with RAM
 * windows, watchpoints and code-write detection for the hart's fast paths.
 */
export { CpuMemoryPort } from './dispatch';
export type { CpuMemoryPortOptions, RamWindow, WatchHit, Watchpoint } from './dispatch';
