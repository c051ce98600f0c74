/*
 * The `-d` part of `info mtree -f -d`: QEMU 7.2's dispatch structure for a flat view
 * (softmmu/physmem.c PhysPageMap — sections, a 6-level radix tree of 512-entry nodes with
 * subpages, then phys_page_compact) rebuilt from our FlatView by the same algorithm, and
 * printed as mtree_print_dispatch does.
 *
 * Honesty note: this is a model of the structure QEMU would build for the same flat view,
 * kept for byte-exact comparison with QEMU. Our CPU path does not use it — it uses the
 * page-table TLB of dispatch.ts, whose design is explained there. Section labels
 * ([unassigned], [not dirty], [ROM], [watch]) are QEMU's leftovers chosen by index only; [MRU]
 * (QEMU's last-lookup cache, runtime state) is never printed.
 */
import { type FlatView, type MemoryRegion, UINT64_MAX, hex16, SIZE_2_64 } from '../core';

const P_L2_BITS = 9n;
const P_L2_SIZE = 512;
const NIL = 2 ** 26 - 1;
const U64 = UINT64_MAX;

/** A dispatch section: a flat range, the unassigned dummy or a subpage. */
interface Section {
  /** The region, or null for the unnamed dummy/subpage regions. */
  readonly mr: MemoryRegion | null;
  readonly subpage: boolean;
  readonly start: bigint;
  readonly size: bigint;
}

/** One radix node: 512 entries of (skip, ptr). */
interface PhysNode {
  readonly skip: Uint8Array;
  readonly ptr: Int32Array;
}

/** A root or node entry being written. */
interface EntryRef {
  skip: number;
  ptr: number;
}

class PhysPageMap {
  readonly sections: Section[] = [];
  readonly nodes: PhysNode[] = [];
  readonly root: EntryRef = { skip: 1, ptr: NIL };
  readonly levels: number;
  readonly pageBits: bigint;

  constructor(pageBits: number) {
    this.pageBits = BigInt(pageBits);
    this.levels = Math.floor((64 - pageBits - 1) / 9) + 1;
    // dummy_section(io_mem_unassigned): section 0 covers the whole space.
    this.sections.push({ mr: null, subpage: false, start: 0n, size: SIZE_2_64 });
  }

  addSection(s: Section): number {
    this.sections.push(s);
    return this.sections.length - 1;
  }

  allocNode(leaf: boolean): number {
    const node: PhysNode = { skip: new Uint8Array(P_L2_SIZE), ptr: new Int32Array(P_L2_SIZE) };
    node.skip.fill(leaf ? 0 : 1);
    node.ptr.fill(leaf ? 0 : NIL);
    this.nodes.push(node);
    return this.nodes.length - 1;
  }

  /** phys_page_set: maps @nb pages from page @index to section @leaf. */
  set(index: bigint, nb: bigint, leaf: number): void {
    const state = { index, nb };
    this.setLevel(this.root, state, leaf, this.levels - 1);
  }

  private setLevel(
    lp: EntryRef,
    state: { index: bigint; nb: bigint },
    leaf: number,
    level: number,
  ): void {
    const step = 1n << (BigInt(level) * P_L2_BITS);
    if (lp.skip !== 0 && lp.ptr === NIL) lp.ptr = this.allocNode(level === 0);
    const node = this.nodes[lp.ptr]!;
    let i = Number((state.index >> (BigInt(level) * P_L2_BITS)) & BigInt(P_L2_SIZE - 1));
    while (state.nb !== 0n && i < P_L2_SIZE) {
      if ((state.index & (step - 1n)) === 0n && state.nb >= step) {
        node.skip[i] = 0;
        node.ptr[i] = leaf;
        state.index += step;
        state.nb -= step;
      } else {
        const child: EntryRef = { skip: node.skip[i]!, ptr: node.ptr[i]! };
        this.setLevel(child, state, leaf, level - 1);
        node.skip[i] = child.skip;
        node.ptr[i] = child.ptr;
      }
      i++;
    }
  }

  /** phys_page_find: the section mapped at @addr (section 0 where nothing is). */
  find(addr: bigint): number {
    const index = addr >> this.pageBits;
    let skip = this.root.skip;
    let ptr = this.root.ptr;
    for (let i = this.levels; skip !== 0 && (i -= skip) >= 0;) {
      if (ptr === NIL) return 0;
      const node = this.nodes[ptr]!;
      const k = Number((index >> (BigInt(i) * P_L2_BITS)) & BigInt(P_L2_SIZE - 1));
      skip = node.skip[k]!;
      ptr = node.ptr[k]!;
    }
    const s = this.sections[ptr]!;
    return s.size >= SIZE_2_64 || (addr >= s.start && addr - s.start < s.size) ? ptr : 0;
  }

