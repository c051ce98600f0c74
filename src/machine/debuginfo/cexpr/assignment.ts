/**
 * Writing a value back (setVariable, setExpression, `x = 5`): the new value converted to the
 * target's type and encoded as the writes a debugger must make — bytes to an address (for a
 * bitfield, the whole bytes that hold it, other bits kept) or a register. Planning has no side
 * effects; the adapter performs the writes (RAM directly, MMIO as a CPU store would).
 */
import { stripType } from '../types';
import { integerBytes, integerOf, type Value } from '../values';

export type PlannedWrite =
  | { readonly kind: 'memory'; readonly address: number; readonly bytes: Uint8Array }
  | { readonly kind: 'register'; readonly register: number; readonly value: number }
  /** The target is a computed or optimised-out part of a variable: gdb drops the store. */
  | { readonly kind: 'discarded' };

/**
 * The writes that store `converted` (already of the target's type) into `target`; a string
 * (gdb's message) when the target is not an lvalue.
 */
export function planAssignment(target: Value, converted: Value): PlannedWrite | string {
  const bytes = converted.contents().bytes;
  if (target.address !== undefined) {
    if (!target.bitfield) return { kind: 'memory', address: target.address >>> 0, bytes };
    const { bitOffset, bitSize } = target.bitfield;
    const old = target.contents();
    if (old.status.some((s) => s !== 0))
      return `Cannot access memory at address 0x${target.address.toString(16)}`;
    let word = 0n;
    for (let i = old.bytes.length - 1; i >= 0; i--) word = (word << 8n) | BigInt(old.bytes[i]!);
    const mask = ((1n << BigInt(bitSize)) - 1n) << BigInt(bitOffset);
    const bits = (BigInt.asUintN(bitSize, integerOf(converted)) << BigInt(bitOffset)) & mask;
    return {
      kind: 'memory',
      address: target.address >>> 0,
      bytes: integerBytes((word & ~mask) | bits, old.bytes.length),
    };
  }
  const part = target.location?.length === 1 ? target.location[0]!.part : undefined;
  if (part?.kind === 'optimized-out') return { kind: 'discarded' };
  if (part?.kind === 'register' && stripType(target.type).size <= 4 && !target.bitfield) {
    let word = 0;
    for (let i = bytes.length - 1; i >= 0; i--) word = word * 256 + bytes[i]!;
    return { kind: 'register', register: part.register, value: word >>> 0 };
  }
  return 'Left operand of assignment is not an lvalue.';
}
