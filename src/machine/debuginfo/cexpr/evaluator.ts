/**
 * Evaluates parsed C expressions over a frame's names the way gdb's C language does: lvalues
 * stay in memory (so members, elements and `&` work), arrays decay to pointers in arithmetic,
 * the usual arithmetic conversions (gdb's binop_promote), pointer arithmetic scaled by the target
 * size, casts to program and built-in types, and assignment through memory or registers. Errors
 * are ExpressionErrors with gdb's wording and the column of the failing node.
 */
import { type FormatOptions, formatTopLevel } from '../values';
import { typeName } from '../types';
import {
  type DwarfType,
  type EnumType,
  type Member,
  arrayOf,
  isIntegral,
  pointerTo,
  stripType,
} from '../types';
import { availability, floatOf, integerOf } from '../values';
import { Value, valueFromBytes, valueFromInteger } from '../values';
import { cannotAccess } from '../values';
import type { Expression, TypeExpression } from './ast';
import { BUILTIN, builtinFromWords } from './builtinTypes';
import { ExpressionError } from './lexer';
import { parseExpression } from './parser';
import { planAssignment } from './assignment';
import { commonType, compare, integerOperation, promote, wrapTo } from './arithmetic';
import type { ExpressionScope } from './scope';

/**
 * For setVariable: the value of `text` (a C expression) converted to `type` as an assignment
 * would convert it; pass the result to planAssignment. Throws ExpressionError.
 */
export function valueForAssignment(text: string, type: DwarfType, scope: ExpressionScope): Value {
  const ast = parseExpression(text, { isTypedef: (n) => scope.isTypedef?.(n) ?? false });
  const evaluator = new Evaluator(scope);
  return evaluator.cast(evaluator.evaluate(ast), type, ast);
}

export function evaluateExpression(text: string, scope: ExpressionScope): Value {
  const ast = parseExpression(text, { isTypedef: (n) => scope.isTypedef?.(n) ?? false });
  return new Evaluator(scope).evaluate(ast);
}

/** `print EXPR` as gdb prints it: the value's text, or gdb's error message. */
export function printExpression(
  text: string,
  scope: ExpressionScope,
  options: FormatOptions = {},
): { ok: true; text: string; value: Value } | { ok: false; message: string; column: number } {
  try {
    const value = evaluateExpression(text, scope);
    // gdb fetches a printed value whole: unreadable memory is an error, not a field marker.
    if (availability(value) === 'unreadable')
      return {
        ok: false,
        message: cannotAccess(value.contents().unreadableAt ?? value.address ?? 0),
        column: 0,
      };
    return { ok: true, text: formatTopLevel(value, options), value };
  } catch (e) {
    if (e instanceof ExpressionError) return { ok: false, message: e.message, column: e.column };
    throw e;
  }
}

type Numeric =
  | { kind: 'int'; value: bigint; type: DwarfType }
  | { kind: 'float'; value: number; type: DwarfType };

class Evaluator {
  constructor(private readonly scope: ExpressionScope) {}

  private fail(message: string, node: { column: number }): never {
    throw new ExpressionError(message, node.column);
  }

  evaluate(node: Expression): Value {
    switch (node.kind) {
      case 'identifier':
        return this.identifier(node.name, node);
      case 'scoped': {
        const found = this.scope.variableInFunction?.(node.function, node.name) ?? 'no function';
        if (found === 'no function')
          return this.fail(`No symbol "${node.function}" in current context.`, node);
        if (found === 'no variable')
          return this.fail(`No symbol "${node.name}" in specified context.`, node);
        if (found === 'no frame')
          return this.fail(`No frame is currently executing in block ${node.function}.`, node);
        return found.value();
      }
      case 'register': {
        const r = this.scope.registers?.read(node.name);
        // gdb: an unknown `$name` is an unset convenience variable, which prints as `void`.
        if (!r) return valueFromBytes(BUILTIN.void, new Uint8Array(0), this.scope.readMemory);
        return valueFromInteger(r.type, BigInt(r.value >>> 0), this.scope.readMemory);
      }
      case 'integer':
        return this.integer(node.value, BUILTIN[node.type as 'int'] ?? BUILTIN.int);
      case 'float':
        return this.float(node.value, node.single ? BUILTIN.float : BUILTIN.double);
      case 'char':
        return this.integer(BigInt(node.value), BUILTIN.char);
      case 'string': {
        const bytes = Uint8Array.from([...node.bytes, 0]);
        return valueFromBytes(arrayOf(BUILTIN.char, bytes.length), bytes, this.scope.readMemory);
      }
      case 'unary':
        return this.unary(node);
      case 'binary':
        return this.binary(
          node.operator,
          this.evaluate(node.left),
          this.evaluate(node.right),
          node,
        );
      case 'conditional':
        return this.truth(this.evaluate(node.test), node.test)
          ? this.evaluate(node.whenTrue)
          : this.evaluate(node.whenFalse);
      case 'assign': {
        if (node.target.kind === 'register') return this.assignRegister(node.target.name, node);
        const target = this.evaluate(node.target);
        let value = this.evaluate(node.value);
        if (node.operator !== '=') value = this.binary(node.operator, target, value, node);
        return this.assign(target, value, node);
      }
      case 'member':
        return this.member(
          node.arrow
            ? this.dereference(this.evaluate(node.object), node, true)
            : this.evaluate(node.object),
          node.name,
          node,
        );
      case 'index':
        return this.index(this.evaluate(node.object), this.evaluate(node.index), node);
      case 'cast':
        return this.cast(this.evaluate(node.operand), this.resolveType(node.type), node);
      case 'sizeofType':
        return this.integer(BigInt(this.resolveType(node.type).size), BUILTIN.int);
      case 'sizeofExpression':
        return this.integer(BigInt(this.evaluate(node.operand).type.size), BUILTIN.int);
    }
  }

