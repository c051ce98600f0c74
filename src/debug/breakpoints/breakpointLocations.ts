/**
 * DAP `breakpointLocations`: the positions in a source range where a breakpoint can bind, so
 * VS Code shows candidates. A position is a statement start (an is_stmt row) of the DWARF line
 * table, the same rows setBreakpoints binds to (LineTable.addressesForLine).
 */
import { AdapterError, AdapterErrorCode } from '../errors';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { pathsMatch, type DebugInfo } from '../../machine';

type Body = NonNullable<DebugProtocol.BreakpointLocationsResponse['body']>;

function positiveInteger(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 1;
}

/** Throws an Error naming the bad argument; 1-based lines and columns, as the session sets them. */
function checkArguments(args: DebugProtocol.BreakpointLocationsArguments): void {
  if (typeof args !== 'object' || args === null)
    throw new AdapterError(
      AdapterErrorCode.BadArgument,
      'breakpointLocations: arguments must be an object',
    );
  if (typeof args.source?.path !== 'string')
    throw new AdapterError(
      AdapterErrorCode.BadArgument,
      'breakpointLocations: source.path must be a string',
    );
  if (!positiveInteger(args.line))
    throw new AdapterError(
      AdapterErrorCode.BadArgument,
      'breakpointLocations: line must be an integer ≥ 1',
    );
  for (const name of ['endLine', 'column', 'endColumn'] as const) {
    if (args[name] !== undefined && !positiveInteger(args[name]))
      throw new AdapterError(
        AdapterErrorCode.BadArgument,
        `breakpointLocations: ${name} must be an integer ≥ 1 when given`,
      );
  }
  if (args.endLine !== undefined && args.endLine < args.line)
    throw new AdapterError(
      AdapterErrorCode.BadArgument,
      `breakpointLocations: endLine ${args.endLine} is before line ${args.line}`,
    );
}

/**
 * The lines of `args.source.path` between `line` and `endLine` (default: `line`) that have a
 * statement, each once, in order. `column` limits the first line and `endColumn` the last one
 * (a row without a column, 0, counts as the whole line). Empty when there is no debug info or the
 * file has no rows in it.
 */
export function breakpointLocations(
  debugInfo: DebugInfo | undefined,
  args: DebugProtocol.BreakpointLocationsArguments,
): Body {
  checkArguments(args);
  if (!debugInfo) return { breakpoints: [] };
  const path = args.source.path!;
  const first = args.line;
  const last = args.endLine ?? first;
  const lines = debugInfo.lines;
  const found = new Set<number>();
  const matches = new Map<number, boolean>(); // per line program file index: does it name path?
  for (const s of lines.sequences) {
    matches.clear();
    for (const row of s.rows) {
      if (row.endSequence || !row.isStmt || row.line < first || row.line > last) continue;
      if (found.has(row.line)) continue;
      if (row.column !== 0) {
        if (args.column !== undefined && row.line === first && row.column < args.column) continue;
        if (args.endColumn !== undefined && row.line === last && row.column > args.endColumn)
          continue;
      }
      let named = matches.get(row.file);
      if (named === undefined) {
        named = pathsMatch(lines.pathOf(s.program, row.file), path);
        matches.set(row.file, named);
      }
      if (named) found.add(row.line);
    }
  }
  return { breakpoints: [...found].sort((a, b) => a - b).map((line) => ({ line })) };
}
