/*
 * `info mtree` printer: QEMU 7.2's HMP text byte for byte (softmmu/memory.c mtree_info,
 * mtree_print_mr, mtree_print_flatview). A pure function over a MemorySystem. Where QEMU
 * iterates a pointer-keyed hash table (address-space groups, FlatView blocks) we use the
 * deterministic first-encounter order of the address-space list; QEMU's own order varies from
 * run to run, so only the set of blocks is comparable.
 */
import {
  type AddressSpace,
  type FlatRange,
  type FlatView,
  type MemorySystem,
  type MemoryRegion,
  type QomObject,
  UINT64_MAX,
  hex16,
} from '../core';
import { formatDispatch } from './mtreeDispatch';

/** Flags of `info mtree`. */
export interface MtreeOptions {
  /** -f: flat views per address space instead of the tree. */
  readonly flat?: boolean;
  /** -o: owners and QOM parents. */
  readonly owner?: boolean;
  /** -D: also print disabled regions (tree mode only). */
  readonly disabled?: boolean;
  /** -d: after each flat view, QEMU's dispatch tree for it (flat mode only; see mtreeDispatch.ts). */
  readonly dispatch?: boolean;
}

const U64 = UINT64_MAX;
const INDENT = '  ';

/** MR_SIZE: size − 1 as a u64 (0 for size 0), the inclusive-end increment. */
function mrSize(size: bigint): bigint {
  return size === 0n ? 0n : (size - 1n) & U64;
}

function expandOwner(label: string, obj: QomObject): string {
  let s = ` ${label}:{${obj.kind}`;
  if (obj.kind === 'dev' && obj.id !== undefined) s += ` id=${obj.id}`;
  else if (obj.path !== undefined) s += ` path=${obj.path}`;
  else s += ` type=${obj.typeName ?? ''}`;
  return s + '}';
}

/** mtree_print_mr_owner: ` owner:{…}`, ` parent:{…}` when different, or ` orphan`. */
export function ownerText(mr: MemoryRegion): string {
  const owner = mr.owner;
  const parent = mr.qomParent;
  if (!owner && !parent) return ' orphan';
  let s = owner ? expandOwner('owner', owner) : '';
  if (parent && parent !== owner) s += expandOwner('parent', parent);
  return s;
}

/** Prints `info mtree` with the given flags. */
export function formatMtree(system: MemorySystem, options: MtreeOptions = {}): string {
  return options.flat
    ? formatFlatViews(system, options.owner ?? false, options.dispatch ?? false)
    : formatTree(system, options.owner ?? false, options.disabled ?? false);
}

function formatTree(system: MemorySystem, owner: boolean, disabled: boolean): string {
  const out: string[] = [];
  const aliasQueue: MemoryRegion[] = [];
  const queued = new Set<MemoryRegion>();
  const groups = new Map<MemoryRegion | null, AddressSpace[]>();
  for (const as of system.addressSpaces) {
    let list = groups.get(as.root);
    if (!list) groups.set(as.root, (list = []));
    // g_slist_insert_sorted: before the first element not smaller (strcmp).
    let i = 0;
    while (i < list.length && compareBytes(as.name, list[i]!.name) > 0) i++;
    list.splice(i, 0, as);
  }
  const ctx: TreeContext = { out, aliasQueue, queued, owner, disabled };
  for (const [root, list] of groups) {
    for (const as of list) out.push(`address-space: ${as.name}\n`);
    if (root) printRegion(ctx, root, 1, 0n);
    out.push('\n');
  }
  // The queue grows while it is printed: targets found inside targets are appended.
  for (let i = 0; i < aliasQueue.length; i++) {
    const mr = aliasQueue[i]!;
    out.push(`memory-region: ${mr.name}\n`);
    printRegion(ctx, mr, 1, 0n);
    out.push('\n');
  }
  return out.join('');
}

interface TreeContext {
  readonly out: string[];
  readonly aliasQueue: MemoryRegion[];
  readonly queued: Set<MemoryRegion>;
  readonly owner: boolean;
  readonly disabled: boolean;
}

