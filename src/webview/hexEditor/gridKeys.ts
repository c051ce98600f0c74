/**
 * The grid's keyboard: Ctrl shortcuts (undo/redo, copy, go to, find), cursor movement (with Shift
 * to select), F3 for the next match, Tab between the hex and ASCII columns (Shift+Tab from the hex
 * column leaves the grid for the toolbar), Escape, and typing into memory (hex digits or ASCII
 * characters).
 */
import type { ScrollModel } from './scrollModel';
import { navigate, type Selection } from './selection';
import { asciiKeyToByte, type HexTyping } from './editModel';
import { BYTES_PER_ROW, type Column } from './grid';
import type { MemoryActions } from './actions';
import type { FindBox } from './findBox';

/** The app state the keys read and change (live properties: the app replaces some on start). */
export interface GridKeyContext {
  readonly scroll: ScrollModel;
  readonly selection: Selection;
  readonly typing: HexTyping;
  column: Column;
  scheduleRender(): void;
}

/** What the keys start beyond the grid. */
export interface GridKeyCommands {
  readonly actions: MemoryActions;
  readonly findBox: FindBox;
  focusGoTo(): void;
}

export class GridKeys {
  constructor(
    private readonly ctx: GridKeyContext,
    private readonly commands: GridKeyCommands,
  ) {}

  onKey(e: KeyboardEvent): void {
    const ctx = this.ctx;
    const { actions, findBox } = this.commands;
    const ctrl = e.ctrlKey || e.metaKey;
    const key = e.key;
    if (ctrl && !e.altKey) {
      const lower = key.toLowerCase();
      const action: Record<string, () => void> = {
        z: () => void actions.undoRedo(e.shiftKey ? 'redo' : 'undo'),
        y: () => void actions.undoRedo('redo'),
        c: () => void actions.copySelection(),
        g: () => this.commands.focusGoTo(),
        f: () => findBox.open(),
      };
      if (action[lower]) {
        e.preventDefault();
        action[lower]!();
        return;
      }
    }
    const moved = navigate(key, ctx.selection.cursor, {
      bytesPerRow: BYTES_PER_ROW,
      visibleRows: ctx.scroll.visibleLines,
      spaceSize: ctx.scroll.spaceSize,
      ctrl,
    });
    if (moved !== undefined) {
      e.preventDefault();
      ctx.typing.cancel();
      ctx.selection.set(moved, e.shiftKey);
      ctx.scroll.reveal(moved, 'nearest');
      ctx.scheduleRender();
      return;
    }
    if (key === 'F3' && findBox.isOpen) {
      e.preventDefault();
      void findBox.find(e.shiftKey ? -1 : 1);
      return;
    }
    // Shift+Tab from the hex column is the way out: the browser moves focus back to the toolbar.
    if (key === 'Tab' && e.shiftKey && ctx.column === 'hex' && !ctrl && !e.altKey) {
      ctx.typing.cancel();
      ctx.scheduleRender();
      return;
    }
    if (key === 'Tab') {
      e.preventDefault();
      ctx.column = ctx.column === 'hex' ? 'ascii' : 'hex';
      ctx.typing.cancel();
      ctx.scheduleRender();
      return;
    }
    if (key === 'Escape') {
      ctx.typing.cancel();
      ctx.selection.set(ctx.selection.cursor);
      ctx.scheduleRender();
      return;
    }
    if (ctrl || e.altKey) return;
    this.type(e);
  }

  /** A printable key: one hex digit (two make a byte) or one ASCII character, written at once. */
  private type(e: KeyboardEvent): void {
    const ctx = this.ctx;
    const address = ctx.selection.cursor;
    if (ctx.column === 'hex') {
      const typed = ctx.typing.type(address, e.key);
      if (!typed.accepted) return;
      e.preventDefault();
      if (typed.byte !== undefined) void this.commands.actions.commitByte(address, typed.byte);
      ctx.scheduleRender();
    } else {
      const byte = asciiKeyToByte(e.key);
      if (byte === undefined) return;
      e.preventDefault();
      void this.commands.actions.commitByte(address, byte);
    }
  }
}
