/*
 * Access path: byte-buffer and value accesses on an AddressSpace (QEMU physmem.c
 * address_space_rw / flatview_read_continue / flatview_write_continue, memory_access_size,
 * address_space_write_rom, memory_ldst.c.inc address_space_ld* and st*). This is the general
 * (slow) path used by DMA-style callers, loaders and debuggers; the CPU uses dispatch.ts.
 *
 * Access modes (what kind of master is asking):
 *   normal  address_space_rw exactly: ROM writes take the MMIO path and fail with
 *           MEMTX_DECODE_ERROR; RAM behind a read-only alias is still written (DMA).
 *   cpu     a guest CPU store as TCG does it: writes to RAM whose flat range is read-only
 *           (ROM, or RAM through a read-only alias/container) are dropped with MEMTX_OK.
 *   loader  address_space_write_rom: writes RAM, ROM and ROM devices' backing directly and
 *           silently skips devices (MEMTX_OK); reads as normal.
 *   debug   a debugger (attrs.debug): writes go straight into RAM/ROM, device writes run the
 *           callbacks; reads run the device callbacks too (explicit side effects).
 *   peek    a view's read: RAM/ROM direct, devices only through their side-effect-free peek
 *           (MEMTX_NOT_PEEKABLE where there is none); writes as debug.
 */
import { dispatchRead, dispatchWrite, AccessValue, reportGuestError, hwaddrUpper } from './access';
import {
  type AddressSpace,
  unassignedMemOps,
  createIo,
  type FlatRange,
  type FlatView,
  type MemorySystem,
  compileOps,
  type MemoryRegion,
  MEMTX_ACCESS_ERROR,
  MEMTX_OK,
  MEMTXATTRS_UNSPECIFIED,
  SIZE_2_64,
  UINT64_MAX,
  type MemTxAttrs,
  type MemTxResult,
} from '../core';
import { prepareMmioAccess } from './coalesced';
import { dirtyMemory } from './dirty';

/** Who is accessing (see the file header). */
export type AccessMode = 'normal' | 'cpu' | 'loader' | 'debug' | 'peek';

const unassigned = new WeakMap<MemorySystem, MemoryRegion>();

/**
 * io_mem_unassigned of @system: the region behind dispatch section 0 (unnamed in QEMU, size
 * 2^64, unassigned_mem_ops); every access to a gap of a flat view lands here.
 */
export function unassignedRegion(system: MemorySystem): MemoryRegion {
  let mr = unassigned.get(system);
  if (!mr) {
    mr = createIo(system, 'unassigned', SIZE_2_64, unassignedMemOps);
    unassigned.set(system, mr);
  }
  return mr;
}

/** memory_access_is_direct (7.2), plus the debug/peek/loader variants. */
export function isDirect(mr: MemoryRegion, isWrite: boolean, mode: AccessMode): boolean {
  if (!isWrite || mode === 'debug' || mode === 'peek' || mode === 'loader') {
    // Reads, and writes that may go into ROM: RAM that is not a RAM device, or romd.
    return (mr.ram && !mr.ramDevice) || (mr.romDevice && mr.romdMode);
  }
  return mr.ram && !mr.readonly && !mr.romDevice && !mr.ramDevice;
}

/**
 * memory_access_size: the chunk an MMIO access of @l bytes at region offset @offset is issued
 * with: at most valid.max (0 → 4), bounded by the offset's alignment unless impl.unaligned,
 * rounded down to a power of two.
 */
export function memoryAccessSize(mr: MemoryRegion, l: number, offset: bigint): number {
  const c = compileOps(mr.ops);
  let max = c.validMax === 0 ? 4 : c.validMax;
  if (!c.implUnaligned) {
    const low = Number(offset & 0xffn);
    if (low !== 0) {
      const align = low & -low;
      if (align < max) max = align;
    }
  }
  if (l > max) l = max;
  return l >= 8 ? 8 : l >= 4 ? 4 : l >= 2 ? 2 : 1;
}