  private integer(value: bigint, type: DwarfType): Value {
    return valueFromInteger(type, value, this.scope.readMemory);
  }

  private float(value: number, type: DwarfType): Value {
    const bytes = new Uint8Array(type.size);
    const view = new DataView(bytes.buffer);
    if (type.size === 4) view.setFloat32(0, value, true);
    else view.setFloat64(0, value, true);
    return valueFromBytes(type, bytes, this.scope.readMemory);
  }

  private identifier(name: string, node: { column: number }): Value {
    const variable = this.scope.lookup(name);
    if (variable) return variable.value();
    const fn = this.scope.functionNamed?.(name);
    if (fn)
      return new Value(fn.type, { kind: 'memory', address: fn.address }, this.scope.readMemory);
    const enumerator = this.scope.enumerator?.(name);
    if (enumerator) return this.integer(enumerator.value, enumerator.type);
    return this.fail(`No symbol "${name}" in current context.`, node);
  }

  private resolveType(t: TypeExpression): DwarfType {
    return resolveTypeExpression(t, this.scope);
  }

  /** The bytes of a value must be there to compute with it. */
  private checkAvailable(v: Value, node: { column: number }): void {
    const state = availability(v);
    if (state === 'ok') return;
    if (v.error !== undefined) this.fail(v.error, node);
    if (state === 'optimized-out') this.fail('value has been optimized out', node);
    if (state === 'not-saved') this.fail('value is not available', node);
    this.fail(cannotAccess(v.contents().unreadableAt ?? v.address ?? 0), node);
  }

  /** Arrays and functions used as values become pointers (C's decay). */
  private decay(v: Value, node: { column: number }): Value {
    const t = stripType(v.type);
    if (t.kind === 'array') {
      if (v.address === undefined)
        this.fail('Attempt to take address of value not located in memory.', node);
      return this.integer(BigInt(v.address), pointerTo(t.element));
    }
    if (t.kind === 'function') return this.integer(BigInt(v.address ?? 0), pointerTo(v.type));
    return v;
  }

  private numeric(v: Value, node: { column: number }): Numeric {
    const d = this.decay(v, node);
    const t = stripType(d.type);
    this.checkAvailable(d, node);
    if (t.kind === 'base' && t.encoding === 'float')
      return { kind: 'float', value: floatOf(d), type: t };
    if (isIntegral(t) || t.kind === 'pointer')
      return { kind: 'int', value: integerOf(d), type: d.type };
    return this.fail('Argument to arithmetic operation not a number or boolean.', node);
  }

  private truth(v: Value, node: { column: number }): boolean {
    const n = this.numeric(v, node);
    return n.kind === 'float' ? n.value !== 0 : n.value !== 0n;
  }

