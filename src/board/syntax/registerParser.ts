/**
 * Registers, fields and memory-controller actions:
 *   reg NAME @ expr : u8|u16|u32|u64 [access] [reset expr] [{ field… on-write {…} on-read {…} }]
 *   field NAME [msb(:lsb)] [access] [reset expr]
 *   action := enable R [= expr] | disable R [= expr] | move R @ expr | alias-offset R = expr
 *           | resize R = expr | if expr { action* } [else { action* }]
 */
import type { Action, ActionBlock, Expr, FieldDecl, Flag, RegDecl, Span } from './ast';
import { DiagnosticCode } from './diagnostics';
import type { MemberParser } from './exprParser';
import { TokenKind } from './scanner';

export const ACTION_KEYWORDS = [
  'enable',
  'disable',
  'move',
  'alias-offset',
  'resize',
  'if',
] as const;

export function parseRegister(p: MemberParser): RegDecl {
  const start = p.offset();
  p.advance(); // 'reg'
  const name = p.parseName('register name');
  let address: RegDecl['address'];
  if (p.kind() === TokenKind.At) {
    p.advance();
    address = p.parseExpr();
  } else p.expected("'@' and the register offset");
  let width: RegDecl['width'];
  if (p.kind() === TokenKind.Colon) {
    p.advance();
    width = p.parseName('register width (u8, u16, u32, u64)');
  }
  const { access, reset } = parseAccessAndReset(p);
  const fields: FieldDecl[] = [];
  let onWrite: ActionBlock | undefined;
  let onRead: ActionBlock | undefined;
  let body: Span | undefined;
  if (p.kind() === TokenKind.OpenBrace) {
    const b = p.parseBlock<void>(() => {
      if (p.kind() !== TokenKind.Identifier) return;
      const w = p.value();
      if (w === 'field') fields.push(parseField(p));
      else if (w === 'on-write' || w === 'on-read') {
        const at = p.offset();
        const block = parseActionBlock(p);
        if (!block) return;
        if ((w === 'on-write' ? onWrite : onRead) !== undefined) {
          p.error(DiagnosticCode.DuplicateAttribute, `Duplicate '${w}' block`, at, w.length);
        } else if (w === 'on-write') onWrite = block;
        else onRead = block;
      }
    });
    body = { offset: b.offset, length: b.length };
  }
  return {
    type: 'reg',
    name,
    address,
    width,
    access,
    reset,
    fields,
    onWrite,
    onRead,
    body,
    ...p.spanFrom(start),
  };
}

function parseAccessAndReset(p: MemberParser): { access?: Flag; reset?: RegDecl['reset'] } {
  let access: Flag | undefined;
  let reset: RegDecl['reset'];
  for (;;) {
    const at = p.offset();
    const len = p.length();
    const a = p.takeAccess();
    if (a) {
      if (access) p.error(DiagnosticCode.DuplicateAttribute, 'Duplicate access rule', at, len);
      else access = a;
      continue;
    }
    if (p.kind() === TokenKind.Identifier && p.value() === 'reset') {
      p.advance();
      const e = p.parseExpr();
      if (reset) p.error(DiagnosticCode.DuplicateAttribute, "Duplicate 'reset'", at, len);
      else reset = e;
      continue;
    }
    if (p.kind() === TokenKind.Identifier && !p.lineStart() && !isMemberStart(p.value())) {
      p.error(DiagnosticCode.UnknownAttribute, `Unknown attribute '${p.value()}'`, at, len);
      p.advance();
      continue;
    }
    return { access, reset };
  }
}

function isMemberStart(w: string): boolean {
  return w === 'reg' || w === 'field' || w === 'on-write' || w === 'on-read';
}

function parseField(p: MemberParser): FieldDecl {
  const start = p.offset();
  p.advance(); // 'field'
  const name = p.parseName('field name');
  let msb: FieldDecl['msb'];
  let lsb: FieldDecl['lsb'];
  if (p.expect(TokenKind.OpenBracket, "'[' and the field's bits")) {
    msb = p.parseExpr();
    if (p.kind() === TokenKind.Colon) {
      p.advance();
      lsb = p.parseExpr();
    }
    p.expect(TokenKind.CloseBracket, "']'");
  }
  const { access, reset } = parseAccessAndReset(p);
  return { type: 'field', name, msb, lsb, access, reset, ...p.spanFrom(start) };
}

function parseActionBlock(p: MemberParser): ActionBlock | undefined {
  const start = p.offset();
  const keyword: Span = { offset: start, length: p.length() };
  p.advance();
  if (p.kind() !== TokenKind.OpenBrace) {
    p.expected("'{' and actions");
    return undefined;
  }
  const b = p.parseBlock<Action>((actions) => {
    const a = parseAction(p);
    if (a) actions.push(a);
  });
  return { keyword, actions: b.members, ...p.spanFrom(start) };
}

function parseAction(p: MemberParser): Action | undefined {
  if (p.kind() !== TokenKind.Identifier) return undefined;
  const start = p.offset();
  const w = p.value();
  switch (w) {
    case 'enable':
    case 'disable': {
      p.advance();
      const region = p.parseName('region name');
      let condition: Expr | undefined;
      if (p.kind() === TokenKind.Equals) {
        p.advance();
        condition = p.parseExpr();
      }
      return { type: w, region, condition, ...p.spanFrom(start) };
    }
    case 'move': {
      p.advance();
      const region = p.parseName('region name');
      let address: Expr | undefined;
      if (p.expect(TokenKind.At, "'@' and the new address")) address = p.parseExpr();
      return { type: 'move', region, address, ...p.spanFrom(start) };
    }
    case 'alias-offset': {
      p.advance();
      const region = p.parseName('alias name');
      let value: Expr | undefined;
      if (p.expect(TokenKind.Equals, "'=' and the new offset")) value = p.parseExpr();
      return { type: 'alias-offset', region, value, ...p.spanFrom(start) };
    }
    case 'resize': {
      p.advance();
      const region = p.parseName('RAM region name');
      let value: Expr | undefined;
      if (p.expect(TokenKind.Equals, "'=' and the new size")) value = p.parseExpr();
      return { type: 'resize', region, value, ...p.spanFrom(start) };
    }
    case 'if': {
      p.advance();
      const condition = p.parseExpr();
      let then: ActionBlock | undefined;
      let otherwise: ActionBlock | undefined;
      if (p.kind() === TokenKind.OpenBrace) then = parseBareBlock(p);
      else p.expected("'{'");
      if (p.kind() === TokenKind.Identifier && p.value() === 'else') {
        if (p.peekKind(1) === TokenKind.OpenBrace) {
          p.advance();
          otherwise = parseBareBlock(p);
        } else {
          p.advance();
          p.expected("'{'");
        }
      }
      return { type: 'if', condition, then, otherwise, ...p.spanFrom(start) };
    }
  }
  p.error(
    DiagnosticCode.UnexpectedToken,
    `Unknown action '${w}'; expected enable, disable, move, alias-offset, resize or if`,
    start,
    p.length(),
  );
  p.recover(true);
  return undefined;
}

function parseBareBlock(p: MemberParser): ActionBlock {
  const start = p.offset();
  const b = p.parseBlock<Action>((actions) => {
    const a = parseAction(p);
    if (a) actions.push(a);
  });
  return { keyword: { offset: start, length: 0 }, actions: b.members, ...p.spanFrom(start) };
}
