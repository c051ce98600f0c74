/**
 * What the user does to memory: live edits with undo/redo (through EditHistory), refusal of writes
 * the map forbids, reporting of failed and partial writes, and the selection actions (read with
 * side effects, copy as hex, export).
 */
import {
  type RpcEndpoint,
  type HexHostContract,
  type HexWebviewContract,
  decodeBase64,
  encodeBase64,
  expandStatus,
  toHex,
} from '../../protocol';
import { PageCache, STATUS_OK, STATUS_UNMAPPED, type PageContent } from './pageCache';
import { decodePage, regionAt } from './pageDecode';
import { PAGE_SIZE_N, type ScrollModel } from './scrollModel';
import type { Selection } from './selection';
import { EditHistory, type EditResult } from './editModel';
import { copyAsHex } from './format';
import { isReadOnly, kindLabel } from './grid';
import type { StatusLine } from './panels';
import type { FailedWriteMarks } from './failedWrites';

const MAX_COPY_BYTES = 65536;
const MAX_SIDE_EFFECT_READ = 4096;

/** The app state the actions read and change (live properties: the app replaces some on start). */
export interface ActionContext {
  readonly cache: PageCache;
  readonly scroll: ScrollModel;
  readonly selection: Selection;
  readonly status: StatusLine;
  readonly failedWrites: FailedWriteMarks;
  readonly sideEffectValues: Map<bigint, number>;
  readonly rpc: RpcEndpoint<HexWebviewContract, HexHostContract>;
  scheduleRender(): void;
}

export class MemoryActions {
  readonly history: EditHistory;
  /** Typed bytes and undo/redo, in the order the user gave them (a byte may wait for its page). */
  private edits: Promise<unknown> = Promise.resolve();
  /** A page read for a typed byte that the cache does not hold, for the write policy. */
  private typedPage: { index: bigint; page: PageContent } | undefined;

  constructor(private readonly ctx: ActionContext) {
    this.history = new EditHistory(
      { write: (address, bytes) => this.writeBytes(address, bytes) },
      (address, length) => this.writeRefusal(address, length),
    );
  }

  // ---- editing ---------------------------------------------------------------------------------

  async commitByte(address: bigint, byte: number): Promise<void> {
    // A refused byte keeps the cursor where it is; otherwise typing moves on at once.
    if (!this.writeRefusal(address, 1) && address + 1n < this.ctx.scroll.spaceSize) {
      this.ctx.selection.set(address + 1n);
      this.ctx.scroll.reveal(address + 1n, 'nearest');
    }
    this.ctx.scheduleRender();
    await this.inOrder(() => this.writeTyped(address, byte));
  }

  private inOrder(job: () => Promise<void>): Promise<void> {
    const run = this.edits.then(job, job);
    this.edits = run.catch(() => undefined);
    return run;
  }

  /**
   * Writes a typed byte once its old value is known: a page the cache does not hold (typed into
   * before it loaded) is read first, so the edit can be undone.
   */
  private async writeTyped(address: bigint, byte: number): Promise<void> {
    const index = address / PAGE_SIZE_N;
    let page: PageContent | undefined = this.ctx.cache.peek(index);
    if (!page) {
      try {
        const base = index * PAGE_SIZE_N;
        const response = await this.ctx.rpc.request('readPage', {
          address: toHex(base),
        });
        page = decodePage(base, response);
        this.typedPage = { index, page };
      } catch {
        // Written all the same; without the old value it cannot be undone (and says so).
      }
    }
    const offset = Number(address % PAGE_SIZE_N);
    const before =
      page && page.status[offset] === STATUS_OK ? Uint8Array.of(page.data[offset]!) : undefined;
    const region = page && regionAt(page.regions, address);
    // Writing a register's old value back would run the device again (a UART would transmit it):
    // device writes are recorded as not undoable, never written back.
    const device =
      region?.kind === 'io'
        ? {
            reason: 'device writes cannot be undone',
            target: `${kindLabel(region)} (${region.name})`,
          }
        : undefined;
    try {
      this.report(await this.history.commit(address, before, Uint8Array.of(byte), device));
    } finally {
      this.typedPage = undefined;
    }
  }

