/**
 * The hex editor controller: owns the view state (scroll, cursor, grouping, caches), reacts to
 * input and to host events, and repaints once per animation frame.
 */
import type { RpcEndpoint } from '../../protocol/rpcEndpoint';
import type {
  HexEditorInit,
  HexEditorViewState,
  HexHostContract,
  HexWebviewContract,
  RegionListEntry,
  SessionInfo,
} from '../../protocol/hexEditor';
import { formatHexAddress } from '../../protocol/memory';
import { PageCache, STATUS_OK } from './pageCache';
import { decodePage, regionAt } from './pageDecode';
import { PAGE_SIZE_N, ScrollModel } from './scrollModel';
import { Selection, navigate } from './selection';
import { HexTyping, asciiKeyToByte } from './editModel';
import { addressDigits, parseAddressInput, type Grouping } from './format';
import { BYTES_PER_ROW, Grid, type Column, type GridState } from './grid';
import { MAX_COPY_BYTES, MemoryActions, type ActionContext } from './actions';
import { VirtualScrollbar } from './scrollbar';
import { InspectorPanel, StatusLine, Tooltip } from './panels';
import { Toolbar } from './toolbar';
import { HoverInfo } from './hover';
import { FindBox } from './findBox';

export interface WebviewHost {
  rpc: RpcEndpoint<HexWebviewContract, HexHostContract>;
  getState(): unknown;
  setState(state: HexEditorViewState): void;
}

const MARGIN_LINES = 64;
/** Pages held at most (4 KiB data + status + two stop values each: about 1 MiB in all). */
const PAGE_CACHE_CAPACITY = 64;
const LIVE_REFRESH_MS = 500;
/** While running, every Nth live tick re-reads all visible pages even without memory events. */
const POLL_EVERY_TICKS = 4;
const MAX_PENDING_RANGES = 256;
/** Below this panel width the inspector moves under the grid. */
const STACK_BELOW_PX = 1100;

export class HexEditorApp implements GridState, ActionContext {
  scroll = new ScrollModel();
  cache: PageCache;
  selection: Selection;
  typing = new HexTyping();
  column: Column = 'hex';
  grouping: Grouping = 1;
  littleEndian = false;
  addressDigits = 16;
  sideEffectValues = new Map<bigint, number>();
  failedWrites = new Set<bigint>();

  private readonly actions: MemoryActions;
  private readonly grid: Grid;
  private readonly scrollbar: VirtualScrollbar;
  private readonly inspector = new InspectorPanel();
  private readonly tooltip = new Tooltip();
  readonly status = new StatusLine();
  private readonly toolbar: Toolbar;
  private readonly hover: HoverInfo;
  private readonly findBox: FindBox;
  private regions: RegionListEntry[] = [];
  private readonly viewport: HTMLDivElement;
  private readonly main: HTMLDivElement;
  private readonly overlay: HTMLDivElement;
  private space = '';
  private session: SessionInfo = { state: 'none' };
  private rowHeight = 18;
  private wheelRemainder = 0;
  private frame = 0;
  private inspectorOpen = true;
  private liveTimer: ReturnType<typeof setInterval> | undefined;
  private liveTicks = 0;
  private pendingRanges: { start: bigint; end: bigint }[] = [];
  private dragging = false;

