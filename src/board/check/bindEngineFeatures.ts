/**
 * Checks of the engine's access-path features written on a region: resizeable RAM (`max-size`),
 * coalesced MMIO (the `coalesced` flag and `coalesced @ … size …` ranges) and ioeventfds. Each
 * rule reports what the engine would reject when building (bad size, range outside the region,
 * max size below size) or what would silently never take effect (an ioeventfd on RAM, one that
 * an earlier registration always beats).
 */
import type { BindContext } from './bindContext';
import { hex } from '../../engine';
import { DiagnosticCode, Severity } from '../syntax';
import type { CoalescedRangeInfo, IoeventfdInfo, RegionInfo } from './model';

/** Kinds whose guest accesses reach MMIO dispatch (ops callbacks), where ioeventfds match. */
const MMIO_KINDS = new Set<string>(['mmio', 'romd', 'ramd', 'device']);
/** The most bytes a RAM block may hold (the engine keeps RAM offsets as safe integers). */
const RAM_LIMIT = 1n << 53n;
const IOEVENTFD_SIZES = [0n, 1n, 2n, 4n, 8n];

export function bindEngineFeatures(b: BindContext, r: RegionInfo): void {
  bindMaxSize(b, r);
  bindCoalesced(b, r);
  bindIoeventfds(b, r);
}

/** The windows a registration must fall inside: a catalog device's windows, else the region. */
export function regionWindows(r: RegionInfo): { offset: bigint; size: bigint }[] {
  const model = r.device?.model;
  if (model && model.windows.length > 0) {
    const params = r.device!.intParams;
    return model.windows.map((w) => ({ offset: w.offset, size: w.size(params) }));
  }
  return r.size !== undefined ? [{ offset: 0n, size: r.size }] : [];
}

/** Whether [offset, offset+size) lies inside one window (true when the size is unknown). */
function insideWindows(r: RegionInfo, offset: bigint, size: bigint): boolean {
  if (r.size === undefined) return true;
  return regionWindows(r).some((w) => offset >= w.offset && offset + size <= w.offset + w.size);
}

function bindMaxSize(b: BindContext, r: RegionInfo): void {
  const expr = r.decl.maxSize;
  if (!expr) return;
  const { file } = r;
  if (r.kind !== 'ram') {
    b.report(
      file,
      DiagnosticCode.InvalidMember,
      `'max-size' applies only to ram regions (resizeable RAM); '${r.id}' is a ${r.kind}`,
      expr,
    );
    return;
  }
  const max = b.evalSize(file, expr);
  if (max === undefined) return;
  if (max > RAM_LIMIT) {
    b.report(
      file,
      DiagnosticCode.MaxSize,
      `max-size ${hex(max)} exceeds 2^53 bytes, the most a RAM block can hold`,
      expr,
    );
  } else if (r.size !== undefined && max < r.size) {
    b.report(
      file,
      DiagnosticCode.MaxSize,
      `max-size ${hex(max)} is smaller than size ${hex(r.size)}`,
      expr,
    );
  } else r.maxSize = max;
}

function bindCoalesced(b: BindContext, r: RegionInfo): void {
  const { file } = r;
  const whole = r.decl.flags.find((f) => f.name === 'coalesced');
  const members = (r.decl.body?.members ?? []).filter((m) => m.type === 'coalesced');
  if (!whole && members.length === 0) return;
  const notMmio = !MMIO_KINDS.has(r.kind);
  const reportNotMmio = (at: { offset: number; length: number }): void =>
    b.report(
      file,
      DiagnosticCode.NotMmio,
      `Coalescing has no effect on a ${r.kind}: guest accesses to it are not MMIO`,
      at,
      Severity.Warning,
    );
  if (whole) {
    if (notMmio) reportNotMmio(whole);
    r.coalescedWhole = true;
    if (r.size !== undefined) r.coalesced.push({ decl: whole, offset: 0n, size: r.size });
  }
  for (const m of members) {
    if (whole) {
      b.report(
        file,
        DiagnosticCode.InvalidMember,
        `'${r.id}' is coalesced as a whole already; this range is registered a second time`,
        m.keyword,
        Severity.Warning,
      );
    } else if (notMmio) reportNotMmio(m.keyword);
    const offset = b.evalConst(file, m.address);
    if (!m.size) {
      b.report(file, DiagnosticCode.MissingSize, 'A coalesced range needs a size', m.keyword);
      continue;
    }
    const size = b.evalSize(file, m.size);
    if (offset === undefined || size === undefined) continue;
    if (offset < 0n || !insideWindows(r, offset, size)) {
      b.report(
        file,
        DiagnosticCode.OutsideRegion,
        `Coalesced range ${hex(offset)}…${hex(offset + size - 1n)} lies outside ${describeWindows(r)}`,
        m.address ?? m.keyword,
      );
      continue;
    }
    const info: CoalescedRangeInfo = { decl: m, offset, size };
    r.coalesced.push(info);
  }
}

