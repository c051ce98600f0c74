/**
 * Recursive-descent parser for `.board` text. Works on token offsets, recovers from errors by
 * skipping to a synchronisation point (a token that starts a line, a closing brace, or the end),
 * reports at most one diagnostic per place, and never throws.
 */
import {
  ACCESS_KEYWORDS,
  REGION_FLAGS,
  regionKindOf,
  type Access,
  type BoardFile,
  type Body,
  type CpuDecl,
  type Flag,
  type Item,
  type Member,
  type Name,
  type Param,
  type RegionDecl,
  type Span,
  type Value,
} from './ast';
import { DiagnosticCode, DiagnosticSink, type BoardDiagnostic } from './diagnostics';
import { parseEngineMember, startsCoalescedRange } from './engineFeatureParser';
import { ExprParser, MAX_BLOCK_NESTING, type MemberParser } from './exprParser';
import { parseRegister } from './registerParser';
import { TokenKind } from './scanner';
import { tokenize } from './tokens';

export interface ParseResult {
  readonly file: BoardFile;
  readonly diagnostics: readonly BoardDiagnostic[];
}

export const ITEM_KEYWORDS = ['board', 'include', 'const', 'space', 'cpu'] as const;
export const REGION_ATTRIBUTES = ['size', 'max-size', 'prio', 'offset', 'owner', 'parent'] as const;
/** Members of a region body besides regions, registers and parameters. */
export const ENGINE_MEMBER_KEYWORDS = ['ioeventfd', 'coalesced'] as const;
const FLAG_SET = new Set<string>(REGION_FLAGS);

/** Parses a whole board file. */
export function parseBoard(text: string): ParseResult {
  const sink = new DiagnosticSink(text.length);
  const parser = new BoardParser(text, sink);
  const file = parser.parseFile();
  return { file, diagnostics: sink.items };
}

export class BoardParser extends ExprParser implements MemberParser {
  constructor(text: string, sink: DiagnosticSink) {
    super(text, tokenize(text, sink), sink);
  }

  parseFile(): BoardFile {
    const items: Item[] = [];
    while (this.kind() !== TokenKind.EOF) {
      const start = this.pos;
      const item = this.parseItem();
      if (item) items.push(item);
      if (this.pos === start) {
        this.unexpected('a declaration (board, include, const, a region kind, space or cpu)');
        this.recover(false);
      }
    }
    return { offset: 0, length: this.text.length, items, comments: this.tokens.comments };
  }

  private parseItem(): Item | undefined {
    if (this.kind() === TokenKind.CloseBrace) {
      this.error(DiagnosticCode.UnexpectedToken, "Unmatched '}'", this.offset(), 1);
      this.pos++;
      return undefined;
    }
    if (this.kind() !== TokenKind.Identifier) return undefined;
    const word = this.value();
    const start = this.offset();
    switch (word) {
      case 'board': {
        this.pos++;
        const name = this.parseName('board name');
        return { type: 'board', name, ...this.spanFrom(start) };
      }
      case 'include': {
        this.pos++;
        let path: Name | undefined;
        if (this.kind() === TokenKind.String) path = this.takeName();
        else this.expected('a quoted file path');
        return { type: 'include', path, ...this.spanFrom(start) };
      }
      case 'const': {
        this.pos++;
        const name = this.parseName('constant name');
        const value = this.expect(TokenKind.Equals, "'='") ? this.parseExpr() : undefined;
        return { type: 'const', name, value, ...this.spanFrom(start) };
      }
      case 'space': {
        this.pos++;
        const name = this.parseName('address-space name');
        let label: Name | undefined;
        if (this.kind() === TokenKind.String && !this.lineStart()) label = this.takeName();
        let root: Name | undefined;
        if (this.expect(TokenKind.Equals, "'='")) root = this.parseName('root region name');
        return { type: 'space', name, label, root, ...this.spanFrom(start) };
      }
      case 'cpu':
        return this.parseCpu();
      case 'reg':
      case 'field':
      case 'ioeventfd':
        this.error(
          DiagnosticCode.MisplacedDeclaration,
          `'${word}' is only allowed inside a region${word === 'field' ? ' or register' : ''} body`,
          start,
          word.length,
        );
        this.recover(false);
        return undefined;
    }
    if (regionKindOf(word) !== undefined) return this.parseRegion();
    if (startsCoalescedRange(this)) {
      this.error(
        DiagnosticCode.MisplacedDeclaration,
        "A 'coalesced' range is only allowed inside a region body",
        start,
        word.length,
      );
      this.recover(false);
      return undefined;
    }
    if (this.peekKind(1) === TokenKind.Equals) {
      this.error(
        DiagnosticCode.MisplacedDeclaration,
        `Parameter '${word}' is only allowed inside a device or cpu body`,
        start,
        word.length,
      );
      this.recover(false);
    }
    return undefined;
  }

