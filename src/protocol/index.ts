/**
 * Messages and custom DAP requests/events shared by the debug adapter, the extension host and the
 * webviews. Plain data only: no vscode, no Node, no DOM.
 */

/** Bumped whenever a message shape below changes incompatibly. */
export const PROTOCOL_VERSION = 1;

export * from './rpc';
export * from './rpcEndpoint';
export * from './topology';
export * from './hex';
export * from './topologyIndex';
export * from './resolveAddress';
export * from './flatView';
