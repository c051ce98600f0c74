// A deliberately naive model of QEMU's memory topology for the property test. It shares no
// code with the engine: its own node type, its own QEMU-style mutators (insertion order,
// set_address re-insertion), and a per-address resolver that walks the tree for one address
// at a time (first rendered wins: children in list order before the region itself).

export interface ModelNode {
  readonly id: number;
  readonly kind: 'container' | 'io' | 'ram' | 'alias';
  size: bigint;
  addr: bigint;
  priority: number;
  enabled: boolean;
  readonly: boolean;
  parent: ModelNode | null;
  readonly children: ModelNode[];
  readonly target: ModelNode | null;
  aliasOffset: bigint;
}

export function modelNode(
  id: number,
  kind: ModelNode['kind'],
  size: bigint,
  target: ModelNode | null = null,
): ModelNode {
  return {
    id,
    kind,
    size,
    addr: 0n,
    priority: 0,
    enabled: true,
    readonly: false,
    parent: null,
    children: [],
    target,
    aliasOffset: 0n,
  };
}

/** add_subregion(_overlap): before the first child whose priority is <= ours. */
export function modelAdd(
  parent: ModelNode,
  child: ModelNode,
  addr: bigint,
  priority: number,
): void {
  child.parent = parent;
  child.addr = addr;
  child.priority = priority;
  let i = 0;
  while (i < parent.children.length && parent.children[i]!.priority > priority) i++;
  parent.children.splice(i, 0, child);
}

export function modelRemove(child: ModelNode): void {
  const p = child.parent!;
  p.children.splice(p.children.indexOf(child), 1);
  child.parent = null;
}

/** set_address: a mapped node is removed and re-added (keeping its priority). */
export function modelSetAddress(node: ModelNode, addr: bigint): void {
  if (node.addr === addr) return;
  const p = node.parent;
  if (!p) {
    node.addr = addr;
    return;
  }
  modelRemove(node);
  modelAdd(p, node, addr, node.priority);
}

export interface Resolved {
  readonly id: number;
  readonly offset: bigint;
  readonly readonly: boolean;
}

function terminates(n: ModelNode): boolean {
  return n.kind === 'io' || n.kind === 'ram';
}

/** Which node serves absolute @addr when @node is rendered at @base (QEMU semantics). */
function resolve(node: ModelNode, base: bigint, addr: bigint, ro: boolean): Resolved | null {
  if (!node.enabled) return null;
  const start = base + node.addr;
  if (addr < start || addr >= start + node.size) return null;
  ro = ro || node.readonly;
  if (node.target)
    return resolve(node.target, start - node.target.addr - node.aliasOffset, addr, ro);
  for (const child of node.children) {
    const hit = resolve(child, start, addr, ro);
    if (hit) return hit;
  }
  return terminates(node) ? { id: node.id, offset: addr - start, readonly: ro } : null;
}

/** memory_region_get_flatview_root, restated. */
export function modelFlatRoot(root: ModelNode): ModelNode | null {
  let n: ModelNode | null = root;
  while (n && n.enabled) {
    if (n.target) {
      if (n.aliasOffset === 0n && n.size >= n.target.size) {
        n = n.target;
        continue;
      }
      return n;
    }
    if (terminates(n)) return n;
    const enabled: ModelNode[] = n.children.filter((c) => c.enabled);
    if (enabled.length === 0) return null;
    if (enabled.length === 1 && enabled[0]!.addr === 0n && n.size >= enabled[0]!.size) {
      n = enabled[0]!;
      continue;
    }
    return n;
  }
  return null;
}

/** The node serving @addr in the address space rooted at @root. */
export function modelLookup(root: ModelNode, addr: bigint): Resolved | null {
  const flatRoot = modelFlatRoot(root);
  return flatRoot ? resolve(flatRoot, 0n, addr, false) : null;
}