  private parseCpu(): CpuDecl {
    const start = this.offset();
    this.pos++;
    const name = this.parseName('cpu name');
    let model: Name | undefined;
    if (this.expect(TokenKind.Colon, "':' and a cpu model")) model = this.parseName('cpu model');
    let params: Param[] = [];
    let body: Span | undefined;
    if (this.kind() === TokenKind.OpenBrace) {
      const b = this.parseBlock<Param>((members) => {
        const p = this.parseParam();
        if (p) members.push(p);
      });
      params = b.members;
      body = { offset: b.offset, length: b.length };
    }
    return { type: 'cpu', name, model, params, body, ...this.spanFrom(start) };
  }

  private parseRegion(): RegionDecl {
    const start = this.offset();
    const keyword: Span = { offset: start, length: this.length() };
    const kind = regionKindOf(this.value())!;
    this.pos++;
    const name = this.parseName(`${kind} name`);
    let label: Name | undefined;
    if (this.kind() === TokenKind.String && !this.lineStart()) label = this.takeName();
    let model: Name | undefined;
    if (kind === 'device' && this.expect(TokenKind.Colon, "':' and a device model")) {
      model = this.parseName('device model');
    }
    const attrs: {
      address?: RegionDecl['address'];
      size?: RegionDecl['size'];
      maxSize?: RegionDecl['maxSize'];
      priority?: RegionDecl['priority'];
      target?: Name;
      targetOffset?: RegionDecl['targetOffset'];
      owner?: Name;
      parentObject?: Name;
    } = {};
    const flags: Flag[] = [];
    let seen: string[] | undefined; // attributes written so far (few; no Set per region)
    const once = (attr: string, at: number, len: number): boolean => {
      if (seen?.includes(attr)) {
        this.error(DiagnosticCode.DuplicateAttribute, `Duplicate '${attr}'`, at, len);
        return false;
      }
      (seen ??= []).push(attr);
      return true;
    };
    for (;;) {
      const k = this.kind();
      const at = this.offset();
      const len = this.length();
      if (k === TokenKind.At) {
        this.pos++;
        const e = this.parseExpr();
        if (once('@', at, len)) attrs.address = e;
        continue;
      }
      if (k === TokenKind.Arrow) {
        this.pos++;
        const t = this.parseName('alias target');
        if (once('->', at, len)) attrs.target = t;
        continue;
      }
      if (k !== TokenKind.Identifier) break;
      const w = this.value();
      if (w === 'size' || w === 'max-size' || w === 'prio' || w === 'offset') {
        this.pos++;
        const e = this.parseExpr();
        if (once(w, at, len)) {
          if (w === 'size') attrs.size = e;
          else if (w === 'max-size') attrs.maxSize = e;
          else if (w === 'prio') attrs.priority = e;
          else attrs.targetOffset = e;
        }
        continue;
      }
      if (w === 'owner' || w === 'parent') {
        this.pos++;
        let s: Name | undefined;
        if (this.kind() === TokenKind.String) s = this.takeName();
        else this.expected(`a quoted ${w} description`);
        if (s && once(w, at, len)) {
          if (w === 'owner') attrs.owner = s;
          else attrs.parentObject = s;
        }
        continue;
      }
      // a line starting `coalesced @` is a range member of the enclosing body, not a flag
      if (FLAG_SET.has(w) && !(this.lineStart() && startsCoalescedRange(this))) {
        this.pos++;
        if (once(w, at, len)) flags.push({ name: w, offset: at, length: len });
        continue;
      }
      if (!this.lineStart() && !this.startsDeclaration()) {
        this.error(DiagnosticCode.UnknownAttribute, `Unknown attribute '${w}'`, at, len);
        this.pos++;
        continue;
      }
      break;
    }
    let body: Body | undefined;
    if (this.kind() === TokenKind.OpenBrace) {
      body = this.parseBlock<Member>((members) => {
        const m = this.parseMember();
        if (m) members.push(m);
      });
    }
    return {
      type: 'region',
      kind,
      keyword,
      name,
      label,
      model,
      address: attrs.address,
      size: attrs.size,
      maxSize: attrs.maxSize,
      priority: attrs.priority,
      target: attrs.target,
      targetOffset: attrs.targetOffset,
      owner: attrs.owner,
      parentObject: attrs.parentObject,
      flags,
      body,
      ...this.spanFrom(start),
    };
  }

  private startsDeclaration(): boolean {
    const w = this.value();
    return (
      regionKindOf(w) !== undefined ||
      (ITEM_KEYWORDS as readonly string[]).includes(w) ||
      w === 'reg' ||
      w === 'ioeventfd' ||
      this.peekKind(1) === TokenKind.Equals
    );
  }

