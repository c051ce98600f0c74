/**
 * A board program: the root file and every file it includes, parsed, with include cycles and
 * unreadable includes reported at the `include` statement. File access goes through the injected
 * `BoardHost` (this layer has no file system). One loader serves both kinds of host: it is a
 * generator that asks for each file it needs, driven synchronously (`loadProgram`, for the CLI
 * and the adapter) or asynchronously (`loadProgramAsync`, for the VS Code workspace, whose files
 * are read without blocking the extension host).
 */
import {
  createScanner,
  DiagnosticCode,
  DiagnosticSink,
  parseBoard,
  ScanError,
  Severity,
  TokenKind,
  type BoardDiagnostic,
  type IncludeDecl,
  type Item,
  type ParseResult,
} from '../syntax';

/** A file the host would not or could not read, and why (shown at the `include`). */
export interface BoardReadRefusal {
  readonly error: string;
}

/** What a host answers for a file: its text, a refusal with the reason, or undefined (not found). */
export type BoardReadResult = string | BoardReadRefusal | undefined;

export interface BoardHost {
  /**
   * Text of the file at @uri; a `{ error }` refusal (not a regular file, too large, outside the
   * workspace in Restricted Mode …); or undefined when it does not exist or cannot be read.
   */
  readFile(uri: string): BoardReadResult;
  /** The uri an include @path written in the file @fromUri refers to. */
  resolveInclude(fromUri: string, path: string): string;
  /**
   * Changes whenever a file the host answered for may have changed (a cache of analyses keyed on
   * the document's text is stale once it moves). Absent: files never change under the host.
   */
  readonly generation?: number;
}

/** The same host, reading asynchronously. */
export interface AsyncBoardHost {
  readFile(uri: string): Promise<BoardReadResult>;
  resolveInclude(fromUri: string, path: string): string;
}

/** Included files larger than this are refused by the platform hosts (4 MiB). */
export const MAX_BOARD_FILE_BYTES = 4 * 1024 * 1024;

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

/** A read the loader needs: the resolved uri. The driver sends back the host's answer. */
type ReadRequest = string;

export function loadProgram(uri: string, text: string, host: BoardHost = NO_FILES): Program {
  const steps = programLoader(uri, text, host.resolveInclude.bind(host));
  let next = steps.next();
  while (!next.done) {
    let answer: BoardReadResult;
    try {
      answer = host.readFile(next.value);
    } catch (e) {
      answer = { error: (e as Error).message };
    }
    next = steps.next(answer);
  }
  return next.value;
}

export async function loadProgramAsync(
  uri: string,
  text: string,
  host: AsyncBoardHost,
): Promise<Program> {
  const steps = programLoader(uri, text, host.resolveInclude.bind(host));
  let next = steps.next();
  while (!next.done) {
    let answer: BoardReadResult;
    try {
      answer = await host.readFile(next.value);
    } catch (e) {
      answer = { error: (e as Error).message };
    }
    next = steps.next(answer);
  }
  return next.value;
}

/**
 * True when @text does not look like a board file at all: a syntax error already at its first
 * token. Such a file (an include of `/etc/passwd`, a binary) gets one diagnostic at the `include`
 * and none of its own, so no diagnostic quotes its contents. A file that starts like a board is
 * the user's own board file; its syntax errors are reported as usual.
 */
function notABoardFile(text: string, parse: ParseResult): boolean {
  const first = parse.diagnostics.find((d) => d.severity === Severity.Error);
  if (!first) return false;
  const scanner = createScanner(text);
  for (;;) {
    const kind = scanner.scan();
    if (
      kind === TokenKind.Whitespace ||
      kind === TokenKind.LineComment ||
      (kind === TokenKind.BlockComment && scanner.getTokenError() === ScanError.None)
    )
      continue;
    return kind !== TokenKind.EOF && first.offset < scanner.getTokenEnd();
  }
}

function* programLoader(
  uri: string,
  text: string,
  resolveInclude: (fromUri: string, path: string) => string,
): Generator<ReadRequest, Program, BoardReadResult> {
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

  const open = (fileUri: string, fileText: string): SourceFile => ({
    uri: fileUri,
    text: fileText,
    parse: parseBoard(fileText),
  });
  const report = (file: SourceFile): void => {
    for (const d of file.parse.diagnostics) diagnostics.push({ ...d, uri: file.uri });
  };

  // Depth-first over includes with an explicit stack (no recursion: includes nest at most
  // MAX_INCLUDE_DEPTH deep, but the loader must not depend on that for its own stack).
  interface Frame {
    readonly file: SourceFile;
    readonly chain: readonly string[];
    index: number;
  }
  const root = open(uri, text);
  files.set(uri, root);
  report(root);
  const stack: Frame[] = [{ file: root, chain: [uri], index: 0 }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const fileItems = frame.file.parse.file.items;
    if (frame.index >= fileItems.length) {
      stack.pop();
      continue;
    }
    const item = fileItems[frame.index++]!;
    const file = frame.file;
    if (item.type !== 'include') {
      items.push({ item, file });
      continue;
    }
    if (!item.path || item.path.text === '') continue;
    const target = resolveInclude(file.uri, item.path.text);
    includeTargets.set(item, target);
    const at = item.path;
    const chain = frame.chain;
    if (chain.includes(target)) {
      const cycle = [...chain.slice(chain.indexOf(target)), target].map(baseName).join(' → ');
      sinkFor(file).report(
        DiagnosticCode.IncludeCycle,
        `Include cycle: ${cycle}`,
        at.offset,
        at.length,
      );
      continue;
    }
    if (files.has(target)) continue; // included before: each file once
    if (chain.length >= MAX_INCLUDE_DEPTH) {
      sinkFor(file).report(
        DiagnosticCode.IncludeCycle,
        'Includes nested too deeply',
        at.offset,
        at.length,
      );
      continue;
    }
    const answer: BoardReadResult = yield target;
    if (answer === undefined || typeof answer !== 'string') {
      sinkFor(file).report(
        DiagnosticCode.IncludeNotFound,
        `Cannot read included file '${item.path.text}'${answer ? `: ${answer.error}` : ''}`,
        at.offset,
        at.length,
      );
      continue;
    }
    const child = open(target, answer);
    if (notABoardFile(answer, child.parse)) {
      // Keep it out of the program: its text is not a board, and is nobody's business here.
      sinkFor(file).report(
        DiagnosticCode.IncludeNotFound,
        `Included file '${item.path.text}' is not a board file (it does not start with a declaration)`,
        at.offset,
        at.length,
      );
      continue;
    }
    files.set(target, child);
    report(child);
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
    stack.push({ file: child, chain: [...chain, target], index: 0 });
  }

  for (const [fileUri, sink] of sinks) {
    for (const d of sink.items) diagnostics.push({ ...d, uri: fileUri });
  }
  return { root, files, items, diagnostics, includeTargets };
}

function baseName(uri: string): string {
  const i = Math.max(uri.lastIndexOf('/'), uri.lastIndexOf('\\'));
  return i >= 0 ? uri.slice(i + 1) : uri;
}