function describeWindows(r: RegionInfo): string {
  const windows = regionWindows(r);
  if (windows.length === 1 && windows[0]!.offset === 0n)
    return `the ${hex(windows[0]!.size)}-byte region '${r.id}'`;
  const list = windows.map((w) => `${hex(w.offset)}…${hex(w.offset + w.size - 1n)}`).join(', ');
  return `the windows of '${r.id}' (${list})`;
}

function bindIoeventfds(b: BindContext, r: RegionInfo): void {
  const { file } = r;
  const names = new Set<string>();
  for (const m of r.decl.body?.members ?? []) {
    if (m.type !== 'ioeventfd') continue;
    if (!MMIO_KINDS.has(r.kind)) {
      b.report(
        file,
        DiagnosticCode.NotMmio,
        `An ioeventfd on a ${r.kind} is never signalled: guest writes to it do not reach MMIO dispatch`,
        m.keyword,
      );
      continue;
    }
    const offset = b.evalConst(file, m.address);
    const size = m.size ? b.evalConst(file, m.size) : 0n;
    const data = m.data ? b.evalConst(file, m.data) : undefined;
    if (offset === undefined || size === undefined || (m.data && data === undefined)) continue;
    if (!IOEVENTFD_SIZES.includes(size)) {
      b.report(
        file,
        DiagnosticCode.IoeventfdAccess,
        `An ioeventfd's size is 0 (any width), 1, 2, 4 or 8 bytes, not ${size}`,
        m.size!,
      );
      continue;
    }
    if (data !== undefined && size === 0n) {
      b.report(
        file,
        DiagnosticCode.IoeventfdAccess,
        "A size-0 ioeventfd matches writes of any width and value: 'data' is ignored (give a size)",
        m.data!,
        Severity.Warning,
      );
    } else if (data !== undefined && (data < 0n || data >= 1n << (size * 8n))) {
      b.report(
        file,
        DiagnosticCode.IoeventfdAccess,
        `Data ${hex(data)} does not fit in a ${size}-byte write`,
        m.data!,
      );
      continue;
    }
    const width = size === 0n ? 1n : size;
    if (offset < 0n || !insideWindows(r, offset, width)) {
      b.report(
        file,
        DiagnosticCode.OutsideRegion,
        `ioeventfd at ${hex(offset)} lies outside ${describeWindows(r)}`,
        m.address ?? m.keyword,
      );
      continue;
    }
    if (size > 1n && offset % size !== 0n) {
      b.report(
        file,
        DiagnosticCode.IoeventfdAccess,
        `An unaligned ${size}-byte write at ${hex(offset)} is rejected before ioeventfds are checked (unless the device accepts unaligned accesses)`,
        m.address!,
        Severity.Warning,
      );
    }
    const info: IoeventfdInfo = {
      name: m.name.text,
      decl: m,
      offset,
      size: Number(size),
      matchData: data !== undefined && size !== 0n,
      data: size === 0n ? 0n : (data ?? 0n),
    };
    if (info.name !== '') {
      if (names.has(info.name)) {
        b.report(
          file,
          DiagnosticCode.DuplicateName,
          `Duplicate ioeventfd '${info.name}' in '${r.id}'`,
          m.name,
        );
        continue;
      }
      names.add(info.name);
      b.occur(file, m.name, { kind: 'ioeventfd', region: r, ioeventfd: info }, true);
    }
    r.ioeventfds.push(info);
  }
  reportShadowed(b, r);
}

/**
 * QEMU signals the first registration in memory_region_ioeventfd_before order (offset, size,
 * without data before with data, data, then registration order) that matches a write; one that
 * an earlier entry matches whenever it would is never signalled.
 */
function reportShadowed(b: BindContext, r: RegionInfo): void {
  const fds = r.ioeventfds;
  if (fds.length < 2) return;
  const sorted = fds
    .map((fd, index) => ({ fd, index }))
    .sort((x, y) => compareIoeventfds(x.fd, y.fd) || x.index - y.index)
    .map((x) => x.fd);
  for (let j = 1; j < sorted.length; j++) {
    const later = sorted[j]!;
    const winner = sorted
      .slice(0, j)
      .find((earlier) => earlier.offset === later.offset && coversAllWrites(earlier, later));
    if (!winner) continue;
    b.report(
      r.file,
      DiagnosticCode.ShadowedIoeventfd,
      `ioeventfd '${later.name}' is never signalled: '${winner.name}' matches every write it would and comes first`,
      later.decl.name.length > 0 ? later.decl.name : later.decl.keyword,
      Severity.Warning,
    );
  }
}

function compareIoeventfds(a: IoeventfdInfo, b: IoeventfdInfo): number {
  if (a.offset !== b.offset) return a.offset < b.offset ? -1 : 1;
  if (a.size !== b.size) return a.size - b.size;
  if (a.matchData !== b.matchData) return a.matchData ? 1 : -1;
  if (a.matchData && a.data !== b.data) return a.data < b.data ? -1 : 1;
  return 0;
}

/** @a matches every write @b matches (same offset assumed), per memory_region_dispatch_write_eventfds. */
function coversAllWrites(a: IoeventfdInfo, b: IoeventfdInfo): boolean {
  if (a.size === 0) return true;
  return a.size === b.size && (!a.matchData || (b.matchData && a.data === b.data));
}
