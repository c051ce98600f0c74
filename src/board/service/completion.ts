/**
 * Completion from the text before the cursor and the enclosing declaration: keywords valid at
 * that place, region names after `->` and in actions, device and cpu models after `:`,
 * parameters of the device's model, widths, access rules, constants in expressions.
 */
import {
  ACCESS_KEYWORDS,
  REGION_FLAGS,
  type Item,
  type Member,
  type RegDecl,
  type RegionDecl,
  formatName,
  COALESCED_ATTRIBUTES,
  IOEVENTFD_ATTRIBUTES,
  ENGINE_MEMBER_KEYWORDS,
  ACTION_KEYWORDS,
  createScanner,
  TokenKind,
} from '../syntax';
import { CPU_MODELS, DEVICE_MODELS, findDeviceModel } from '../check';
import type { Analysis } from './analysis';

export type CompletionKind =
  'keyword' | 'region' | 'model' | 'param' | 'constant' | 'space' | 'value';

export interface CompletionItem {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail?: string;
  /** Text to insert when it differs from the label. */
  readonly insertText?: string;
}

const TOP_KEYWORDS = ['board', 'include', 'const', 'space', 'cpu'];
const REGION_KINDS = [
  'container',
  'ram',
  'rom',
  'romd',
  'mmio',
  'alias',
  'ramd',
  'reservation',
  'device',
];
const REGION_ATTRS = ['@', 'size', 'prio', '->', 'offset', ...REGION_FLAGS, 'owner', 'parent'];
/** Region keywords (all spellings) whose writes reach MMIO dispatch: ioeventfds and coalescing. */
const MMIO_KEYWORDS = ['mmio', 'io', 'romd', 'rom-device', 'ramd', 'ram-device', 'device'];

/** Attributes of a region line: `max-size` only for RAM, `coalesced` only for MMIO kinds. */
function regionAttributes(keyword: string): string[] {
  const attrs = REGION_ATTRS.filter((a) => a !== 'coalesced' || MMIO_KEYWORDS.includes(keyword));
  if (keyword === 'ram') attrs.splice(attrs.indexOf('size') + 1, 0, 'max-size');
  return attrs;
}

type Context =
  | { kind: 'top' }
  | { kind: 'region-body'; region: RegionDecl }
  | { kind: 'reg-body'; reg: RegDecl; region: RegionDecl }
  | { kind: 'actions'; region: RegionDecl }
  | { kind: 'cpu-body' };

function inside(span: { offset: number; length: number } | undefined, offset: number): boolean {
  return span !== undefined && offset > span.offset && offset < span.offset + span.length;
}

/** The innermost body containing @offset. */
function contextAt(items: readonly (Item | Member)[], offset: number, outer: Context): Context {
  for (const it of items) {
    if (it.type === 'cpu' && inside(it.body, offset)) return { kind: 'cpu-body' };
    if (it.type === 'region' && inside(it.body, offset)) {
      return contextAt(it.body!.members, offset, { kind: 'region-body', region: it });
    }
    if (it.type === 'reg' && inside(it.body, offset) && outer.kind === 'region-body') {
      for (const block of [it.onWrite, it.onRead]) {
        if (
          block &&
          inside(
            {
              offset: block.keyword.offset + block.keyword.length,
              length: block.length - block.keyword.length,
            },
            offset,
          )
        ) {
          return { kind: 'actions', region: outer.region };
        }
      }
      return { kind: 'reg-body', reg: it, region: outer.region };
    }
  }
  return outer;
}

/** Significant tokens of the current line before the cursor. */
function lineTokens(
  text: string,
  offset: number,
): { kinds: TokenKind[]; values: string[]; partial: string } {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n') start--;
  const line = text.substring(start, offset);
  const s = createScanner(line);
  const kinds: TokenKind[] = [];
  const values: string[] = [];
  for (let k = s.scan(); k !== TokenKind.EOF; k = s.scan()) {
    if (k === TokenKind.Whitespace || k === TokenKind.LineComment || k === TokenKind.BlockComment)
      continue;
    kinds.push(k);
    values.push(s.getTokenValue());
  }
  // the word being typed is not context
  let partial = '';
  if (
    kinds.length > 0 &&
    kinds[kinds.length - 1] === TokenKind.Identifier &&
    /[A-Za-z0-9_.-]$/.test(line)
  ) {
    partial = values.pop()!;
    kinds.pop();
  }
  return { kinds, values, partial };
}

