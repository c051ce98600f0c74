/**
 * The find box (Ctrl+F): a pattern field (hex bytes or text), a mode select, an optional range
 * field (empty = the region under the cursor), previous/next/close buttons and a live status. It
 * runs the bounded page scan of search.ts and moves the cursor to the match, selecting it.
 */
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import type { RegionListEntry } from '../../protocol';
import type { PageContent } from './pageCache';
import {
  findInMemory,
  parseFindPattern,
  parseSearchRange,
  type FindMode,
  type FindResult,
} from './search';

/** Bytes scanned per Enter at most (16 MiB = 4096 page reads); Enter again continues. */
const FIND_BUDGET_BYTES = 16n << 20n;
/** Progress is shown every this many bytes. */
const PROGRESS_EVERY = 1n << 20n;

export interface FindHost {
  cursor(): bigint;
  spaceSize(): bigint;
  /** The region list from the host (empty until loaded). */
  regions(): readonly RegionListEntry[];
  readPage(index: bigint): Promise<PageContent>;
  /** Moves the cursor to the match and selects it. */
  showMatch(address: bigint, length: bigint): void;
  /** Leaves the box for the grid. */
  focusGrid(): void;
  /** The panel's height changed (the box opened or closed). */
  layoutChanged(): void;
}

type Field = HTMLElement & { value: string };

interface Scope {
  start: bigint;
  end: bigint;
  label: string;
}

export class FindBox {
  readonly element: HTMLDivElement;
  private readonly pattern: Field;
  private readonly mode: Field;
  private readonly range: Field;
  private readonly statusText: HTMLSpanElement;
  /** Bumped by every new search and by closing: a running scan that sees it changed stops. */
  private generation = 0;
  /** Where an interrupted search (byte budget) continues, for the same query. */
  private resume: { key: string; from: bigint } | undefined;
  /** The last match, so "next" starts after it rather than finding it again. */
  private lastMatch: { address: bigint; length: bigint } | undefined;

