/**
 * Layout checks on the bound model: children sticking out of their container, alias windows
 * beyond their target, alias cycles (including an alias that renders one of its own ancestors),
 * and equal-priority overlaps between siblings, explained with QEMU's tie-break rule (§3.1: the
 * most recently added subregion comes first among equal priorities and wins the overlap).
 */
import type { Binder } from './bind';
import { hex, SIZE_2_64 } from '../../engine';
import { DiagnosticCode, Severity } from '../syntax';
import type { RegionInfo } from './model';

export function checkLayout(b: Binder): void {
  for (const r of b.regionList) {
    checkInsideParent(b, r);
    if (r.kind === 'alias') checkAlias(b, r);
  }
  const containers = b.regionList.filter((r) => r.children.length > 1);
  for (const c of containers) checkOverlaps(b, c.children);
}

function checkInsideParent(b: Binder, r: RegionInfo): void {
  const p = r.parent;
  if (!p || p.size === undefined || r.size === undefined || !r.decl.address) return;
  const end = r.address + r.size;
  if (end <= p.size) return;
  const at = r.decl.address;
  if (r.address >= p.size) {
    b.report(
      r.file,
      DiagnosticCode.OutsideContainer,
      `'${r.id}' at ${hex(r.address)} lies outside '${p.id}' (size ${hex(p.size)}); it is never visible`,
      at,
      Severity.Warning,
    );
  } else {
    b.report(
      r.file,
      DiagnosticCode.OutsideContainer,
      `'${r.id}' (${hex(r.address)}…${hex(end - 1n)}) extends past the end of '${p.id}' (size ${hex(p.size)}); QEMU clips it at ${hex(p.size - 1n)}`,
      at,
      Severity.Warning,
    );
  }
  if (end > SIZE_2_64) {
    b.report(r.file, DiagnosticCode.ValueOutOfRange, `'${r.id}' ends beyond 2^64`, at);
  }
}

function checkAlias(b: Binder, r: RegionInfo): void {
  const t = r.target;
  if (!t || !r.decl.target) return;
  // follow the chain of alias targets: a cycle never ends
  const seen = new Set<RegionInfo>([r]);
  let cur: RegionInfo | undefined = t;
  while (cur) {
    if (seen.has(cur)) {
      b.report(
        r.file,
        DiagnosticCode.AliasCycle,
        `Alias cycle: ${[...seen].map((x) => x.id).join(' → ')} → ${cur.id}`,
        r.decl.target,
      );
      return;
    }
    seen.add(cur);
    cur = cur.kind === 'alias' ? cur.target : undefined;
  }
  // an alias that reaches one of its own ancestors would render itself forever
  for (const x of seen) {
    for (let a = r.parent; a; a = a.parent) {
      if (a === x) {
        b.report(
          r.file,
          DiagnosticCode.AliasCycle,
          `Alias '${r.id}' shows '${x.id}', which contains the alias itself`,
          r.decl.target,
        );
        return;
      }
    }
  }
  if (r.size !== undefined && t.size !== undefined && r.decl.size) {
    const end = r.targetOffset + r.size;
    if (end > t.size) {
      const at = r.decl.size ?? r.decl.target;
      const beyond = r.targetOffset >= t.size ? 'entirely' : `${hex(end - t.size)} bytes`;
      b.report(
        r.file,
        DiagnosticCode.AliasOutsideTarget,
        `Alias window ${hex(r.targetOffset)}…${hex(end - 1n)} goes ${beyond} past the end of '${t.id}' (size ${hex(t.size)}); that part is a hole`,
        at,
        Severity.Warning,
      );
    }
  }
}

function checkOverlaps(b: Binder, siblings: readonly RegionInfo[]): void {
  const order = new Map(siblings.map((r, i) => [r, i]));
  const placed = siblings
    .filter((r) => r.enabled && r.size !== undefined && r.size > 0n && r.decl.address)
    .sort((x, y) => (x.address < y.address ? -1 : x.address > y.address ? 1 : 0));
  let active: RegionInfo[] = [];
  for (const r of placed) {
    active = active.filter((a) => a.address + a.size! > r.address);
    for (const a of active) {
      if (a.priority !== r.priority) continue;
      const [older, newer] = order.get(a)! < order.get(r)! ? [a, r] : [r, a];
      const start = r.address;
      const end =
        a.address + a.size! < r.address + r.size! ? a.address + a.size! : r.address + r.size!;
      b.report(
        newer.file,
        DiagnosticCode.EqualPriorityOverlap,
        `'${newer.id}' overlaps '${older.id}' at ${hex(start)}…${hex(end - 1n)} with the same priority ${r.priority}; QEMU shows the later-declared '${newer.id}' there (among equal priorities the most recently added subregion wins). Give one a priority to make the choice explicit.`,
        newer.decl.name,
        Severity.Warning,
      );
    }
    active.push(r);
  }
}
