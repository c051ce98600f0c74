/**
 * One analysis of a board document: program (with includes), model, built engine map (when the
 * board has no errors), where each region sits in each address space, and which regions QEMU's
 * rendering hides completely (an information diagnostic).
 */
import { hexRange, type FlatRange, type MemoryRegion } from '../../engine';
import { compileBoard, type BuiltBoard } from '../build';
import { DiagnosticCode, Severity, type BoardDiagnostic } from '../syntax';
import type { BoardHost, BoardModel, RegionInfo, SpaceInfo } from '../check';

/** Where a region appears in one address space. */
export interface Placement {
  readonly space: SpaceInfo;
  readonly start: bigint;
  readonly size: bigint;
  /** Set when the region is seen through an alias window rather than mapped directly. */
  readonly via?: RegionInfo;
}

export interface Analysis {
  readonly uri: string;
  readonly text: string;
  readonly model: BoardModel;
  readonly built: BuiltBoard | undefined;
  /** Why the engine map could not be built (errors in the board, or an engine refusal). */
  readonly buildError: string | undefined;
  placements(region: RegionInfo): readonly Placement[];
  /** The declaration that makes @content appear at @addr of @space: an alias showing it, else itself. */
  shownBy(content: RegionInfo, space: SpaceInfo, addr: bigint): RegionInfo;
  /** Flat ranges of @space overlapping [start, start+size). */
  flatRanges(space: SpaceInfo, start: bigint, size: bigint): readonly FlatRange[];
  regionOf(mr: MemoryRegion): RegionInfo | undefined;
  /** Diagnostics of every file, the unreachable-region information included. */
  readonly diagnostics: readonly BoardDiagnostic[];
}

/**
 * How the language service builds a document: the layout only (no register banks, no device
 * models) over sparse RAM. The views show this same build of the open document.
 */
export const ANALYSIS_BUILD_OPTIONS = { sparseRam: true, layoutOnly: true } as const;

export function analyze(uri: string, text: string, host?: BoardHost): Analysis {
  const compiled = compileBoard(uri, text, host, ANALYSIS_BUILD_OPTIONS);
  const model = compiled.model;
  const built: BuiltBoard | undefined = compiled.built;
  const buildError: string | undefined =
    built || !model.diagnostics.some((d) => d.severity === Severity.Error)
      ? compiled.error
      : 'the board has errors';

  const placements = new Map<RegionInfo, Placement[]>();
  const add = (r: RegionInfo, p: Placement): void => {
    let list = placements.get(r);
    if (!list) placements.set(r, (list = []));
    list.push(p);
  };
  const seenRoots = new Set<RegionInfo>();
  for (const space of model.spaces) {
    const root = space.root;
    if (!root) continue;
    const walk = (r: RegionInfo, base: bigint, depth: number): void => {
      if (depth > 64 || r.size === undefined) return;
      const start = base + r.address;
      add(r, { space, start, size: r.size });
      for (const c of r.children) walk(c, start, depth + 1);
    };
    walk(root, 0n, 0);
    seenRoots.add(root);
  }
  // regions seen through alias windows (one level: alias → target and its children)
  for (const r of model.regionList) {
    if (r.kind !== 'alias' || !r.target || r.size === undefined) continue;
    for (const p of placements.get(r) ?? []) {
      if (p.via) continue;
      const base = p.start - r.targetOffset - r.target.address;
      const walk = (t: RegionInfo, b: bigint, depth: number): void => {
        if (depth > 16 || t.size === undefined) return;
        const start = b + t.address;
        add(t, { space: p.space, start, size: t.size, via: r });
        for (const c of t.children) walk(c, start, depth + 1);
      };
      walk(r.target, base, 0);
    }
  }

  const byMr = new Map<MemoryRegion, RegionInfo>();
  if (built) for (const [mr, id] of built.ids) byMr.set(mr, model.regions.get(id)!);
  const spaceView = (space: SpaceInfo) => built?.spaces[model.spaces.indexOf(space)]?.flatView;

  const flatRanges = (space: SpaceInfo, start: bigint, size: bigint): FlatRange[] => {
    const view = spaceView(space);
    if (!view) return [];
    const end = start + size;
    const out: FlatRange[] = [];
    const ranges = view.ranges;
    let lo = 0;
    let hi = ranges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ranges[mid]!.end <= start) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < ranges.length && ranges[i]!.start < end; i++) out.push(ranges[i]!);
    return out;
  };

  const shownBy = (content: RegionInfo, space: SpaceInfo, addr: bigint): RegionInfo => {
    for (const p of placements.get(content) ?? []) {
      if (p.space === space && p.via && p.start <= addr && addr < p.start + p.size) return p.via;
    }
    return content;
  };
  const diagnostics = [...model.diagnostics];
  if (built) diagnostics.push(...unreachable(model, placements, flatRanges, byMr, shownBy));
  return {
    uri,
    text,
    model,
    built,
    buildError,
    placements: (r) => placements.get(r) ?? [],
    shownBy,
    flatRanges,
    regionOf: (mr) => byMr.get(mr),
    diagnostics,
  };
}

