/**
 * The data inspector side panel, the hover tooltip (region, register and field decode) and the
 * status line. Text is always set with textContent: nothing from memory becomes markup.
 */
import { inspect } from './dataInspector';
import { formatAddress } from './format';
import type { RegisterInfo } from '../../protocol';

export class InspectorPanel {
  readonly element: HTMLElement;
  private readonly caption: HTMLDivElement;
  /** Two tables: the second takes half of the rows when the panel is wide and short (stacked). */
  private readonly bodies: HTMLTableSectionElement[] = [];
  private readonly tables: HTMLTableElement[] = [];
  private columns = 1;
  /** What the tables show, so an unchanged cursor (most repaints) rewrites nothing. */
  private shown: { address: bigint; bytes: Uint8Array; digits: number; note?: string } | undefined;

  constructor() {
    this.element = document.createElement('aside');
    this.element.className = 'inspector';
    this.element.setAttribute('aria-label', 'Data inspector');
    this.caption = document.createElement('div');
    this.caption.className = 'inspector-caption';
    const tables = document.createElement('div');
    tables.className = 'inspector-tables';
    for (let t = 0; t < 2; t++) {
      const table = document.createElement('table');
      const head = table.createTHead().insertRow();
      for (const h of ['Type', 'Little endian', 'Big endian']) {
        const th = document.createElement('th');
        th.scope = 'col';
        th.textContent = h;
        head.append(th);
      }
      this.bodies.push(table.createTBody());
      this.tables.push(table);
      tables.append(table);
    }
    this.tables[1]!.hidden = true;
    this.element.append(this.caption, tables);
  }

  /** One table (side panel) or two side by side (under the grid). */
  setColumns(columns: 1 | 2): void {
    if (columns !== this.columns) this.shown = undefined;
    this.columns = columns;
    this.tables[1]!.hidden = columns === 1;
  }

  /** Shows the decode of `bytes` (the readable bytes from the cursor, up to 8). */
  show(address: bigint, bytes: Uint8Array, digits: number, note?: string): void {
    const shown = this.shown;
    if (
      shown?.address === address &&
      shown.digits === digits &&
      shown.note === note &&
      sameBytes(shown.bytes, bytes)
    ) {
      return;
    }
    this.shown = { address, bytes: bytes.slice(), digits, note };
    this.caption.textContent = `At 0x${formatAddress(address, digits).replace('_', '')}${note ? ` — ${note}` : ''}`;
    const rows = inspect(bytes);
    const split = this.columns === 2 ? Math.ceil(rows.length / 2) : rows.length;
    const parts = [rows.slice(0, split), rows.slice(split)];
    parts.forEach((part, t) => {
      const body = this.bodies[t]!;
      while (body.rows.length > part.length) body.deleteRow(-1);
      part.forEach((r, i) => {
        const tr = body.rows[i] ?? body.insertRow();
        while (tr.cells.length < 3) tr.insertCell();
        tr.cells[0]!.textContent = r.label;
        tr.cells[1]!.textContent = r.little;
        tr.cells[2]!.textContent = r.big;
        tr.cells[1]!.title = r.little;
        tr.cells[2]!.title = r.big;
        tr.dataset.type = r.label;
      });
    });
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export class Tooltip {
  readonly element: HTMLDivElement;

  constructor() {
    this.element = document.createElement('div');
    this.element.className = 'tooltip';
    this.element.setAttribute('role', 'tooltip');
    this.element.hidden = true;
  }

  /** Shows lines near (x, y); the first line is the title. */
  show(lines: string[], x: number, y: number): void {
    this.element.replaceChildren(
      ...lines.map((line, i) => {
        const div = document.createElement('div');
        div.className = i === 0 ? 'tt-title' : 'tt-line';
        div.textContent = line;
        return div;
      }),
    );
    this.element.hidden = false;
    const maxX = window.innerWidth - this.element.offsetWidth - 4;
    const maxY = window.innerHeight - this.element.offsetHeight - 4;
    this.element.style.left = `${Math.max(0, Math.min(x + 12, maxX))}px`;
    this.element.style.top = `${Math.max(0, Math.min(y + 16, maxY))}px`;
  }

  hide(): void {
    this.element.hidden = true;
  }
}

/** Lines describing a register and, when its value is known, each field's value. */
export function describeRegister(reg: RegisterInfo, value: bigint | undefined): string[] {
  const access = [reg.access, reg.readSideEffects ? 'read has side effects' : '']
    .filter(Boolean)
    .join(', ');
  const lines = [
    `${reg.region}.${reg.name} @ ${reg.address} (${reg.size * 8}-bit${access ? `, ${access}` : ''})`,
  ];
  if (reg.description) lines.push(reg.description);
  // A one-byte register's value is already on the hover's value line.
  if (value !== undefined && reg.size > 1) lines.push(`value 0x${value.toString(16)}`);
  for (const f of reg.fields ?? []) {
    const bits = f.msb === f.lsb ? `[${f.lsb}]` : `[${f.msb}:${f.lsb}]`;
    const mask = (1n << BigInt(f.msb - f.lsb + 1)) - 1n;
    const v = value === undefined ? '' : ` = ${(value >> BigInt(f.lsb)) & mask}`;
    lines.push(`  ${f.name}${bits}${v}${f.description ? ` — ${f.description}` : ''}`);
  }
  return lines;
}

export class StatusLine {
  readonly element: HTMLDivElement;
  private readonly message: HTMLSpanElement;
  private readonly info: HTMLSpanElement;

  constructor() {
    this.element = document.createElement('div');
    this.element.className = 'statusline';
    this.message = document.createElement('span');
    this.message.className = 'status-message';
    this.message.setAttribute('role', 'status');
    this.message.setAttribute('aria-live', 'polite');
    this.info = document.createElement('span');
    this.info.className = 'status-info';
    this.element.append(this.message, this.info);
  }

  /** A message the user must see; errors stay until replaced. */
  say(text: string, severity: 'info' | 'warning' | 'error' = 'info'): void {
    this.message.textContent = text;
    // The status line is one line (the grid's height must not jump); the whole text on hover.
    this.message.title = text;
    this.message.dataset.severity = severity;
  }

  get text(): string {
    return this.message.textContent ?? '';
  }

  setInfo(text: string): void {
    if (text !== this.info.textContent) this.info.textContent = text;
  }
}
