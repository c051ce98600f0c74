/**
 * A board file's text -> the static `TopologySnapshot` the views show without a debug session:
 * load (with includes through the host), bind, build the engine objects with placeholder devices,
 * capture. No vscode here, so tests run it in plain Node. Errors in the board become a message
 * with a location, never an exception.
 */
import { bindProgram, buildBoard, loadProgram, type BoardHost, LineIndex } from '../../../board';
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

/** Builds the snapshot of the board in `text` (the file at `uri`). */
export function boardSnapshot(
  uri: string,
  text: string,
  version: number,
  host?: BoardHost,
): BoardSnapshotResult {
  const maps = new Map<string, LineIndex>();
  try {
    const program = loadProgram(uri, text, host);
    const model = bindProgram(program);
    const firstError = model.diagnostics.find((d) => d.severity === 1);
    if (firstError) {
      const fileUri = firstError.uri ?? uri;
      const file = program.files.get(fileUri) ?? { uri: fileUri, text };
      const where = location(maps, file, firstError.offset, firstError.length);
      const count = model.diagnostics.filter((d) => d.severity === 1).length;
      return {
        ok: false,
        message: `${count} error${count === 1 ? '' : 's'} in the board; first at line ${where.line + 1}: ${firstError.message}`,
        location: where,
      };
    }
    const built = buildBoard(model);
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
    // The builder throws BuildError for what the checker let through; anything else is a bug,
    // still shown as a message so the view keeps working.
    return {
      ok: false,
      message: `could not build the board: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