  constructor(
    root: HTMLElement,
    private readonly host: WebviewHost,
  ) {
    this.cache = new PageCache((index) => this.fetchPage(index), {
      capacity: PAGE_CACHE_CAPACITY,
      onUpdate: () => this.scheduleRender(),
    });
    this.selection = new Selection(this.scroll.spaceSize);
    this.actions = new MemoryActions(this);
    this.grid = new Grid('Memory');
    this.scrollbar = new VirtualScrollbar(
      () => this.scroll,
      () => this.scheduleRender(),
    );
    this.hover = new HoverInfo(this, host.rpc, this.tooltip);
    this.toolbar = new Toolbar({
      goTo: (text) => void this.goToInput(text),
      goToRegion: (r) => this.goToRegion(r),
      setGrouping: (g) => {
        this.grouping = g;
        this.scheduleRender();
      },
      setLittleEndian: (le) => {
        this.littleEndian = le;
        this.scheduleRender();
      },
      readWithSideEffects: () => void this.actions.readSelectionWithSideEffects(),
      copy: () => void this.actions.copySelection(),
      exportRange: () => void this.actions.exportSelection(),
      undo: () => void this.actions.undoRedo('undo'),
      redo: () => void this.actions.undoRedo('redo'),
      toggleInspector: (open) => {
        this.inspectorOpen = open;
        this.inspector.element.hidden = !open;
        this.layout();
      },
      refresh: () => this.cache.invalidateAll(),
      backToGrid: () => this.grid.element.focus(),
    });
    this.findBox = new FindBox({
      cursor: () => this.selection.cursor,
      spaceSize: () => this.scroll.spaceSize,
      regions: () => this.regions,
      // The grid's pages when held and current, else the same side-effect-free page read.
      readPage: async (index) => {
        const held = this.cache.peek(index);
        return held && !held.stale && !held.error ? held : this.fetchPage(index);
      },
      showMatch: (address, length) => this.goTo(address, length),
      focusGrid: () => this.grid.element.focus(),
      layoutChanged: () => this.layout(),
    });
    this.viewport = document.createElement('div');
    this.viewport.className = 'viewport';
    this.overlay = document.createElement('div');
    this.overlay.className = 'overlay';
    this.overlay.setAttribute('role', 'note');
    this.overlay.hidden = true;
    this.viewport.append(this.grid.element, this.scrollbar.element, this.overlay);
    this.main = document.createElement('div');
    this.main.className = 'main';
    this.main.append(this.viewport, this.inspector.element);
    root.append(
      this.toolbar.element,
      this.findBox.element,
      this.main,
      this.status.element,
      this.tooltip.element,
    );
    this.wireInput();
    this.wireHost();
  }

  get rpc(): WebviewHost['rpc'] {
    return this.host.rpc;
  }

  async start(): Promise<void> {
    this.status.say('Connecting to the debug session…');
    let init: HexEditorInit;
    try {
      init = await this.host.rpc.request('ready', {});
    } catch (error) {
      this.status.say(`Could not start: ${describe(error)}`, 'error');
      return;
    }
    this.space = init.addressSpace;
    this.scroll = new ScrollModel(BigInt(init.spaceSize), BYTES_PER_ROW);
    this.selection = new Selection(this.scroll.spaceSize);
    this.addressDigits = addressDigits(this.scroll.spaceSize);
    this.restoreState(init.addressSpace);
    this.setSession(init.session);
    this.layout();
    if (init.reveal) this.goTo(BigInt(init.reveal.address), optionalBig(init.reveal.length));
    const resize = new ResizeObserver(() => this.layout());
    resize.observe(this.main);
    resize.observe(this.viewport);
    // The keyboard goes to the grid only when VS Code gives it to this webview: revealed with
    // preserveFocus (moved beside the source at a stop), it must not take it from the source.
    if (document.hasFocus()) this.grid.element.focus();
    window.addEventListener('focus', () => this.focusGridIfNothingFocused());
    this.status.say(`${init.addressSpaceName}: ${sessionText(init.session)}`);
  }

  // ---- rendering -------------------------------------------------------------------------------

