/**
 * Engine topology → board-map text, for `boardmap import-mtree` (a real QEMU's dumps as a board).
 */
export { sizeLiteral, topologyToBoard } from './fromTopology';
export type { FromTopologyOptions } from './fromTopology';