  private unary(node: Extract<Expression, { kind: 'unary' }>): Value {
    const operand = this.evaluate(node.operand);
    switch (node.operator) {
      case '*':
        return this.dereference(operand, node, false);
      case '&':
        if (
          node.operand.kind === 'identifier' &&
          (operand.address === undefined || operand.bitfield)
        )
          this.fail(`Can't take address of "${node.operand.name}" which isn't an lvalue.`, node);
        return this.addressOf(operand, node);
      case '!':
        return this.integer(this.truth(operand, node) ? 0n : 1n, BUILTIN.int);
      default: {
        const n = this.numeric(operand, node);
        if (n.kind === 'float') {
          if (node.operator === '~')
            this.fail('Argument to complement operation not an integer, boolean.', node);
          return this.float(node.operator === '-' ? -n.value : n.value, n.type);
        }
        if (stripType(n.type).kind === 'pointer')
          this.fail('Argument to arithmetic operation not a number or boolean.', node);
        const type = promote(n.type);
        const value = node.operator === '-' ? -n.value : node.operator === '~' ? ~n.value : n.value;
        return this.integer(wrapTo(value, type), type);
      }
    }
  }

  private binary(op: string, left: Value, right: Value, node: { column: number }): Value {
    if (op === '@') return this.repeat(left, right, node);
    if (op === '&&' || op === '||') {
      const l = this.truth(left, node);
      if (op === '&&' && !l) return this.integer(0n, BUILTIN.int);
      if (op === '||' && l) return this.integer(1n, BUILTIN.int);
      return this.integer(this.truth(right, node) ? 1n : 0n, BUILTIN.int);
    }
    const a = this.numeric(left, node);
    const b = this.numeric(right, node);
    const pa = stripType(a.type).kind === 'pointer' ? a : undefined;
    const pb = stripType(b.type).kind === 'pointer' ? b : undefined;
    if (pa || pb) return this.pointerArithmetic(op, a, b, node);
    const comparison = ['==', '!=', '<', '>', '<=', '>='].includes(op);
    if (a.kind === 'float' || b.kind === 'float') {
      const type =
        a.kind === 'float' && b.kind === 'float'
          ? a.type.size >= b.type.size
            ? a.type
            : b.type
          : a.kind === 'float'
            ? a.type
            : b.type;
      const x = Number(a.value);
      const y = Number(b.value);
      if (comparison) return this.integer(compare(op, x, y) ? 1n : 0n, BUILTIN.int);
      let r: number;
      switch (op) {
        case '+':
          r = x + y;
          break;
        case '-':
          r = x - y;
          break;
        case '*':
          r = x * y;
          break;
        case '/':
          r = x / y;
          break;
        default:
          return this.fail('Integer-only operation on floating point number.', node);
      }
      return this.float(type.size === 4 ? Math.fround(r) : r, type);
    }
    const type = op === '<<' || op === '>>' ? promote(a.type) : commonType(a.type, b.type);
    const x = wrapTo(a.value, type);
    const y = op === '<<' || op === '>>' ? wrapTo(b.value, promote(b.type)) : wrapTo(b.value, type);
    if (comparison) return this.integer(compare(op, x, y) ? 1n : 0n, BUILTIN.int);
    const r = integerOperation(op, x, y, type);
    if (r === 'division by zero') return this.fail('Division by zero', node);
    if (r === undefined) return this.fail(`Unknown operator ${op}`, node);
    return this.integer(r, type);
  }

  private pointerArithmetic(op: string, a: Numeric, b: Numeric, node: { column: number }): Value {
    const aPtr = stripType(a.type).kind === 'pointer';
    const bPtr = stripType(b.type).kind === 'pointer';
    const x = BigInt(a.value);
    const y = BigInt(b.value);
    if (['==', '!=', '<', '>', '<=', '>='].includes(op))
      return this.integer(
        compare(op, BigInt.asUintN(32, x), BigInt.asUintN(32, y)) ? 1n : 0n,
        BUILTIN.int,
      );
    const targetSize = (t: DwarfType) => {
      const p = stripType(t);
      const size = p.kind === 'pointer' ? stripType(p.target).size : 1;
      return BigInt(size === 0 ? 1 : size);
    };
    if (op === '-' && aPtr && bPtr) {
      const size = targetSize(a.type);
      if (size !== targetSize(b.type))
        this.fail(
          "First argument of `-' is a pointer and second argument is neither\nan integer nor a pointer of the same type.",
          node,
        );
      return this.integer(BigInt.asIntN(32, x - y) / size, BUILTIN.long);
    }
    if (op === '+' && aPtr !== bPtr) {
      const [pointer, offset] = aPtr ? [a, y] : [b, x];
      const sum = BigInt(pointer.value) + offset * targetSize(pointer.type);
      return this.integer(BigInt.asUintN(32, sum), pointer.type);
    }
    if (op === '-' && aPtr && b.kind === 'int')
      return this.integer(BigInt.asUintN(32, x - y * targetSize(a.type)), a.type);
    return this.fail('Argument to arithmetic operation not a number or boolean.', node);
  }

