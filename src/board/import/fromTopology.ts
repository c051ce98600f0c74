/**
 * Engine topology → board-map text, for `boardmap import-mtree`: a readable map a person would
 * keep. Every region gets a unique board name (QEMU names are not unique: `virtio-mmio` ×8), with
 * the QEMU name as a label when they differ; children are listed by address unless QEMU's
 * equal-priority tie-break needs the original insertion order; sizes use units when exact;
 * address-space roots print as trees, detached alias targets after them.
 */
import {
  compileOps,
  type AddressSpace,
  type MemoryRegion,
  type QomObject,
  hexGrouped,
  SIZE_2_64,
} from '../../engine';
import { formatName, isPlainIdentifier } from '../syntax';
import { formatQomText } from '../check';

export interface FromTopologyOptions {
  readonly boardName?: string;
  /** A comment put at the top (e.g. where the dumps came from). */
  readonly header?: string;
  /** Write owners (`owner "dev path=…"`) — only meaningful when the dumps had them (-o). */
  readonly owners?: boolean;
}

const KIND_KEYWORD: Record<string, string> = {
  container: 'container',
  ram: 'ram',
  rom: 'rom',
  romDevice: 'romd',
  io: 'mmio',
  alias: 'alias',
  ramDevice: 'ramd',
  reservation: 'reservation',
};

/** A number as a board literal: units when exact (`64K`, `128M`), powers of two for 2^64. */
export function sizeLiteral(v: bigint): string {
  if (v === SIZE_2_64) return '2^64';
  if (v < 1024n) return v.toString();
  for (const [unit, shift] of [
    ['E', 60n],
    ['P', 50n],
    ['T', 40n],
    ['G', 30n],
    ['M', 20n],
    ['K', 10n],
  ] as const) {
    const u = 1n << shift;
    if (v >= u && v % u === 0n && v / u < 4096n) return `${v / u}${unit}`;
  }
  return hexGrouped(v);
}

function sameQom(a: QomObject | null, b: QomObject | null): boolean {
  return (
    a?.kind === b?.kind && a?.id === b?.id && a?.path === b?.path && a?.typeName === b?.typeName
  );
}

export function topologyToBoard(
  spaces: readonly AddressSpace[],
  options: FromTopologyOptions = {},
): string {
  const ids = new Map<MemoryRegion, string>();
  const used = new Set<string>();
  const order: MemoryRegion[] = [];
  const seen = new Set<MemoryRegion>();
  const visit = (mr: MemoryRegion): void => {
    if (seen.has(mr)) return;
    seen.add(mr);
    order.push(mr);
    for (const c of mr.subregions) visit(c);
    if (mr.alias) visit(topOf(mr.alias));
  };
  const roots: MemoryRegion[] = [];
  for (const s of spaces) {
    if (!s.root) continue;
    const top = topOf(s.root);
    if (!roots.includes(top)) roots.push(top);
    visit(top);
  }
  // alias targets outside every tree become top-level declarations too
  const detached: MemoryRegion[] = [];
  for (let i = 0; i < order.length; i++) {
    const mr = order[i]!;
    if (mr.alias) {
      const t = topOf(mr.alias);
      if (!roots.includes(t) && !detached.includes(t)) detached.push(t);
    }
  }
  for (const mr of order) ids.set(mr, uniqueId(mr.name, used));

  const lines: string[] = [];
  if (options.header) for (const l of options.header.split('\n')) lines.push(`# ${l}`.trimEnd());
  if (options.boardName) lines.push(`board ${formatName(options.boardName)}`, '');
  const emit = (mr: MemoryRegion, depth: number): void => {
    const id = ids.get(mr)!;
    const parts = [KIND_KEYWORD[mr.kind] ?? 'mmio', formatName(id)];
    if (id !== mr.name) parts.push(formatName(mr.name, true));
    if (mr.container) parts.push(`@ ${hexGrouped(mr.addr)}`);
    if (mr.alias) {
      parts.push(`-> ${formatName(ids.get(mr.alias)!)}`);
      if (mr.aliasOffset !== 0n) parts.push(`offset ${hexGrouped(mr.aliasOffset)}`);
      if (mr.aliasOffset + mr.size !== mr.alias.size) parts.push(`size ${sizeLiteral(mr.size)}`);
    } else parts.push(`size ${sizeLiteral(mr.size)}`);
    if (mr.ramBlock?.resizeable)
      parts.push(`max-size ${sizeLiteral(BigInt(mr.ramBlock.maxLength))}`);
    if (mr.priority !== 0) parts.push(`prio ${mr.priority}`);
    if (!mr.enabled) parts.push('disabled');
    if (mr.readonly && mr.kind !== 'rom') parts.push('readonly');
    if (mr.nonvolatile) parts.push('nonvolatile');
    if (mr.kind === 'romDevice' && !mr.romdMode) parts.push('mmio-mode');
    const wholeCoalesced =
      mr.coalesced.length === 1 &&
      mr.coalesced[0]!.offset === 0n &&
      mr.coalesced[0]!.size === mr.size;
    if (wholeCoalesced) parts.push('coalesced');
    if (options.owners) {
      if (mr.owner) parts.push(`owner ${formatName(formatQomText(mr.owner), true)}`);
      const defaultParent = mr.owner ?? { kind: 'obj', path: '/machine/unattached' };
      if (mr.qomParent && !sameQom(mr.qomParent, defaultParent)) {
        parts.push(`parent ${formatName(formatQomText(mr.qomParent), true)}`);
      }
    }
    const indent = '  '.repeat(depth);
    const members = wholeCoalesced
      ? ioeventfdLines(mr)
      : [...coalescedLines(mr), ...ioeventfdLines(mr)];
    const children = mr.alias ? [] : declarationOrder(mr);
    if (children.length === 0 && members.length === 0) {
      lines.push(indent + parts.join(' '));
      return;
    }
    lines.push(indent + parts.join(' ') + ' {');
    for (const m of members) lines.push(`${indent}  ${m}`);
    for (const c of children) emit(c, depth + 1);
    lines.push(indent + '}');
  };
  for (const r of roots) {
    emit(r, 0);
    lines.push('');
  }
  for (const r of detached) {
    emit(r, 0);
    lines.push('');
  }
  const spaceIds = new Set<string>();
  for (const s of spaces) {
    const id = uniqueId(s.name, spaceIds);
    const label = id !== s.name ? ` ${formatName(s.name, true)}` : '';
    lines.push(
      `space ${formatName(id)}${label} = ${s.root ? formatName(ids.get(s.root)!) : 'none'}`,
    );
  }
  return lines.join('\n') + '\n';
}