/** Translation of one address: region, region offset, and how far a RAM run may go. */
interface Translation {
  mr: MemoryRegion;
  xlat: bigint;
  fr: FlatRange | null;
}

const tr: Translation = { mr: null as unknown as MemoryRegion, xlat: 0n, fr: null };

/** flatview_translate without IOMMUs (we model none): fills the shared `tr`. */
function translate(view: FlatView, system: MemorySystem, addr: bigint): Translation {
  const fr = view.lookup(addr);
  if (fr === null) {
    tr.mr = unassignedRegion(system);
    tr.xlat = addr;
    tr.fr = null;
  } else {
    tr.mr = fr.mr;
    tr.xlat = addr - fr.start + fr.offsetInRegion;
    tr.fr = fr;
  }
  return tr;
}

function loadLE(buf: Uint8Array, pos: number, l: number): number {
  let v = 0;
  for (let i = l - 1; i >= 0; i--) v = v * 256 + buf[pos + i]!;
  return v;
}

function storeLE(buf: Uint8Array, pos: number, l: number, v: number): void {
  for (let i = 0; i < l; i++) {
    buf[pos + i] = v & 0xff;
    v = Math.floor(v / 256);
  }
}

const readOut = new AccessValue() as AccessValue & { result: MemTxResult };
const registerBytes = new Uint8Array(8);

/** Stores the last dispatched read (`readOut`, @size bytes, 8 through value64) little-endian. */
function storeReadValue(buf: Uint8Array, pos: number, size: number): void {
  if (size === 8) {
    storeLE(buf, pos, 4, Number(readOut.value64 & 0xffffffffn));
    storeLE(buf, pos + 4, 4, Number(readOut.value64 >> 32n));
  } else storeLE(buf, pos, size, readOut.value);
}

/**
 * The access unit of a debug read at region offset @offset: the width of the register there when
 * the device says (`debugAccessSize`), else the smallest access the device accepts
 * (valid.minAccessSize), so each byte shows what a CPU load of its register returns.
 */
export function debugAccessUnit(mr: MemoryRegion, offset: number): number {
  const declared = mr.ops.debugAccessSize?.(mr, offset);
  const unit = declared ?? (compileOps(mr.ops).validMin || 1);
  return unit >= 8 ? 8 : unit >= 4 ? 4 : unit >= 2 ? 2 : 1;
}

/**
 * A debugger's read of MMIO, register by register: reads the whole register (access unit,
 * naturally aligned) that holds byte @offset and copies the wanted bytes of it into @buf at
 * @pos; returns how many bytes it filled (at most @len). Reading a wide span at the device's
 * widest access instead would show only the register at each access's start (a UART's LSR
 * would read 0 inside an 8-byte read at its base). The result is left in `readOut.result`.
 */
function debugReadRegister(
  mr: MemoryRegion,
  offset: bigint,
  buf: Uint8Array,
  pos: number,
  len: number,
  attrs: MemTxAttrs,
  peek: boolean,
): number {
  const off = Number(offset);
  const unit = debugAccessUnit(mr, off);
  const skip = off % unit;
  const base = off - skip;
  const count = Math.min(len, unit - skip);
  prepareMmioAccess(mr);
  readOut.result = dispatchRead(mr, base, unit, attrs, readOut, false, peek);
  storeReadValue(registerBytes, 0, unit);
  buf.set(registerBytes.subarray(skip, skip + count), pos);
  return count;
}

/**
 * address_space_rw over @as's current flat view: @buf.length bytes at @addr. Every chunk is
 * attempted (the loop does not stop at a failure) and the results are OR-ed. RAM chunks run to
 * the end of their flat range; MMIO chunks are sized by memoryAccessSize and may land in
 * different regions. Bytes of MMIO registers are laid out in the device's byte order. With
 * @status, each byte's chunk result is stored there too (for views).
 */