  scheduleRender(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private render(): void {
    // Without a session nothing can be read: no requests, an explanation instead of error cells.
    if (this.session.state !== 'none') this.cache.want(this.scroll.wantedPages(MARGIN_LINES));
    this.grid.render(this);
    // For diagnostics (devtools, tests): how many pages the bounded cache holds.
    this.grid.element.dataset.cachedPages = String(this.cache.size);
    this.scrollbar.update();
    if (this.inspectorOpen) this.updateInspector();
    this.toolbar.setUndoRedo(this.actions.history.canUndo, this.actions.history.canRedo);
    const { start } = this.scroll.visibleRange();
    this.status.setInfo(
      `${this.space} · cursor 0x${this.selection.cursor.toString(16)}${this.cursorRegionText()}` +
        (this.selection.length > 1n ? ` · ${this.selection.length} bytes selected` : '') +
        ` · top 0x${start.toString(16)}`,
    );
    this.saveState();
  }

  /** ` in dram +0x100` for the cursor's region, when its page is loaded. */
  private cursorRegionText(): string {
    const cursor = this.selection.cursor;
    const page = this.cache.peek(cursor / PAGE_SIZE_N);
    if (!page) return '';
    const region = regionAt(page.regions, cursor);
    if (!region) return ' (unmapped)';
    const offset =
      region.offsetInRegion !== undefined
        ? ` +0x${(region.offsetInRegion + cursor - region.start).toString(16)}`
        : '';
    return ` in ${region.name}${offset}`;
  }

  private layout(): void {
    // Narrow panels put the inspector under the grid, so the grid keeps all its columns.
    const stacked = this.main.clientWidth < STACK_BELOW_PX;
    this.main.classList.toggle('stacked', stacked);
    this.inspector.setColumns(stacked ? 2 : 1);
    this.rowHeight = this.grid.measureRowHeight();
    const headHeight =
      this.grid.element.querySelector('.grid-head')?.clientHeight ?? this.rowHeight;
    // The grid's client height leaves out its sideways scrollbar (shown in narrow panels).
    const rows = Math.floor((this.grid.element.clientHeight - headHeight) / this.rowHeight);
    // A cursor on screen stays on screen when the viewport shrinks (a wrapped status line, a panel
    // opened below): otherwise the row just edited would vanish.
    const cursorLine = this.scroll.lineOf(this.selection.cursor);
    const top = this.scroll.topLine;
    const cursorShown = cursorLine >= top && cursorLine < top + BigInt(this.scroll.visibleLines);
    this.scroll.setVisibleLines(Math.max(1, rows));
    if (cursorShown) this.scroll.reveal(this.selection.cursor, 'nearest');
    this.scheduleRender();
  }

  private updateInspector(): void {
    const bytes: number[] = [];
    let note: string | undefined;
    // The inspector decodes from the start of the selection (the cursor when nothing is selected).
    const origin = this.selection.start;
    for (let i = 0n; i < 8n; i++) {
      const a = origin + i;
      const page = this.cache.peek(a / PAGE_SIZE_N);
      const offset = Number(a % PAGE_SIZE_N);
      if (a >= this.scroll.spaceSize || !page || page.status[offset] !== STATUS_OK) {
        if (i === 0n) note = page ? 'no readable value here' : 'loading';
        break;
      }
      bytes.push(page.data[offset]!);
    }
    this.inspector.show(origin, Uint8Array.from(bytes), this.addressDigits, note);
  }

  // ---- navigation ------------------------------------------------------------------------------

  goTo(address: bigint, length?: bigint): void {
    this.typing.cancel();
    if (length && length > 0n) {
      const shown = length > BigInt(MAX_COPY_BYTES) ? 1n : length;
      // Cursor on the first byte, anchor on the last: the whole range stays selected.
      this.selection.set(address + shown - 1n);
      this.selection.set(address, true);
    } else this.selection.set(address);
    this.scroll.reveal(address, 'center');
    this.scheduleRender();
  }

  private async goToInput(text: string): Promise<void> {
    const parsed = parseAddressInput(text, this.scroll.spaceSize);
    this.toolbar.setGoToInvalid(undefined);
    switch (parsed.kind) {
      case 'absolute':
        this.goTo(parsed.address);
        break;
      case 'relative':
        this.goTo(this.selection.cursor + parsed.delta);
        break;
      case 'invalid':
        this.toolbar.setGoToInvalid(parsed.message);
        this.status.say(parsed.message, 'warning');
        return;
      case 'expression':
        try {
          const { address } = await this.host.rpc.request('resolveExpression', {
            expression: parsed.text,
          });
          this.goTo(BigInt(address));
          this.status.say(`${parsed.text} = ${address}`);
        } catch (error) {
          const message = `Cannot go to '${parsed.text}': ${describe(error)}`;
          this.toolbar.setGoToInvalid(message);
          this.status.say(message, 'error');
          return;
        }
    }
    this.grid.element.focus();
  }

  private goToRegion(region: RegionListEntry): void {
    this.goTo(BigInt(region.start));
    this.scroll.reveal(BigInt(region.start), 'top');
    this.status.say(`${region.name} (${region.kind}) at ${region.start}, ${region.size} bytes`);
    this.grid.element.focus();
  }

  private async loadRegions(): Promise<void> {
    try {
      this.regions = await this.host.rpc.request('listRegions', {});
      this.toolbar.setRegions(this.regions);
    } catch (error) {
      this.regions = [];
      this.toolbar.setRegions([]);
      this.status.say(`Region list unavailable: ${describe(error)}`, 'warning');
    }
  }

  // ---- input -----------------------------------------------------------------------------------

  private wireInput(): void {
    const g = this.grid.element;
    g.addEventListener('keydown', (e) => this.onKey(e));
    g.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    g.addEventListener('pointerdown', (e) => {
      const t = this.grid.targetOf(e.target);
      if (!t) return;
      this.column = t.column;
      this.typing.cancel();
      this.selection.set(t.address, e.shiftKey);
      this.dragging = true;
      g.focus();
      this.scheduleRender();
    });
    g.addEventListener('pointermove', (e) => {
      const t = this.grid.targetOf(e.target);
      if (this.dragging && t && e.buttons & 1) {
        this.selection.set(t.address, true);
        this.scheduleRender();
      }
      this.hover.pointerAt(t?.address, e.clientX, e.clientY);
    });
    g.addEventListener('pointerleave', () => this.hover.pointerAt(undefined, 0, 0));
    window.addEventListener('pointerup', () => (this.dragging = false));
  }

  /** Once a focus that came with a click has landed: the grid, unless something else has it. */
  private focusGridIfNothingFocused(): void {
    setTimeout(() => {
      const active = document.activeElement;
      if (!active || active === document.body) this.grid.element.focus();
    }, 0);
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    const lines =
      e.deltaMode === 1
        ? e.deltaY
        : e.deltaMode === 2
          ? e.deltaY * this.scroll.visibleLines
          : e.deltaY / this.rowHeight;
    const total = lines + this.wheelRemainder;
    const whole = Math.trunc(total);
    this.wheelRemainder = total - whole;
    if (whole !== 0) {
      this.scroll.scrollBy(whole);
      this.scheduleRender();
    }
  }

  private onKey(e: KeyboardEvent): void {
    const ctrl = e.ctrlKey || e.metaKey;
    const key = e.key;
    if (ctrl && !e.altKey) {
      const lower = key.toLowerCase();
      const action: Record<string, () => void> = {
        z: () => void this.actions.undoRedo(e.shiftKey ? 'redo' : 'undo'),
        y: () => void this.actions.undoRedo('redo'),
        c: () => void this.actions.copySelection(),
        g: () => this.toolbar.focusGoTo(),
        f: () => this.findBox.open(),
      };
      if (action[lower]) {
        e.preventDefault();
        action[lower]!();
        return;
      }
    }
    const moved = navigate(key, this.selection.cursor, {
      bytesPerRow: BYTES_PER_ROW,
      visibleRows: this.scroll.visibleLines,
      spaceSize: this.scroll.spaceSize,
      ctrl,
    });
    if (moved !== undefined) {
      e.preventDefault();
      this.typing.cancel();
      this.selection.set(moved, e.shiftKey);
      this.scroll.reveal(moved, 'nearest');
      this.scheduleRender();
      return;
    }
    if (key === 'F3' && this.findBox.isOpen) {
      e.preventDefault();
      void this.findBox.find(e.shiftKey ? -1 : 1);
      return;
    }
    if (key === 'Tab') {
      e.preventDefault();
      this.column = this.column === 'hex' ? 'ascii' : 'hex';
      this.typing.cancel();
      this.scheduleRender();
      return;
    }
    if (key === 'Escape') {
      this.typing.cancel();
      this.selection.set(this.selection.cursor);
      this.scheduleRender();
      return;
    }
    if (ctrl || e.altKey) return;
    const address = this.selection.cursor;
    if (this.column === 'hex') {
      const typed = this.typing.type(address, key);
      if (!typed.accepted) return;
      e.preventDefault();
      if (typed.byte !== undefined) void this.actions.commitByte(address, typed.byte);
      this.scheduleRender();
    } else {
      const byte = asciiKeyToByte(key);
      if (byte === undefined) return;
      e.preventDefault();
      void this.actions.commitByte(address, byte);
    }
  }

  // ---- host events and live refresh ------------------------------------------------------------

  private wireHost(): void {
    const rpc = this.host.rpc;
    rpc.on('memoryChanged', (body) => {
      if ('all' in body) this.pendingRanges = [{ start: 0n, end: this.scroll.spaceSize }];
      else
        for (const r of body.ranges)
          this.pendingRanges.push({ start: BigInt(r.start), end: BigInt(r.end) });
      // Bounded however many events arrive between two refreshes: collapse to one range.
      if (this.pendingRanges.length > MAX_PENDING_RANGES) {
        this.pendingRanges = [{ start: 0n, end: this.scroll.spaceSize }];
      }
      // Stopped: apply now. Running: the live timer applies them at a bounded rate.
      if (this.session.state !== 'running') this.flushInvalidations();
    });
    rpc.on('sessionChanged', (info) => this.setSession(info));
    rpc.on('reveal', (target) => this.goTo(BigInt(target.address), optionalBig(target.length)));
    rpc.on('topologyChanged', () => {
      this.cache.invalidateAll();
      void this.loadRegions();
    });
  }

  private setSession(info: SessionInfo & { reason?: string }): void {
    const was = this.session.state;
    this.session = info;
    if (this.liveTimer) clearInterval(this.liveTimer);
    this.liveTimer = undefined;
    this.cache.setRunning(info.state === 'running');
    if (info.state === 'running') {
      this.liveTimer = setInterval(() => this.liveTick(), LIVE_REFRESH_MS);
    } else if (info.state === 'stopped') {
      if (was !== 'none') {
        this.sideEffectValues.clear();
        this.pendingRanges = [];
      }
      // Also when the editor connects to a session that is already stopped: the first reads are
      // the values at this stop, so the first step after opening highlights what it changed.
      this.cache.markStop();
    } else {
      this.cache.clear();
      this.pendingRanges = [];
    }
    if (was === 'none' && info.state !== 'none') void this.loadRegions();
    this.overlay.hidden = info.state !== 'none';
    this.overlay.textContent =
      info.state === 'none'
        ? 'No Boardmap debug session. Start one (Run ▸ Start Debugging) to read and edit memory; this editor connects to it automatically.'
        : '';
    if (was !== info.state) {
      this.status.say(
        `${info.name ?? 'Session'}: ${sessionText(info)}${info.reason ? ` (${info.reason})` : ''}`,
      );
    }
    this.scheduleRender();
  }

  private liveTick(): void {
    this.liveTicks++;
    if (this.liveTicks % POLL_EVERY_TICKS === 0) {
      const { start, end } = this.scroll.visibleRange();
      this.pendingRanges.push({ start, end });
    }
    this.flushInvalidations();
  }

  private flushInvalidations(): void {
    const ranges = this.pendingRanges;
    this.pendingRanges = [];
    for (const r of ranges) this.cache.invalidate(r.start, r.end);
    if (ranges.length) this.scheduleRender();
  }

  private async fetchPage(index: bigint) {
    const address = index * PAGE_SIZE_N;
    const response = await this.host.rpc.request('readPage', {
      address: formatHexAddress(address),
    });
    return decodePage(address, response);
  }

  // ---- persistence -----------------------------------------------------------------------------

  private saveState(): void {
    if (!this.space) return;
    this.host.setState({
      addressSpace: this.space,
      topAddress: formatHexAddress(this.scroll.visibleRange().start),
      cursor: formatHexAddress(this.selection.cursor),
      anchor: formatHexAddress(this.selection.anchor),
      grouping: this.grouping,
      littleEndian: this.littleEndian,
      inspectorOpen: this.inspectorOpen,
    });
  }

  private restoreState(space: string): void {
    const s = this.host.getState() as Partial<HexEditorViewState> | undefined;
    if (s && s.addressSpace === space) {
      try {
        this.selection.set(BigInt(s.anchor ?? '0x0'));
        this.selection.set(BigInt(s.cursor ?? '0x0'), true);
        this.scroll.reveal(BigInt(s.topAddress ?? '0x0'), 'top');
      } catch {
        // A corrupt saved state is ignored: the view starts at 0.
      }
      if ([1, 2, 4, 8].includes(s.grouping ?? 0)) this.grouping = s.grouping!;
      this.littleEndian = s.littleEndian === true;
      this.inspectorOpen = s.inspectorOpen !== false;
    }
    this.toolbar.setGrouping(this.grouping, this.littleEndian);
    this.toolbar.setInspectorOpen(this.inspectorOpen);
    this.inspector.element.hidden = !this.inspectorOpen;
  }
}

function optionalBig(hex: string | undefined): bigint | undefined {
  return hex === undefined ? undefined : BigInt(hex);
}

function sessionText(info: SessionInfo): string {
  if (info.state === 'none') return 'no Boardmap debug session — memory cannot be read';
  return info.state === 'running' ? 'running (live refresh)' : 'stopped';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
