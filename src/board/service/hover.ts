/**
 * Hover: for a region, its kind, size in human units, where it sits in each address space
 * (absolute, resolved through containers and aliases), what it hides and what hides it; for
 * other symbols (constants, registers, fields, devices models, parameters) their value or doc.
 */
import type { IoeventfdInfo, Occurrence, RegionInfo, SpaceInfo } from '../check';
import { isContentOf, type Analysis } from './analysis';
import { hex, hexGrouped, hexRange, humanSize } from '../../engine';
import { markdownCode as code } from './text';

export interface HoverResult {
  readonly markdown: string;
  readonly offset: number;
  readonly length: number;
}

const MAX_LIST = 6;

export function hoverAt(a: Analysis, occ: Occurrence): HoverResult {
  const s = occ.symbol;
  let md: string;
  switch (s.kind) {
    case 'region':
      md = regionHover(a, s.region);
      break;
    case 'const':
      md = `**const** ${code(s.constant.name)} = ${s.constant.value !== undefined ? `${hex(s.constant.value)} (${s.constant.value})` : '?'}`;
      break;
    case 'space':
      md = `**address space** ${code(s.space.name)}${s.space.root ? ` — root ${code(s.space.root.id)}` : ''}`;
      break;
    case 'cpu':
      md = `**cpu** ${code(s.cpu.name)} : ${s.cpu.model?.name ?? '?'} — space ${code(s.cpu.space?.name ?? '?')}, reset ${hexGrouped(s.cpu.reset)}${s.cpu.boot ? `, boots ${code(s.cpu.boot)}` : ''}`;
      break;
    case 'register': {
      const r = s.register;
      md = `**register** ${code(r.name)} at +${hexGrouped(r.offset)} of ${code(s.region.id)} — ${r.width * 8}-bit, ${r.access}, reset ${hex(r.reset)}`;
      const abs = a.placements(s.region).filter((p) => !p.via);
      if (abs[0])
        md += `\n\nabsolute ${hexGrouped(abs[0].start + r.offset)} in ${code(abs[0].space.name)}`;
      if (r.fields.length)
        md +=
          '\n\n' +
          r.fields
            .map(
              (f) =>
                `- ${code(f.name)} [${f.msb}${f.msb !== f.lsb ? `:${f.lsb}` : ''}] ${f.access}`,
            )
            .join('\n');
      break;
    }
    case 'field':
      md = `**field** ${code(s.field.name)} [${s.field.msb}:${s.field.lsb}] of ${code(s.register.name)} — ${s.field.access}${s.field.reset !== undefined ? `, reset ${hex(s.field.reset)}` : ''}`;
      break;
    case 'ioeventfd': {
      const fd = s.ioeventfd;
      md = `**ioeventfd** ${code(fd.name)} at +${hexGrouped(fd.offset)} of ${code(s.region.id)} — ${ioeventfdMatch(fd)}`;
      const abs = a.placements(s.region).filter((p) => !p.via);
      if (abs[0])
        md += `\n\nabsolute ${hexGrouped(abs[0].start + fd.offset)} in ${code(abs[0].space.name)}`;
      md +=
        '\n\nA matching guest write signals the notifier instead of reaching the device (memory_region_add_eventfd).';
      break;
    }
    case 'device-model':
      md = `**device model** ${code(s.model.name)}\n\n${s.model.doc}\n\n${s.model.params.map((p) => `- ${code(p.name)} (${p.type}${p.defaultValue !== undefined ? `, default ${String(p.defaultValue)}` : ''}) — ${p.doc}`).join('\n')}`;
      break;
    case 'cpu-model':
      md = `**cpu model** ${code(s.model.name)}\n\n${s.model.doc}`;
      break;
    case 'param': {
      const owner = s.owner;
      const specs = 'device' in owner ? owner.device?.model?.params : owner.model?.params;
      const spec = specs?.find((p) => p.name === s.param);
      md = spec
        ? `**parameter** ${code(spec.name)} (${spec.type}) — ${spec.doc}`
        : `**parameter** ${code(s.param)}`;
      break;
    }
  }
  return { markdown: md, offset: occ.name.offset, length: occ.name.length };
}