export function addressSpaceRw(
  as: AddressSpace,
  addr: bigint | number,
  buf: Uint8Array,
  isWrite: boolean,
  attrs: MemTxAttrs = MEMTXATTRS_UNSPECIFIED,
  mode: AccessMode = 'normal',
  status?: Uint8Array,
): MemTxResult {
  let a = BigInt(addr);
  if (a < 0n || a > UINT64_MAX)
    throw new RangeError(`address 0x${a.toString(16)} outside the 64-bit space`);
  if (status && status.length < buf.length)
    throw new RangeError('status buffer shorter than data buffer');
  const view = as.flatView;
  const system = as.system;
  if (mode === 'debug' && !attrs.debug) attrs = { ...attrs, debug: true };
  let pos = 0;
  let len = buf.length;
  let result: MemTxResult = MEMTX_OK;
  while (len > 0) {
    const t = translate(view, system, a);
    const mr = t.mr;
    const xlat = t.xlat;
    let l = len;
    if (mr.ram && t.fr !== null) {
      const left = t.fr.end - a;
      if (left < BigInt(l)) l = Number(left);
    }
    let r: MemTxResult = MEMTX_OK;
    if (attrs.memory && !mr.ram) {
      reportGuestError(
        system,
        'non-ram',
        `Invalid access to non-RAM device at addr ${hwaddrUpper(Number(xlat))}, size ${l}, region '${mr.name}'`,
      );
      r = MEMTX_ACCESS_ERROR;
    } else if (
      isWrite &&
      mode === 'cpu' &&
      mr.ram &&
      !mr.ramDevice &&
      t.fr !== null &&
      t.fr.readonly
    ) {
      // TCG: the TLB marks read-only RAM "discard write"; the store vanishes.
    } else if (isDirect(mr, isWrite, mode) && mr.ramBlock) {
      const block = mr.ramBlock;
      const off = Number(xlat);
      if (!mr.ram) l = Math.min(l, block.usedLength - off); // romd: qemu_ram_ptr_length clamp
      const chunk = buf.subarray(pos, pos + l);
      if (isWrite) {
        block.write(off, chunk);
        dirtyMemory(system).afterWrite(mr, block, off, l);
      } else block.read(off, chunk);
    } else if (!isWrite && (mode === 'peek' || mode === 'debug')) {
      l = debugReadRegister(mr, xlat, buf, pos, l, attrs, mode === 'peek');
      r = readOut.result;
    } else {
      l = memoryAccessSize(mr, l, xlat);
      if (isWrite && mode === 'loader') {
        // address_space_write_rom skips devices.
      } else {
        prepareMmioAccess(mr);
        const off = Number(xlat);
        if (isWrite) {
          const v = l === 8 ? 0 : loadLE(buf, pos, l);
          const v64 =
            l === 8 ? BigInt(loadLE(buf, pos, 4)) | (BigInt(loadLE(buf, pos + 4, 4)) << 32n) : 0n;
          r = dispatchWrite(mr, off, l, v, v64, attrs, false);
        } else {
          r = dispatchRead(mr, off, l, attrs, readOut, false, mode === 'peek');
          storeReadValue(buf, pos, l);
        }
      }
    }
    if (status) status.fill(r, pos, pos + l);
    result |= r;
    pos += l;
    len -= l;
    a = (a + BigInt(l)) & UINT64_MAX;
  }
  return result;
}

/** address_space_read with attributes: fills @buf from @addr. */
export function readWithAttrs(
  as: AddressSpace,
  addr: bigint | number,
  buf: Uint8Array,
  attrs: MemTxAttrs = MEMTXATTRS_UNSPECIFIED,
  mode: AccessMode = 'normal',
): MemTxResult {
  return addressSpaceRw(as, addr, buf, false, attrs, mode);
}

