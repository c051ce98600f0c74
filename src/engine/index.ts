/**
 * Public API of the memory engine: QEMU's memory API in TypeScript, one folder per concept —
 * core (regions, address spaces, flat views, listeners, transactions), access (dispatch, debug
 * accesses, dirty logging, ioeventfd, coalesced MMIO, registers, masking), cpuPort (the CPU's
 * dispatch) and mtree (`info mtree` text in and out). Import from here outside the engine.
 */
export * from './core';
export * from './access';
export * from './cpuPort';
export * from './mtree';
