/**
 * Outline (document symbols) and folding ranges, from the root file's AST, in offsets.
 */
import type { Item, Member, RegionDecl } from '../syntax';
import type { Analysis } from './analysis';
import { hexGrouped, humanSize } from '../../engine';

export type SymbolKindName =
  'region' | 'device' | 'register' | 'field' | 'constant' | 'space' | 'cpu' | 'board';

export interface BoardSymbol {
  readonly name: string;
  readonly detail: string;
  readonly kind: SymbolKindName;
  /** Whole declaration. */
  readonly offset: number;
  readonly length: number;
  /** The name. */
  readonly selectionOffset: number;
  readonly selectionLength: number;
  readonly children: BoardSymbol[];
}

export function documentSymbols(a: Analysis): BoardSymbol[] {
  const out: BoardSymbol[] = [];
  for (const item of a.model.program.root.parse.file.items) {
    const s = itemSymbol(a, item);
    if (s) out.push(s);
  }
  return out;
}

function itemSymbol(a: Analysis, item: Item | Member): BoardSymbol | undefined {
  const base = (
    name: { text: string; offset: number; length: number },
    kind: SymbolKindName,
    detail: string,
  ): BoardSymbol => ({
    name: name.text || '?',
    detail,
    kind,
    offset: item.offset,
    length: item.length,
    selectionOffset: name.offset,
    selectionLength: name.length,
    children: [],
  });
  switch (item.type) {
    case 'board':
      return item.name ? base(item.name, 'board', 'board') : undefined;
    case 'const': {
      const v = a.model.constants.get(item.name.text)?.value;
      return base(item.name, 'constant', v !== undefined ? hexGrouped(v) : '');
    }
    case 'space':
      return base(item.name, 'space', item.root ? `root ${item.root.text}` : '');
    case 'cpu':
      return base(item.name, 'cpu', item.model?.text ?? '');
    case 'region':
      return regionSymbol(a, item, base);
    case 'reg': {
      const s = base(item.name, 'register', item.width?.text ?? 'u32');
      for (const f of item.fields) {
        s.children.push({
          name: f.name.text,
          detail: 'field',
          kind: 'field',
          offset: f.offset,
          length: f.length,
          selectionOffset: f.name.offset,
          selectionLength: f.name.length,
          children: [],
        });
      }
      return s;
    }
    case 'include':
    case 'param':
    // ioeventfds and coalesced ranges are facts of their region (hover), not outline entries
    case 'ioeventfd':
    case 'coalesced':
      return undefined;
  }
}

function regionSymbol(
  a: Analysis,
  r: RegionDecl,
  base: (
    n: { text: string; offset: number; length: number },
    k: SymbolKindName,
    d: string,
  ) => BoardSymbol,
): BoardSymbol {
  const info = a.model.regions.get(r.name.text);
  const parts: string[] = [r.kind === 'device' ? (r.model?.text ?? 'device') : r.kind];
  if (info && info.decl === r) {
    if (r.address) parts.push(`@ ${hexGrouped(info.address)}`);
    if (info.size !== undefined) parts.push(humanSize(info.size));
    if (info.priority !== 0) parts.push(`prio ${info.priority}`);
    if (!info.enabled) parts.push('disabled');
  }
  const s = base(r.name, r.kind === 'device' ? 'device' : 'region', parts.join(' · '));
  for (const m of r.body?.members ?? []) {
    const c = itemSymbol(a, m);
    if (c) s.children.push(c);
  }
  return s;
}

export interface FoldingRange {
  readonly startOffset: number;
  readonly endOffset: number;
  readonly kind: 'region' | 'comment';
}

/** Bodies that span lines, block comments, and runs of line comments. */
export function foldingRanges(a: Analysis): FoldingRange[] {
  const file = a.model.program.root.parse.file;
  const text = a.text;
  const out: FoldingRange[] = [];
  const multiLine = (s: number, e: number): boolean => text.substring(s, e).includes('\n');
  const visit = (items: readonly (Item | Member)[]): void => {
    for (const it of items) {
      const body = 'body' in it ? it.body : undefined;
      if (body && multiLine(body.offset, body.offset + body.length)) {
        out.push({
          startOffset: it.offset,
          endOffset: body.offset + body.length - 1,
          kind: 'region',
        });
      }
      if (it.type === 'region' && it.body) visit(it.body.members);
      if (it.type === 'reg') {
        for (const b of [it.onWrite, it.onRead]) {
          if (b && multiLine(b.offset, b.offset + b.length))
            out.push({ startOffset: b.offset, endOffset: b.offset + b.length - 1, kind: 'region' });
        }
      }
    }
  };
  visit(file.items);
  let run: { start: number; end: number } | undefined;
  const flush = (): void => {
    if (run && multiLine(run.start, run.end))
      out.push({ startOffset: run.start, endOffset: run.end, kind: 'comment' });
    run = undefined;
  };
  for (const c of file.comments) {
    if (c.block) {
      flush();
      if (multiLine(c.offset, c.offset + c.length))
        out.push({ startOffset: c.offset, endOffset: c.offset + c.length, kind: 'comment' });
      continue;
    }
    if (run && /^[ \t]*\r?\n[ \t]*$/.test(text.substring(run.end, c.offset)))
      run.end = c.offset + c.length;
    else {
      flush();
      run = { start: c.offset, end: c.offset + c.length };
    }
  }
  flush();
  return out;
}
