/**
 * Debug Console links into the hex editor. The extension passes `__hexEditorLink` in the launch
 * configuration (its URI scheme and id); the adapter then prints links VS Code's console makes
 * clickable: the `hex` monitor command, the launch banner, fault and watchpoint stops. Without it
 * (a plain DAP client) nothing is printed that nobody could open.
 */
import { AdapterError, AdapterErrorCode } from '../errors';
import {
  SIZE_2_64,
  type AddressSpace,
  type FlatRange,
  type MemoryRegion,
  addressHex,
} from '../../engine';
import { formatHexLink, isHexLinkBase, type HexLinkTarget } from '../../protocol';
import { evaluateExpression, type ExpressionContext } from '../expression';

export type HexLinker = (target: HexLinkTarget) => string;

/** The linker for a launch configuration, or undefined when the client cannot open links. */
export function hexLinkerFor(base: unknown): HexLinker | undefined {
  if (!isHexLinkBase(base)) return undefined;
  return (target) => formatHexLink(base, target);
}

/**
 * The launch banner's line: a link to the program's RAM (the first RAM range, else the first
 * range) and how to get more; undefined when links are off.
 */
export function launchHexLink(live: {
  readonly hexLink: HexLinker | undefined;
  readonly spaceId: string;
  readonly machine: { readonly space: AddressSpace };
}): string | undefined {
  if (!live.hexLink) return undefined;
  const ranges = live.machine.space.flatView.ranges;
  const first = ranges.find((r) => r.mr.kind === 'ram') ?? ranges[0];
  if (!first) return undefined;
  const link = live.hexLink({ space: live.spaceId, address: first.start });
  return `Hex editor on ${first.mr.name} at ${addressHex(first.start)}: ${link}  (type 'hex' here for links to all memory, 'hex ADDR' for any address)`;
}

/** VS Code's console leaves a value of more than 2000 characters as plain text (no links). */
const CONSOLE_LINKIFY_LIMIT = 2000;

const KIND_WORDS: Partial<Record<MemoryRegion['kind'], string>> = {
  ram: 'RAM',
  rom: 'ROM',
  romDevice: 'ROM device',
  ramDevice: 'RAM device',
  io: 'MMIO',
};

export interface HexCommandContext {
  readonly space: AddressSpace;
  readonly spaceId: string;
  readonly expressions: ExpressionContext;
  findRegions(name: string): MemoryRegion[];
}

export class HexCommandError extends AdapterError {
  constructor(message: string) {
    super(AdapterErrorCode.BadExpression, message);
  }
}

/**
 * `hex` lists the memory (RAM, ROM) of the address space, one link each; `hex REGION` links to
 * where that region is visible; `hex EXPR` links to an address (a data symbol selects its size).
 */
export function hexCommand(argument: string, ctx: HexCommandContext, link: HexLinker): string {
  const what = argument.trim();
  const ranges = ctx.space.flatView.ranges;
  let lines: string[];
  if (what === '') {
    const memory = ranges.filter((r) => r.mr.kind !== 'io' && r.mr.kind !== 'reservation');
    lines = memory.map((r) => rangeLine(r, ctx.spaceId, link));
    if (lines.length === 0) return `${ctx.spaceId} has no RAM or ROM; try hex ADDR or hex REGION`;
  } else {
    const regions = ctx.findRegions(what);
    if (regions.length > 0) {
      lines = regions.flatMap((mr) =>
        visiblePieces(ctx.space, mr).map((piece) => pieceLine(piece, mr, ctx.spaceId, link)),
      );
      if (lines.length === 0)
        throw new HexCommandError(`hex: region '${what}' is not visible in ${ctx.spaceId}`);
    } else {
      lines = [addressLine(what, ctx, link)];
    }
  }
  return fitForConsole(lines);
}

interface Piece {
  readonly start: bigint;
  /** Exclusive. */
  readonly end: bigint;
}

