/**
 * Engine objects → the view model the adapter, the views, the CLI and the benches share: a
 * MemorySystem captured as a `TopologySnapshot` (spaces, region tree, flat views, stable ids,
 * engine features), its diff, and "why this address?" answered against the engine.
 */
export { captureTopology, resolveInCapture, TopologyTracker } from './topology';
export type { Disposable, SnapshotOptions, TopologyCapture } from './topology';
export { changedRegionIds } from './topologyDiff';
export { engineFeatures } from './topologyFeatures';