  private dereference(v: Value, node: { column: number }, forMember: boolean): Value {
    const t = stripType(v.type);
    if (t.kind === 'array') {
      if (v.address === undefined) return v.element(0);
      return new Value(t.element, { kind: 'memory', address: v.address }, this.scope.readMemory);
    }
    if (t.kind === 'function') return v;
    const implicit = v.location?.length === 1 ? v.location[0]!.part : undefined;
    if (t.kind === 'pointer' && implicit?.kind === 'implicit-pointer') {
      const target = this.scope.implicitPointerTarget?.(implicit.die, implicit.offset, t.target);
      if (target) return target;
      return this.fail('Cannot access memory of a synthetic pointer.', node);
    }
    if (!forMember && isIntegral(t) && t.kind === 'base') {
      // gdb lets `*` apply to an integer: the int at that address (value_ind).
      this.checkAvailable(v, node);
      const address = Number(BigInt.asUintN(32, integerOf(v)));
      return new Value(BUILTIN.int, { kind: 'memory', address }, this.scope.readMemory);
    }
    if (t.kind !== 'pointer' || stripType(t.target).kind === 'void') {
      if (forMember && (t.kind === 'struct' || t.kind === 'union')) return v; // gdb accepts s->f on a struct
      return this.fail(
        forMember
          ? 'Attempt to extract a component of a value that is not a structure pointer.'
          : 'Attempt to take contents of a non-pointer value.',
        node,
      );
    }
    this.checkAvailable(v, node);
    const address = Number(BigInt.asUintN(32, integerOf(v)));
    return new Value(t.target, { kind: 'memory', address }, this.scope.readMemory);
  }

  private addressOf(v: Value, node: { column: number }): Value {
    if (v.address === undefined || v.bitfield)
      return this.fail('Attempt to take address of value not located in memory.', node);
    return this.integer(BigInt(v.address), pointerTo(v.type));
  }

  private member(object: Value, name: string, node: { column: number }): Value {
    const t = stripType(object.type);
    if (t.kind !== 'struct' && t.kind !== 'union')
      return this.fail('Attempt to extract a component of a value that is not a structure.', node);
    const found = findMember(object, t.members, name);
    if (!found) return this.fail(`There is no member named ${name}.`, node);
    return found;
  }

  private index(object: Value, index: Value, node: { column: number }): Value {
    const t = stripType(object.type);
    const i = this.numeric(index, node);
    if (i.kind !== 'int' || stripType(i.type).kind === 'pointer')
      return this.fail('Argument to arithmetic operation not a number or boolean.', node);
    if (t.kind === 'array') {
      const n = Number(i.value) - t.lowerBound;
      if (object.address !== undefined) {
        return new Value(
          t.element,
          { kind: 'memory', address: (object.address + n * t.element.size) >>> 0 },
          this.scope.readMemory,
        );
      }
      if (n < 0 || (t.count !== undefined && n >= t.count))
        return this.fail('no such vector element', node);
      return object.element(n);
    }
    const implicit = object.location?.length === 1 ? object.location[0]!.part : undefined;
    if (t.kind === 'pointer' && implicit?.kind === 'implicit-pointer') {
      const size = stripType(t.target).size;
      const at = implicit.offset + Number(i.value) * size;
      const target = this.scope.implicitPointerTarget?.(implicit.die, at, t.target);
      if (target) return target;
      return this.fail('Cannot access memory of a synthetic pointer.', node);
    }
    if (t.kind === 'pointer') {
      const pointer = this.numeric(object, node);
      const size = stripType(t.target).size;
      const address = Number(BigInt.asUintN(32, BigInt(pointer.value) + i.value * BigInt(size)));
      return new Value(t.target, { kind: 'memory', address }, this.scope.readMemory);
    }
    return this.fail(`cannot subscript something of type \`${typeName(object.type)}'`, node);
  }

  private repeat(left: Value, count: Value, node: { column: number }): Value {
    const n = this.numeric(count, node);
    if (n.kind !== 'int' || n.value <= 0n)
      return this.fail("Only values in memory can be extended with '@'.", node);
    if (left.address === undefined)
      return this.fail("Only values in memory can be extended with '@'.", node);
    return new Value(
      arrayOf(left.type, Number(n.value)),
      { kind: 'memory', address: left.address },
      this.scope.readMemory,
    );
  }