  private parseMember(): Member | undefined {
    if (this.kind() !== TokenKind.Identifier) return undefined;
    const w = this.value();
    if (regionKindOf(w) !== undefined) return this.parseRegion();
    if (w === 'reg') return parseRegister(this);
    if (this.peekKind(1) === TokenKind.Equals) return this.parseParam();
    if ((ENGINE_MEMBER_KEYWORDS as readonly string[]).includes(w)) return parseEngineMember(this);
    if ((ITEM_KEYWORDS as readonly string[]).includes(w)) {
      this.error(
        DiagnosticCode.MisplacedDeclaration,
        `'${w}' is only allowed at the top level`,
        this.offset(),
        this.length(),
      );
      this.recover(true);
    }
    return undefined;
  }

  /** `{ member* }` with recovery: unknown tokens are reported and skipped to a sync point. */
  parseBlock<T>(parseOne: (members: T[]) => void): Span & { members: T[] } {
    const start = this.offset();
    const members: T[] = [];
    if (this.blockDepth >= MAX_BLOCK_NESTING) {
      // reported and skipped whole (iteratively): later stages never see the deep part
      this.tooDeep('Blocks', MAX_BLOCK_NESTING);
      this.skipBalanced();
      return { offset: start, length: this.prevEnd() - start, members };
    }
    this.blockDepth++;
    try {
      this.parseBlockMembers(start, members, parseOne);
    } finally {
      this.blockDepth--;
    }
    return { offset: start, length: this.prevEnd() - start, members };
  }

  private parseBlockMembers<T>(
    start: number,
    members: T[],
    parseOne: (members: T[]) => void,
  ): void {
    this.pos++; // '{'
    for (;;) {
      const k = this.kind();
      if (k === TokenKind.CloseBrace) {
        this.pos++;
        break;
      }
      if (k === TokenKind.EOF) {
        this.error(DiagnosticCode.UnclosedBlock, "Missing '}' for this block", start, 1);
        break;
      }
      if (k === TokenKind.Comma) {
        this.pos++;
        continue;
      }
      const before = this.pos;
      parseOne(members);
      if (this.pos === before) {
        this.unexpected('a declaration');
        this.recover(true);
      }
    }
  }

  parseParam(): Param | undefined {
    if (this.kind() !== TokenKind.Identifier) return undefined;
    const start = this.offset();
    const name = this.takeName();
    let value: Value | undefined;
    if (this.expect(TokenKind.Equals, "'='")) value = this.parseValue();
    return { type: 'param', name, value, ...this.spanFrom(start) };
  }

  private parseValue(): Value | undefined {
    const start = this.offset();
    const k = this.kind();
    if (k === TokenKind.String) {
      const v = this.value();
      this.pos++;
      return { type: 'string', value: v, ...this.spanFrom(start) };
    }
    if (k === TokenKind.OpenBracket && this.blockDepth >= MAX_BLOCK_NESTING) {
      this.tooDeep('Lists', MAX_BLOCK_NESTING);
      this.skipBalanced(TokenKind.OpenBracket, TokenKind.CloseBracket);
      return { type: 'list', items: [], ...this.spanFrom(start) };
    }
    if (k === TokenKind.OpenBracket) {
      this.blockDepth++;
      try {
        return this.parseList(start);
      } finally {
        this.blockDepth--;
      }
    }
    if (k === TokenKind.Identifier && this.peekKind(1) === TokenKind.Colon) {
      const controller = this.takeName();
      this.pos++;
      const line = this.parseExpr();
      if (!line) return undefined;
      return { type: 'irq', controller, line, ...this.spanFrom(start) };
    }
    const expr = this.parseExpr();
    if (!expr) return undefined;
    return { type: 'expr', expr, ...this.spanFrom(start) };
  }

  private parseList(start: number): Value {
    this.pos++; // '['
    const items: Value[] = [];
    while (this.kind() !== TokenKind.CloseBracket && this.kind() !== TokenKind.EOF) {
      if (this.kind() === TokenKind.Comma) {
        this.pos++;
        continue;
      }
      const before = this.pos;
      const v = this.parseValue();
      if (v) items.push(v);
      if (this.pos === before) break;
    }
    this.expect(TokenKind.CloseBracket, "']'");
    return { type: 'list', items, ...this.spanFrom(start) };
  }

  /** An access keyword (`rw`, `ro` …) if the current token is one. */
  takeAccess(): Flag | undefined {
    if (this.kind() !== TokenKind.Identifier) return undefined;
    const w = this.value();
    if (!(ACCESS_KEYWORDS as readonly string[]).includes(w)) return undefined;
    const f: Flag = { name: w as Access, offset: this.offset(), length: this.length() };
    this.pos++;
    return f;
  }
}
