/**
 * `info mtree` as text: the QEMU 7.2 printer (`-f`, `-o`, `-D`, `-d`), the dump parser and the
 * importer that rebuilds a topology from a real QEMU's dumps.
 */
export { flatRangeLine, formatMtree, ownerText } from './mtree';
export type { MtreeOptions } from './mtree';
export { importMtreeDump, importedDeviceOps, MtreeImportError } from './mtreeDump';
export type { ImportedTopology, MtreeDumpInput, MtreeImportOptions } from './mtreeDump';
export { MtreeParseError, listTreeLines, parseFlatDump, parseTreeDump } from './mtreeParse';
export type { FlatBlock, FlatLine, TreeBlock, TreeLine } from './mtreeParse';
