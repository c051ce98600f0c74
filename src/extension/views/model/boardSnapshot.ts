/**
 * A board file's analysis -> the static `TopologySnapshot` the views show without a debug
 * session. The analysis is the language service's (one load, check and build per edit, shared
 * with diagnostics, hover and the outline); this only captures the engine objects it built. No
 * vscode here, so tests run it in plain Node. Errors in the board become a message with a
 * location, never an exception.
 */
import { analyze, LineIndex, type Analysis, type BoardHost } from '../../../board';
import { captureTopology } from '../../../snapshot';
import type { SourceLocation, TopologySnapshot } from '../../../protocol';

export type BoardSnapshotResult =
  | { readonly ok: true; readonly snapshot: TopologySnapshot }
  | { readonly ok: false; readonly message: string; readonly location?: SourceLocation };

function location(
  maps: Map<string, LineIndex>,
  file: { uri: string; text: string },
  offset: number,
  length: number,
): SourceLocation {
  let map = maps.get(file.uri);
  if (!map) maps.set(file.uri, (map = new LineIndex(file.text)));
  // The language service's line index, so views and diagnostics agree on CR-only line ends too.
  const start = map.positionAt(offset);
  const end = map.positionAt(offset + length);
  return {
    file: file.uri,
    line: start.line,
    column: start.character,
    endLine: end.line,
    endColumn: end.character,
  };
}

/** The snapshot of the board the language service analysed (its build, not a second one). */
export function analysisSnapshot(analysis: Analysis, version: number): BoardSnapshotResult {
  const { uri, text, model } = analysis;
  const maps = new Map<string, LineIndex>();
  try {
    const firstError = model.diagnostics.find((d) => d.severity === 1);
    if (firstError) {
      const fileUri = firstError.uri ?? uri;
      const file = model.program.files.get(fileUri) ?? { uri: fileUri, text };
      const where = location(maps, file, firstError.offset, firstError.length);
      const count = model.diagnostics.filter((d) => d.severity === 1).length;
      return {
        ok: false,
        message: `${count} error${count === 1 ? '' : 's'} in the board; first at line ${where.line + 1}: ${firstError.message}`,
        location: where,
      };
    }
    const built = analysis.built;
    if (!built) {
      // The engine refused what the checker let through.
      return { ok: false, message: `could not build the board: ${analysis.buildError}` };
    }
    const label = uri.split(/[\\/]/).pop() ?? uri;
    const capture = captureTopology(built.system, {
      version,
      source: { kind: 'board', label, uri },
      sourceOf: (mr) => {
        const id = built.ids.get(mr);
        const info = id === undefined ? undefined : model.regions.get(id);
        if (!info) return undefined;
        return location(maps, info.file, info.decl.name.offset, info.decl.name.length);
      },
    });
    return { ok: true, snapshot: capture.snapshot };
  } catch (error) {
    // A bug, still shown as a message so the view keeps working.
    return {
      ok: false,
      message: `could not build the board: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/** Analyses the board in `text` (the file at `uri`) and takes its snapshot. */
export function boardSnapshot(
  uri: string,
  text: string,
  version: number,
  host?: BoardHost,
): BoardSnapshotResult {
  let analysis: Analysis;
  try {
    analysis = analyze(uri, text, host);
  } catch (error) {
    return {
      ok: false,
      message: `could not build the board: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  return analysisSnapshot(analysis, version);
}
