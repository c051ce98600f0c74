/*
 * Access path: address masking (partial decode). A device that decodes only some address bits
 * answers at every offset of its window that agrees on those bits, so it appears mirrored
 * across the window. Two ways to get that:
 *   - maskOps(ops, mask): wraps MMIO callbacks so each sees `offset & mask` (one region, O(1)
 *     per access, any callback style, peeks and `accepts` included);
 *   - mirrorRegion(system, name, windowSize, target): a container filled with aliases of a
 *     region of any kind (RAM too), repeated every target.size bytes — what QEMU boards do
 *     with memory_region_init_alias.
 */
import {
  type MemoryRegionOps,
  type MemoryTransaction,
  type MemoryRegion,
  type MemorySystem,
  createAlias,
  createContainer,
  toBigInt,
  type SizeLike,
} from '../core';

/**
 * Wraps @ops so that every callback receives `offset & mask` (a device decoding only the
 * address bits set in @mask). @mask must be a non-negative integer below 2^32 of the form
 * 2^k − 1 for plain mirroring, or any bit set for sparse decoding. Access sizes and endianness
 * are those of @ops; validation (alignment, sizes) still sees the unmasked offset, as the bus
 * does.
 */
export function maskOps(ops: MemoryRegionOps, mask: number): MemoryRegionOps {
  if (!Number.isInteger(mask) || mask < 0 || mask > 0xffffffff) {
    throw new RangeError(`maskOps: mask must be an integer in [0, 2^32) (got ${mask})`);
  }
  const m = (offset: number): number => (offset & mask) >>> 0;
  const wrapped: {
    -readonly [K in keyof MemoryRegionOps]: MemoryRegionOps[K];
  } = {};
  if (ops.read) {
    const read = ops.read;
    wrapped.read = (r, o, s) => read(r, m(o), s);
  }
  if (ops.write) {
    const write = ops.write;
    wrapped.write = (r, o, v, s) => write(r, m(o), v, s);
  }
  if (ops.readWithAttrs) {
    const f = ops.readWithAttrs;
    wrapped.readWithAttrs = (r, o, s, a, out) => f(r, m(o), s, a, out);
  }
  if (ops.writeWithAttrs) {
    const f = ops.writeWithAttrs;
    wrapped.writeWithAttrs = (r, o, v, s, a) => f(r, m(o), v, s, a);
  }
  if (ops.read64) {
    const f = ops.read64;
    wrapped.read64 = (r, o, a, out) => f(r, m(o), a, out);
  }
  if (ops.write64) {
    const f = ops.write64;
    wrapped.write64 = (r, o, v, a) => f(r, m(o), v, a);
  }
  if (ops.peek) {
    const f = ops.peek;
    wrapped.peek = (r, o, s) => f(r, m(o), s);
  }
  if (ops.peek64) {
    const f = ops.peek64;
    wrapped.peek64 = (r, o) => f(r, m(o));
  }
  if (ops.access) {
    const f = ops.access;
    wrapped.access = (r, tx: MemoryTransaction) => {
      const original = tx.offset;
      tx.offset = m(original);
      try {
        return f(r, tx);
      } finally {
        tx.offset = original;
      }
    };
    wrapped.accessPeekable = ops.accessPeekable ?? false;
  }
  if (ops.endianness) wrapped.endianness = ops.endianness;
  if (ops.impl) wrapped.impl = ops.impl;
  if (ops.valid) {
    const v = ops.valid;
    const accepts = v.accepts;
    wrapped.valid = accepts ? { ...v, accepts: (r, o, s, w, a) => accepts(r, m(o), s, w, a) } : v;
  }
  return wrapped;
}

/**
 * A container named @name of @windowSize bytes in which @target (any kind; not mapped
 * elsewhere by this call) appears repeatedly: copy k is an alias named `${name}[k]` at
 * k·target.size. A trailing partial copy is clipped. Map the returned container wherever the
 * device sits. At most 65536 copies are made (use maskOps for MMIO with many copies); a
 * zero-size target is refused.
 */
export function mirrorRegion(
  system: MemorySystem,
  name: string,
  windowSize: SizeLike,
  target: MemoryRegion,
): MemoryRegion {
  const size = toBigInt(windowSize, `window size of '${name}'`);
  const step = target.size;
  if (step === 0n)
    throw new RangeError(`mirrorRegion '${name}': target '${target.name}' has size 0`);
  const copies = (size + step - 1n) / step;
  if (copies > 65536n) {
    throw new RangeError(
      `mirrorRegion '${name}': ${copies} copies of '${target.name}' (max 65536)`,
    );
  }
  const container = createContainer(system, name, size);
  system.transaction(() => {
    for (let k = 0n; k < copies; k++) {
      const at = k * step;
      const len = size - at < step ? size - at : step;
      container.addSubregion(at, createAlias(system, `${name}[${k}]`, target, 0n, len));
    }
  });
  return container;
}