  undoRedo(which: 'undo' | 'redo'): Promise<void> {
    return this.inOrder(() => this.undoOrRedo(which));
  }

  private async undoOrRedo(which: 'undo' | 'redo'): Promise<void> {
    const result = await (which === 'undo' ? this.history.undo() : this.history.redo());
    if (!result) this.ctx.status.say(`Nothing to ${which}`);
    else {
      this.report(result);
      this.ctx.selection.set(result.address);
      this.ctx.scroll.reveal(result.address, 'nearest');
    }
    this.ctx.scheduleRender();
  }

  writeRefusal(address: bigint, length: number): string | undefined {
    for (let i = 0n; i < BigInt(length); i++) {
      const a = address + i;
      const index = a / PAGE_SIZE_N;
      const page =
        this.ctx.cache.peek(index) ??
        (this.typedPage?.index === index ? this.typedPage.page : undefined);
      if (!page) continue; // not known here: the adapter decides and reports
      const region = regionAt(page.regions, a);
      const where = `0x${a.toString(16)}`;
      if (!region && page.status[Number(a % PAGE_SIZE_N)] === STATUS_UNMAPPED) {
        return `${where} is unmapped: there is no memory to write`;
      }
      if (region && isReadOnly(region)) {
        return `${region.name} is ${kindLabel(region)}: writes into ROM are refused (${where})`;
      }
    }
    return undefined;
  }

  private async writeBytes(address: bigint, bytes: Uint8Array) {
    const data = encodeBase64(bytes);
    return this.ctx.rpc.request('write', { address: toHex(address), data });
  }

  private report(result: EditResult): void {
    const where = `0x${result.address.toString(16)}`;
    const verb = result.action === 'edit' ? 'Wrote' : result.action === 'undo' ? 'Undid' : 'Redid';
    const bytes = `${result.written} byte${result.written > 1 ? 's' : ''}`;
    const notUndoable = result.notUndoable;
    const target = notUndoable?.target ? ` to ${notUndoable.target}` : '';
    if (result.status === 'notUndoable') {
      this.ctx.status.say(
        `Cannot undo the write at ${where}${target}: ${notUndoable!.reason}`,
        'warning',
      );
      return;
    }
    for (let i = 0; i < result.requested; i++)
      this.ctx.failedWrites.delete(result.address + BigInt(i));
    switch (result.status) {
      case 'written':
        this.ctx.status.say(
          `${verb} ${bytes} at ${where}${target}` +
            (notUndoable ? `: ${notUndoable.reason}` : '') +
            (result.message ? ` — ${result.message}` : ''),
        );
        break;
      case 'refused':
        this.ctx.status.say(`Write refused: ${result.message}`, 'warning');
        void this.notify('warning', `Hex editor: ${result.message}`);
        break;
      default: {
        for (let i = result.written; i < result.requested; i++) {
          this.ctx.failedWrites.add(result.address + BigInt(i));
        }
        const what = result.status === 'partial' ? 'Partial write' : 'Write failed';
        const text = `${what} at ${where}: ${result.written} of ${result.requested} bytes written — ${result.message}`;
        this.ctx.status.say(text, 'error');
        void this.notify('error', `Hex editor: ${text}`);
      }
    }
    if (result.status !== 'refused') {
      this.ctx.cache.invalidate(result.address, result.address + BigInt(result.requested));
    }
    this.ctx.scheduleRender();
  }

  private async notify(severity: 'info' | 'warning' | 'error', message: string): Promise<void> {
    try {
      await this.ctx.rpc.request('notify', { severity, message });
    } catch {
      // The status line already shows it.
    }
  }

