/**
 * The views' host side without vscode: a board file's snapshot, the Memory Tree's model, region
 * wording and hex-editor targets, and the webview HTML shell.
 */
export { analysisSnapshot, boardSnapshot } from './boardSnapshot';
export type { BoardSnapshotResult } from './boardSnapshot';
export { MemoryTreeModel } from './memoryTreeModel';
export type { KnownTopologyChanges, MemoryTreeElement } from './memoryTreeModel';
export { hexEditorTarget } from './regionTarget';
export { buildWebviewHtml } from './webviewHtml';