  constructor(private readonly host: FindHost) {
    this.element = document.createElement('div');
    this.element.className = 'find-box';
    this.element.setAttribute('role', 'search');
    this.element.setAttribute('aria-label', 'Find in memory');
    this.element.hidden = true;

    this.pattern = make('vscode-textfield', {
      id: 'find-pattern',
      placeholder: 'Find bytes (de ad be ef) or text',
      'aria-label': 'Find: hex bytes or text (Enter next, Shift+Enter previous, Escape closes)',
    });
    this.mode = make('vscode-single-select', { id: 'find-mode', 'aria-label': 'Search as' });
    this.mode.append(option('hex', 'Hex bytes'), option('text', 'Text (UTF-8)'));
    this.range = make('vscode-textfield', {
      id: 'find-range',
      placeholder: 'In: region at cursor (or start-end, start+length)',
      'aria-label': 'Search range: empty for the region at the cursor, or start-end, start+length',
    });
    const button = (id: string, icon: string, label: string, run: () => void) => {
      const b = make('vscode-toolbar-button', { id, icon, label, title: label });
      b.addEventListener('click', run);
      return b;
    };
    this.statusText = document.createElement('span');
    this.statusText.className = 'find-status';
    this.statusText.setAttribute('role', 'status');
    this.statusText.setAttribute('aria-live', 'polite');
    this.element.append(
      this.pattern,
      this.mode,
      this.range,
      button('find-previous', 'arrow-up', 'Previous match (Shift+Enter)', () => this.find(-1)),
      button('find-next', 'arrow-down', 'Next match (Enter)', () => this.find(1)),
      button('find-close', 'close', 'Close (Escape)', () => this.close()),
      this.statusText,
    );
    for (const field of [this.pattern, this.range]) {
      field.addEventListener('keydown', (e) => this.onKey(e as KeyboardEvent));
    }
    this.mode.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Escape') this.close();
    });
    this.mode.addEventListener('change', () => this.queryChanged());
    this.pattern.addEventListener('input', () => this.queryChanged());
    this.range.addEventListener('input', () => this.queryChanged());
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  open(): void {
    const wasOpen = this.isOpen;
    this.element.hidden = false;
    if (!wasOpen) this.host.layoutChanged();
    this.pattern.focus();
  }

  close(): void {
    this.generation++;
    this.element.hidden = true;
    this.host.layoutChanged();
    this.host.focusGrid();
  }

  /** Searches forward (1) or backward (-1) from the cursor. */
  async find(direction: 1 | -1): Promise<void> {
    const generation = ++this.generation;
    const pattern = parseFindPattern(this.pattern.value, this.mode.value as FindMode);
    if (!pattern.ok) return this.say(pattern.error, 'error');
    const scope = this.scope();
    if ('error' in scope) return this.say(scope.error, 'error');
    const length = BigInt(pattern.bytes.length);
    const key = `${direction}|${this.mode.value}|${this.pattern.value}|${scope.start}-${scope.end}`;
    const cursor = this.host.cursor();
    let from: bigint;
    if (this.resume?.key === key) from = this.resume.from;
    else if (direction > 0) from = this.lastMatch?.address === cursor ? cursor + 1n : cursor;
    else from = cursor - 1n;
    this.resume = undefined;
    this.say(`Searching ${scope.label}…`, 'info');
    let lastShown = 0n;
    let result: FindResult;
    try {
      result = await findInMemory({
        pattern: pattern.bytes,
        from,
        direction: direction > 0 ? 'forward' : 'backward',
        start: scope.start,
        end: scope.end,
        maxBytes: FIND_BUDGET_BYTES,
        readPage: (index) => this.host.readPage(index),
        isCancelled: () => generation !== this.generation,
        onProgress: (scanned) => {
          if (scanned - lastShown < PROGRESS_EVERY) return;
          lastShown = scanned;
          this.say(`Searching ${scope.label}… ${mib(scanned)} scanned`, 'info');
        },
      });
    } catch (error) {
      if (generation === this.generation) {
        this.say(
          `Search failed: ${error instanceof Error ? error.message : String(error)}`,
          'error',
        );
      }
      return;
    }
    if (result.kind === 'cancelled' || generation !== this.generation) return;
    const where = direction > 0 ? 'after the cursor' : 'before the cursor';
    switch (result.kind) {
      case 'found':
        this.lastMatch = { address: result.address, length };
        this.host.showMatch(result.address, length);
        this.say(`Match at 0x${result.address.toString(16)} (${length} bytes)`, 'found');
        break;
      case 'not-found':
        this.say(`Not found ${where} in ${scope.label}`, 'warning');
        break;
      case 'limit':
        this.resume = { key, from: result.resumeAt };
        this.say(
          `No match in ${mib(result.scanned)} ${direction > 0 ? 'up to' : 'down to'} ` +
            `0x${result.resumeAt.toString(16)}: ${direction > 0 ? 'Enter' : 'Shift+Enter'} continues`,
          'warning',
        );
        break;
    }
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key === 'Enter') {
      e.preventDefault();
      void this.find(e.shiftKey ? -1 : 1);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      this.close();
    } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'f') {
      e.preventDefault();
      this.pattern.focus();
    }
  }

  private queryChanged(): void {
    this.generation++;
    this.resume = undefined;
    this.say('', 'info');
  }

  /** The typed range, else the region under the cursor, else the whole space. */
  private scope(): Scope | { error: string } {
    const typed = this.range.value.trim();
    if (typed) {
      const r = parseSearchRange(typed, this.host.spaceSize());
      if (!r.ok) return { error: r.error };
      return {
        start: r.start,
        end: r.end,
        label: `0x${r.start.toString(16)}-0x${r.end.toString(16)}`,
      };
    }
    const cursor = this.host.cursor();
    for (const region of this.host.regions()) {
      const start = BigInt(region.start);
      const end = start + BigInt(region.size);
      if (cursor >= start && cursor < end) return { start, end, label: region.name };
    }
    return { start: 0n, end: this.host.spaceSize(), label: 'the address space' };
  }

  private say(text: string, kind: 'info' | 'found' | 'warning' | 'error'): void {
    this.statusText.textContent = text;
    this.statusText.dataset.kind = kind;
    this.pattern.toggleAttribute('invalid', kind === 'error');
  }
}

function mib(bytes: bigint): string {
  if (bytes < 1n << 20n) return `${(Number(bytes) / 1024).toFixed(0)} KiB`;
  return `${(Number(bytes) / (1 << 20)).toFixed(1)} MiB`;
}

function make(tag: string, attributes: Record<string, string>): Field {
  const el = document.createElement(tag) as Field;
  for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, v);
  return el;
}

function option(value: string, text: string): HTMLElement {
  const o = document.createElement('vscode-option');
  o.setAttribute('value', value);
  o.textContent = text;
  return o;
}
