/**
 * "Why this address?": type an address, get the resolution path (address space -> containers ->
 * aliases with offsets -> the winning region) and the regions it hides with their priorities.
 */
import { fromHex, parseUserAddress, type AddressResolution } from '../../protocol';
import { shortHex } from './format';

export interface ResolverCallbacks {
  resolve(address: bigint): Promise<AddressResolution>;
  /** The user typed something new (saved in the webview state). */
  inputChanged(text: string): void;
  /** A region name in the answer was clicked. */
  regionClicked(regionId: string): void;
}

const STEP_WORDS = {
  root: 'root',
  container: 'container',
  alias: 'alias',
  leaf: 'region',
} as const;
const HIDDEN_WORDS = {
  outranked: 'outranked by',
  disabled: 'disabled',
  hole: 'maps nothing here',
} as const;

export class ResolverBox {
  readonly input: HTMLElement & { value: string };
  private readonly output: HTMLElement;
  private generation = 0;

  constructor(
    container: HTMLElement,
    private readonly callbacks: ResolverCallbacks,
  ) {
    const heading = document.createElement('h2');
    heading.id = 'resolver-heading';
    heading.textContent = 'Why this address?';
    const row = document.createElement('div');
    row.className = 'resolver-row';
    this.input = document.createElement('vscode-textfield') as HTMLElement & { value: string };
    this.input.id = 'resolver-input';
    this.input.setAttribute('placeholder', '0x8000_0000');
    this.input.setAttribute('aria-label', 'Address to explain');
    this.input.setAttribute('aria-describedby', 'resolver-heading');
    const button = document.createElement('vscode-button');
    button.id = 'resolver-go';
    button.textContent = 'Explain';
    button.setAttribute('aria-label', 'Explain this address');
    row.append(this.input, button);
    this.output = document.createElement('div');
    this.output.className = 'resolver-output';
    this.output.id = 'resolver-output';
    this.output.setAttribute('aria-live', 'polite');
    container.append(heading, row, this.output);
    this.input.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Enter') void this.run();
    });
    this.input.addEventListener('input', () => this.callbacks.inputChanged(this.input.value));
    button.addEventListener('click', () => void this.run());
  }

  setInput(text: string): void {
    this.input.value = text;
  }

  /** Resolves what is in the box; returns the address or undefined when it is not one. */
  async run(): Promise<bigint | undefined> {
    const parsed = parseUserAddress(this.input.value ?? '');
    const generation = ++this.generation;
    if (!parsed.ok) {
      this.message(parsed.error, true);
      return undefined;
    }
    this.message('Resolving…', false);
    try {
      const resolution = await this.callbacks.resolve(parsed.value);
      if (generation === this.generation) this.render(resolution);
    } catch (error) {
      if (generation === this.generation)
        this.message(error instanceof Error ? error.message : String(error), true);
    }
    return parsed.value;
  }

  clear(): void {
    this.output.replaceChildren();
  }

  private message(text: string, isError: boolean): void {
    const p = document.createElement('p');
    p.className = isError ? 'resolver-error' : 'resolver-note';
    p.textContent = text;
    this.output.replaceChildren(p);
  }

  private render(r: AddressResolution): void {
    const parts: HTMLElement[] = [];
    const summary = document.createElement('p');
    summary.className = 'resolver-summary';
    const addr = shortHex(fromHex(r.address));
    if (r.winner) {
      const name = r.path.at(-1)?.name ?? '?';
      summary.textContent = `${addr} in ${r.addressSpaceId} is answered by ${name} at offset ${shortHex(fromHex(r.winner.offsetInRegion))}.`;
    } else {
      summary.textContent = `${addr} in ${r.addressSpaceId} is a hole: nothing answers there.`;
    }
    parts.push(summary);
    const path = document.createElement('ol');
    path.className = 'resolver-path';
    path.setAttribute('aria-label', 'Resolution path');
    const space = document.createElement('li');
    space.textContent = `address space ${r.addressSpaceId}`;
    space.className = 'step-space';
    path.append(space);
    for (const step of r.path) {
      const li = document.createElement('li');
      li.className = `step-${step.kind}`;
      const link = this.regionLink(step.regionId, step.name);
      const detail = document.createElement('span');
      detail.className = 'step-detail';
      const extra =
        step.aliasOffset !== undefined
          ? `, window starts at ${shortHex(fromHex(step.aliasOffset))} in the target`
          : '';
      detail.textContent = ` ${STEP_WORDS[step.kind]}, +${shortHex(fromHex(step.offsetInRegion))}, prio ${step.priority}${extra}`;
      li.append(link, detail);
      path.append(li);
    }
    parts.push(path);
    if (r.hidden.length) {
      const h = document.createElement('p');
      h.className = 'resolver-hidden-title';
      h.textContent = r.winner ? 'It hides:' : 'Regions that cover it but answer nothing:';
      const list = document.createElement('ul');
      list.className = 'resolver-hidden';
      for (const hidden of r.hidden) {
        const li = document.createElement('li');
        const winner = hidden.outrankedBy
          ? (r.path.find((s) => s.regionId === hidden.outrankedBy)?.name ?? hidden.outrankedBy)
          : '';
        const why = document.createElement('span');
        why.textContent = ` (prio ${hidden.priority}) ${HIDDEN_WORDS[hidden.reason]}${winner ? ` ${winner}` : ''}`;
        li.append(this.regionLink(hidden.regionId, hidden.name), why);
        list.append(li);
      }
      parts.push(h, list);
    }
    if (r.warning) {
      const w = document.createElement('p');
      w.className = 'resolver-error';
      w.textContent = r.warning;
      parts.push(w);
    }
    this.output.replaceChildren(...parts);
  }

  private regionLink(regionId: string, name: string): HTMLElement {
    const a = document.createElement('a');
    a.href = '#';
    a.className = 'region-link';
    a.textContent = name;
    a.addEventListener('click', (e) => {
      e.preventDefault();
      this.callbacks.regionClicked(regionId);
    });
    return a;
  }
}
