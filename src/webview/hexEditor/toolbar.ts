/**
 * The toolbar, built from @vscode-elements components (text field, selects, checkbox, toolbar
 * buttons with codicons) so it looks and behaves like VS Code's own controls.
 */
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-container/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import type { Grouping } from './format';
import type { RegionListEntry } from '../../protocol';

export interface ToolbarActions {
  goTo(text: string): void;
  goToRegion(entry: RegionListEntry): void;
  setGrouping(grouping: Grouping): void;
  setLittleEndian(little: boolean): void;
  readWithSideEffects(): void;
  copy(): void;
  exportRange(): void;
  undo(): void;
  redo(): void;
  toggleInspector(open: boolean): void;
  refresh(): void;
  /** Leaves the toolbar for the grid (Escape in the go-to box). */
  backToGrid(): void;
}

type ElementWithValue = HTMLElement & { value: string; checked?: boolean };

export class Toolbar {
  readonly element: HTMLDivElement;
  private readonly gotoField: ElementWithValue;
  private readonly regionSelect: ElementWithValue;
  private readonly groupingSelect: ElementWithValue;
  private readonly endian: ElementWithValue;
  private readonly buttons = new Map<string, HTMLElement & { checked?: boolean }>();
  private regions: RegionListEntry[] = [];

  constructor(private readonly actions: ToolbarActions) {
    this.element = document.createElement('div');
    this.element.className = 'toolbar';
    this.element.setAttribute('role', 'toolbar');
    this.element.setAttribute('aria-label', 'Hex editor');

    this.gotoField = make('vscode-textfield', {
      id: 'goto',
      placeholder: 'Address, symbol or expression (Ctrl+G)',
      'aria-label': 'Go to address, symbol or expression',
    });
    const icon = make('vscode-icon', { name: 'go-to-file', slot: 'content-before' });
    this.gotoField.append(icon);
    this.gotoField.addEventListener('keydown', (e) => {
      const key = (e as KeyboardEvent).key;
      if (key === 'Enter') this.actions.goTo(this.gotoField.value);
      else if (key === 'Escape') this.actions.backToGrid();
    });

    this.regionSelect = make('vscode-single-select', {
      id: 'region',
      combobox: '',
      'aria-label': 'Go to region',
    });
    this.regionSelect.addEventListener('change', () => {
      const entry = this.regions.find((r) => r.id === this.regionSelect.value);
      if (entry) this.actions.goToRegion(entry);
    });

    this.groupingSelect = make('vscode-single-select', {
      id: 'grouping',
      'aria-label': 'Byte grouping',
    });
    for (const [value, text] of [
      ['1', 'Bytes'],
      ['2', 'Halfwords'],
      ['4', 'Words'],
      ['8', 'Doublewords'],
    ] as const) {
      this.groupingSelect.append(option(value, text));
    }
    this.groupingSelect.addEventListener('change', () => {
      this.actions.setGrouping(Number(this.groupingSelect.value) as Grouping);
    });

    this.endian = make('vscode-checkbox', { id: 'endian', label: 'Little-endian groups' });
    this.endian.addEventListener('change', () =>
      this.actions.setLittleEndian(!!this.endian.checked),
    );

    const buttons = make('vscode-toolbar-container', {});
    const add = (id: string, icon: string, label: string, run: () => void, toggle = false) => {
      const b = make('vscode-toolbar-button', { id, icon, label, title: label });
      if (toggle) b.setAttribute('toggleable', '');
      b.addEventListener('click', run);
      buttons.append(b);
      this.buttons.set(id, b);
    };
    add('undo', 'discard', 'Undo write (Ctrl+Z)', () => this.actions.undo());
    add('redo', 'redo', 'Redo write (Ctrl+Y)', () => this.actions.redo());
    add('refresh', 'refresh', 'Re-read visible memory', () => this.actions.refresh());
    add('side-effects', 'zap', 'Read selection with side effects (MMIO)', () =>
      this.actions.readWithSideEffects(),
    );
    add('copy', 'copy', 'Copy selection as hex (Ctrl+C)', () => this.actions.copy());
    add('export', 'save-as', 'Export selection to a file…', () => this.actions.exportRange());
    add(
      'inspector',
      'inspect',
      'Data inspector',
      () => this.actions.toggleInspector(!!this.buttons.get('inspector')!.checked),
      true,
    );

    this.element.append(
      this.gotoField,
      this.regionSelect,
      this.groupingSelect,
      this.endian,
      buttons,
    );
  }

  setRegions(regions: RegionListEntry[]): void {
    this.regions = regions;
    const placeholder = option('', regions.length ? 'Go to region…' : 'No regions');
    this.regionSelect.replaceChildren(
      placeholder,
      ...regions.map((r) => option(r.id, `${r.name} — ${r.start} (${r.kind})`)),
    );
    // The select re-reads its options on slot change; show the placeholder once it has.
    queueMicrotask(() => {
      (this.regionSelect as unknown as { selectedIndex: number }).selectedIndex = 0;
    });
  }

  setGrouping(grouping: Grouping, littleEndian: boolean): void {
    this.groupingSelect.value = String(grouping);
    this.endian.checked = littleEndian;
  }

  setInspectorOpen(open: boolean): void {
    this.buttons.get('inspector')!.checked = open;
  }

  /** Called on every repaint: touches the buttons only when one changes (each write re-renders it). */
  setUndoRedo(canUndo: boolean, canRedo: boolean): void {
    for (const [id, can] of [
      ['undo', canUndo],
      ['redo', canRedo],
    ] as const) {
      const button = this.buttons.get(id)!;
      if (button.hasAttribute('disabled') === can) button.toggleAttribute('disabled', !can);
    }
  }

  focusGoTo(): void {
    this.gotoField.focus();
  }

  setGoToInvalid(message: string | undefined): void {
    this.gotoField.toggleAttribute('invalid', message !== undefined);
    this.gotoField.title = message ?? '';
  }
}

function make(tag: string, attributes: Record<string, string>): ElementWithValue {
  const el = document.createElement(tag) as ElementWithValue;
  for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, v);
  return el;
}

function option(value: string, text: string): HTMLElement {
  const o = document.createElement('vscode-option');
  o.setAttribute('value', value);
  o.textContent = text;
  return o;
}
