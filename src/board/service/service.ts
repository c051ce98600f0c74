/**
 * The board-map language service: plain functions over (uri, text) in and plain data out, with
 * line/character positions (offsets are converted here, at the boundary). The VS Code providers
 * and the CLI adapt these. One analysis per document version is cached.
 */
import {
  type IncludeDecl,
  severityName,
  type BoardDiagnostic,
  formatBoard,
  formatName,
  isPlainIdentifier,
} from '../syntax';
import { type Occurrence, sameSymbol, type BoardHost } from '../check';
import { analyze, type Analysis } from './analysis';
import { completeAt, type CompletionItem } from './completion';
import { hoverAt } from './hover';
import { documentSymbols, foldingRanges, type BoardSymbol } from './symbols';
import { LineIndex, type Position, type Range } from './text';

export type { Position, Range, CompletionItem };

export interface ServiceDiagnostic {
  readonly range: Range;
  readonly severity: 'error' | 'warning' | 'info';
  readonly code: string;
  readonly message: string;
}

export interface Location {
  readonly uri: string;
  readonly range: Range;
}

export interface TextEdit {
  readonly range: Range;
  readonly newText: string;
}

export interface OutlineSymbol {
  readonly name: string;
  readonly detail: string;
  readonly kind: BoardSymbol['kind'];
  readonly range: Range;
  readonly selectionRange: Range;
  readonly children: OutlineSymbol[];
}

export interface BoardMapService {
  /** The analysis (model, built map) of a document; cached per text. */
  analyze(uri: string, text: string): Analysis;
  diagnostics(uri: string, text: string): ServiceDiagnostic[];
  hover(uri: string, text: string, pos: Position): { markdown: string; range: Range } | undefined;
  documentSymbols(uri: string, text: string): OutlineSymbol[];
  definition(uri: string, text: string, pos: Position): Location[];
  references(uri: string, text: string, pos: Position, includeDeclaration: boolean): Location[];
  /** Edits per uri, or an error message when the name cannot be renamed. */
  rename(
    uri: string,
    text: string,
    pos: Position,
    newName: string,
  ): Map<string, TextEdit[]> | string;
  completion(uri: string, text: string, pos: Position): CompletionItem[];
  folding(
    uri: string,
    text: string,
  ): { startLine: number; endLine: number; kind: 'region' | 'comment' }[];
  /** Whole-document edits, or [] when the text is already canonical or has syntax errors. */
  format(uri: string, text: string): TextEdit[];
}

