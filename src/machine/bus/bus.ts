/**
 * The CPU's view of memory: every instruction fetch, load and store of a core goes through a
 * CpuBus. The methods take and return plain numbers and never allocate, so the interpreter's hot
 * loop stays monomorphic and allocation-free.
 *
 * Failure reporting: after each call `status` holds BUS_OK (0) or a non-zero failure code (the
 * engine's MemTxResult error bits). A failed load returns an unspecified value; a failed store
 * writes nothing. The CPU turns a failure into an access-fault trap.
 *
 * Alignment: the CPU only issues naturally aligned accesses (it splits misaligned ones into
 * bytes), so implementations need not handle misalignment.
 */
export interface CpuBus {
  /** BUS_OK (0) after a successful access, otherwise a failure code. Set by every call. */
  status: number;

  /** Instruction fetch of a 16-bit parcel (little-endian), as an unsigned value. */
  fetch16(address: number): number;

  /** Data loads; the result is the unsigned value (load32 may return the int32 bit pattern). */
  load8(address: number): number;
  load16(address: number): number;
  load32(address: number): number;

  /** Data stores; only the low 8/16/32 bits of `value` are used. */
  store8(address: number, value: number): void;
  store16(address: number, value: number): void;
  store32(address: number, value: number): void;

  /**
   * True when instructions fetched from the 4 KiB page containing `address` may be cached by the
   * core: the page is RAM or ROM whose contents change only through writes the core sees (its own
   * stores) or is told about (Cpu.invalidateDecodeCache). False for MMIO, where every fetch must
   * reach the device.
   */
  isCodeCacheable(address: number): boolean;
}

export const BUS_OK = 0;
/** Nothing mapped at the address (QEMU's MEMTX_DECODE_ERROR). */
export const BUS_DECODE_ERROR = 2;
/** The device refused the access (QEMU's MEMTX_ERROR). */
export const BUS_DEVICE_ERROR = 1;
