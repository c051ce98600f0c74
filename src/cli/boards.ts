/**
 * How `boardmap mtree <board>` finds a board: a path to a .board file, or a name one of the
 * registered resolvers knows (the machine layer registers its built-in boards here).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { findBuiltinBoard } from '../machine';
import { readText } from './io';

export interface BoardSource {
  /** Path or uri used in diagnostics and for resolving includes. */
  readonly uri: string;
  readonly text: string;
}

export type BoardResolver = (nameOrPath: string, cwd: string) => BoardSource | undefined;

const resolvers: BoardResolver[] = [
  (arg, cwd) => {
    const path = resolve(cwd, arg);
    return existsSync(path) ? { uri: path, text: readText(path) } : undefined;
  },
  // the machine's built-in boards (`virt`, `spike`), after files of the same name
  (arg) => {
    const builtin = findBuiltinBoard(arg);
    return builtin ? { uri: builtin.uri, text: builtin.text } : undefined;
  },
];

/** Adds a resolver tried after the file system (built-in boards). */
export function registerBoardResolver(r: BoardResolver): void {
  resolvers.push(r);
}

export function resolveBoard(nameOrPath: string, cwd: string): BoardSource | undefined {
  for (const r of resolvers) {
    const found = r(nameOrPath, cwd);
    if (found) return found;
  }
  return undefined;
}
