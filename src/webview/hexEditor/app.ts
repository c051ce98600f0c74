/**
 * The hex editor controller: owns the view state (scroll, cursor, grouping, caches), builds the
 * panel, hands input and host events to their handlers, and repaints once per animation frame.
 */
import {
  type RpcEndpoint,
  type HexEditorInit,
  type HexEditorViewState,
  type HexHostContract,
  type HexWebviewContract,
  type SessionInfo,
  toHex,
} from '../../protocol';
import { PageCache } from './pageCache';
import { decodePage } from './pageDecode';
import { PAGE_SIZE_N, ScrollModel, pageSpan } from './scrollModel';
import { RenderScheduler } from './renderScheduler';
import { Selection } from './selection';
import { HexTyping } from './editModel';
import { FailedWriteMarks } from './failedWrites';
import { addressDigits, errorText, type Grouping } from './format';
import { BYTES_PER_ROW, Grid, type Column, type GridState } from './grid';
import { MemoryActions, type ActionContext } from './actions';
import { VirtualScrollbar } from './scrollbar';
import { InspectorPanel, StatusLine, Tooltip } from './panels';
import { Toolbar } from './toolbar';
import { HoverInfo } from './hover';
import { FindBox } from './findBox';
import { GridKeys, type GridKeyContext } from './gridKeys';
import { GridPointer, type GridPointerContext } from './gridPointer';
import { LiveRefresh, type LiveRefreshContext } from './liveRefresh';
import { Navigation, type NavigationContext } from './navigation';
import { inspectedBytes, regionTextAt } from './cursorInfo';
import {
  ViewStateSaver,
  restoreViewState,
  savedStateFor,
  viewStateOf,
  type DisplaySettings,
} from './viewState';

export interface WebviewHost {
  rpc: RpcEndpoint<HexWebviewContract, HexHostContract>;
  getState(): unknown;
  setState(state: HexEditorViewState): void;
}

const MARGIN_LINES = 64;
/** Pages held at most (4 KiB data + status + two stop values each: about 1 MiB in all). */
const PAGE_CACHE_CAPACITY = 64;
/** Below this panel width the inspector moves under the grid. */
const STACK_BELOW_PX = 1100;
/**
 * How long a jump waits for its pages before painting placeholders: a page read usually takes a
 * few milliseconds, and a wait this short is not seen as a delay.
 */
const JUMP_WAIT_MS = 50;

