/*
 * Access path: MemoryRegionOps compiled into a fixed-shape record (defaults resolved, callback
 * style chosen once) so that the dispatcher's property loads stay monomorphic, plus the
 * well-known ops tables QEMU provides (unassigned I/O, RAM device) and an adapter from the
 * single transaction-style callback.
 */
import type { MemoryRegion } from './region';
import type {
  AccessSize,
  MemoryRegionOps,
  MemoryRegionOpsValid,
  MemoryTransaction,
  ReadValueSlot,
} from './ops-types';
import type { Endianness, MemTxAttrs } from './types';

/** How a compiled ops table delivers one direction of access. */
export enum CallbackStyle {
  /** `read`/`write`: always MEMTX_OK. */
  Plain = 0,
  /** `readWithAttrs`/`writeWithAttrs`: the device returns a MemTxResult. */
  WithAttrs = 1,
  /** The single transaction-style `access` callback. */
  Transaction = 2,
  /** No callback for this direction: the access is a decode error. */
  Missing = 3,
}

/**
 * CompiledOps: one MemoryRegionOps with every default resolved (QEMU's rules: valid.max 0 =
 * all sizes; impl.min 0 = 1; impl.max 0 = 4) and endianness reduced to a flag against a
 * target byte order.
 */
export class CompiledOps {
  readonly validMin: number;
  readonly validMax: number;
  readonly validUnaligned: boolean;
  readonly accepts: MemoryRegionOpsValid['accepts'] | null;
  readonly implMin: number;
  readonly implMax: number;
  readonly implUnaligned: boolean;
  readonly endianness: Endianness;
  readonly readStyle: CallbackStyle;
  readonly writeStyle: CallbackStyle;
  readonly hasPeek: boolean;

  constructor(readonly ops: MemoryRegionOps) {
    const valid = ops.valid ?? {};
    const impl = ops.impl ?? {};
    this.validMin = valid.minAccessSize ?? 0;
    this.validMax = valid.maxAccessSize ?? 0;
    this.validUnaligned = valid.unaligned ?? false;
    this.accepts = valid.accepts ?? null;
    this.implMin = impl.minAccessSize || 1;
    this.implMax = impl.maxAccessSize || 4;
    this.implUnaligned = impl.unaligned ?? false;
    this.endianness = ops.endianness ?? 'native';
    for (const [what, v] of [
      ['valid.minAccessSize', this.validMin],
      ['valid.maxAccessSize', this.validMax],
      ['impl.minAccessSize', this.implMin],
      ['impl.maxAccessSize', this.implMax],
    ] as const) {
      if (v !== 0 && v !== 1 && v !== 2 && v !== 4 && v !== 8) {
        throw new RangeError(`MemoryRegionOps ${what} must be 0, 1, 2, 4 or 8 (got ${v})`);
      }
    }
    if (this.implMin > this.implMax) {
      throw new RangeError(
        `MemoryRegionOps impl.minAccessSize ${this.implMin} exceeds impl.maxAccessSize ${this.implMax}`,
      );
    }
    if (ops.access) {
      this.readStyle = CallbackStyle.Transaction;
      this.writeStyle = CallbackStyle.Transaction;
    } else {
      this.readStyle = ops.read
        ? CallbackStyle.Plain
        : ops.readWithAttrs
          ? CallbackStyle.WithAttrs
          : CallbackStyle.Missing;
      this.writeStyle = ops.write
        ? CallbackStyle.Plain
        : ops.writeWithAttrs
          ? CallbackStyle.WithAttrs
          : CallbackStyle.Missing;
      // 8-byte callback pieces carry bigint values, which only the 64-bit callbacks take.
      if (this.implMax === 8) {
        if (this.readStyle !== CallbackStyle.Missing && !ops.read64) {
          throw new Error('MemoryRegionOps with impl.maxAccessSize 8 must provide read64');
        }
        if (this.writeStyle !== CallbackStyle.Missing && !ops.write64) {
          throw new Error('MemoryRegionOps with impl.maxAccessSize 8 must provide write64');
        }
      }
    }
    this.hasPeek = ops.access ? ops.accessPeekable === true : ops.peek !== undefined;
  }

  /** devend_big_endian: whether the device's registers are big-endian on a target of @targetBigEndian. */
  bigEndian(targetBigEndian: boolean): boolean {
    return this.endianness === 'native' ? targetBigEndian : this.endianness === 'big';
  }
}

const compiled = new WeakMap<MemoryRegionOps, CompiledOps>();

/**
 * The compiled form of @ops, built on first use and cached by object identity. Throws on an ops
 * table QEMU would reject (sizes other than 1/2/4/8, impl.min > impl.max, impl.unaligned
 * without valid.unaligned, 8-byte impl without 64-bit callbacks): API misuse.
 */
