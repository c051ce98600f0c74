/**
 * The board-map language in VS Code: every provider adapts one plain function of the board
 * language service (src/board). Nothing here runs code from a board file, so all of it works in
 * restricted mode (untrusted workspaces).
 */
import * as vscode from 'vscode';
import type { Position } from '../../board';
import type { BoardDocuments } from './model';
import { toCompletion, toDiagnostic, toRange, toSymbol } from './convert';

const SELECTOR: vscode.DocumentSelector = [{ language: 'boardmap' }];
const DEBOUNCE_MS = 200;

const pos = (p: vscode.Position): Position => ({ line: p.line, character: p.character });

export function registerBoardLanguage(
  context: vscode.ExtensionContext,
  documents: BoardDocuments,
): void {
  /** The service, once the document's includes are read (asynchronously). */
  const ready = (doc: vscode.TextDocument) => documents.ready(doc);
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
        const text = doc.getText();
        void ready(doc).then((service) => {
          if (doc.isClosed || doc.getText() !== text) return; // a newer edit will validate
          collection.set(doc.uri, service.diagnostics(key, text).map(toDiagnostic));
        });
      }, DEBOUNCE_MS),
    );
  };
  vscode.workspace.textDocuments.forEach(validate);

  context.subscriptions.push(
    collection,
    vscode.workspace.onDidOpenTextDocument(validate),
    vscode.workspace.onDidChangeTextDocument((e) => validate(e.document)),
    // includes outside the workspace become readable: check every open board again
    vscode.workspace.onDidGrantWorkspaceTrust(() =>
      vscode.workspace.textDocuments.forEach(validate),
    ),
    // an included file saved in another editor changes what its includers see
    vscode.workspace.onDidSaveTextDocument(() => vscode.workspace.textDocuments.forEach(validate)),
    vscode.workspace.onDidCloseTextDocument((doc) => collection.delete(doc.uri)),
    vscode.languages.registerHoverProvider(SELECTOR, {
      async provideHover(doc, position) {
        const service = await ready(doc);
        const h = service.hover(doc.uri.toString(), doc.getText(), pos(position));
        return h && new vscode.Hover(new vscode.MarkdownString(h.markdown), toRange(h.range));
      },
    }),
    vscode.languages.registerDocumentSymbolProvider(SELECTOR, {
      provideDocumentSymbols: async (doc) =>
        (await ready(doc)).documentSymbols(doc.uri.toString(), doc.getText()).map(toSymbol),
    }),
    vscode.languages.registerDefinitionProvider(SELECTOR, {
      provideDefinition: async (doc, position) =>
        (await ready(doc))
          .definition(doc.uri.toString(), doc.getText(), pos(position))
          .map((l) => new vscode.Location(vscode.Uri.parse(l.uri), toRange(l.range))),
    }),
    vscode.languages.registerReferenceProvider(SELECTOR, {
      provideReferences: async (doc, position, ctx) =>
        (await ready(doc))
          .references(doc.uri.toString(), doc.getText(), pos(position), ctx.includeDeclaration)
          .map((l) => new vscode.Location(vscode.Uri.parse(l.uri), toRange(l.range))),
    }),
    vscode.languages.registerRenameProvider(SELECTOR, {
      async provideRenameEdits(doc, position, newName) {
        const service = await ready(doc);
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
        provideCompletionItems: async (doc, position) =>
          (await ready(doc))
            .completion(doc.uri.toString(), doc.getText(), pos(position))
            .map(toCompletion),
      },
      ' ',
      '>',
      ':',
      '=',
    ),
    vscode.languages.registerFoldingRangeProvider(SELECTOR, {
      provideFoldingRanges: async (doc) =>
        (await ready(doc))
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
        documents.service
          .format(doc.uri.toString(), doc.getText())
          .map((e) => vscode.TextEdit.replace(toRange(e.range), e.newText)),
    }),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  );
}
