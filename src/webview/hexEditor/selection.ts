/**
 * Cursor and selection over the address space, and the keyboard navigation that moves them. Pure:
 * no DOM.
 */

export class Selection {
  private anchorAddress = 0n;
  private cursorAddress = 0n;

  constructor(private readonly spaceSize: bigint) {}

  get cursor(): bigint {
    return this.cursorAddress;
  }

  get anchor(): bigint {
    return this.anchorAddress;
  }

  /** First selected address. */
  get start(): bigint {
    return this.anchorAddress < this.cursorAddress ? this.anchorAddress : this.cursorAddress;
  }

  /** Number of selected bytes (at least 1: the cursor byte). */
  get length(): bigint {
    const d = this.cursorAddress - this.anchorAddress;
    return (d < 0n ? -d : d) + 1n;
  }

  contains(address: bigint): boolean {
    return address >= this.start && address < this.start + this.length;
  }

  /** Moves the cursor; without `extend` the selection collapses onto it. */
  set(address: bigint, extend = false): void {
    this.cursorAddress = this.clamp(address);
    if (!extend) this.anchorAddress = this.cursorAddress;
  }

  /** Selects [start, start + length). */
  selectRange(start: bigint, length: bigint): void {
    this.anchorAddress = this.clamp(start);
    this.cursorAddress = this.clamp(start + (length > 0n ? length - 1n : 0n));
  }

  private clamp(address: bigint): bigint {
    if (address < 0n) return 0n;
    return address >= this.spaceSize ? this.spaceSize - 1n : address;
  }
}

export interface NavigationContext {
  bytesPerRow: number;
  visibleRows: number;
  spaceSize: bigint;
  ctrl: boolean;
}

/**
 * The address a navigation key moves the cursor to, or undefined if the key does not navigate.
 * Arrows move by a byte or a row, PageUp/PageDown by a screen, Home/End to the row's ends, and with
 * Ctrl to the ends of the space.
 */
export function navigate(key: string, cursor: bigint, ctx: NavigationContext): bigint | undefined {
  const row = BigInt(ctx.bytesPerRow);
  const screen = row * BigInt(Math.max(1, ctx.visibleRows - 1));
  const last = ctx.spaceSize - 1n;
  let next: bigint;
  switch (key) {
    case 'ArrowLeft':
      next = cursor - 1n;
      break;
    case 'ArrowRight':
      next = cursor + 1n;
      break;
    case 'ArrowUp':
      next = cursor - row;
      break;
    case 'ArrowDown':
      next = cursor + row;
      break;
    case 'PageUp':
      next = cursor - screen;
      break;
    case 'PageDown':
      next = cursor + screen;
      break;
    case 'Home':
      next = ctx.ctrl ? 0n : cursor - (cursor % row);
      break;
    case 'End':
      next = ctx.ctrl ? last : cursor - (cursor % row) + row - 1n;
      break;
    default:
      return undefined;
  }
  if (next < 0n) return key === 'ArrowUp' || key === 'PageUp' ? cursor % row : 0n;
  if (next > last) return key === 'ArrowDown' || key === 'PageDown' ? cursor : last;
  return next;
}
