/**
 * "Program from a sibling ELF if obvious": the firmware a board file most likely runs. Pure
 * (file listing injected) so it is tested in plain Node.
 */
export interface DirectoryLister {
  /** File names (not paths) in a directory; empty when it does not exist. */
  list(dir: string): readonly string[];
}

function join(dir: string, name: string): string {
  return dir.endsWith('/') || dir.endsWith('\\') ? `${dir}${name}` : `${dir}/${name}`;
}

function dirname(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i < 0 ? '.' : i === 0 ? path.slice(0, 1) : path.slice(0, i);
}

function basename(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.slice(i + 1);
}

/** Build folders searched for `<board name>.elf`, next to the board file. */
export const BUILD_FOLDERS = ['', 'build', 'firmware/build', 'out', 'bin'] as const;

/**
 * Returns the ELF for `boardPath`: `<name>.elf` in the board's folder or one of its usual build
 * folders; else the only `.elf` in the board's folder. Undefined when nothing is obvious.
 */
export function guessProgram(boardPath: string, files: DirectoryLister): string | undefined {
  const dir = dirname(boardPath);
  const stem = basename(boardPath).replace(/\.board$/i, '');
  for (const folder of BUILD_FOLDERS) {
    const where = folder ? join(dir, folder) : dir;
    if (files.list(where).includes(`${stem}.elf`)) return join(where, `${stem}.elf`);
  }
  const elves = files.list(dir).filter((f) => f.toLowerCase().endsWith('.elf'));
  return elves.length === 1 ? join(dir, elves[0]!) : undefined;
}

/** The board names the adapter builds in (no file needed). */
export const BUILT_IN_BOARDS = ['virt', 'spike'] as const;

export function isBuiltInBoard(board: string): boolean {
  return (BUILT_IN_BOARDS as readonly string[]).includes(board);
}