/** Whether `region` is `ancestor` or lies inside it (through containers). */
function inside(region: MemoryRegion, ancestor: MemoryRegion): boolean {
  for (let mr: MemoryRegion | null = region; mr; mr = mr.container)
    if (mr === ancestor) return true;
  return false;
}

/**
 * Where `region` shows in the space: the flat ranges that come from it (through an alias, from
 * its target), clipped to the region's own window when it hangs from the root by containers.
 * Adjacent pieces merge, so a RAM split by an overlapping device reads as its visible parts.
 */
function visiblePieces(space: AddressSpace, region: MemoryRegion): Piece[] {
  const source = region.alias ?? region;
  const window = absoluteWindow(space, region);
  const pieces: Piece[] = [];
  for (const r of space.flatView.ranges) {
    if (!inside(r.mr, source)) continue;
    const start = window && r.start < window.start ? window.start : r.start;
    const end = window && r.end > window.end ? window.end : r.end;
    if (start >= end) continue;
    const last = pieces[pieces.length - 1];
    if (last && last.end === start) pieces[pieces.length - 1] = { start: last.start, end };
    else pieces.push({ start, end });
  }
  return pieces;
}

/** The region's address range when it is reached from the space's root by containers alone. */
function absoluteWindow(space: AddressSpace, region: MemoryRegion): Piece | undefined {
  let address = 0n;
  let mr: MemoryRegion | null = region;
  while (mr && mr !== space.root) {
    address += mr.addr;
    mr = mr.container;
  }
  if (!mr) return undefined;
  return { start: address, end: address + BigInt(region.size) };
}

function pieceLine(piece: Piece, region: MemoryRegion, spaceId: string, link: HexLinker): string {
  const target = link({ space: spaceId, address: piece.start, length: piece.end - piece.start });
  return `${addressHex(piece.start)}-${addressHex(piece.end - 1n)}  ${region.name} (${kindWord(region)})  ${target}`;
}

function rangeLine(range: FlatRange, spaceId: string, link: HexLinker): string {
  return pieceLine(range, range.mr, spaceId, link);
}

function kindWord(region: MemoryRegion): string {
  const terminal = region.alias ?? region;
  return KIND_WORDS[terminal.kind] ?? terminal.kind;
}

function addressLine(text: string, ctx: HexCommandContext, link: HexLinker): string {
  let address: bigint;
  let length: bigint | undefined;
  try {
    const result = evaluateExpression(text, ctx.expressions);
    address = result.address ?? result.value;
    const symbol = /^&?[A-Za-z_.$][\w.$]*$/.test(text)
      ? ctx.expressions.symbol(text.replace(/^&/, ''))
      : undefined;
    if (symbol && symbol.kind === 'object' && symbol.size > 0) length = BigInt(symbol.size);
  } catch (e) {
    throw new HexCommandError(
      `hex: '${text}' is neither a region nor an address (${(e as Error).message})`,
    );
  }
  if (address < 0n || address >= SIZE_2_64)
    throw new HexCommandError(`hex: ${addressHex(address)} is outside the 64-bit address space`);
  const range = ctx.space.flatView.lookup(address);
  const where = range ? `in ${range.mr.name}` : 'nothing is mapped there';
  return `${addressHex(address)} (${where})  ${link({ space: ctx.spaceId, address, ...(length ? { length } : {}) })}`;
}

/** Keeps a listing short enough for the console to linkify, saying what it left out. */
function fitForConsole(lines: string[]): string {
  const note = (left: number) => `\n… ${left} more; name one: hex REGION or hex ADDR`;
  let text = '';
  for (let i = 0; i < lines.length; i++) {
    const next = text === '' ? lines[i]! : `${text}\n${lines[i]}`;
    const after = lines.length - i - 1;
    if (next.length + (after > 0 ? note(after).length : 0) > CONSOLE_LINKIFY_LIMIT)
      return `${text}${note(lines.length - i)}`;
    text = next;
  }
  return text;
}
