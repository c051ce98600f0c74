/** POSIX-style path helpers for DWARF file names (no Node `path` in this layer). */

/** Splits and normalises: drops '.' and empty segments, folds 'x/..'; keeps leading '..'. */
export function normalizePath(path: string): string {
  const absolute = path.startsWith('/');
  const out: string[] = [];
  for (const segment of path.split(/[\\/]+/)) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (segment === '..' && absolute) continue;
    else out.push(segment);
  }
  const joined = out.join('/');
  return absolute ? `/${joined}` : joined || '.';
}

export function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path);
}

/** `path` resolved against `base` when relative, then normalised. */
export function resolvePath(base: string, path: string): string {
  return normalizePath(isAbsolutePath(path) ? path : `${base}/${path}`);
}

/**
 * Does the table's `recorded` path name the same file as `query`? Equal after normalisation,
 * or, when either is relative, the recorded path without its leading '..' segments is a
 * trailing run of whole segments of the query ("../src/hello.c" matches "/x/fw/src/hello.c").
 */
export function pathsMatch(recorded: string, query: string): boolean {
  const a = normalizePath(recorded.replace(/\\/g, '/'));
  const b = normalizePath(query.replace(/\\/g, '/'));
  if (a === b) return true;
  if (isAbsolutePath(a) && isAbsolutePath(b)) return false;
  const tail = (p: string) => p.split('/').filter((s) => s !== '' && s !== '..');
  const [shorter, longer] =
    tail(a).length <= tail(b).length ? [tail(a), tail(b)] : [tail(b), tail(a)];
  if (shorter.length === 0) return false;
  return shorter.every((segment, i) => longer[longer.length - shorter.length + i] === segment);
}
