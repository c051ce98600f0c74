/**
 * Frames without source lines (the reset vector in ROM, code built without -g, a trap vector)
 * get a source of their own: a disassembly listing served by the DAP `source` request. Without
 * one, VS Code focuses no frame when such a stop is the only one (entry, pause, exception): the
 * Variables view stays empty and watches read "not available" until the user clicks the frame.
 *
 * A listing covers the function around the pc (its ELF symbol), else the 1 KiB block around it,
 * within the region that holds it; one line per instruction, so the frame's line is the pc's
 * instruction. References are stable per window for the session; the text is decoded again each
 * time VS Code asks, so code loaded or patched since is shown as it is now.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Machine } from '../../machine';
import { addressHex } from '../../engine';

const BLOCK = 0x400;
/** Longest listing (bytes of code): a huge "function" symbol falls back to blocks. */
const MAX_WINDOW = 0x4000;

interface Window {
  readonly start: number;
  readonly end: number;
  readonly name: string;
}

export class DisassemblySources {
  private readonly byKey = new Map<string, number>();
  private readonly windows = new Map<number, Window>();
  /** Source references of this kind start high, clear of any other the adapter might hand out. */
  private next = 0x1000_0000;

  constructor(private readonly machine: Machine) {}

  /** The listing source and line for a frame at `pc`. */
  locate(pc: number): { source: DebugProtocol.Source; line: number } {
    let window = this.windowAround(pc);
    let line = this.lineOf(window, pc);
    if (line === undefined) {
      // The sweep from the window's start ran past pc (data, or a misaligned start): begin at pc.
      window = { ...window, start: pc, name: `${window.name}@${addressHex(pc)}` };
      line = 1;
    }
    return { source: this.sourceFor(window), line };
  }

  /** The text of a listing, or undefined for a reference this session never gave out. */
  content(sourceReference: number): string | undefined {
    const window = this.windows.get(sourceReference);
    if (!window) return undefined;
    return this.listing(window)
      .map((d) => {
        const symbol = this.machine.symbols?.lookupCode(d.address);
        const label = symbol
          ? `  <${symbol.symbol.name}${symbol.offset ? `+${addressHex(symbol.offset, 0)}` : ''}>`
          : '';
        const text = d.length > 0 ? d.text.replace('\t', ' ') : '<cannot fetch>';
        return `${addressHex(d.address)}:  ${d.hex.padStart(8)}  ${text.padEnd(28)}${label}`.trimEnd();
      })
      .join('\n');
  }

  private sourceFor(window: Window): DebugProtocol.Source {
    const key = `${window.start}:${window.end}`;
    let reference = this.byKey.get(key);
    if (reference === undefined) {
      reference = this.next++;
      this.byKey.set(key, reference);
      this.windows.set(reference, window);
    }
    return {
      name: `${window.name} (disassembly)`,
      sourceReference: reference,
      origin: 'disassembly',
    };
  }

  private windowAround(pc: number): Window {
    const range = this.machine.space.flatView.lookup(pc);
    const regionStart = range ? Number(range.start) : pc;
    const regionEnd = range ? Number(range.end) : pc + 2;
    const symbol = this.machine.symbols?.lookupCode(pc);
    if (symbol && symbol.symbol.size > 0 && symbol.symbol.size <= MAX_WINDOW) {
      const start = Math.max(regionStart, symbol.symbol.value);
      const end = Math.min(regionEnd, symbol.symbol.value + symbol.symbol.size);
      if (start <= pc && pc < end) return { start, end, name: symbol.symbol.name };
    }
    const block = pc - (pc % BLOCK);
    const start = Math.max(regionStart, block);
    const end = Math.min(regionEnd, block + BLOCK);
    const where = range ? range.mr.name : 'unmapped';
    return { start, end: Math.max(end, pc + 2), name: `${where}@${addressHex(start)}` };
  }

  /** The instructions of the window, decoded from its start (up to `until`, when given). */
  private listing(window: Window, until = window.end) {
    const out = [];
    for (let at = window.start; at < window.end && at <= until;) {
      const [d] = this.machine.disassemble(at >>> 0, 1);
      if (!d) break;
      out.push(d);
      at += d.length || 2;
    }
    return out;
  }

  /** The pc's line: the sweep stops at the pc (every stack trace asks; a listing can be 16 KiB). */
  private lineOf(window: Window, pc: number): number | undefined {
    const decoded = this.listing(window, pc);
    return decoded.at(-1)?.address === pc ? decoded.length : undefined;
  }
}
