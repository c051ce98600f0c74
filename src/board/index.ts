/**
 * Public API of the board-map language, one folder per compiler stage: syntax (scan, parse,
 * format), check (includes, binding, model), build (engine objects), service (language
 * features) and import (topology → board text). Pure: no Node, no DOM, no vscode; file access
 * for includes goes through `BoardHost`.
 */
export * from './syntax';
export * from './check';
export * from './build';
export * from './service';
export * from './import';
