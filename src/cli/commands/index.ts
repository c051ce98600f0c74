/**
 * The `boardmap` CLI's commands, one file each: check, mtree, run, fmt, import-mtree, demo, help, version.
 */
export { checkCommand } from './check';
export { demoCommand } from './demo';
export { fmtCommand } from './fmt';
export { helpCommand } from './help';
export { importMtreeCommand } from './importMtree';
export { mtreeCommand } from './mtree';
export { runCommand } from './run';
export { versionCommand } from './version';
