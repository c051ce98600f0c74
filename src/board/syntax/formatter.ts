/**
 * Formatter: prints a parsed board file in canonical form. Attributes in a fixed order, two-space
 * indentation, one declaration per line, short parameter and action bodies inline, single blank
 * lines kept, every comment kept (a comment inside a declaration's header moves in front of it).
 * Formatting is idempotent. Files with syntax errors are not formatted (undefined).
 */
import type {
  Action,
  ActionBlock,
  BoardFile,
  Comment,
  Expr,
  FieldDecl,
  Item,
  Member,
  Name,
  Param,
  RegDecl,
  RegionDecl,
  Span,
  Value,
} from './ast';
import { Severity } from './diagnostics';
import { parseBoard } from './parser';
import { isPlainIdentifier } from './scanner';

const INDENT = '  ';
const MAX_INLINE = 100;

export function formatBoard(text: string): string | undefined {
  const { file, diagnostics } = parseBoard(text);
  if (diagnostics.some((d) => d.severity === Severity.Error)) return undefined;
  return new Printer(text, file).print();
}

/** A name as canonical text: bare when it is a plain identifier, else quoted. */
export function formatName(n: Name | string, forceQuote = false): string {
  const text = typeof n === 'string' ? n : n.text;
  if (!forceQuote && isPlainIdentifier(text)) return text;
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function formatExpr(e: Expr): string {
  switch (e.type) {
    case 'number':
      return e.raw;
    case 'ref':
      return formatName(e.name);
    case 'paren':
      return `(${formatExpr(e.inner)})`;
    case 'unary':
      return `${e.op}${formatExpr(e.operand)}`;
    case 'binary':
      return e.op === '^'
        ? `${formatExpr(e.left)}^${formatExpr(e.right)}`
        : `${formatExpr(e.left)} ${e.op} ${formatExpr(e.right)}`;
  }
}

export function formatValue(v: Value): string {
  switch (v.type) {
    case 'expr':
      return formatExpr(v.expr);
    case 'string':
      return formatName(v.value, true);
    case 'irq':
      return `${formatName(v.controller)}:${formatExpr(v.line)}`;
    case 'list':
      return `[${v.items.map(formatValue).join(', ')}]`;
  }
}

class Printer {
  private readonly out: string[] = [];
  private readonly comments: readonly Comment[];
  private next = 0;
  private lastEnd = 0;

  constructor(
    private readonly text: string,
    private readonly file: BoardFile,
  ) {
    this.comments = file.comments;
  }

  print(): string {
    this.items(this.file.items, 0);
    this.flushComments(this.text.length, 0);
    while (this.out.length > 0 && this.out[this.out.length - 1] === '') this.out.pop();
    return this.out.length === 0 ? '' : this.out.join('\n') + '\n';
  }

  private items(items: readonly (Item | Member)[], depth: number): void {
    for (const item of items) {
      this.flushComments(item.offset, depth);
      const header = this.headerEnd(item);
      this.flushComments(header, depth, true);
      this.blankLineBefore(item.offset);
      this.printItem(item, depth);
      this.lastEnd = item.offset + item.length;
      this.trailingComment(depth);
    }
  }

  /** End of the part of a declaration printed on its first line (comments there move up). */
  private headerEnd(item: Item | Member): number {
    const body = 'body' in item ? item.body : undefined;
    return body ? body.offset : item.offset + item.length;
  }

  private blankLineBefore(offset: number): void {
    if (this.out.length === 0) return;
    const last = this.out[this.out.length - 1]!;
    if (last === '' || last.trimEnd().endsWith('{')) return;
    const between = this.text.substring(this.lastEnd, offset);
    if (/\n[ \t\r]*\n/.test(between)) this.out.push('');
  }

  private flushComments(before: number, depth: number, inside = false): void {
    while (this.next < this.comments.length && this.comments[this.next]!.offset < before) {
      const c = this.comments[this.next++]!;
      if (!inside) this.blankLineBefore(c.offset);
      this.out.push(INDENT.repeat(depth) + this.commentText(c));
      this.lastEnd = c.offset + c.length;
    }
  }

  private commentText(c: Comment): string {
    return this.text.substring(c.offset, c.offset + c.length).trimEnd();
  }

  /** A comment on the same line right after the last printed declaration stays there. */
  private trailingComment(_depth: number): void {
    const c = this.comments[this.next];
    if (!c || this.out.length === 0) return;
    const gap = this.text.substring(this.lastEnd, c.offset);
    if (gap.includes('\n') || gap.trim() !== '') return;
    if (c.block && this.text.substring(c.offset, c.offset + c.length).includes('\n')) return;
    this.next++;
    this.out[this.out.length - 1] += ' ' + this.commentText(c);
    this.lastEnd = c.offset + c.length;
  }

  private hasComment(span: Span): boolean {
    const end = span.offset + span.length;
    for (let i = this.next; i < this.comments.length; i++) {
      const c = this.comments[i]!;
      if (c.offset >= end) return false;
      if (c.offset >= span.offset) return true;
    }
    return false;
  }

  private line(depth: number, text: string): void {
    this.out.push(INDENT.repeat(depth) + text);
  }

  private printItem(item: Item | Member, depth: number): void {
    switch (item.type) {
      case 'board':
        return this.line(depth, `board ${item.name ? formatName(item.name) : ''}`.trimEnd());
      case 'include':
        return this.line(depth, `include ${item.path ? formatName(item.path, true) : ''}`);
      case 'const':
        return this.line(
          depth,
          `const ${formatName(item.name)} = ${item.value ? formatExpr(item.value) : ''}`,
        );
      case 'space':
        return this.line(
          depth,
          `space ${formatName(item.name)}${item.label ? ` ${formatName(item.label, true)}` : ''} = ${item.root ? formatName(item.root) : ''}`,
        );
      case 'cpu': {
        const head = `cpu ${formatName(item.name)} : ${item.model ? formatName(item.model) : ''}`;
        return this.paramBody(head, item.params, item.body, depth);
      }
      case 'param':
        return this.line(depth, this.param(item));
      case 'region':
        return this.region(item, depth);
      case 'reg':
        return this.register(item, depth);
      case 'ioeventfd': {
        const parts = [`ioeventfd ${formatName(item.name)}`];
        if (item.address) parts.push(`@ ${formatExpr(item.address)}`);
        if (item.size) parts.push(`size ${formatExpr(item.size)}`);
        if (item.data) parts.push(`data ${formatExpr(item.data)}`);
        return this.line(depth, parts.join(' '));
      }
      case 'coalesced': {
        const parts = ['coalesced'];
        if (item.address) parts.push(`@ ${formatExpr(item.address)}`);
        if (item.size) parts.push(`size ${formatExpr(item.size)}`);
        return this.line(depth, parts.join(' '));
      }
    }
  }

  private param(p: Param): string {
    return `${formatName(p.name)} = ${p.value ? formatValue(p.value) : ''}`;
  }

  private paramBody(
    head: string,
    params: readonly Param[],
    body: Span | undefined,
    depth: number,
  ): void {
    if (!body) return this.line(depth, head);
    if (params.length === 0 && !this.hasComment(body)) return this.line(depth, `${head} {}`);
    const inline = `${head} { ${params.map((p) => this.param(p)).join(', ')} }`;
    if (!this.hasComment(body) && INDENT.length * depth + inline.length <= MAX_INLINE) {
      return this.line(depth, inline);
    }
    this.line(depth, `${head} {`);
    this.items(params, depth + 1);
    this.close(body, depth);
  }

  private close(body: Span, depth: number): void {
    this.flushComments(body.offset + body.length, depth + 1, true);
    this.line(depth, '}');
    this.lastEnd = body.offset + body.length;
  }

  private region(r: RegionDecl, depth: number): void {
    const parts: string[] = [r.kind, formatName(r.name)];
    if (r.label) parts.push(formatName(r.label, true));
    if (r.model) parts[parts.length - 1] += ` : ${formatName(r.model)}`;
    if (r.address) parts.push(`@ ${formatExpr(r.address)}`);
    if (r.target) parts.push(`-> ${formatName(r.target)}`);
    if (r.targetOffset) parts.push(`offset ${formatExpr(r.targetOffset)}`);
    if (r.size) parts.push(`size ${formatExpr(r.size)}`);
    if (r.maxSize) parts.push(`max-size ${formatExpr(r.maxSize)}`);
    if (r.priority) parts.push(`prio ${formatExpr(r.priority)}`);
    for (const f of r.flags) parts.push(f.name);
    if (r.owner) parts.push(`owner ${formatName(r.owner, true)}`);
    if (r.parentObject) parts.push(`parent ${formatName(r.parentObject, true)}`);
    const head = parts.join(' ');
    const body = r.body;
    if (!body) return this.line(depth, head);
    const onlyParams = body.members.every((m) => m.type === 'param');
    if (onlyParams) return this.paramBody(head, body.members as Param[], body, depth);
    this.line(depth, `${head} {`);
    this.items(body.members, depth + 1);
    this.close(body, depth);
  }

  private register(r: RegDecl, depth: number): void {
    const parts = [`reg ${formatName(r.name)}`];
    if (r.address) parts.push(`@ ${formatExpr(r.address)}`);
    if (r.width) parts.push(`: ${formatName(r.width)}`);
    if (r.access) parts.push(r.access.name);
    if (r.reset) parts.push(`reset ${formatExpr(r.reset)}`);
    const head = parts.join(' ');
    if (!r.body) return this.line(depth, head);
    const members: (FieldDecl | ActionBlock)[] = [...r.fields];
    if (r.onWrite) members.push(r.onWrite);
    if (r.onRead) members.push(r.onRead);
    members.sort((a, b) => a.offset - b.offset);
    if (members.length === 0 && !this.hasComment(r.body)) return this.line(depth, `${head} {}`);
    this.line(depth, `${head} {`);
    for (const m of members) {
      this.flushComments(m.offset, depth + 1);
      this.blankLineBefore(m.offset);
      if ('type' in m) this.line(depth + 1, this.field(m));
      else
        this.actionBlock(
          this.text.substring(m.keyword.offset, m.keyword.offset + m.keyword.length),
          m,
          depth + 1,
        );
      this.lastEnd = m.offset + m.length;
      this.trailingComment(depth + 1);
    }
    this.close(r.body, depth);
  }

  private field(f: FieldDecl): string {
    const bits = f.msb
      ? f.lsb
        ? `[${formatExpr(f.msb)}:${formatExpr(f.lsb)}]`
        : `[${formatExpr(f.msb)}]`
      : '[]';
    const parts = [`field ${formatName(f.name)} ${bits}`];
    if (f.access) parts.push(f.access.name);
    if (f.reset) parts.push(`reset ${formatExpr(f.reset)}`);
    return parts.join(' ');
  }

  private actionBlock(head: string, block: ActionBlock, depth: number): void {
    const prefix = head === '' ? '' : `${head} `;
    if (block.actions.length === 0 && !this.hasComment(block))
      return this.line(depth, `${prefix}{}`);
    const simple = block.actions.length === 1 && block.actions[0]!.type !== 'if';
    if (simple && !this.hasComment(block)) {
      const inline = `${prefix}{ ${this.action(block.actions[0]!)} }`;
      if (INDENT.length * depth + inline.length <= MAX_INLINE) return this.line(depth, inline);
    }
    this.line(depth, `${prefix}{`);
    this.actions(block.actions, depth + 1);
    this.close(block, depth);
  }

  private actions(actions: readonly Action[], depth: number): void {
    for (const a of actions) {
      this.flushComments(a.offset, depth);
      this.blankLineBefore(a.offset);
      if (a.type === 'if') {
        const cond = a.condition ? formatExpr(a.condition) : '';
        this.ifAction(cond, a, depth);
      } else this.line(depth, this.action(a));
      this.lastEnd = a.offset + a.length;
      this.trailingComment(depth);
    }
  }

  private ifAction(cond: string, a: Extract<Action, { type: 'if' }>, depth: number): void {
    this.out.push(INDENT.repeat(depth) + `if ${cond} {`);
    if (a.then) {
      this.actions(a.then.actions, depth + 1);
      this.flushComments(a.then.offset + a.then.length, depth + 1, true);
    }
    if (a.otherwise) {
      this.line(depth, '} else {');
      this.actions(a.otherwise.actions, depth + 1);
      this.flushComments(a.otherwise.offset + a.otherwise.length, depth + 1, true);
    }
    this.line(depth, '}');
  }

  private action(a: Action): string {
    switch (a.type) {
      case 'enable':
      case 'disable':
        return `${a.type} ${formatName(a.region)}${a.condition ? ` = ${formatExpr(a.condition)}` : ''}`;
      case 'move':
        return `move ${formatName(a.region)} @ ${a.address ? formatExpr(a.address) : ''}`;
      case 'alias-offset':
        return `alias-offset ${formatName(a.region)} = ${a.value ? formatExpr(a.value) : ''}`;
      case 'resize':
        return `resize ${formatName(a.region)} = ${a.value ? formatExpr(a.value) : ''}`;
      case 'if':
        return `if ${a.condition ? formatExpr(a.condition) : ''} { … }`;
    }
  }
}
