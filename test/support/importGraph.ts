/**
 * The import graph of the source tree, read from the files' text (no compiler needed): each edge
 * says whether it is type-only (`import type`, `export type`, or every named specifier `type`),
 * since those vanish at run time. Used by the foundation tests for cycles and layering.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export interface ImportEdge {
  readonly from: string;
  readonly to: string;
  readonly typeOnly: boolean;
}

const STATEMENT =
  /^\s*(import|export)\s+(type\s+)?([^;'"]*?)\s*from\s*['"](\.{1,2}\/[^'"]*|\.)['"]|^\s*import\s+['"](\.{1,2}\/[^'"]*)['"]/gm;

function tsFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) tsFiles(path, out);
    else if (entry.name.endsWith('.ts') && !entry.name.startsWith('__layer_probe_')) out.push(path);
  }
  return out;
}

function resolveSpec(importer: string, spec: string): string | undefined {
  const base = resolve(dirname(importer), spec);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

function isTypeOnly(keywordType: string | undefined, clause: string): boolean {
  if (keywordType) return true;
  const braces = /^\{([^}]*)\}$/.exec(clause.trim());
  if (!braces) return false;
  const items = braces[1]!
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length > 0 && items.every((s) => s.startsWith('type '));
}

/** Every relative import between the .ts files under `root`/`folder`, paths relative to `root`. */
export function importGraph(root: string, folder = 'src'): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of tsFiles(join(root, folder))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(STATEMENT)) {
      const spec = m[4] ?? m[5]!;
      const target = resolveSpec(file, spec);
      if (!target) continue;
      edges.push({
        from: relative(root, file),
        to: relative(root, target),
        typeOnly: m[5] === undefined && isTypeOnly(m[2], m[3] ?? ''),
      });
    }
  }
  return edges;
}

/** The strongly connected components with more than one file (Tarjan), i.e. the import cycles. */
export function cycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    if (!next.has(e.from)) next.set(e.from, []);
    if (!next.has(e.to)) next.set(e.to, []);
    next.get(e.from)!.push(e.to);
  }
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  // Iterative Tarjan: the graph is small, but recursion depth should not depend on the tree.
  for (const start of next.keys()) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; i: number }> = [{ node: start, i: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const top = work[work.length - 1]!;
      const succ = next.get(top.node)!;
      if (top.i < succ.length) {
        const w = succ[top.i++]!;
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, i: 0 });
        } else if (onStack.has(w)) {
          low.set(top.node, Math.min(low.get(top.node)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1]!.node;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.node)!));
      }
      if (low.get(top.node) === index.get(top.node)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== top.node);
        if (component.length > 1) out.push(component.sort());
      }
    }
  }
  return out;
}
