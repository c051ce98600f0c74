/**
 * The extension's `BoardHost` rules without vscode (so tests run them in plain Node):
 *
 * - an open document's text wins over the file (unsaved edits count);
 * - in Restricted Mode (an untrusted workspace) only files inside the workspace folders are read;
 * - files are read asynchronously (`prepare`), never with a blocking read on the extension host's
 *   thread; the language service then finds the prepared answers through the synchronous
 *   `readFile` of the `BoardHost` interface.
 *
 * What "inside the workspace", "open document" and "read a file" mean is the `WorkspaceAccess`
 * given (src/extension/language/workspaceHost.ts is VS Code's).
 */
import { loadProgramAsync, type BoardHost, type BoardReadResult } from '../../../board';

export const RESTRICTED_MODE_REFUSAL =
  'Restricted Mode: only files inside the workspace folders are read (trust the workspace to include others)';

/** How the host sees the workspace. Uris are strings, as the board layer uses them. */
export interface WorkspaceAccess {
  readonly isTrusted: boolean;
  /** Text of an open document with this uri, if any. */
  openDocumentText(uri: string): string | undefined;
  /** True when @uri is inside one of the workspace folders (symlinks resolved on disk). */
  insideWorkspace(uri: string): Promise<boolean>;
  /** A regular file's text within the size cap, a refusal, or undefined when it does not exist. */
  readFile(uri: string): Promise<BoardReadResult>;
  resolveInclude(fromUri: string, path: string): string;
}

export class PreparedBoardHost implements BoardHost {
  private answers = new Map<string, BoardReadResult>();
  private version = 0;

  constructor(private readonly access: WorkspaceAccess) {}

  get generation(): number {
    return this.version;
  }

  resolveInclude(fromUri: string, path: string): string {
    return this.access.resolveInclude(fromUri, path);
  }

  /** The prepared answer (see `prepare`); a file no `prepare` reached is not read here. */
  readFile(uri: string): BoardReadResult {
    if (this.answers.has(uri)) return this.answers.get(uri);
    return { error: 'not read yet' };
  }

  /**
   * Reads, asynchronously, every file the board in @text (the document @uri) includes, directly
   * or not, so that the language service's synchronous reads find them. Bumps `generation` when
   * an answer changed since the previous call (the service then analyses again).
   */
  async prepare(uri: string, text: string): Promise<void> {
    const fresh = new Map<string, BoardReadResult>();
    await loadProgramAsync(uri, text, {
      resolveInclude: (from, path) => this.resolveInclude(from, path),
      readFile: async (target) => {
        const answer = await this.readDocument(target);
        fresh.set(target, answer);
        return answer;
      },
    });
    let changed = false;
    for (const [k, v] of fresh) {
      if (!this.answers.has(k) || !sameAnswer(this.answers.get(k), v)) changed = true;
      this.answers.set(k, v);
    }
    // forget files nobody included lately
    if (this.answers.size > 256) this.answers = fresh;
    if (changed) this.version++;
  }

  /** A board file read under the rules above (an include, or e.g. a launched board). */
  async readDocument(uri: string): Promise<BoardReadResult> {
    if (!this.access.isTrusted && !(await this.access.insideWorkspace(uri)))
      return { error: RESTRICTED_MODE_REFUSAL };
    const open = this.access.openDocumentText(uri);
    if (open !== undefined) return open;
    return this.access.readFile(uri);
  }
}

function sameAnswer(a: BoardReadResult, b: BoardReadResult): boolean {
  if (typeof a === 'string' || typeof b === 'string' || a === undefined || b === undefined)
    return a === b;
  return a.error === b.error;
}
