/**
 * Values printed exactly as gdb 13 prints them for C (`print` and `info locals`): decimal
 * integers, `65 'A'` chars, `true`, floats with %.9g / %.17g, enums by name or `(A | B)`,
 * pointers as `0x80001234 <sym+4>` (with `(type) ` in front at the top level, except `char *`),
 * strings with gdb's escapes and `'\000' <repeats 16 times>` runs, `{a = 1, b = {...}}`
 * aggregates, `{1 <repeats 12 times>, 2}` arrays with the 200-element limit, and
 * `<optimized out>` / `<error: Cannot access memory at address 0x...>`.
 */
import { typeName } from '../types';
import { type DwarfType, isCharType, stripType } from '../types';
import { availability, entirelyOptimizedOut, integerOf } from './scalar';
import { BYTE_OK, type Value, readMemoryContents } from './value';

export interface FormatOptions {
  /** `sym` or `sym+off` for an address, as gdb's `<...>` after pointers; undefined for none. */
  readonly symbolize?: (address: number) => string | undefined;
  /** print elements (default 200) */
  readonly printElements?: number;
  /** print repeats (default 10) */
  readonly repeatThreshold?: number;
}

const hex = (n: number | bigint) => `0x${n.toString(16)}`;

export function cannotAccess(address: number): string {
  return `Cannot access memory at address ${hex(address >>> 0)}`;
}

/** gdb's `print` text for a value (without `$1 = `). */
export function formatTopLevel(value: Value, options: FormatOptions = {}): string {
  const t = stripType(value.type);
  const state = availability(value);
  if (t.kind === 'pointer' && (state === 'ok' || state === 'synthetic')) {
    const prefix = omitsPointerPrefix(value.type) ? '' : `(${typeName(value.type)}) `;
    return prefix + formatValue(value, options);
  }
  if (t.kind === 'function') {
    const address = value.address ?? 0;
    const symbol = options.symbolize?.(address);
    return `{${typeName(value.type)}} ${hex(address)}${symbol ? ` <${symbol}>` : ''}`;
  }
  return formatValue(value, options);
}

/** gdb leaves out `(char *)` for pointers to plain `char` (any qualifiers), unnamed pointers only. */
function omitsPointerPrefix(type: DwarfType): boolean {
  let t = type;
  while (t.kind === 'qualified') t = t.target;
  if (t.kind !== 'pointer') return false;
  let target = t.target;
  while (target.kind === 'qualified') target = target.target;
  return target.kind === 'base' && target.name === 'char';
}

/** gdb's text for a value inside an aggregate or in `info locals`. */
export function formatValue(value: Value, options: FormatOptions = {}): string {
  return new Printer(options).value(value, 0);
}

class Printer {
  private readonly elements: number;
  private readonly threshold: number;

  constructor(private readonly options: FormatOptions) {
    this.elements = options.printElements ?? 200;
    this.threshold = options.repeatThreshold ?? 10;
  }

  value(value: Value, depth: number): string {
    if (value.error !== undefined) return `<error: ${value.error}>`;
    const t = stripType(value.type);
    if (t.kind === 'unsupported') return `<error: ${t.reason}>`;
    if (depth > 32) return '{...}';
    if (entirelyOptimizedOut(value)) return '<optimized out>';
    switch (t.kind) {
      case 'struct':
      case 'union':
        return this.record(value, t.members, depth);
      case 'array':
        return this.array(value, depth);
      case 'function': {
        const address = value.address ?? 0;
        const symbol = this.options.symbolize?.(address);
        return `{${typeName(value.type)}} ${hex(address)}${symbol ? ` <${symbol}>` : ''}`;
      }
      case 'void':
        return 'void';
      default:
        return this.scalar(value);
    }
  }

  private unavailable(value: Value): string | undefined {
    switch (availability(value)) {
      case 'ok':
        return undefined;
      case 'optimized-out':
        return '<optimized out>';
      case 'not-saved':
        return '<not saved>';
      case 'synthetic':
        return '<synthetic pointer>';
      default: {
        const at = value.contents().unreadableAt ?? value.address ?? 0;
        return `<error: ${cannotAccess(at)}>`;
      }
    }
  }