export class HexEditorApp
  implements
    GridState,
    ActionContext,
    GridKeyContext,
    GridPointerContext,
    LiveRefreshContext,
    NavigationContext
{
  scroll = new ScrollModel();
  cache: PageCache;
  selection: Selection;
  typing = new HexTyping();
  column: Column = 'hex';
  grouping: Grouping = 1;
  littleEndian = false;
  addressDigits = 16;
  sideEffectValues = new Map<bigint, number>();
  failedWrites = new FailedWriteMarks();
  rowHeight = 18;
  readonly status = new StatusLine();

  private readonly actions: MemoryActions;
  private readonly grid: Grid;
  private readonly scrollbar: VirtualScrollbar;
  private readonly inspector = new InspectorPanel();
  private readonly tooltip = new Tooltip();
  private readonly toolbar: Toolbar;
  private readonly findBox: FindBox;
  private readonly hover: HoverInfo;
  private readonly navigation: Navigation;
  private readonly live = new LiveRefresh(this);
  private readonly viewport: HTMLDivElement;
  private readonly main: HTMLDivElement;
  private readonly overlay: HTMLDivElement;
  private space = '';
  private session: SessionInfo = { state: 'none' };
  private readonly renderer = new RenderScheduler(() => this.render());
  private inspectorOpen = true;
  /** Set by the first layout with a real height (a hidden panel has none). */
  private laidOut = false;
  private readonly saver: ViewStateSaver;

  constructor(
    root: HTMLElement,
    private readonly host: WebviewHost,
  ) {
    this.cache = new PageCache((index) => this.fetchPage(index), {
      capacity: PAGE_CACHE_CAPACITY,
      onUpdate: () => this.renderer.soon(),
    });
    this.selection = new Selection(this.scroll.spaceSize);
    this.saver = new ViewStateSaver(
      (state) => host.setState(state),
      (state) => void host.rpc.request('saveViewState', state).catch(() => undefined),
    );
    this.actions = new MemoryActions(this);
    this.grid = new Grid('Memory');
    this.scrollbar = new VirtualScrollbar(
      () => this.scroll,
      () => this.scheduleRender(),
    );
    this.hover = new HoverInfo(this, host.rpc, this.tooltip);
    this.toolbar = new Toolbar({
      goTo: (text) => void this.navigation.goToInput(text),
      goToRegion: (r) => this.navigation.goToRegion(r),
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
    this.navigation = new Navigation(this, this.toolbar, () => this.grid.element.focus());
    this.findBox = new FindBox({
      cursor: () => this.selection.cursor,
      spaceSize: () => this.scroll.spaceSize,
      regions: () => this.navigation.regions,
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
    const keys = new GridKeys(this, {
      actions: this.actions,
      findBox: this.findBox,
      focusGoTo: () => this.toolbar.focusGoTo(),
    });
    this.grid.element.addEventListener('keydown', (e) => keys.onKey(e));
    new GridPointer(this, this.grid, this.hover).wire();
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
      this.status.say(`Could not start: ${errorText(error)}`, 'error');
      return;
    }
    this.space = init.addressSpace;
    this.scroll = new ScrollModel(BigInt(init.spaceSize), BYTES_PER_ROW);
    this.selection = new Selection(this.scroll.spaceSize);
    this.addressDigits = addressDigits(this.scroll.spaceSize);
    this.restoreState(init);
    this.setSession(init.session);
    this.layout();
    if (init.reveal) this.goTo(BigInt(init.reveal.address), optionalBig(init.reveal.length));
    // The host's copy is for the next opening: send the last view when the page goes away.
    window.addEventListener('pagehide', () => this.saver.flush());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') this.saver.flush();
    });
    const resize = new ResizeObserver(() => this.layout());
    resize.observe(this.main);
    resize.observe(this.viewport);
    // The keyboard goes to the grid only when VS Code gives it to this webview: revealed with
    // preserveFocus (moved beside the source at a stop), it must not take it from the source.
    if (document.hasFocus()) this.grid.element.focus();
    window.addEventListener('focus', () => this.focusGridIfNothingFocused());
    this.status.say(`${init.addressSpaceName}: ${sessionText(init.session)}`);
  }

  /** Once a focus that came with a click has landed: the grid, unless something else has it. */
  private focusGridIfNothingFocused(): void {
    setTimeout(() => {
      const active = document.activeElement;
      if (!active || active === document.body) this.grid.element.focus();
    }, 0);
  }

  // ---- rendering -------------------------------------------------------------------------------

  scheduleRender(): void {
    this.renderer.schedule();
  }

  /**
   * After a jump (go-to, find, reveal): reads the pages the view now shows at once, and repaints
   * when they are here, or after {@link JUMP_WAIT_MS} with placeholders for what is still missing.
   */
  showNewPlace(): void {
    this.requestVisiblePages();
    this.renderer.scheduleWhenLoaded(() => {
      const { start, end } = this.scroll.visibleRange();
      return pageSpan(start, end).some((p) => !this.cache.peek(p) && this.cache.isReading(p));
    }, JUMP_WAIT_MS);
  }

  /** Asks for the pages the view shows (the visible ones first) and the margin around them. */
  private requestVisiblePages(): void {
    if (this.session.state !== 'none') this.cache.want(this.scroll.wantedPages(MARGIN_LINES));
  }

  private render(): void {
    // Without a session nothing can be read: no requests, an explanation instead of error cells.
    this.requestVisiblePages();
    this.grid.render(this);
    // For diagnostics (devtools, tests): how many pages the bounded cache holds.
    this.grid.element.dataset.cachedPages = String(this.cache.size);
    this.scrollbar.update();
    if (this.inspectorOpen) this.updateInspector();
    this.toolbar.setUndoRedo(this.actions.history.canUndo, this.actions.history.canRedo);
    const { start } = this.scroll.visibleRange();
    const cursor = this.selection.cursor;
    this.status.setInfo(
      `${this.space} · cursor 0x${cursor.toString(16)}${regionTextAt(this.cache, cursor)}` +
        (this.selection.length > 1n ? ` · ${this.selection.length} bytes selected` : '') +
        ` · top 0x${start.toString(16)}`,
    );
    this.saveState();
  }

  private layout(): void {
    // A hidden panel has no height: nothing to fit, and the position must stay as it is.
    if (this.grid.element.clientHeight === 0) return;
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
    // Not on the first layout: the rows counted before it were a guess, and a restored view
    // keeps its top row.
    const cursorShown =
      this.laidOut && cursorLine >= top && cursorLine < top + BigInt(this.scroll.visibleLines);
    this.laidOut = true;
    this.scroll.setVisibleLines(Math.max(1, rows));
    if (cursorShown) this.scroll.reveal(this.selection.cursor, 'nearest');
    this.scheduleRender();
  }

  private updateInspector(): void {
    // The inspector decodes from the start of the selection (the cursor when nothing is selected).
    const origin = this.selection.start;
    const { bytes, note } = inspectedBytes(this.cache, origin, this.scroll.spaceSize);
    this.inspector.show(origin, bytes, this.addressDigits, note);
  }

  goTo(address: bigint, length?: bigint): void {
    this.navigation.goTo(address, length);
  }

  // ---- host events -----------------------------------------------------------------------------

  private wireHost(): void {
    const rpc = this.host.rpc;
    rpc.on('memoryChanged', (body) => this.live.memoryChanged(body));
    rpc.on('sessionChanged', (info) => this.setSession(info));
    rpc.on('reveal', (target) => this.goTo(BigInt(target.address), optionalBig(target.length)));
    rpc.on('topologyChanged', () => {
      // Register banks may have moved, appeared or gone with the map.
      this.hover.reset();
      this.cache.invalidateAll();
      void this.navigation.loadRegions();
    });
  }

  private setSession(info: SessionInfo & { reason?: string }): void {
    const was = this.session.state;
    this.session = info;
    // Values read with side effects belong to the stop they were read at.
    if (info.state === 'stopped' && was !== 'none') this.sideEffectValues.clear();
    // A failed write belongs to the stop it was tried at, too.
    if (info.state === 'stopped' && was !== 'stopped') this.failedWrites.clear();
    this.live.sessionChanged(info.state, was);
    if (was === 'none' && info.state !== 'none') void this.navigation.loadRegions();
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

  private async fetchPage(index: bigint) {
    const address = index * PAGE_SIZE_N;
    const read = this.failedWrites.readStarting();
    const response = await this.host.rpc.request('readPage', {
      address: toHex(address),
    });
    const page = decodePage(address, response);
    this.failedWrites.pageRead(index, read);
    return page;
  }

  // ---- persistence -----------------------------------------------------------------------------

  private saveState(): void {
    if (!this.space || !this.laidOut) return;
    this.saver.save(viewStateOf(this.space, this.scroll, this.selection, this.settings()));
  }

  private settings(): DisplaySettings {
    const { grouping, littleEndian, inspectorOpen, column } = this;
    return { grouping, littleEndian, inspectorOpen, column };
  }

  /**
   * The webview's own state (the panel was reloaded), else the host's copy of the last view of
   * this space (the panel was closed and opened again); with a reveal, only the display settings.
   */
  private restoreState(init: HexEditorInit): void {
    const saved = savedStateFor(init.addressSpace, this.host.getState(), init.savedState);
    const settings = restoreViewState(
      saved,
      this.scroll,
      this.selection,
      this.settings(),
      init.reveal !== undefined,
    );
    this.grouping = settings.grouping;
    this.littleEndian = settings.littleEndian;
    this.inspectorOpen = settings.inspectorOpen;
    this.column = settings.column;
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
