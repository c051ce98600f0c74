/**
 * What the hex editor saves of its view (position, cursor and selection, display settings), how a
 * saved state is brought back (for the same address space only), and the saver that keeps both the
 * webview's own state (at once) and the host's copy for the next opening (debounced) up to date.
 */
import { type HexEditorViewState, toHex } from '../../protocol';
import type { ScrollModel } from './scrollModel';
import type { Selection } from './selection';
import type { Grouping } from './format';
import type { Column } from './grid';

export interface DisplaySettings {
  grouping: Grouping;
  littleEndian: boolean;
  inspectorOpen: boolean;
  column: Column;
}

export function viewStateOf(
  space: string,
  scroll: ScrollModel,
  selection: Selection,
  settings: DisplaySettings,
): HexEditorViewState {
  return {
    addressSpace: space,
    topAddress: toHex(scroll.visibleRange().start),
    cursor: toHex(selection.cursor),
    anchor: toHex(selection.anchor),
    grouping: settings.grouping,
    littleEndian: settings.littleEndian,
    inspectorOpen: settings.inspectorOpen,
    column: settings.column,
  };
}

/** The first of `candidates` saved for `space` (the webview's own state, then the host's copy). */
export function savedStateFor(
  space: string,
  ...candidates: unknown[]
): Partial<HexEditorViewState> | undefined {
  for (const c of candidates) {
    const s = c as Partial<HexEditorViewState> | undefined | null;
    if (s && typeof s === 'object' && s.addressSpace === space) return s;
  }
  return undefined;
}

/**
 * Puts the saved position back into `scroll` and `selection` (the saved top address on the first
 * row) unless `settingsOnly`, and returns the saved settings; without a state returns `current`.
 */
export function restoreViewState(
  saved: Partial<HexEditorViewState> | undefined,
  scroll: ScrollModel,
  selection: Selection,
  current: DisplaySettings,
  settingsOnly = false,
): DisplaySettings {
  if (!saved) return current;
  if (!settingsOnly) {
    try {
      selection.set(BigInt(saved.anchor ?? '0x0'));
      selection.set(BigInt(saved.cursor ?? '0x0'), true);
      scroll.reveal(BigInt(saved.topAddress ?? '0x0'), 'top');
    } catch {
      // A corrupt saved state is ignored: the view starts at 0.
    }
  }
  return {
    grouping: [1, 2, 4, 8].includes(saved.grouping ?? 0) ? saved.grouping! : current.grouping,
    littleEndian: saved.littleEndian === true,
    inspectorOpen: saved.inspectorOpen !== false,
    column: saved.column === 'ascii' ? 'ascii' : 'hex',
  };
}

/** How long the view must stay put before the host's copy is updated. */
const HOST_SAVE_DELAY_MS = 500;

/**
 * Saves the view: into the webview's state at every change (cheap, local), and to the host after
 * {@link HOST_SAVE_DELAY_MS} without changes, or at once on {@link flush} (the page going away).
 */
export class ViewStateSaver {
  private lastLocal = '';
  private lastSent = '';
  private pending: HexEditorViewState | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly saveLocal: (state: HexEditorViewState) => void,
    private readonly sendToHost: (state: HexEditorViewState) => void,
    private readonly delayMs = HOST_SAVE_DELAY_MS,
  ) {}

  save(state: HexEditorViewState): void {
    const key = JSON.stringify(state);
    if (key === this.lastLocal) return;
    this.lastLocal = key;
    this.saveLocal(state);
    this.pending = state;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.delayMs);
  }

  /** Sends the latest state to the host now, if it has not seen it. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const state = this.pending;
    this.pending = undefined;
    if (!state) return;
    const key = JSON.stringify(state);
    if (key === this.lastSent) return;
    this.lastSent = key;
    this.sendToHost(state);
  }
}
