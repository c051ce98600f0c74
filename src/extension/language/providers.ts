/**
 * The board-map language in VS Code: every provider adapts one plain function of the board
 * language service (src/board). Nothing here runs code from a board file, so all of it works in
 * restricted mode (untrusted workspaces).
 */
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { getBoardMapService, type BoardHost, type Position } from '../../board';
import { toCompletion, toDiagnostic, toRange, toSymbol } from './convert';

const SELECTOR: vscode.DocumentSelector = [{ language: 'boardmap' }];
const DEBOUNCE_MS = 200;

/** Includes: open editors first (unsaved text wins), then the file system when there is one. */
const host: BoardHost = {
  readFile(uri) {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
    if (open) return open.getText();
    const parsed = vscode.Uri.parse(uri);
    if (parsed.scheme !== 'file') return undefined;
    try {
      return readFileSync(parsed.fsPath, 'utf8');
    } catch {
      return undefined;
    }
  },
  resolveInclude(fromUri, path) {
    return vscode.Uri.joinPath(vscode.Uri.parse(fromUri), '..', path).toString();
  },
};

const pos = (p: vscode.Position): Position => ({ line: p.line, character: p.character });

export function registerBoardLanguage(context: vscode.ExtensionContext): void {
  const service = getBoardMapService(host);
  const collection = vscode.languages.createDiagnosticCollection('boardmap');
  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  const validate = (doc: vscode.TextDocument): void => {
    if (doc.languageId !== 'boardmap') return;
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        collection.set(doc.uri, service.diagnostics(key, doc.getText()).map(toDiagnostic));
      }, DEBOUNCE_MS),
    );
  };
  vscode.workspace.textDocuments.forEach(validate);

  context.subscriptions.push(
    collection,
    vscode.workspace.onDidOpenTextDocument(validate),
    vscode.workspace.onDidChangeTextDocument((e) => validate(e.document)),
    vscode.workspace.onDidCloseTextDocument((doc) => collection.delete(doc.uri)),
    vscode.languages.registerHoverProvider(SELECTOR, {
      provideHover(doc, position) {
        const h = service.hover(doc.uri.toString(), doc.getText(), pos(position));
        return h && new vscode.Hover(new vscode.MarkdownString(h.markdown), toRange(h.range));
      },
    }),
    vscode.languages.registerDocumentSymbolProvider(SELECTOR, {
      provideDocumentSymbols: (doc) =>
        service.documentSymbols(doc.uri.toString(), doc.getText()).map(toSymbol),
    }),
    vscode.languages.registerDefinitionProvider(SELECTOR, {
      provideDefinition: (doc, position) =>
        service
          .definition(doc.uri.toString(), doc.getText(), pos(position))
          .map((l) => new vscode.Location(vscode.Uri.parse(l.uri), toRange(l.range))),
    }),
    vscode.languages.registerReferenceProvider(SELECTOR, {
      provideReferences: (doc, position, ctx) =>
        service
          .references(doc.uri.toString(), doc.getText(), pos(position), ctx.includeDeclaration)
          .map((l) => new vscode.Location(vscode.Uri.parse(l.uri), toRange(l.range))),
    }),
    vscode.languages.registerRenameProvider(SELECTOR, {
      provideRenameEdits(doc, position, newName) {
        const result = service.rename(doc.uri.toString(), doc.getText(), pos(position), newName);
        if (typeof result === 'string') throw new Error(result);
        const edit = new vscode.WorkspaceEdit();
        for (const [uri, edits] of result) {
          for (const e of edits) edit.replace(vscode.Uri.parse(uri), toRange(e.range), e.newText);
        }
        return edit;
      },
    }),
    vscode.languages.registerCompletionItemProvider(
      SELECTOR,
      {
        provideCompletionItems: (doc, position) =>
          service.completion(doc.uri.toString(), doc.getText(), pos(position)).map(toCompletion),
      },
      ' ',
      '>',
      ':',
      '=',
    ),
    vscode.languages.registerFoldingRangeProvider(SELECTOR, {
      provideFoldingRanges: (doc) =>
        service
          .folding(doc.uri.toString(), doc.getText())
          .map(
            (f) =>
              new vscode.FoldingRange(
                f.startLine,
                f.endLine,
                f.kind === 'comment'
                  ? vscode.FoldingRangeKind.Comment
                  : vscode.FoldingRangeKind.Region,
              ),
          ),
    }),
    vscode.languages.registerDocumentFormattingEditProvider(SELECTOR, {
      provideDocumentFormattingEdits: (doc) =>
        service
          .format(doc.uri.toString(), doc.getText())
          .map((e) => vscode.TextEdit.replace(toRange(e.range), e.newText)),
    }),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  );
}
