/**
 * DAP memory through the address space: memory references, readMemory/writeMemory (and the
 * extended read), `memory` events from dirty tracking, and Debug Console links to the hex editor.
 */
export { HexCommandError, hexCommand, hexLinkerFor, launchHexLink } from './hexLinks';
export type { HexLinker } from './hexLinks';
export { memoryReference, readMemory, readMemoryEx, writeMemory } from './memory';
export { MAX_WRITE_BASE64 } from './memory';
export type { MemoryWriter, SpaceLookup } from './memory';
export { DirtyTracker } from './memoryEvents';
export type { ChangedRange } from './memoryEvents';
