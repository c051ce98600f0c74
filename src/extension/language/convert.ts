/** Plain service data ↔ vscode types. */
import * as vscode from 'vscode';
import type { CompletionItem, OutlineSymbol, Range, ServiceDiagnostic } from '../../board';

export function toRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

export function toDiagnostic(d: ServiceDiagnostic): vscode.Diagnostic {
  const severity =
    d.severity === 'error'
      ? vscode.DiagnosticSeverity.Error
      : d.severity === 'warning'
        ? vscode.DiagnosticSeverity.Warning
        : vscode.DiagnosticSeverity.Information;
  const diag = new vscode.Diagnostic(toRange(d.range), d.message, severity);
  diag.code = d.code;
  diag.source = 'boardmap';
  if (d.code === 'BM310') diag.tags = [vscode.DiagnosticTag.Unnecessary];
  return diag;
}

const SYMBOL_KINDS: Record<OutlineSymbol['kind'], vscode.SymbolKind> = {
  region: vscode.SymbolKind.Struct,
  device: vscode.SymbolKind.Class,
  register: vscode.SymbolKind.Field,
  field: vscode.SymbolKind.Property,
  constant: vscode.SymbolKind.Constant,
  space: vscode.SymbolKind.Namespace,
  cpu: vscode.SymbolKind.Event,
  board: vscode.SymbolKind.Module,
};

export function toSymbol(s: OutlineSymbol): vscode.DocumentSymbol {
  const sym = new vscode.DocumentSymbol(
    s.name,
    s.detail,
    SYMBOL_KINDS[s.kind],
    toRange(s.range),
    toRange(s.selectionRange),
  );
  sym.children = s.children.map(toSymbol);
  return sym;
}

const COMPLETION_KINDS: Record<CompletionItem['kind'], vscode.CompletionItemKind> = {
  keyword: vscode.CompletionItemKind.Keyword,
  region: vscode.CompletionItemKind.Struct,
  model: vscode.CompletionItemKind.Class,
  param: vscode.CompletionItemKind.Property,
  constant: vscode.CompletionItemKind.Constant,
  space: vscode.CompletionItemKind.Module,
  value: vscode.CompletionItemKind.Value,
};

export function toCompletion(c: CompletionItem): vscode.CompletionItem {
  const item = new vscode.CompletionItem(c.label, COMPLETION_KINDS[c.kind]);
  if (c.detail) item.detail = c.detail;
  if (c.insertText) item.insertText = c.insertText;
  return item;
}