  async readSelectionWithSideEffects(): Promise<void> {
    const start = this.ctx.selection.start;
    const selected = this.ctx.selection.length;
    const count = Number(selected > BigInt(MAX_SIDE_EFFECT_READ) ? MAX_SIDE_EFFECT_READ : selected);
    try {
      const r = await this.ctx.rpc.request('readWithSideEffects', {
        address: toHex(start),
        count,
      });
      const bytes = decodeBase64(r.data);
      const status = expandStatus(r.status, count);
      const shown: string[] = [];
      for (let i = 0; i < count; i++) {
        if (status[i] !== STATUS_OK || i >= bytes.length) continue;
        this.ctx.sideEffectValues.set(start + BigInt(i), bytes[i]!);
        if (shown.length < 16) shown.push(bytes[i]!.toString(16).padStart(2, '0'));
      }
      this.ctx.status.say(
        `Read ${BigInt(count) < selected ? `the first ${count} of ${selected}` : count} byte${count > 1 ? 's' : ''} at 0x${start.toString(16)} with side effects: ` +
          (shown.join(' ') || 'nothing readable') +
          ' (shown in italics until the next stop)',
      );
    } catch (error) {
      this.ctx.status.say(`Read with side effects failed: ${describe(error)}`, 'error');
    }
    // The read may have changed the device's other registers (draining a receive buffer clears
    // "data ready" in a status register): re-read the page(s) it touched.
    this.ctx.cache.invalidate(start, start + BigInt(count));
    this.ctx.scheduleRender();
  }

  /**
   * The first {@link MAX_COPY_BYTES} selected bytes (null = unreadable), reading pages the cache
   * does not hold.
   */
  private async selectedBytes(): Promise<(number | null)[]> {
    const start = this.ctx.selection.start;
    const length = Number(
      this.ctx.selection.length > BigInt(MAX_COPY_BYTES)
        ? MAX_COPY_BYTES
        : this.ctx.selection.length,
    );
    const out: (number | null)[] = [];
    const pages = new Map<bigint, { data: Uint8Array; status: Uint8Array }>();
    for (let i = 0; i < length; i++) {
      const a = start + BigInt(i);
      const index = a / PAGE_SIZE_N;
      let page = pages.get(index) ?? this.ctx.cache.peek(index);
      if (!page) {
        const base = index * PAGE_SIZE_N;
        page = decodePage(base, await this.ctx.rpc.request('readPage', { address: toHex(base) }));
      }
      pages.set(index, page);
      const offset = Number(a % PAGE_SIZE_N);
      out.push(page.status[offset] === STATUS_OK ? page.data[offset]! : null);
    }
    return out;
  }

  async copySelection(): Promise<void> {
    try {
      const selected = this.ctx.selection.length;
      const bytes = await this.selectedBytes();
      await this.ctx.rpc.request('copyText', { text: copyAsHex(bytes) });
      const unreadable = bytes.filter((b) => b === null).length;
      const cut = BigInt(bytes.length) < selected;
      this.ctx.status.say(
        (cut
          ? `Copied the first ${bytes.length} of ${selected} bytes as hex (copy stops at ${MAX_COPY_BYTES}; export the selection for all of it)`
          : `Copied ${bytes.length} bytes as hex`) +
          (unreadable ? ` (${unreadable} unreadable shown as ??)` : ''),
        cut ? 'warning' : 'info',
      );
    } catch (error) {
      this.ctx.status.say(`Copy failed: ${describe(error)}`, 'error');
    }
  }

  async exportSelection(): Promise<void> {
    try {
      const r = await this.ctx.rpc.request('exportRange', {
        address: toHex(this.ctx.selection.start),
        length: toHex(this.ctx.selection.length),
      });
      if (!r.path) this.ctx.status.say('Export cancelled');
      else {
        this.ctx.status.say(
          `Exported ${r.bytes} bytes to ${r.path}` +
            (r.unreadable ? ` (${r.unreadable} unreadable bytes left out / zero-filled)` : ''),
        );
      }
    } catch (error) {
      this.ctx.status.say(`Export failed: ${describe(error)}`, 'error');
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