function printRegion(ctx: TreeContext, mr: MemoryRegion, level: number, base: bigint): void {
  const out = ctx.out;
  const start = (base + mr.addr) & U64;
  const end = (start + mrSize(mr.size)) & U64;
  // QEMU prints this before the indentation, even when the line itself is suppressed.
  if (start < base || end < start) out.push('[DETECTED OVERFLOW!] ');
  const shown = mr.enabled || ctx.disabled;
  const nv = mr.nonvolatile ? 'nv-' : '';
  if (mr.alias) {
    if (!ctx.queued.has(mr.alias)) {
      ctx.queued.add(mr.alias);
      ctx.aliasQueue.push(mr.alias);
    }
    if (shown) {
      const offEnd = (mr.aliasOffset + mrSize(mr.size)) & U64;
      out.push(
        `${INDENT.repeat(level)}${hex16(start)}-${hex16(end)} (prio ${mr.priority}, ${nv}${mr.typeLabel()}): ` +
          `alias ${mr.name} @${mr.alias.name} ${hex16(mr.aliasOffset)}-${hex16(offEnd)}` +
          `${mr.enabled ? '' : ' [disabled]'}${ctx.owner ? ownerText(mr) : ''}\n`,
      );
    }
  } else if (shown) {
    out.push(
      `${INDENT.repeat(level)}${hex16(start)}-${hex16(end)} (prio ${mr.priority}, ${nv}${mr.typeLabel()}): ` +
        `${mr.name}${mr.enabled ? '' : ' [disabled]'}${ctx.owner ? ownerText(mr) : ''}\n`,
    );
  }
  // Children by ascending address, then descending priority, then list order (stable).
  const children: MemoryRegion[] = [];
  for (const sub of mr.subregions) {
    let i = 0;
    while (i < children.length) {
      const c = children[i]!;
      if (sub.addr < c.addr || (sub.addr === c.addr && sub.priority > c.priority)) break;
      i++;
    }
    children.splice(i, 0, sub);
  }
  for (const child of children) printRegion(ctx, child, level + 1, start);
}

/** strcmp on the UTF-8 bytes; for BMP text code-unit order agrees except for surrogates, so compare code points. */
function compareBytes(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

function formatFlatViews(system: MemorySystem, owner: boolean, dispatch: boolean): string {
  const out: string[] = [];
  const groups = new Map<FlatView, AddressSpace[]>();
  for (const as of system.addressSpaces) {
    const view = as.flatView;
    let list = groups.get(view);
    if (!list) groups.set(view, (list = []));
    list.push(as);
  }
  let counter = 0;
  for (const [view, list] of groups) {
    out.push(`FlatView #${counter++}\n`);
    for (const as of list) {
      let line = ` AS "${as.name}", root: ${as.root ? as.root.name : '(none)'}`;
      if (as.root?.alias) line += `, alias ${as.root.alias.name}`;
      out.push(line + '\n');
    }
    out.push(` Root memory region: ${view.root ? view.root.name : '(none)'}\n`);
    if (view.ranges.length === 0) {
      out.push(`${INDENT}No rendered FlatView\n\n`);
      continue;
    }
    for (const fr of view.ranges) out.push(flatRangeLine(fr, owner) + '\n');
    if (dispatch && view.root) out.push(formatDispatch(view, Math.log2(system.targetPageSize)));
    out.push('\n');
  }
  return out.join('');
}

/** One range line of `info mtree -f` (without the newline). */
export function flatRangeLine(fr: FlatRange, owner = false): string {
  const start = fr.start & U64;
  const end = (start + mrSize(fr.size)) & U64;
  const type = fr.readonly ? 'rom' : fr.mr.typeLabel();
  let line = `${INDENT}${hex16(start)}-${hex16(end)} (prio ${fr.mr.priority}, ${fr.nonvolatile ? 'nv-' : ''}${type}): ${fr.mr.name}`;
  if (fr.offsetInRegion !== 0n) line += ` @${hex16(fr.offsetInRegion)}`;
  if (owner) line += ownerText(fr.mr);
  return line;
}