  private scalar(value: Value): string {
    const missing = this.unavailable(value);
    if (missing) return missing;
    const t = stripType(value.type);
    switch (t.kind) {
      case 'enum':
        return formatEnum(t, integerOf(value));
      case 'pointer':
        return this.pointer(value);
      case 'base': {
        if (t.encoding === 'float') return formatFloatBytes(value.contents().bytes, t.size);
        const n = integerOf(value);
        if (t.encoding === 'boolean') return n === 0n ? 'false' : n === 1n ? 'true' : n.toString();
        if (isCharType(t) && !value.bitfield)
          return `${n} ${charLiteral(Number(BigInt.asUintN(8, n)))}`;
        return n.toString();
      }
      default:
        return '?';
    }
  }

  private pointer(value: Value): string {
    const t = stripType(value.type);
    if (t.kind !== 'pointer') return '?';
    const address = Number(BigInt.asUintN(32, integerOf(value)));
    const target = stripType(t.target);
    let text = hex(address);
    const symbol = this.options.symbolize?.(address);
    if (symbol) text += ` <${symbol}>`;
    if (isCharType(target) && address !== 0) text += ` ${this.cString(value, address)}`;
    return text;
  }

  /** The NUL-terminated string at `address`, at most `print elements` characters. */
  private cString(value: Value, address: number): string {
    const limit = this.elements;
    const chars: number[] = [];
    let error: string | undefined;
    let terminated = false;
    for (let offset = 0; offset < limit; offset += 64) {
      const want = Math.min(64, limit - offset);
      const c = readMemoryContents(value.readMemory, (address + offset) >>> 0, want);
      let stop = false;
      for (let i = 0; i < want; i++) {
        if (c.status[i] !== BYTE_OK) {
          error = cannotAccess((address + offset + i) >>> 0);
          stop = true;
          break;
        }
        if (c.bytes[i] === 0) {
          terminated = true;
          stop = true;
          break;
        }
        chars.push(c.bytes[i]!);
      }
      if (stop) break;
    }
    let text = chars.length > 0 || !error ? this.stringSegments(chars) : '';
    if (!terminated && !error && chars.length >= limit) text += '...';
    if (error) text += `${text ? '' : ''}<error: ${error}>`;
    return text;
  }

  /** gdb's generic_printstr: quoted runs and `'c' <repeats N times>` groups. */
  private stringSegments(chars: readonly number[], forceEllipses = false): string {
    if (chars.length === 0) return '""';
    const groups: { char: number; count: number }[] = [];
    let printed = 0;
    let i = 0;
    while (i < chars.length && printed < this.elements) {
      let count = 1;
      while (i + count < chars.length && chars[i + count] === chars[i]) count++;
      groups.push({ char: chars[i]!, count });
      printed += count;
      i += count;
    }
    let out = '';
    let state: 'start' | 'single' | 'repeat' = 'start';
    for (const { char, count } of groups) {
      if (count > this.threshold) {
        if (state === 'single') out += '"';
        if (state !== 'start') out += ', ';
        out += `${charLiteral(char)} <repeats ${count} times>`;
        state = 'repeat';
      } else {
        if (state !== 'single') {
          if (state === 'repeat') out += ', ';
          out += '"';
        }
        out += escapeChar(char, '"').repeat(count);
        state = 'single';
      }
    }
    if (state === 'single') out += '"';
    if (forceEllipses || i < chars.length) out += '...';
    return out;
  }

  private record(
    value: Value,
    members: readonly import('../types/types').Member[],
    depth: number,
  ): string {
    const parts = members.map((m) => {
      const text = this.value(value.member(m), depth + 1);
      return m.name === undefined ? text : `${m.name} = ${text}`;
    });
    return `{${parts.join(', ')}}`;
  }

  private array(value: Value, depth: number): string {
    const t = stripType(value.type);
    if (t.kind !== 'array') return '?';
    if (t.count === undefined) {
      // Unknown bound (`int x[]`, a flexible member): gdb shows where it starts.
      const address = value.address;
      if (address === undefined) return '<optimized out>';
      const symbol = this.options.symbolize?.(address);
      let text = `${hex(address)}${symbol ? ` <${symbol}>` : ''}`;
      if (isCharType(t.element)) text += ` ${this.cString(value, address)}`;
      return text;
    }
    // A char array is a string when all its bytes are there; else element by element, as gdb.
    if (isCharType(t.element) && t.element.size === 1 && availability(value) !== 'optimized-out')
      return this.charArray(value, t.count);
    const parts: string[] = [];
    const elementSize = t.element.size;
    const contents = value.contents();
    const same = (a: number, b: number) => {
      for (let k = 0; k < elementSize; k++) {
        const x = a * elementSize + k;
        const y = b * elementSize + k;
        if (contents.bytes[x] !== contents.bytes[y] || contents.status[x] !== contents.status[y])
          return false;
      }
      return true;
    };
    let printed = 0;
    let i = 0;
    let text = '';
    for (; i < t.count && printed < this.elements; i++) {
      let reps = 1;
      while (i + reps < t.count && elementSize > 0 && same(i, i + reps)) reps++;
      let element = this.value(value.element(i), depth + 1);
      if (reps > this.threshold) {
        element += ` <repeats ${reps} times>`;
        i += reps - 1;
        printed += this.threshold;
      } else printed++;
      parts.push(element);
    }
    text = `{${parts.join(', ')}${i < t.count ? '...' : ''}}`;
    return text;
  }

