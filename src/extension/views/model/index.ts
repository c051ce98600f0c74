/**
 * The views' host side without vscode: a board file's snapshot, the Memory Tree's model, region
 * wording and hex-editor targets, and the webview HTML shell.
 */
export { boardSnapshot } from './boardSnapshot';
export { MemoryTreeModel } from './memoryTreeModel';
export type { KnownTopologyChanges, MemoryTreeElement } from './memoryTreeModel';
export { hexEditorTarget } from './regionTarget';
export { buildWebviewHtml } from './webviewHtml';