/** True when @content (the region owning a flat range) is @r, inside @r, or shown by alias @r. */
export function isContentOf(content: RegionInfo, r: RegionInfo): boolean {
  const owner = r.kind === 'alias' ? finalTarget(r) : r;
  if (!owner) return false;
  for (let x: RegionInfo | undefined = content; x; x = x.parent) if (x === owner) return true;
  return false;
}

export function finalTarget(r: RegionInfo): RegionInfo | undefined {
  let t: RegionInfo | undefined = r;
  for (let i = 0; t && t.kind === 'alias' && i < 64; i++) t = t.target;
  return t;
}

function hasContent(r: RegionInfo, depth = 0): boolean {
  if (depth > 64) return false;
  if (r.kind === 'alias') return r.target?.enabled ? hasContent(r.target, depth + 1) : false;
  if (r.kind !== 'container') return true;
  return r.children.some((c) => c.enabled && hasContent(c, depth + 1));
}

function unreachable(
  model: BoardModel,
  placements: Map<RegionInfo, Placement[]>,
  flatRanges: (s: SpaceInfo, start: bigint, size: bigint) => readonly FlatRange[],
  byMr: Map<MemoryRegion, RegionInfo>,
  shownBy: (content: RegionInfo, space: SpaceInfo, addr: bigint) => RegionInfo,
): BoardDiagnostic[] {
  const out: BoardDiagnostic[] = [];
  for (const r of model.regionList) {
    if (!r.parent || r.size === undefined || r.size === 0n || !hasContent(r)) continue;
    let visibleAnywhere = true;
    let hiddenBy: RegionInfo | undefined;
    let checked = false;
    for (const p of placements.get(r) ?? []) {
      if (p.via || !enabledPath(r)) continue;
      // clip to the parent chain: a child outside its container is a different diagnostic
      const ranges = flatRanges(p.space, p.start, clipSize(r, p));
      checked = true;
      const mine = ranges.some((fr) => {
        const c = byMr.get(fr.mr);
        return c !== undefined && isContentOf(c, r);
      });
      if (mine) {
        visibleAnywhere = true;
        break;
      }
      visibleAnywhere = false;
      for (const fr of ranges) {
        const c = byMr.get(fr.mr);
        if (c && !hiddenBy) hiddenBy = shownBy(c, p.space, fr.start);
      }
    }
    if (!checked || visibleAnywhere) continue;
    const where = placements.get(r)!.find((p) => !p.via)!;
    out.push({
      offset: r.decl.name.offset,
      length: r.decl.name.length,
      severity: Severity.Information,
      code: DiagnosticCode.UnreachableRegion,
      message: `'${r.id}' (${hexRange(where.start, r.size)}) is never visible: ${
        hiddenBy
          ? `the flat view shows '${topOwner(hiddenBy, r)}' there instead`
          : 'it is clipped away'
      }`,
      uri: r.file.uri,
    });
  }
  return out;
}

function topOwner(hider: RegionInfo, hidden: RegionInfo): string {
  // name the sibling (or the sibling's ancestor) that hides it, not a deep leaf
  for (let x: RegionInfo | undefined = hider; x; x = x.parent) {
    if (x.parent === hidden.parent) return x.id;
  }
  return hider.id;
}

function enabledPath(r: RegionInfo): boolean {
  for (let x: RegionInfo | undefined = r; x; x = x.parent) if (!x.enabled) return false;
  return true;
}

function clipSize(r: RegionInfo, p: Placement): bigint {
  const parent = r.parent;
  if (!parent?.size) return p.size;
  const room = parent.size - r.address;
  return room <= 0n ? 0n : room < p.size ? room : p.size;
}
