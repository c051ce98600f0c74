/**
 * Type names as gdb's `whatis` prints them (C declarator syntax without a variable name):
 * `int`, `const char *`, `char * const`, `int [3][4]`, `int (*)[4]`, `char *[3]`,
 * `int (*)(const struct shape *)`, `struct point`, `union word`, `enum color`, `struct {...}`;
 * and as `ptype` prints them: typedefs resolved, the struct, union or enum at the base written
 * out (`struct point {\n    int x;\n    int y;\n} [3]`).
 */
import type { DwarfType, EnumType, RecordType } from './types';

export function typeName(type: DwarfType): string {
  return declarator(type, '', 0);
}

/** A declaration of `name` with this type (`int (*area)(const struct shape *)`). */
export function declaration(type: DwarfType, name: string): string {
  return declarator(type, name, 0);
}

/** gdb's `ptype` text for a type (without `type = `). */
export function ptypeText(type: DwarfType): string {
  return declarator(type, '', 0, (base) => expandedBase(base, 0, 1));
}

type BaseRenderer = (base: DwarfType) => string | undefined;

/**
 * gdb's `show` level: the ptype'd type is written out at show 1; a member's type is printed at
 * show - 1, and an anonymous struct/union is written out only while show ≥ 0 (else `struct {...}`).
 */
function expandedBase(type: DwarfType, indent: number, show: number): string | undefined {
  if (type.kind === 'struct' || type.kind === 'union') return recordBody(type, indent, show);
  if (type.kind === 'enum') return enumBody(type);
  return undefined;
}

function recordBody(type: RecordType, indent: number, show: number): string {
  const pad = ' '.repeat(indent + 4);
  const lines = type.members.map((m) => {
    const anonymous =
      (m.type.kind === 'struct' || m.type.kind === 'union') && m.type.name === undefined;
    const text =
      anonymous && show - 1 >= 0
        ? declarator(m.type, m.name ?? '', 0, (b) =>
            b === m.type ? recordBody(m.type as RecordType, indent + 4, show - 1) : undefined,
          )
        : declarator(m.type, m.name ?? '', 0);
    return `${pad}${text}${m.bitSize !== undefined ? ` : ${m.bitSize}` : ''};\n`;
  });
  const head = type.name === undefined ? type.kind : `${type.kind} ${type.name}`;
  return `${head} {\n${lines.join('')}${' '.repeat(indent)}}`;
}

function enumBody(type: EnumType): string {
  let next = 0n;
  const items = type.enumerators.map((e) => {
    const text = e.value === next ? e.name : `${e.name} = ${e.value}`;
    next = e.value + 1n;
    return text;
  });
  return `enum ${type.name !== undefined ? `${type.name} ` : ''}{${items.join(', ')}}`;
}

function join(base: string, inner: string): string {
  return inner === '' ? base : `${base} ${inner}`;
}

function recordName(kind: string, name: string | undefined): string {
  return `${kind} ${name ?? '{...}'}`;
}

function declarator(type: DwarfType, inner: string, depth: number, base?: BaseRenderer): string {
  if (depth > 64) return join('<recursive type>', inner);
  const expanded = base?.(type);
  if (expanded !== undefined) return join(expanded, inner);
  switch (type.kind) {
    case 'void':
      return join('void', inner);
    case 'typedef':
      // ptype looks through typedefs; whatis names them.
      return base ? declarator(type.target, inner, depth + 1, base) : join(type.name, inner);
    case 'base':
      return join(type.name, inner);
    case 'struct':
    case 'union':
      return join(recordName(type.kind, type.name), inner);
    case 'enum':
      return join(recordName('enum', type.name), inner);
    case 'unsupported':
      return join('<unknown type>', inner);
    case 'pointer':
      return declarator(type.target, `*${inner}`, depth + 1, base);
    case 'qualified': {
      // Qualifiers of a pointer follow its star (`char * const`); others lead (`const int`).
      const quals: string[] = [];
      let t: DwarfType = type;
      while (t.kind === 'qualified') {
        quals.unshift(t.qualifier);
        t = t.target;
      }
      const q = quals.join(' ');
      if (t.kind === 'pointer')
        return declarator(t.target, `* ${q}${inner ? ` ${inner}` : ''}`, depth + 1, base);
      return `${q} ${declarator(t, inner, depth + 1, base)}`;
    }
    case 'array': {
      const bound = `[${type.count ?? ''}]`;
      const wrapped = inner.startsWith('*') ? `(${inner})${bound}` : `${inner}${bound}`;
      return declarator(type.element, wrapped, depth + 1, base);
    }
    case 'function': {
      const params = type.parameters.map((p) => typeName(p));
      if (type.variadic) params.push('...');
      const list = params.length > 0 ? params.join(', ') : type.prototyped ? 'void' : '';
      const wrapped = inner.startsWith('*') ? `(${inner})(${list})` : `${inner}(${list})`;
      return declarator(type.returnType, wrapped, depth + 1, base);
    }
  }
}