  /** phys_page_compact on the root and, recursively, every interior entry. */
  compact(): void {
    if (this.root.skip !== 0) this.compactEntry(this.root);
  }

  private compactEntry(lp: EntryRef): void {
    if (lp.ptr === NIL) return;
    const node = this.nodes[lp.ptr]!;
    let valid = 0;
    let validAt = P_L2_SIZE;
    for (let i = 0; i < P_L2_SIZE; i++) {
      if (node.ptr[i] === NIL) continue;
      validAt = i;
      valid++;
      if (node.skip[i] !== 0) {
        const child: EntryRef = { skip: node.skip[i]!, ptr: node.ptr[i]! };
        this.compactEntry(child);
        node.skip[i] = child.skip;
        node.ptr[i] = child.ptr;
      }
    }
    if (valid !== 1) return;
    if (this.levels >= 64 && lp.skip + node.skip[validAt]! >= 64) return;
    lp.ptr = node.ptr[validAt]!;
    lp.skip = node.skip[validAt] === 0 ? 0 : lp.skip + node.skip[validAt]!;
  }
}

/** flatview_add_to_dispatch for every range, then address_space_dispatch_compact. */
function buildDispatch(view: FlatView, pageBits: number): PhysPageMap {
  const map = new PhysPageMap(pageBits);
  const page = 1n << BigInt(pageBits);
  const registerSubpage = (mr: MemoryRegion, start: bigint, size: bigint): void => {
    const base = start & ~(page - 1n);
    const existing = map.sections[map.find(base)]!;
    if (!existing.subpage) {
      map.set(
        base >> map.pageBits,
        1n,
        map.addSection({ mr: null, subpage: true, start: base, size: page }),
      );
    }
    map.addSection({ mr, subpage: false, start, size });
  };
  for (const fr of view.ranges) {
    let start = fr.start;
    let size = fr.size;
    if (start & (page - 1n)) {
      const left = ((start + page - 1n) & ~(page - 1n)) - start;
      const now = left < size ? left : size;
      registerSubpage(fr.mr, start, now);
      if (now === size) continue;
      size -= now;
      start += now;
    }
    if (size >= page) {
      const now = size & ~(page - 1n);
      map.set(
        start >> map.pageBits,
        now >> map.pageBits,
        map.addSection({ mr: fr.mr, subpage: false, start, size: now }),
      );
      if (now === size) continue;
      size -= now;
      start += now;
    }
    registerSubpage(fr.mr, start, size);
  }
  map.compact();
  return map;
}

const LABELS = [' [unassigned]', ' [not dirty]', ' [ROM]', ' [watch]'];

function entryLine(first: number, end: number, skip: number, ptr: number): string {
  const index =
    first === end - 1
      ? `\t${String(first).padStart(3)}      `
      : `\t${String(first).padStart(3)}..${String(end - 1).padEnd(4)}`;
  const target = ptr === NIL ? ' ptr=NIL' : skip === 0 ? ` ptr=#${ptr}` : ` ptr=[${ptr}]`;
  return `${index} skip=${skip} ${target}\n`;
}

/** mtree_print_dispatch for @view (whose root must be non-null), with @pageBits-bit pages. */
export function formatDispatch(view: FlatView, pageBits: number): string {
  const map = buildDispatch(view, pageBits);
  const out: string[] = ['  Dispatch\n', '    Physical sections\n'];
  map.sections.forEach((s, i) => {
    const end = (s.start + (s.size === 0n ? 0n : s.size - 1n)) & U64;
    const name = s.mr?.name ?? '(noname)';
    const root = s.mr !== null && s.mr === view.root ? ' [ROOT]' : '';
    out.push(`      #${i} @${hex16(s.start)}..${hex16(end)} ${name}${LABELS[i] ?? ''}${root}\n`);
  });
  out.push(
    `    Nodes (9 bits per level, ${map.levels} levels) ptr=[${map.root.ptr}] skip=${map.root.skip}\n`,
  );
  map.nodes.forEach((node, i) => {
    out.push(`      [${i}]\n`);
    let jprev = 0;
    for (let j = 1; j < P_L2_SIZE; j++) {
      if (node.ptr[j] === node.ptr[jprev] && node.skip[j] === node.skip[jprev]) continue;
      out.push(entryLine(jprev, j, node.skip[jprev]!, node.ptr[jprev]!));
      jprev = j;
    }
    out.push(entryLine(jprev, P_L2_SIZE, node.skip[jprev]!, node.ptr[jprev]!));
  });
  return out.join('');
}
