/**
 * Type names as gdb's `whatis` prints them (C declarator syntax without a variable name):
 * `int`, `const char *`, `char * const`, `int [3][4]`, `int (*)[4]`, `char *[3]`,
 * `int (*)(const struct shape *)`, `struct point`, `union word`, `enum color`, `struct {...}`.
 */
import type { DwarfType } from './types';

export function typeName(type: DwarfType): string {
  return declarator(type, '', 0);
}

function join(base: string, inner: string): string {
  return inner === '' ? base : `${base} ${inner}`;
}

function recordName(kind: string, name: string | undefined): string {
  return `${kind} ${name ?? '{...}'}`;
}

function declarator(type: DwarfType, inner: string, depth: number): string {
  if (depth > 64) return join('<recursive type>', inner);
  switch (type.kind) {
    case 'void':
      return join('void', inner);
    case 'base':
    case 'typedef':
      return join(type.name, inner);
    case 'struct':
    case 'union':
      return join(recordName(type.kind, type.name), inner);
    case 'enum':
      return join(recordName('enum', type.name), inner);
    case 'unsupported':
      return join('<unknown type>', inner);
    case 'pointer':
      return declarator(type.target, `*${inner}`, depth + 1);
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
        return declarator(t.target, `* ${q}${inner ? ` ${inner}` : ''}`, depth + 1);
      return `${q} ${declarator(t, inner, depth + 1)}`;
    }
    case 'array': {
      const bound = `[${type.count ?? ''}]`;
      const wrapped = inner.startsWith('*') ? `(${inner})${bound}` : `${inner}${bound}`;
      return declarator(type.element, wrapped, depth + 1);
    }
    case 'function': {
      const params = type.parameters.map((p) => typeName(p));
      if (type.variadic) params.push('...');
      const list = params.length > 0 ? params.join(', ') : type.prototyped ? 'void' : '';
      const wrapped = inner.startsWith('*') ? `(${inner})(${list})` : `${inner}(${list})`;
      return declarator(type.returnType, wrapped, depth + 1);
    }
  }
}
