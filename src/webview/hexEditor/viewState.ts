/**
 * What the hex editor saves with the webview state (position, cursor and selection, display
 * settings) and how a saved state is brought back, for the same address space only.
 */
import type { HexEditorViewState } from '../../protocol/hexEditor';
import { formatHexAddress } from '../../protocol/memory';
import type { ScrollModel } from './scrollModel';
import type { Selection } from './selection';
import type { Grouping } from './format';

export interface DisplaySettings {
  grouping: Grouping;
  littleEndian: boolean;
  inspectorOpen: boolean;
}

export function viewStateOf(
  space: string,
  scroll: ScrollModel,
  selection: Selection,
  settings: DisplaySettings,
): HexEditorViewState {
  return {
    addressSpace: space,
    topAddress: formatHexAddress(scroll.visibleRange().start),
    cursor: formatHexAddress(selection.cursor),
    anchor: formatHexAddress(selection.anchor),
    grouping: settings.grouping,
    littleEndian: settings.littleEndian,
    inspectorOpen: settings.inspectorOpen,
  };
}

/**
 * Puts the saved position back into `scroll` and `selection` and returns the saved settings, when
 * `saved` belongs to `space`; otherwise changes nothing and returns `current`.
 */
export function restoreViewState(
  saved: unknown,
  space: string,
  scroll: ScrollModel,
  selection: Selection,
  current: DisplaySettings,
): DisplaySettings {
  const s = saved as Partial<HexEditorViewState> | undefined;
  if (!s || s.addressSpace !== space) return current;
  try {
    selection.set(BigInt(s.anchor ?? '0x0'));
    selection.set(BigInt(s.cursor ?? '0x0'), true);
    scroll.reveal(BigInt(s.topAddress ?? '0x0'), 'top');
  } catch {
    // A corrupt saved state is ignored: the view starts at 0.
  }
  return {
    grouping: [1, 2, 4, 8].includes(s.grouping ?? 0) ? s.grouping! : current.grouping,
    littleEndian: s.littleEndian === true,
    inspectorOpen: s.inspectorOpen !== false,
  };
}
