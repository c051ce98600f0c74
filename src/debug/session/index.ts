/**
 * The DAP session itself: request plumbing, launch and the live machine built around it,
 * console and memory events, custom requests (topology, resolveAddress) and their events.
 */
export { BoardmapDebugSession, type SessionOptions } from './session';
export { startAdapterServer, newToken } from './server';
export type { AdapterServer, AdapterServerOptions } from './server';
export { FrameReader, MAX_FRAME_BYTES } from './framing';
export { checkArguments, REQUEST_SCHEMAS } from './schemas';
export { LIVE_REFRESH_MS, MemoryEvents, WATCHED_REFERENCES } from './sessionEvents';
export { answerTopologyRequest, forwardTopologyChanges } from './topologyRequests';
