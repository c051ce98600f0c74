/**
 * The board-map language in VS Code: the language service's features registered as providers,
 * over the one shared service and workspace board host (`BoardDocuments`) the views use too.
 */
export { BoardDocuments, RESTRICTED_MODE_REFUSAL } from './model';
export type { BoardDocument } from './model';
export { registerBoardLanguage } from './providers';
export { resolveWorkspaceInclude, workspaceBoardDocuments } from './workspaceHost';
