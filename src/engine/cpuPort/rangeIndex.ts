/*
 * Access path: numeric index of a FlatView's ranges for the CPU dispatch (number addresses
 * below 2^53, no bigint and no allocation per lookup), and the subpage access loop that QEMU
 * runs for pages shared by several sections (physmem.c subpage_read/subpage_write →
 * flatview_read/flatview_write, with subpage_accepts → flatview_access_valid first).
 * Cached per FlatView in its `dispatch` slot.
 */
import {
  AccessValue,
  accessValid,
  dispatchRead,
  dispatchWrite,
  prepareMmioAccess,
  dirtyMemory,
  isDirect,
  unassignedRegion,
} from '../access';
import {
  type FlatRange,
  type FlatView,
  type MemorySystem,
  compileOps,
  type MemoryRegion,
  MEMTX_DECODE_ERROR,
  MEMTX_OK,
  type MemTxAttrs,
  type MemTxResult,
} from '../core';

/** Float copies of each range's start, end and offset, for exact comparisons below 2^53. */
export class RangeIndex {
  readonly starts: Float64Array;
  readonly ends: Float64Array;
  readonly offsets: Float64Array;

  constructor(readonly ranges: readonly FlatRange[]) {
    const n = ranges.length;
    this.starts = new Float64Array(n);
    this.ends = new Float64Array(n);
    this.offsets = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const fr = ranges[i]!;
      this.starts[i] = Number(fr.start);
      this.ends[i] = Number(fr.end);
      this.offsets[i] = Number(fr.offsetInRegion);
    }
  }

  /** Index of the first range whose end is above @addr (length if none). */
  firstEndingAfter(addr: number): number {
    const ends = this.ends;
    let lo = 0;
    let hi = ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ends[mid]! > addr) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Index of the range containing @addr, or -1 (unassigned). */
  find(addr: number): number {
    const i = this.firstEndingAfter(addr);
    return i < this.starts.length && this.starts[i]! <= addr ? i : -1;
  }
}

/** The RangeIndex of @view (built once per view). */
export function rangeIndex(view: FlatView): RangeIndex {
  const d = view.dispatch;
  if (d instanceof RangeIndex) return d;
  const idx = new RangeIndex(view.ranges);
  view.dispatch = idx;
  return idx;
}

/** memory_access_size on a number offset. */
export function accessSize(mr: MemoryRegion, l: number, offset: number): number {
  const c = compileOps(mr.ops);
  let max = c.validMax === 0 ? 4 : c.validMax;
  if (!c.implUnaligned) {
    const low = offset % 256;
    if (low !== 0) {
      const align = low & -low;
      if (align < max) max = align;
    }
  }
  if (l > max) l = max;
  return l >= 8 ? 8 : l >= 4 ? 4 : l >= 2 ? 2 : 1;
}

/**
 * Number-address loop of flatview_read/write (normal mode) over @len ≤ 8 bytes of @buf at
 * @addr; optionally only validates (flatview_access_valid). Returns the OR of chunk results,
 * or for validation MEMTX_OK / MEMTX_DECODE_ERROR.
 */
export function subpageRw(
  system: MemorySystem,
  idx: RangeIndex,
  addr: number,
  buf: Uint8Array,
  len: number,
  isWrite: boolean,
  attrs: MemTxAttrs,
  validateOnly: boolean,
  out: AccessValue,
): MemTxResult {
  let result: MemTxResult = MEMTX_OK;
  let pos = 0;
  while (len > 0) {
    const i = idx.find(addr);
    let mr: MemoryRegion;
    let xlat: number;
    let l = len;
    if (i < 0) {
      mr = unassignedRegion(system);
      xlat = addr;
    } else {
      mr = idx.ranges[i]!.mr;
      xlat = addr - idx.starts[i]! + idx.offsets[i]!;
      if (mr.ram && idx.ends[i]! - addr < l) l = idx.ends[i]! - addr;
    }
    if (isDirect(mr, isWrite, 'normal') && mr.ramBlock) {
      if (!validateOnly) {
        const block = mr.ramBlock;
        if (!mr.ram) l = Math.min(l, block.usedLength - xlat);
        const chunk = buf.subarray(pos, pos + l);
        if (isWrite) {
          block.write(xlat, chunk);
          dirtyMemory(system).afterWrite(mr, block, xlat, l);
        } else block.read(xlat, chunk);
      }
    } else {
      // flatview_access_valid sizes chunks by the absolute address, flatview_read by the
      // region offset (QEMU 7.2 does exactly this).
      l = accessSize(mr, l, validateOnly ? addr : xlat);
      if (validateOnly) {
        if (!accessValid(compileOps(mr.ops), mr, xlat, l, isWrite, attrs))
          return MEMTX_DECODE_ERROR;
      } else {
        prepareMmioAccess(mr);
        if (isWrite) {
          let v = 0;
          for (let k = Math.min(l, 4) - 1; k >= 0; k--) v = v * 256 + buf[pos + k]!;
          let v64 = 0n;
          if (l === 8) {
            let hi = 0;
            for (let k = 7; k >= 4; k--) hi = hi * 256 + buf[pos + k]!;
            v64 = (BigInt(hi) << 32n) | BigInt(v);
          }
          result |= dispatchWrite(mr, xlat, l, v, v64, attrs, false);
        } else {
          result |= dispatchRead(mr, xlat, l, attrs, out, false);
          if (l === 8) {
            const v = out.value64;
            for (let k = 0; k < 8; k++) buf[pos + k] = Number((v >> BigInt(k * 8)) & 0xffn);
          } else {
            let v = out.value;
            for (let k = 0; k < l; k++) {
              buf[pos + k] = v & 0xff;
              v >>>= 8;
            }
          }
        }
      }
    }
    pos += l;
    len -= l;
    addr += l;
  }
  return result;
}