export function getBoardMapService(host?: BoardHost): BoardMapService {
  const cache = new Map<
    string,
    { text: string; generation: number | undefined; analysis: Analysis; lines: LineIndex }
  >();
  const entry = (uri: string, text: string) => {
    let e = cache.get(uri);
    // One analysis per document text (and per state of the host's files): every feature and the
    // views share it, so an edit is loaded, checked and built once.
    const generation = host?.generation;
    if (!e || e.text !== text || e.generation !== generation) {
      const analysis = analyze(uri, text, host);
      e = { text, generation, analysis, lines: new LineIndex(text) };
      cache.set(uri, e);
      if (cache.size > 32) cache.delete(cache.keys().next().value!);
    }
    return e;
  };
  const linesOf = (a: Analysis, uri: string): LineIndex => {
    if (uri === a.uri) return entry(a.uri, a.text).lines;
    const f = a.model.program.files.get(uri);
    return new LineIndex(f?.text ?? '');
  };
  const occurrenceAt = (a: Analysis, uri: string, offset: number): Occurrence | undefined => {
    for (const o of a.model.occurrences) {
      if (o.file.uri === uri && offset >= o.name.offset && offset <= o.name.offset + o.name.length)
        return o;
    }
    return undefined;
  };
  const includeAt = (a: Analysis, offset: number): IncludeDecl | undefined => {
    for (const it of a.model.program.root.parse.file.items) {
      if (
        it.type === 'include' &&
        it.path &&
        offset >= it.path.offset &&
        offset <= it.path.offset + it.path.length
      )
        return it;
    }
    return undefined;
  };
  const location = (a: Analysis, uri: string, offset: number, length: number): Location => ({
    uri,
    range: linesOf(a, uri).range(offset, length),
  });

  return {
    analyze: (uri, text) => entry(uri, text).analysis,

    diagnostics(uri, text) {
      const { analysis, lines } = entry(uri, text);
      return analysis.diagnostics
        .filter((d) => (d.uri ?? uri) === uri)
        .sort((x, y) => x.offset - y.offset)
        .map((d) => toServiceDiagnostic(d, lines));
    },

    hover(uri, text, pos) {
      const { analysis, lines } = entry(uri, text);
      const o = occurrenceAt(analysis, uri, lines.offsetAt(pos));
      if (!o) return undefined;
      const h = hoverAt(analysis, o);
      return { markdown: h.markdown, range: lines.range(h.offset, h.length) };
    },

    documentSymbols(uri, text) {
      const { analysis, lines } = entry(uri, text);
      const convert = (s: BoardSymbol): OutlineSymbol => ({
        name: s.name,
        detail: s.detail,
        kind: s.kind,
        range: lines.range(s.offset, s.length),
        selectionRange: lines.range(s.selectionOffset, s.selectionLength),
        children: s.children.map(convert),
      });
      return documentSymbols(analysis).map(convert);
    },

    definition(uri, text, pos) {
      const { analysis, lines } = entry(uri, text);
      const offset = lines.offsetAt(pos);
      const inc = includeAt(analysis, offset);
      if (inc) {
        const target = analysis.model.program.includeTargets.get(inc);
        return target && analysis.model.program.files.has(target)
          ? [location(analysis, target, 0, 0)]
          : [];
      }
      const o = occurrenceAt(analysis, uri, offset);
      if (!o) return [];
      return analysis.model.occurrences
        .filter((x) => x.declaration && sameSymbol(x.symbol, o.symbol))
        .map((x) => location(analysis, x.file.uri, x.name.offset, x.name.length));
    },

    references(uri, text, pos, includeDeclaration) {
      const { analysis, lines } = entry(uri, text);
      const o = occurrenceAt(analysis, uri, lines.offsetAt(pos));
      if (!o) return [];
      return analysis.model.occurrences
        .filter((x) => sameSymbol(x.symbol, o.symbol) && (includeDeclaration || !x.declaration))
        .map((x) => location(analysis, x.file.uri, x.name.offset, x.name.length));
    },

    rename(uri, text, pos, newName) {
      const { analysis, lines } = entry(uri, text);
      const o = occurrenceAt(analysis, uri, lines.offsetAt(pos));
      if (!o) return 'Nothing to rename here';
      if (
        o.symbol.kind === 'device-model' ||
        o.symbol.kind === 'cpu-model' ||
        o.symbol.kind === 'param'
      ) {
        return 'Model and parameter names come from the device catalog and cannot be renamed';
      }
      if (newName === '') return 'The new name is empty';
      if (o.symbol.kind === 'const' && !isPlainIdentifier(newName))
        return `'${newName}' is not a valid constant name`;
      const edits = new Map<string, TextEdit[]>();
      for (const x of analysis.model.occurrences) {
        if (!sameSymbol(x.symbol, o.symbol)) continue;
        const list = edits.get(x.file.uri) ?? [];
        list.push({
          range: linesOf(analysis, x.file.uri).range(x.name.offset, x.name.length),
          newText: formatName(newName),
        });
        edits.set(x.file.uri, list);
      }
      return edits;
    },

    completion(uri, text, pos) {
      const { analysis, lines } = entry(uri, text);
      return completeAt(analysis, lines.offsetAt(pos));
    },

    folding(uri, text) {
      const { analysis, lines } = entry(uri, text);
      return foldingRanges(analysis)
        .map((f) => ({
          startLine: lines.positionAt(f.startOffset).line,
          endLine: lines.positionAt(f.endOffset).line,
          kind: f.kind,
        }))
        .filter((f) => f.endLine > f.startLine);
    },

    format(_uri, text) {
      const formatted = formatBoard(text);
      if (formatted === undefined || formatted === text) return [];
      const lines = new LineIndex(text);
      return [{ range: lines.range(0, text.length), newText: formatted }];
    },
  };
}

export function toServiceDiagnostic(d: BoardDiagnostic, lines: LineIndex): ServiceDiagnostic {
  return {
    range: lines.range(d.offset, d.length),
    severity: severityName(d.severity),
    code: d.code,
    message: d.message,
  };
}
