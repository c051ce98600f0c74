/**
 * Flattened device trees: a DTB writer and the tree QEMU 7.2's `virt` passes to firmware in a1.
 * Pure TypeScript (no Node, no DOM).
 */
export { cells, empty, node, str, strs, toDtb, type FdtNode, type PropValue } from './blob';
export { FIXED_RNG_SEED, fdtAddress, virtDtb, virtTree, type VirtFdtParams } from './virt';
export { BOARDMAP_ISA, virtFdtParams } from './fromBoard';