  cast(v: Value, type: DwarfType, node: { column: number }): Value {
    const target = stripType(type);
    if (target.kind === 'struct' || target.kind === 'union' || target.kind === 'array') {
      const source = stripType(v.type);
      if (source === target || (v.address !== undefined && source.size === target.size))
        return v.reinterpret(type);
      return this.fail('Invalid cast.', node);
    }
    if (target.kind === 'void')
      return valueFromBytes(type, new Uint8Array(0), this.scope.readMemory);
    const n = this.numeric(v, node);
    if (target.kind === 'base' && target.encoding === 'float')
      return this.float(Number(n.value), type);
    if (target.kind === 'base' || target.kind === 'enum' || target.kind === 'pointer') {
      let value: bigint;
      if (n.kind === 'float') {
        if (!Number.isFinite(n.value)) value = 0n;
        else value = BigInt(Math.trunc(n.value));
      } else value = n.value;
      if (target.kind === 'base' && target.encoding === 'boolean') value = value !== 0n ? 1n : 0n;
      return this.integer(wrapTo(value, type), type);
    }
    return this.fail('Invalid cast.', node);
  }

  private assignRegister(name: string, node: Extract<Expression, { kind: 'assign' }>): Value {
    const current = this.scope.registers?.read(name);
    if (!current) return this.fail('Left operand of assignment is not an lvalue.', node);
    const target = valueFromInteger(current.type, BigInt(current.value), this.scope.readMemory);
    let value = this.evaluate(node.value);
    if (node.operator !== '=') value = this.binary(node.operator, target, value, node);
    const converted = this.cast(value, current.type, node);
    this.checkAvailable(converted, node);
    const n = Number(BigInt.asUintN(32, integerOf(converted)));
    if (!this.scope.registers?.write?.(name, n))
      return this.fail(`Could not write register $${name}.`, node);
    return converted;
  }

  private assign(target: Value, value: Value, node: { column: number }): Value {
    const converted = this.cast(value, target.type, node);
    this.checkAvailable(converted, node);
    const plan = planAssignment(target, converted);
    if (typeof plan === 'string') return this.fail(plan, node);
    const scope = this.scope;
    if (plan.kind === 'discarded') {
      const size = target.type.size;
      return new Value(
        target.type,
        {
          kind: 'contents',
          contents: { bytes: new Uint8Array(size), status: new Uint8Array(size).fill(1) },
        },
        scope.readMemory,
      );
    }
    if (plan.kind === 'memory') {
      if (!scope.writeMemory)
        return this.fail('Left operand of assignment is not an lvalue.', node);
      const error = scope.writeMemory(plan.address, plan.bytes);
      if (error) this.fail(error, node);
      return new Value(
        target.type,
        { kind: 'memory', address: plan.address },
        scope.readMemory,
        undefined,
        target.bitfield,
      );
    }
    if (!scope.registers?.writeDwarf?.(plan.register, plan.value))
      return this.fail('Left operand of assignment is not an lvalue.', node);
    return valueFromBytes(target.type, converted.contents().bytes, scope.readMemory);
  }
}

/** A member by name, looking into anonymous struct/union members as C does. */
function findMember(object: Value, members: readonly Member[], name: string): Value | undefined {
  for (const m of members) {
    if (m.name === name) return object.member(m);
  }
  for (const m of members) {
    if (m.name !== undefined) continue;
    const t = stripType(m.type);
    if (t.kind !== 'struct' && t.kind !== 'union') continue;
    const inner = findMember(object.member(m), t.members, name);
    if (inner) return inner;
  }
  return undefined;
}

export type { EnumType };

/** The type a parsed type name denotes in `scope` (ExpressionError when it names nothing). */
export function resolveTypeExpression(t: TypeExpression, scope: ExpressionScope): DwarfType {
  let type: DwarfType | undefined;
  const spec = t.specifier;
  if (spec.kind === 'builtin') type = builtinFromWords(spec.words);
  else if (spec.kind === 'tagged') {
    type = scope.typeNamed?.(`${spec.tag} ${spec.name}`);
    if (!type) throw new ExpressionError(`No ${spec.tag} type named ${spec.name}.`, t.column);
  } else type = scope.typeNamed?.(spec.name);
  if (!type) {
    const name = spec.kind === 'builtin' ? spec.words.join(' ') : spec.name;
    throw new ExpressionError(`No symbol "${name}" in current context.`, t.column);
  }
  for (const d of t.declarators)
    type = d.kind === 'pointer' ? pointerTo(type) : arrayOf(type, d.count);
  return type;
}
