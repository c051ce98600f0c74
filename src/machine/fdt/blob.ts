/**
 * Flattened device tree blobs (Devicetree Specification v0.4, ch. 5): a tree of nodes with
 * properties, serialised as libfdt lays a packed tree out — header (version 17), an empty memory
 * reservation block, the structure block, the strings block (each property name once).
 */

/** A property value: raw bytes. Build them with cells(), str(), strs() or empty(). */
export type PropValue = Uint8Array;

export interface FdtNode {
  readonly name: string;
  /** Properties in the order they appear in the blob. */
  readonly props: readonly (readonly [string, PropValue])[];
  /** Children in the order they appear in the blob. */
  readonly children: readonly FdtNode[];
}

/** 32-bit big-endian cells: `<0x0 0x80000000>`. */
export function cells(...values: readonly number[]): PropValue {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setUint32(i * 4, v >>> 0, false));
  return out;
}

/** A NUL-terminated string. */
export function str(text: string): PropValue {
  return strs(text);
}

/** A string list: each string NUL-terminated. */
export function strs(...texts: readonly string[]): PropValue {
  const bytes: number[] = [];
  for (const t of texts) {
    for (let i = 0; i < t.length; i++) bytes.push(t.charCodeAt(i) & 0xff);
    bytes.push(0);
  }
  return Uint8Array.from(bytes);
}

/** An empty (boolean) property. */
export function empty(): PropValue {
  return new Uint8Array(0);
}

export function node(
  name: string,
  props: readonly (readonly [string, PropValue])[],
  children: readonly FdtNode[] = [],
): FdtNode {
  return { name, props, children };
}

const FDT_MAGIC = 0xd00d_feed;
const FDT_BEGIN_NODE = 1;
const FDT_END_NODE = 2;
const FDT_PROP = 3;
const FDT_END = 9;
const HEADER_SIZE = 40;
const RSVMAP_SIZE = 16;

/** Serialises `root` (named '') as a DTB. */
export function toDtb(root: FdtNode, bootCpuId = 0): Uint8Array {
  const struct: number[] = [];
  const strings: number[] = [];
  const stringOffsets = new Map<string, number>();
  const u32 = (v: number) =>
    struct.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  const pad = () => {
    while (struct.length % 4 !== 0) struct.push(0);
  };
  const nameOffset = (name: string): number => {
    let off = stringOffsets.get(name);
    if (off === undefined) {
      off = strings.length;
      stringOffsets.set(name, off);
      for (let i = 0; i < name.length; i++) strings.push(name.charCodeAt(i) & 0xff);
      strings.push(0);
    }
    return off;
  };
  const emit = (n: FdtNode) => {
    u32(FDT_BEGIN_NODE);
    for (let i = 0; i < n.name.length; i++) struct.push(n.name.charCodeAt(i) & 0xff);
    struct.push(0);
    pad();
    for (const [name, value] of n.props) {
      u32(FDT_PROP);
      u32(value.length);
      u32(nameOffset(name));
      for (const b of value) struct.push(b);
      pad();
    }
    for (const c of n.children) emit(c);
    u32(FDT_END_NODE);
  };
  emit(root);
  u32(FDT_END);
  const offStruct = HEADER_SIZE + RSVMAP_SIZE;
  const offStrings = offStruct + struct.length;
  const total = offStrings + strings.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  const header = [
    FDT_MAGIC,
    total,
    offStruct,
    offStrings,
    HEADER_SIZE, // off_mem_rsvmap
    17, // version
    16, // last_comp_version
    bootCpuId,
    strings.length,
    struct.length,
  ];
  header.forEach((v, i) => view.setUint32(i * 4, v >>> 0, false));
  out.set(struct, offStruct);
  out.set(strings, offStrings);
  return out;
}
