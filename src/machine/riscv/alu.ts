/**
 * M-extension arithmetic on int32 values without BigInt or allocation. Division follows the
 * RISC-V rules: x/0 = -1 (all ones), x%0 = x, and the overflow case -2^31 / -1 = -2^31 with
 * remainder 0 (which JavaScript's `| 0` truncation yields by itself).
 */

/** High 32 bits of the unsigned 64-bit product a*b, as int32. */
export function mulhu(a: number, b: number): number {
  const aL = a & 0xffff;
  const aH = a >>> 16;
  const bL = b & 0xffff;
  const bH = b >>> 16;
  const lh = aL * bH;
  const hl = aH * bL;
  const mid = ((aL * bL) >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (aH * bH + (lh >>> 16) + (hl >>> 16) + Math.floor(mid / 0x10000)) | 0;
}

/** High 32 bits of the signed product. */
export function mulh(a: number, b: number): number {
  return (mulhu(a, b) - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;
}

/** High 32 bits of signed a times unsigned b. */
export function mulhsu(a: number, b: number): number {
  return (mulhu(a, b) - (a < 0 ? b : 0)) | 0;
}

export function div(a: number, b: number): number {
  return b === 0 ? -1 : (a / b) | 0;
}

export function divu(a: number, b: number): number {
  return b === 0 ? -1 : ((a >>> 0) / (b >>> 0)) | 0;
}

export function rem(a: number, b: number): number {
  return b === 0 ? a : (a % b) | 0;
}

export function remu(a: number, b: number): number {
  return b === 0 ? a : ((a >>> 0) % (b >>> 0)) | 0;
}
