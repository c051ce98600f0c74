/**
 * The language features' host side without vscode: the shared language service over one
 * workspace board host (`BoardDocuments`), and that host's rules (`PreparedBoardHost`).
 */
export { BoardDocuments } from './boardDocuments';
export type { BoardDocument } from './boardDocuments';
export { PreparedBoardHost, RESTRICTED_MODE_REFUSAL } from './preparedHost';
export type { WorkspaceAccess } from './preparedHost';
