/**
 * Words for a region in the Memory Tree: the kind in plain English and the Markdown tooltip
 * (range, size, priority, alias, owner, state, source, and the engine facts `info mtree` does not
 * print: resizeable RAM's max size, ioeventfds, coalesced MMIO ranges). No vscode.
 */
import {
  formatSize,
  fromHex,
  ioeventfdMatchText,
  mtreeRange,
  toHex,
  type RegionInfo,
  type RegionKind,
} from '../../../protocol';
import { escapeMarkdown } from '../../text';

export const KIND_WORDS: Readonly<Record<RegionKind, string>> = {
  container: 'container',
  ram: 'RAM',
  rom: 'ROM',
  romDevice: 'ROM device',
  ramDevice: 'RAM device',
  io: 'MMIO',
  alias: 'alias',
  reservation: 'reserved',
};

/** The Markdown tooltip: size in human units, range, priority, owner, alias, state, source. */
export function regionTooltip(region: RegionInfo): string {
  const lines = [
    `**${escapeMarkdown(region.name)}** — ${KIND_WORDS[region.kind]} (\`${region.mtreeType}\`)`,
    '',
    `- Range: \`${mtreeRange(region.start, region.end)}\``,
    `- Size: ${formatSize(fromHex(region.size))} (${region.size})`,
    `- Priority: ${region.priority}`,
    `- Offset in parent: ${region.offset}`,
  ];
  if (region.alias) {
    lines.push(
      `- Alias of **${escapeMarkdown(region.alias.targetName)}** at offset ${region.alias.offset}`,
    );
  }
  lines.push(...featureLines(region));
  if (region.owner) lines.push(`- Owner: ${escapeMarkdown(region.owner)}`);
  lines.push(`- ${region.enabled ? 'Enabled' : 'Disabled'}${region.readonly ? ', read-only' : ''}`);
  if (region.source) {
    const file = region.source.file.split(/[\\/]/).pop() ?? region.source.file;
    lines.push(`- Declared in ${escapeMarkdown(file)}:${region.source.line + 1}`);
  }
  return lines.join('\n');
}

/**
 * Tooltip lines for resizeable RAM, each ioeventfd and each coalesced range. Addresses are the
 * region's `start` plus the offset, so they are as absolute as the Range line (address-space
 * addresses under an address-space root).
 */
function featureLines(region: RegionInfo): string[] {
  const start = fromHex(region.start);
  const lines: string[] = [];
  if (region.maxSize !== undefined) {
    lines.push(`- Resizeable up to ${formatSize(fromHex(region.maxSize))} (${region.maxSize})`);
  }
  for (const fd of region.ioeventfds ?? []) {
    const offset = fromHex(fd.offset);
    lines.push(
      `- ioeventfd at \`${toHex(start + offset)}\` (+${fd.offset}): ${ioeventfdMatchText(fd)}`,
    );
  }
  for (const range of region.coalesced ?? []) {
    const first = start + fromHex(range.offset);
    const size = fromHex(range.size);
    const last = size === 0n ? first : first + size - 1n;
    lines.push(
      `- Coalesced MMIO: \`${toHex(first)}-${toHex(last)}\` (+${range.offset}, ${formatSize(size)})`,
    );
  }
  return lines;
}

/** The same facts for a screen reader: `, resizeable up to 2 MiB, 2 ioeventfds, coalesced`. */
export function spokenFeatures(region: RegionInfo): string {
  const parts: string[] = [];
  if (region.maxSize !== undefined)
    parts.push(`resizeable up to ${formatSize(fromHex(region.maxSize))}`);
  const fds = region.ioeventfds?.length ?? 0;
  if (fds > 0) parts.push(fds === 1 ? '1 ioeventfd' : `${fds} ioeventfds`);
  const ranges = region.coalesced?.length ?? 0;
  if (ranges > 0) parts.push(ranges === 1 ? 'coalesced' : `${ranges} coalesced ranges`);
  return parts.map((p) => `, ${p}`).join('');
}