  private charArray(value: Value, count: number): string {
    const c = value.contents();
    const missing = this.unavailable(value);
    if (missing) return missing;
    let length = count;
    // gdb drops one trailing NUL (print null-stop off), then prints the rest.
    if (length > 0 && c.bytes[length - 1] === 0) length--;
    const chars = Array.from(c.bytes.subarray(0, length));
    return this.stringSegments(chars);
  }
}

export function formatEnum(type: import('../types/types').EnumType, n: bigint): string {
  const exact = type.enumerators.find((e) => e.value === n);
  if (exact) return exact.name;
  if (!type.isFlag) return n.toString();
  let rest = n;
  const names: string[] = [];
  for (const e of type.enumerators) {
    if (e.value !== 0n && (rest & e.value) !== 0n) {
      names.push(e.name);
      rest &= ~e.value;
    }
  }
  if (names.length === 0) return rest === 0n ? '0' : `(unknown: ${hex(rest)})`;
  return `(${names.join(' | ')}${rest !== 0n ? ` | unknown: ${hex(rest)}` : ''})`;
}

/** A float from its little-endian bytes; NaNs keep their sign and payload (`-nan(0x7f0000)`). */
export function formatFloatBytes(bytes: Uint8Array, size: number): string {
  let bits = 0n;
  for (let i = size - 1; i >= 0; i--) bits = (bits << 8n) | BigInt(bytes[i] ?? 0);
  const mantissaBits = size === 4 ? 23n : 52n;
  const exponentMask = size === 4 ? 0xffn : 0x7ffn;
  const exponent = (bits >> mantissaBits) & exponentMask;
  const mantissa = bits & ((1n << mantissaBits) - 1n);
  if (exponent === exponentMask && mantissa !== 0n) {
    const negative = (bits >> (mantissaBits + (size === 4 ? 8n : 11n))) & 1n;
    return `${negative ? '-' : ''}nan(0x${mantissa.toString(16)})`;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return formatFloat(size === 4 ? view.getFloat32(0, true) : view.getFloat64(0, true), size);
}

/** %g with gdb's precision: 9 significant digits for float, 17 for double. */
export function formatFloat(x: number, size: number): string {
  const precision = size === 4 ? 9 : 17;
  if (Number.isNaN(x)) return 'nan(0x' + (size === 4 ? '400000' : '8000000000000') + ')';
  if (!Number.isFinite(x)) return x < 0 ? '-inf' : 'inf';
  return formatG(x, precision);
}

export function formatG(x: number, precision: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const exponential = x.toExponential(precision - 1);
  const exponent = Number(exponential.slice(exponential.indexOf('e') + 1));
  const strip = (s: string) => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);
  if (exponent < -4 || exponent >= precision) {
    const [mantissa] = exponential.split('e');
    const sign = exponent < 0 ? '-' : '+';
    return `${strip(mantissa!)}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return strip(x.toFixed(Math.max(0, precision - 1 - exponent)));
}

const ESCAPES: Record<number, string> = {
  7: '\\a',
  8: '\\b',
  9: '\\t',
  10: '\\n',
  11: '\\v',
  12: '\\f',
  13: '\\r',
};

/** One character as gdb writes it inside `quote` quotes. */
export function escapeChar(code: number, quote: string): string {
  if (ESCAPES[code]) return ESCAPES[code]!;
  if (code === 0x5c) return '\\\\';
  if (code === quote.charCodeAt(0)) return `\\${quote}`;
  if (code >= 0x20 && code < 0x7f) return String.fromCharCode(code);
  return `\\${code.toString(8).padStart(3, '0')}`;
}

export function charLiteral(code: number): string {
  return `'${escapeChar(code, "'")}'`;
}