export function compileOps(ops: MemoryRegionOps): CompiledOps {
  // One-entry cache in front of the WeakMap: consecutive accesses usually hit one device.
  if (ops === lastOps) return lastCompiled!;
  let c = compiled.get(ops);
  if (!c) {
    if (ops.impl?.unaligned && !ops.valid?.unaligned) {
      throw new Error('MemoryRegionOps: impl.unaligned requires valid.unaligned');
    }
    c = new CompiledOps(ops);
    compiled.set(ops, c);
  }
  lastOps = ops;
  lastCompiled = c;
  return c;
}

let lastOps: MemoryRegionOps | null = null;
let lastCompiled: CompiledOps | null = null;

/**
 * unassigned_io_ops (system/ioport.c): reads all-ones of the access size, writes ignored, every
 * size valid. QEMU puts these behind the x86 `io` root and the PCIe windows, which is why
 * unclaimed ports read 0xff/0xffff/0xffffffff with success.
 */
export const unassignedIoOps: MemoryRegionOps = Object.freeze({
  read: (_r: MemoryRegion, _o: number, size: AccessSize) =>
    size >= 4 ? 0xffffffff : (1 << (size * 8)) - 1,
  write: () => undefined,
  peek: (_r: MemoryRegion, _o: number, size: AccessSize) =>
    size >= 4 ? 0xffffffff : (1 << (size * 8)) - 1,
  endianness: 'native' as const,
});

/**
 * ram_device_mem_ops: host-endian 1/2/4/8-byte loads and stores on the RAM device's backing
 * (QEMU reads the host pointer; our backing is the region's RamBlock, little-endian layout).
 */
export const ramDeviceOps: MemoryRegionOps = Object.freeze({
  read: (region: MemoryRegion, offset: number, size: AccessSize) => ramLoad(region, offset, size),
  write: (region: MemoryRegion, offset: number, value: number, size: AccessSize) =>
    ramStore(region, offset, value, size),
  read64: (region: MemoryRegion, offset: number, _attrs: MemTxAttrs, out: ReadValueSlot) => {
    out.value64 =
      BigInt(ramLoad(region, offset, 4)) | (BigInt(ramLoad(region, offset + 4, 4)) << 32n);
  },
  write64: (region: MemoryRegion, offset: number, value: bigint) => {
    ramStore(region, offset, Number(value & 0xffffffffn), 4);
    ramStore(region, offset + 4, Number(value >> 32n), 4);
  },
  peek: (region: MemoryRegion, offset: number, size: AccessSize) => ramLoad(region, offset, size),
  endianness: 'little' as const,
  valid: Object.freeze({ minAccessSize: 1, maxAccessSize: 8, unaligned: true }),
  impl: Object.freeze({ minAccessSize: 1, maxAccessSize: 8, unaligned: true }),
});

const scratch = new Uint8Array(8);

function ramLoad(region: MemoryRegion, offset: number, size: number): number {
  const block = region.ramBlock;
  if (!block) return 0;
  const bytes = scratch.subarray(0, size);
  block.read(offset, bytes);
  let v = 0;
  for (let i = size - 1; i >= 0; i--) v = v * 256 + bytes[i]!;
  return v;
}

function ramStore(region: MemoryRegion, offset: number, value: number, size: number): void {
  const block = region.ramBlock;
  if (!block) return;
  const bytes = scratch.subarray(0, size);
  for (let i = 0; i < size; i++) bytes[i] = (value >>> (i * 8)) & 0xff;
  block.write(offset, bytes);
}

/**
 * Builds an ops table from a single transaction-style callback: one function sees every read
 * and write as a MemoryTransaction (offset, size, isWrite, value, attrs) and returns a
 * MemTxResult (or nothing for OK); reads store their value in `tx.value` (`tx.value64` for
 * 8-byte pieces). The same callback also serves debug peeks when @peekable says its reads have
 * no side effects. The transaction object is reused between accesses: do not keep it.
 */
export function opsFromAccess(
  access: NonNullable<MemoryRegionOps['access']>,
  options: {
    endianness?: Endianness;
    valid?: MemoryRegionOps['valid'];
    impl?: MemoryRegionOps['impl'];
    peekable?: boolean;
  } = {},
): MemoryRegionOps {
  return {
    access,
    accessPeekable: options.peekable ?? false,
    ...(options.endianness ? { endianness: options.endianness } : {}),
    ...(options.valid ? { valid: options.valid } : {}),
    ...(options.impl ? { impl: options.impl } : {}),
  };
}

/** A fresh transaction record (the dispatcher keeps one and reuses it). */
export function newTransaction(): MemoryTransaction {
  return { offset: 0, size: 1, isWrite: false, value: 0, value64: 0n, attrs: {}, peek: false };
}