function regionHover(a: Analysis, r: RegionInfo): string {
  const lines: string[] = [];
  const kind = r.kind === 'device' ? `device ${r.device?.model?.name ?? '?'}` : r.kind;
  const size = r.size !== undefined ? `${humanSize(r.size)} (${hex(r.size)})` : 'size unknown';
  lines.push(
    `**${kind}** ${code(r.id)}${r.qemuName !== r.id ? ` (QEMU name ${code(r.qemuName)})` : ''} — ${size}`,
  );
  const facts: string[] = [`prio ${r.priority}`];
  if (!r.enabled) facts.push('disabled');
  if (r.readonly && r.kind !== 'rom') facts.push('read-only');
  if (r.nonvolatile) facts.push('non-volatile');
  if (r.parent) facts.push(`at +${hexGrouped(r.address)} in ${code(r.parent.id)}`);
  if (r.kind === 'alias' && r.target)
    facts.push(`shows ${code(r.target.id)} ${hexRange(r.targetOffset, r.size ?? 0n)}`);
  lines.push(facts.join(' · '));
  lines.push(...accessPathFacts(r));
  const placements = a.placements(r);
  if (placements.length === 0) lines.push('Not mapped in any address space.');
  for (const p of placements.slice(0, MAX_LIST)) {
    const via = p.via ? ` through alias ${code(p.via.id)}` : '';
    lines.push(`- ${code(p.space.name)}: ${hexRange(p.start, p.size)}${via}`);
  }
  if (placements.length > MAX_LIST) lines.push(`- … ${placements.length - MAX_LIST} more`);
  const direct = placements.find((p) => !p.via);
  if (direct && a.built) {
    const ranges = a.flatRanges(direct.space, direct.start, direct.size);
    const hiddenBy = new Map<string, string[]>();
    const visible: string[] = [];
    for (const fr of ranges) {
      const owner = a.regionOf(fr.mr);
      const span = hexRange(
        fr.start < direct.start ? direct.start : fr.start,
        clipped(fr.start, fr.size, direct.start, direct.size),
      );
      if (owner && isContentOf(owner, r)) visible.push(span);
      else if (owner) {
        const by = topSibling(a.shownBy(owner, direct.space, fr.start), r);
        const list = hiddenBy.get(by) ?? [];
        list.push(span);
        hiddenBy.set(by, list);
      }
    }
    if (visible.length === 0 && r.enabled)
      lines.push('**Not visible**: nothing of it appears in the flat view.');
    if (hiddenBy.size > 0) {
      lines.push(
        'Hidden by: ' +
          [...hiddenBy]
            .slice(0, MAX_LIST)
            .map(
              ([id, spans]) =>
                `${code(id)} (${spans.slice(0, 2).join(', ')}${spans.length > 2 ? ', …' : ''})`,
            )
            .join(', '),
      );
    }
    const hides = hiddenUnder(a, r, direct.space, direct.start, direct.size);
    if (hides.length > 0)
      lines.push(
        'Hides: ' +
          hides
            .slice(0, MAX_LIST)
            .map((id) => `${code(id)}`)
            .join(', ') +
          (hides.length > MAX_LIST ? ', …' : ''),
      );
  }
  return lines.join('\n\n');
}

/** The sibling of @r (or of one of its ancestors) that contains @x, else @x itself. */
function topSibling(x: RegionInfo, r: RegionInfo): string {
  for (let y: RegionInfo | undefined = x; y; y = y.parent) {
    for (let p = r.parent; p; p = p.parent) if (y.parent === p) return y.id;
  }
  return x.id;
}

function clipped(start: bigint, size: bigint, wStart: bigint, wSize: bigint): bigint {
  const s = start < wStart ? wStart : start;
  const e = start + size < wStart + wSize ? start + size : wStart + wSize;
  return e > s ? e - s : 0n;
}

/** Regions of the same space that overlap @r where the flat view shows @r's content instead. */
function hiddenUnder(
  a: Analysis,
  r: RegionInfo,
  space: SpaceInfo,
  start: bigint,
  size: bigint,
): string[] {
  const mine = a.flatRanges(space, start, size).filter((fr) => {
    const o = a.regionOf(fr.mr);
    return o && isContentOf(o, r);
  });
  if (mine.length === 0) return [];
  const out: string[] = [];
  for (const other of a.model.regionList) {
    if (
      other === r ||
      other.kind === 'container' ||
      isContentOf(other, r) ||
      isAncestorOf(other, r)
    )
      continue;
    for (const p of a.placements(other)) {
      if (p.space !== space || p.via) continue;
      const hit = mine.some((fr) => fr.start < p.start + p.size && p.start < fr.end);
      if (hit) {
        out.push(other.id);
        break;
      }
    }
    if (out.length > MAX_LIST) break;
  }
  return out;
}

function isAncestorOf(a: RegionInfo, r: RegionInfo): boolean {
  for (let x = r.parent; x; x = x.parent) if (x === a) return true;
  return false;
}

/** What an ioeventfd matches, in words. */
function ioeventfdMatch(fd: IoeventfdInfo): string {
  if (fd.size === 0) return 'writes of any width';
  return `${fd.size}-byte writes${fd.matchData ? ` of ${hex(fd.data)}` : ' of any value'}`;
}

/** Resizeable RAM, coalesced MMIO and ioeventfds of @r, one line each. */
function accessPathFacts(r: RegionInfo): string[] {
  const lines: string[] = [];
  if (r.maxSize !== undefined) {
    lines.push(
      `Resizeable RAM: max-size ${humanSize(r.maxSize)} (${hex(r.maxSize)}); \`info mtree\` shows the used size`,
    );
  }
  if (r.coalescedWhole) lines.push('Coalesced MMIO: the whole region');
  const ranges = r.coalesced.filter((c) => 'type' in c.decl);
  if (ranges.length > 0) {
    const list = ranges.slice(0, MAX_LIST).map((c) => `+${hexRange(c.offset, c.size)}`);
    if (ranges.length > MAX_LIST) list.push('…');
    lines.push(`Coalesced MMIO: ${list.join(', ')}`);
  }
  if (r.ioeventfds.length > 0) {
    const list = r.ioeventfds
      .slice(0, MAX_LIST)
      .map(
        (fd) => `- ioeventfd ${code(fd.name)} at +${hexGrouped(fd.offset)}: ${ioeventfdMatch(fd)}`,
      );
    if (r.ioeventfds.length > MAX_LIST) list.push(`- … ${r.ioeventfds.length - MAX_LIST} more`);
    lines.push(list.join('\n'));
  }
  return lines;
}
