/**
 * The command ids the views and launch code register (kept in one list here because their modules
 * import vscode and cannot load in plain Node; contributions.test.ts checks the list against the
 * sources, so it cannot drift).
 */
export const VIEW_COMMANDS_LIST = [
  'boardmap.showFlatView',
  'boardmap.revealRegion',
  'boardmap.memoryTree.refresh',
  'boardmap.memoryTree.revealInSource',
  'boardmap.memoryTree.openInHexEditor',
  'boardmap.memoryTree.showInFlatView',
  'boardmap.memoryTree.copyRange',
  'boardmap.memoryTree.enableRegion',
  'boardmap.memoryTree.disableRegion',
  'boardmap.runBoard',
  'boardmap.debugBoard',
  'boardmap.walkthrough.openFile',
  'boardmap.machineStatusActions',
] as const;
