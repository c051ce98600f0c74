/**
 * The DAP session itself: request plumbing, launch and the live machine built around it,
 * console and memory events, custom requests (topology, resolveAddress) and their events.
 */
export { BoardmapDebugSession, type SessionOptions } from './session';
export { LIVE_REFRESH_MS, MemoryEvents, WATCHED_REFERENCES } from './sessionEvents';
export { answerTopologyRequest, forwardTopologyChanges } from './topologyRequests';