export function completeAt(a: Analysis, offset: number): CompletionItem[] {
  const root = a.model.program.root;
  const ctx = contextAt(root.parse.file.items, offset, { kind: 'top' });
  const { kinds, values } = lineTokens(a.text, offset);
  const last = kinds[kinds.length - 1];
  const first = values[0];
  const kw = (labels: readonly string[], detail?: string): CompletionItem[] =>
    labels.map((label) => ({ label, kind: 'keyword' as const, ...(detail ? { detail } : {}) }));
  const regions = (filter?: (kind: string) => boolean): CompletionItem[] =>
    a.model.regionList
      .filter((r) => !filter || filter(r.kind))
      .map((r) => ({
        label: r.id,
        kind: 'region' as const,
        detail: r.kind,
        insertText: formatName(r.id),
      }));
  const constants = (): CompletionItem[] =>
    [...a.model.constants.values()].map((c) => ({
      label: c.name,
      kind: 'constant' as const,
      detail: c.value !== undefined ? `0x${c.value.toString(16)}` : undefined,
    }));

  if (last === TokenKind.Arrow) return regions();
  if (last === TokenKind.Colon && kinds.length >= 2) {
    if (first === 'device')
      return DEVICE_MODELS.map((m) => ({ label: m.name, kind: 'model', detail: m.doc }));
    if (first === 'cpu')
      return CPU_MODELS.map((m) => ({ label: m.name, kind: 'model', detail: m.doc }));
    if (first === 'reg') return kw(['u8', 'u16', 'u32'], 'register width');
    if (kinds.length >= 2 && kinds[kinds.length - 2] === TokenKind.Identifier) {
      // irq = plic:   → nothing to offer (a line number)
      return [];
    }
  }
  if (last === TokenKind.Equals) {
    if (first === 'space') return regions();
    if (ctx.kind === 'region-body' && ctx.region.kind === 'device' && kinds.length === 2) {
      const model = findDeviceModel(ctx.region.model?.text ?? '');
      const spec = model?.params.find((p) => p.name === values[0]);
      if (spec?.type === 'irq') {
        return a.model.regionList
          .filter((r) => r.device?.model?.irqInputs)
          .map((r) => ({ label: `${r.id}:`, kind: 'value', detail: 'interrupt controller' }));
      }
    }
    if (ctx.kind === 'cpu-body' && values[0] === 'space') {
      return a.model.spaces.map((s) => ({ label: s.name, kind: 'space' }));
    }
    return constants();
  }
  const prevWord = last === TokenKind.Identifier ? values[values.length - 1] : undefined;
  if (ctx.kind === 'actions') {
    if (prevWord && ['enable', 'disable', 'move', 'alias-offset', 'resize'].includes(prevWord)) {
      if (prevWord === 'resize') {
        return regions().filter((c) => a.model.regions.get(c.label)?.maxSize !== undefined);
      }
      return regions(prevWord === 'alias-offset' ? (k) => k === 'alias' : undefined);
    }
    if (last === undefined || last === TokenKind.OpenBrace || last === TokenKind.CloseBrace) {
      return kw(ACTION_KEYWORDS);
    }
  }
  const atLineStart = kinds.length === 0;
  if (atLineStart) {
    switch (ctx.kind) {
      case 'top':
        return kw([...TOP_KEYWORDS, ...REGION_KINDS]);
      case 'cpu-body':
        return CPU_MODELS[0]!.params.map((p) => ({
          label: p.name,
          kind: 'param',
          detail: p.doc,
          insertText: `${p.name} = `,
        }));
      case 'region-body': {
        const out = kw([...REGION_KINDS, 'reg']);
        if (MMIO_KEYWORDS.includes(ctx.region.kind)) out.push(...kw(ENGINE_MEMBER_KEYWORDS));
        if (ctx.region.kind === 'device') {
          const model = findDeviceModel(ctx.region.model?.text ?? '');
          for (const p of model?.params ?? [])
            out.push({ label: p.name, kind: 'param', detail: p.doc, insertText: `${p.name} = ` });
        }
        return out;
      }
      case 'reg-body':
        return kw(['field', 'on-write', 'on-read']);
      case 'actions':
        return kw(ACTION_KEYWORDS);
    }
  }
  // after a declaration's head on the same line
  if (first && REGION_KINDS.includes(first) && kinds.length >= 2) {
    if (last === TokenKind.At || isOperator(last)) return constants();
    const prev = values[values.length - 1];
    if (prev === 'size' || prev === 'max-size' || prev === 'prio' || prev === 'offset')
      return constants();
    return kw(regionAttributes(first), 'attribute');
  }
  if (first === 'ioeventfd' || first === 'coalesced') {
    const prev = values[values.length - 1];
    if (last === TokenKind.At || isOperator(last) || prev === 'size' || prev === 'data')
      return constants();
    if (first === 'ioeventfd' && kinds.length === 1) return []; // the name is being typed
    return kw(first === 'ioeventfd' ? IOEVENTFD_ATTRIBUTES : COALESCED_ATTRIBUTES, 'attribute');
  }
  if (first === 'reg' || first === 'field') {
    if (last === TokenKind.At || isOperator(last)) return constants();
    return kw([...ACCESS_KEYWORDS, 'reset'], 'access rule');
  }
  if (last === TokenKind.At || isOperator(last)) return constants();
  return [];
}

function isOperator(k: TokenKind | undefined): boolean {
  return (
    k === TokenKind.Plus ||
    k === TokenKind.Minus ||
    k === TokenKind.Star ||
    k === TokenKind.Slash ||
    k === TokenKind.Percent ||
    k === TokenKind.ShiftLeft ||
    k === TokenKind.ShiftRight ||
    k === TokenKind.Ampersand ||
    k === TokenKind.Pipe ||
    k === TokenKind.Caret ||
    k === TokenKind.OpenParen ||
    k === TokenKind.Tilde
  );
}
