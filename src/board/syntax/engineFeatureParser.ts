/**
 * Region-body members for the engine's access-path features:
 *   ioeventfd NAME @ expr [size expr] [data expr]    memory_region_add_eventfd
 *   coalesced @ expr size expr                       memory_region_add_coalescing
 * Attributes come in any order on the member's line; duplicates and unknown words are reported
 * where they are written and skipped.
 */
import type { CoalescedDecl, Expr, IoeventfdDecl, Member, Span } from './ast';
import { DiagnosticCode } from './diagnostics';
import type { MemberParser } from './exprParser';
import { TokenKind } from './scanner';

export const IOEVENTFD_ATTRIBUTES = ['@', 'size', 'data'] as const;
export const COALESCED_ATTRIBUTES = ['@', 'size'] as const;

type Attributes<K extends string> = Partial<Record<K, Expr | undefined>>;

/** `ioeventfd …` or `coalesced …` at the start of a body member (not a `name = value`). */
export function parseEngineMember(p: MemberParser): Member | undefined {
  if (p.value() === 'ioeventfd') return parseIoeventfd(p);
  if (startsCoalescedRange(p)) return parseCoalesced(p);
  p.error(
    DiagnosticCode.UnexpectedToken,
    "A coalesced range needs '@ offset size n' (a bare 'coalesced' belongs on the region's line)",
    p.offset(),
    p.length(),
  );
  p.recover(true);
  return undefined;
}

/** `coalesced @ …` or `coalesced size …`: the range member (a bare `coalesced` is a flag). */
export function startsCoalescedRange(p: MemberParser): boolean {
  if (p.kind() !== TokenKind.Identifier || p.value() !== 'coalesced') return false;
  const next = p.peekKind(1);
  if (next === TokenKind.At) return true;
  return next === TokenKind.Identifier && p.peekValue(1) === 'size' && !p.peekLineStart(1);
}

function parseIoeventfd(p: MemberParser): IoeventfdDecl {
  const start = p.offset();
  const keyword: Span = { offset: start, length: p.length() };
  p.advance(); // 'ioeventfd'
  const name = p.parseName('ioeventfd name');
  const attrs = parseAttributes(p, IOEVENTFD_ATTRIBUTES, "'@' and the offset of the ioeventfd");
  return {
    type: 'ioeventfd',
    keyword,
    name,
    address: attrs['@'],
    size: attrs.size,
    data: attrs.data,
    ...p.spanFrom(start),
  };
}

function parseCoalesced(p: MemberParser): CoalescedDecl {
  const start = p.offset();
  const keyword: Span = { offset: start, length: p.length() };
  p.advance(); // 'coalesced'
  const attrs = parseAttributes(p, COALESCED_ATTRIBUTES, "'@' and the offset of the range");
  return {
    type: 'coalesced',
    keyword,
    address: attrs['@'],
    size: attrs.size,
    ...p.spanFrom(start),
  };
}

/**
 * `@ expr` and `word expr` pairs up to the end of the line (or a `{`, `}`, `,`). Reports a
 * missing `@` once at the end, since every member of this kind needs an offset.
 */
function parseAttributes<K extends string>(
  p: MemberParser,
  allowed: readonly K[],
  missingAt: string,
): Attributes<K> {
  const out: Attributes<K> = {};
  const seen = new Set<string>();
  for (;;) {
    const k = p.kind();
    if (p.lineStart() || k === TokenKind.EOF) break;
    const at = p.offset();
    const len = p.length();
    let key: string | undefined;
    if (k === TokenKind.At) key = '@';
    else if (k === TokenKind.Identifier) {
      if (!(allowed as readonly string[]).includes(p.value())) {
        p.error(DiagnosticCode.UnknownAttribute, `Unknown attribute '${p.value()}'`, at, len);
        p.advance();
        if (!p.lineStart() && startsValue(p.kind())) p.parseExpr(); // its value: one report
        continue;
      }
      key = p.value();
    } else break;
    p.advance();
    const e = p.parseExpr();
    if (seen.has(key)) {
      p.error(DiagnosticCode.DuplicateAttribute, `Duplicate '${key}'`, at, len);
      continue;
    }
    seen.add(key);
    out[key as K] = e;
  }
  if (!seen.has('@')) p.expected(missingAt);
  return out;
}

function startsValue(k: TokenKind): boolean {
  return (
    k === TokenKind.Number ||
    k === TokenKind.OpenParen ||
    k === TokenKind.Minus ||
    k === TokenKind.Tilde
  );
}