/** `coalesced @ … size …` members for @mr's coalesced ranges (memory_region_add_coalescing). */
function coalescedLines(mr: MemoryRegion): string[] {
  return mr.coalesced.map((c) => `coalesced @ ${hexGrouped(c.offset)} size ${sizeLiteral(c.size)}`);
}

/**
 * `ioeventfd` members for @mr's registrations, named eventfd0, eventfd1 … (the engine keeps no
 * names). The engine holds `data` in the device's byte order; the board writes it as the guest
 * does (target order), so a byte-swapping device's data is swapped back.
 */
function ioeventfdLines(mr: MemoryRegion): string[] {
  if (mr.ioeventfds.length === 0) return [];
  const target = mr.system.targetBigEndian;
  const swaps = compileOps(mr.ops).bigEndian(target) !== target;
  return mr.ioeventfds.map((fd, i) => {
    const parts = [`ioeventfd eventfd${i} @ ${hexGrouped(fd.addr)}`];
    if (fd.size !== 0) parts.push(`size ${fd.size}`);
    if (fd.matchData && fd.size !== 0) {
      const data = swaps && fd.size > 1 ? swapBytes(fd.data, fd.size) : fd.data;
      parts.push(`data ${hexGrouped(data)}`);
    }
    return parts.join(' ');
  });
}

function swapBytes(v: bigint, size: number): bigint {
  let r = 0n;
  for (let i = 0; i < size; i++) {
    r = (r << 8n) | (v & 0xffn);
    v >>= 8n;
  }
  return r;
}

function topOf(mr: MemoryRegion): MemoryRegion {
  let t = mr;
  while (t.container) t = t.container;
  return t;
}

function uniqueId(name: string, used: Set<string>): string {
  let base = isPlainIdentifier(name) ? name : sanitize(name);
  if (base === '') base = 'region';
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
  used.add(id);
  return id;
}

function sanitize(name: string): string {
  const s = name
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/[-.]{2,}/g, '-')
    .replace(/^[^A-Za-z_]+/, '')
    .replace(/[-.]+$/, '');
  return isPlainIdentifier(s) ? s : '';
}

/**
 * Children in address order, unless that would change which of two overlapping equal-priority
 * siblings QEMU shows (or their print order at one address): then the order that reproduces
 * QEMU's list exactly (reverse list order: each insertion goes in front of its equal-priority
 * siblings, so the newest must come last).
 */
function declarationOrder(mr: MemoryRegion): MemoryRegion[] {
  const list = mr.subregions;
  const newness = new Map(list.map((r, i) => [r, i])); // smaller = newer
  // by address; at one address older first (so the newer is declared later, as QEMU added it)
  const byAddr = [...list].sort((a, b) =>
    a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : newness.get(b)! - newness.get(a)!,
  );
  // in byAddr order a later entry is declared later, i.e. newer: it must have a smaller index
  const active: MemoryRegion[] = [];
  for (const c of byAddr) {
    for (let i = active.length - 1; i >= 0; i--) {
      const a = active[i]!;
      if (a.addr + a.size <= c.addr && a.addr !== c.addr) active.splice(i, 1);
    }
    for (const a of active) {
      if (a.priority === c.priority && newness.get(c)! > newness.get(a)!)
        return [...list].reverse();
    }
    active.push(c);
  }
  return byAddr;
}