/** address_space_write with attributes: writes @buf at @addr. */
export function writeWithAttrs(
  as: AddressSpace,
  addr: bigint | number,
  buf: Uint8Array,
  attrs: MemTxAttrs = MEMTXATTRS_UNSPECIFIED,
  mode: AccessMode = 'normal',
): MemTxResult {
  return addressSpaceRw(as, addr, buf, true, attrs, mode);
}

/** address_space_write_rom: a loader's write (RAM and ROM written, devices skipped). */
export function writeRom(as: AddressSpace, addr: bigint | number, buf: Uint8Array): MemTxResult {
  return addressSpaceRw(as, addr, buf, true, MEMTXATTRS_UNSPECIFIED, 'loader');
}

const valueBuf = new Uint8Array(8);

function isDirectValue(
  mr: MemoryRegion,
  fr: FlatRange | null,
  a: bigint,
  size: number,
  isWrite: boolean,
): boolean {
  return (
    fr !== null &&
    mr.ramBlock !== null &&
    fr.end - a >= BigInt(size) &&
    isDirect(mr, isWrite, 'normal')
  );
}

/**
 * address_space_ld{ub,uw,l,q}_{le,be}: one @size-byte load at @addr as an integer of byte
 * order @bigEndian (default: the target's). Like QEMU, the access is translated once: a RAM
 * load that would cross the end of its flat range takes the MMIO path of that region (and
 * fails), and MMIO loads are not split. The value is in @out (value, or value64 for 8 bytes).
 */
export function addressSpaceLoad(
  as: AddressSpace,
  addr: bigint | number,
  size: 1 | 2 | 4 | 8,
  out: AccessValue,
  attrs: MemTxAttrs = MEMTXATTRS_UNSPECIFIED,
  bigEndian: boolean = as.system.targetBigEndian,
): MemTxResult {
  const a = BigInt(addr);
  const t = translate(as.flatView, as.system, a);
  const mr = t.mr;
  const xlat = t.xlat;
  if (isDirectValue(mr, t.fr, a, size, false)) {
    const b = valueBuf.subarray(0, size);
    mr.ramBlock!.read(Number(xlat), b);
    let v = 0n;
    for (let i = 0; i < size; i++)
      v |= BigInt(b[bigEndian ? i : size - 1 - i]!) << BigInt((size - 1 - i) * 8);
    out.value64 = v;
    out.value = Number(v & 0xffffffffn);
    return MEMTX_OK;
  }
  prepareMmioAccess(mr);
  return dispatchRead(mr, Number(xlat), size, attrs, out, bigEndian);
}

/**
 * address_space_st{b,w,l,q}_{le,be}: one @size-byte store of @value (@value64 for 8 bytes) in
 * byte order @bigEndian. Direct RAM stores mark dirty pages; anything else is one MMIO access.
 */
export function addressSpaceStore(
  as: AddressSpace,
  addr: bigint | number,
  size: 1 | 2 | 4 | 8,
  value: number,
  value64: bigint = BigInt(value),
  attrs: MemTxAttrs = MEMTXATTRS_UNSPECIFIED,
  bigEndian: boolean = as.system.targetBigEndian,
): MemTxResult {
  const a = BigInt(addr);
  const t = translate(as.flatView, as.system, a);
  const mr = t.mr;
  const xlat = t.xlat;
  if (isDirectValue(mr, t.fr, a, size, true)) {
    const v = size === 8 ? BigInt.asUintN(64, value64) : BigInt(value >>> 0);
    const b = valueBuf.subarray(0, size);
    for (let i = 0; i < size; i++) {
      const byte = Number((v >> BigInt(i * 8)) & 0xffn);
      b[bigEndian ? size - 1 - i : i] = byte;
    }
    const off = Number(xlat);
    mr.ramBlock!.write(off, b);
    dirtyMemory(as.system).afterWrite(mr, mr.ramBlock!, off, size);
    return MEMTX_OK;
  }
  prepareMmioAccess(mr);
  return dispatchWrite(mr, Number(xlat), size, value >>> 0, value64, attrs, bigEndian);
}
