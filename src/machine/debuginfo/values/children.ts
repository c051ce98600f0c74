/**
 * The children a debugger shows under a value: members of structs and unions (anonymous ones
 * by their members' names as C reaches them), elements of arrays (paged: a start and a count),
 * the target of a pointer. Each child says how C names it relative to its parent, so the adapter
 * can build `evaluateName` (`s.a`, `a[3]`, `*p`).
 */
import { type DwarfType, stripType } from '../types';
import { availability, integerOf } from './scalar';
import { Value } from './value';

export interface ValueChild {
  /** The name shown (`x`, `[3]`, `*p`). */
  readonly name: string;
  /** Builds the C expression of the child from the parent's (`(p)` → `(p).x`). */
  readonly expression: (parent: string) => string;
  readonly value: Value;
}

/** Number of array elements (for DAP indexedVariables); 0 for anything else. */
export function indexedCount(value: Value): number {
  const t = stripType(value.type);
  return t.kind === 'array' ? (t.count ?? 0) : 0;
}

/** Whether the value has children to expand. */
export function hasChildren(value: Value): boolean {
  const t = stripType(value.type);
  if (t.kind === 'struct' || t.kind === 'union') return t.members.length > 0;
  if (t.kind === 'array') return (t.count ?? 0) > 0;
  if (t.kind === 'pointer') {
    const target = stripType(t.target);
    return (
      target.kind !== 'void' &&
      target.kind !== 'function' &&
      availability(value) === 'ok' &&
      integerOf(value) !== 0n
    );
  }
  return false;
}

const wrap = (parent: string) =>
  /^[\w.$[\]>-]+$/.test(parent) && !parent.startsWith('*') ? parent : `(${parent})`;

/** Children of a value; arrays from `start` (index into the array), at most `count` of them. */
export function childrenOf(value: Value, start = 0, count = Infinity): ValueChild[] {
  const t = stripType(value.type);
  if (t.kind === 'struct' || t.kind === 'union') {
    return t.members.map((m, i) => {
      const name = m.name ?? `<anonymous ${i}>`;
      return {
        name,
        expression: (parent: string) => (m.name ? `${wrap(parent)}.${m.name}` : parent),
        value: value.member(m),
      };
    });
  }
  if (t.kind === 'array') {
    const end = Math.min(t.count ?? 0, start + count);
    const out: ValueChild[] = [];
    for (let i = start; i < end; i++) {
      const index = i + t.lowerBound;
      out.push({
        name: `[${index}]`,
        expression: (parent) => `${wrap(parent)}[${index}]`,
        value: value.element(i),
      });
    }
    return out;
  }
  if (t.kind === 'pointer' && hasChildren(value)) {
    const address = Number(BigInt.asUintN(32, integerOf(value)));
    return [
      {
        name: '*',
        expression: (parent) => `*${wrap(parent)}`,
        value: new Value(t.target as DwarfType, { kind: 'memory', address }, value.readMemory),
      },
    ];
  }
  return [];
}
