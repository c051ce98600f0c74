/**
 * How `boardmap mtree <board>` finds a board: a path to a .board file, or a name one of the
 * registered resolvers knows (the machine layer registers its built-in boards here).
 */
import { resolve } from 'node:path';
import { findBuiltinBoard } from '../machine';
import { readBoardFileSync } from '../host';

export interface BoardSource {
  /** Path or uri used in diagnostics and for resolving includes. */
  readonly uri: string;
  readonly text: string;
}

/** A board file that exists but cannot be used (not a regular file, too large, unreadable). */
export interface BoardRefusal {
  readonly uri: string;
  readonly error: string;
}

export type BoardResolver = (
  nameOrPath: string,
  cwd: string,
) => BoardSource | BoardRefusal | undefined;

const resolvers: BoardResolver[] = [
  (arg, cwd) => {
    const path = resolve(cwd, arg);
    const text = readBoardFileSync(path);
    if (text === undefined) return undefined;
    return typeof text === 'string' ? { uri: path, text } : { uri: path, error: text.error };
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

export function resolveBoard(
  nameOrPath: string,
  cwd: string,
): BoardSource | BoardRefusal | undefined {
  for (const r of resolvers) {
    const found = r(nameOrPath, cwd);
    if (found) return found;
  }
  return undefined;
}
