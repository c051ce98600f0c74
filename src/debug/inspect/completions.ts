/**
 * Debug Console completions (DAP `completions`): the monitor commands at the start of the line,
 * then register and CSR names (with and without `$`) and ELF symbols for the word at the cursor.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Machine } from '../../machine';

/** Most items in one answer (a program can have thousands of symbols). */
export const MAX_COMPLETIONS = 500;

const MONITOR_COMMANDS: readonly { label: string; detail: string }[] = [
  { label: 'info mtree', detail: "QEMU's memory tree (-f flat view, -o owners, -D disabled)" },
  { label: 'info registers', detail: "the hart's registers" },
  { label: 'x/', detail: 'memory dump of the hart address space: x/FMT ADDR' },
  { label: 'xp/', detail: 'memory dump, physical: xp/FMT ADDR' },
  { label: 'region enable', detail: 'enable a region by name or board id' },
  { label: 'region disable', detail: 'disable a region by name or board id' },
  { label: 'hex', detail: 'links that open the hex editor: hex [ADDR|REGION]' },
  { label: 'help', detail: 'the monitor commands' },
];

/**
 * Completions for @text with the cursor at @column (0-based, UTF-16 units). Each item replaces
 * the word before the cursor (`start` 0-based, as the session converts it for the client).
 */
export function completions(
  machine: Machine,
  text: string,
  column: number,
): DebugProtocol.CompletionItem[] {
  const cursor = Math.max(0, Math.min(column, text.length));
  const before = text.slice(0, cursor);
  const out: DebugProtocol.CompletionItem[] = [];
  // A monitor command while the line is still its first words.
  if (/^\s*[a-z/ ]*$/i.test(before)) {
    const typed = before.trimStart();
    const start = before.length - typed.length;
    for (const c of MONITOR_COMMANDS) {
      if (c.label.startsWith(typed) && c.label !== typed)
        out.push({
          label: c.label,
          detail: c.detail,
          type: 'keyword',
          start,
          length: typed.length,
        });
    }
  }
  const word = /[$A-Za-z_.][$\w.]*$/.exec(before)?.[0] ?? '';
  if (word === '' && out.length > 0) return out;
  const start = cursor - word.length;
  const bare = word.startsWith('$') ? word.slice(1) : word;
  const dollar = word.startsWith('$') ? '$' : '';
  const seen = new Set<string>();
  const add = (label: string, type: DebugProtocol.CompletionItemType, detail?: string) => {
    if (out.length >= MAX_COMPLETIONS || seen.has(label) || label === word) return;
    seen.add(label);
    out.push({ label, type, start, length: word.length, ...(detail ? { detail } : {}) });
  };
  for (const r of machine.cpu.registers) {
    for (const name of [r.name, ...r.aliases]) {
      if (name.startsWith(bare))
        add(`${dollar}${name}`, 'variable', r.name !== name ? r.name : undefined);
    }
  }
  if (!dollar) {
    for (const s of machine.symbols?.all ?? []) {
      if (s.name && s.name.startsWith(bare) && (s.kind === 'func' || s.kind === 'object'))
        add(s.name, s.kind === 'func' ? 'function' : 'variable');
    }
  }
  return out;
}
