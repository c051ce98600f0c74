/**
 * A board program: the root file and every file it includes, parsed, with include cycles and
 * unreadable includes reported at the `include` statement. File access goes through the injected
 * `BoardHost` (this layer has no file system).
 */
import {
  type IncludeDecl,
  type Item,
  DiagnosticCode,
  DiagnosticSink,
  Severity,
  type BoardDiagnostic,
  parseBoard,
  type ParseResult,
} from '../syntax';

export interface BoardHost {
  /** Text of the file at @uri, or undefined when it cannot be read. */
  readFile(uri: string): string | undefined;
  /** The uri an include @path written in the file @fromUri refers to. */
  resolveInclude(fromUri: string, path: string): string;
}

/** A host that knows no other files: every include is reported as not found. */
export const NO_FILES: BoardHost = {
  readFile: () => undefined,
  resolveInclude: (_from, path) => path,
};

export interface SourceFile {
  readonly uri: string;
  readonly text: string;
  readonly parse: ParseResult;
}

export interface ProgramItem {
  readonly item: Item;
  readonly file: SourceFile;
}

export interface Program {
  readonly root: SourceFile;
  readonly files: ReadonlyMap<string, SourceFile>;
  /** Top-level items of all files, includes expanded in place (each file once). */
  readonly items: readonly ProgramItem[];
  /** Parse and include diagnostics, each with its file's uri. */
  readonly diagnostics: readonly BoardDiagnostic[];
  /** The file each include statement resolved to (for go-to-definition). */
  readonly includeTargets: ReadonlyMap<IncludeDecl, string>;
}

const MAX_INCLUDE_DEPTH = 64;

export function loadProgram(uri: string, text: string, host: BoardHost = NO_FILES): Program {
  const files = new Map<string, SourceFile>();
  const items: ProgramItem[] = [];
  const diagnostics: BoardDiagnostic[] = [];
  const includeTargets = new Map<IncludeDecl, string>();
  const sinks = new Map<string, DiagnosticSink>();

  const sinkFor = (file: SourceFile): DiagnosticSink => {
    let s = sinks.get(file.uri);
    if (!s) sinks.set(file.uri, (s = new DiagnosticSink(file.text.length)));
    return s;
  };

  const open = (fileUri: string, fileText: string): SourceFile => {
    const file: SourceFile = { uri: fileUri, text: fileText, parse: parseBoard(fileText) };
    files.set(fileUri, file);
    for (const d of file.parse.diagnostics) diagnostics.push({ ...d, uri: fileUri });
    return file;
  };

  const visit = (file: SourceFile, stack: string[]): void => {
    for (const item of file.parse.file.items) {
      if (item.type !== 'include') {
        items.push({ item, file });
        continue;
      }
      if (!item.path || item.path.text === '') continue;
      const target = host.resolveInclude(file.uri, item.path.text);
      includeTargets.set(item, target);
      const at = item.path;
      if (stack.includes(target)) {
        const cycle = [...stack.slice(stack.indexOf(target)), target].map(baseName).join(' → ');
        sinkFor(file).report(
          DiagnosticCode.IncludeCycle,
          `Include cycle: ${cycle}`,
          at.offset,
          at.length,
        );
        continue;
      }
      if (files.has(target)) continue; // included before: each file once
      if (stack.length >= MAX_INCLUDE_DEPTH) {
        sinkFor(file).report(
          DiagnosticCode.IncludeCycle,
          'Includes nested too deeply',
          at.offset,
          at.length,
        );
        continue;
      }
      let text: string | undefined;
      try {
        text = host.readFile(target);
      } catch {
        text = undefined;
      }
      if (text === undefined) {
        sinkFor(file).report(
          DiagnosticCode.IncludeNotFound,
          `Cannot read included file '${item.path.text}'`,
          at.offset,
          at.length,
        );
        continue;
      }
      const child = open(target, text);
      const childErrors = child.parse.diagnostics.filter((d) => d.severity === Severity.Error);
      if (childErrors.length > 0) {
        sinkFor(file).report(
          DiagnosticCode.IncludeNotFound,
          `Included file '${item.path.text}' has ${childErrors.length} syntax error(s)`,
          at.offset,
          at.length,
          Severity.Warning,
        );
      }
      visit(child, [...stack, target]);
    }
  };

  const root = open(uri, text);
  visit(root, [uri]);
  for (const [fileUri, sink] of sinks) {
    for (const d of sink.items) diagnostics.push({ ...d, uri: fileUri });
  }
  return { root, files, items, diagnostics, includeTargets };
}

function baseName(uri: string): string {
  const i = Math.max(uri.lastIndexOf('/'), uri.lastIndexOf('\\'));
  return i >= 0 ? uri.slice(i + 1) : uri;
}
