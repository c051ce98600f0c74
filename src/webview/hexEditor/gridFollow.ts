/**
 * Keeps the cursor's cell in sight sideways when the panel is narrower than a row. Where a cell
 * sits across a row depends only on the font, the grouping and the panel's width, so positions are
 * measured when one of those changes (a ResizeObserver reports it after layout, when reading
 * geometry costs nothing) and moving the cursor reads no layout: a forced layout of the whole grid
 * on every cursor move was most of a repaint's time.
 */
import type { Column } from './gridCells';

/** The cells of one shown row, to measure column positions from. */
export interface SampleRow {
  row: HTMLElement;
  hex: readonly HTMLElement[];
  ascii: readonly HTMLElement[];
}

interface ColumnGeometry {
  /** Left and right edges of each cell from the start of the row (the grid's content start). */
  left: Record<Column, number[]>;
  right: Record<Column, number[]>;
  /** The grid's client width (without a vertical scrollbar) and its border-box width. */
  clientWidth: number;
  boxWidth: number;
}

export class SidewaysFollow {
  private geometry: ColumnGeometry | undefined;
  /** The grid's scrollLeft, kept from scroll events and our own scrolling (reading it lays out). */
  private scrollLeft = 0;
  private readonly observer = new ResizeObserver(() => this.measure());

  constructor(
    private readonly grid: HTMLElement,
    private readonly sampleRow: () => SampleRow | undefined,
  ) {
    grid.addEventListener('scroll', () => (this.scrollLeft = grid.scrollLeft));
    this.observer.observe(grid);
  }

  /** Re-measures whenever `element` changes size (the header's columns: font, grouping). */
  observe(element: HTMLElement): void {
    this.observer.observe(element);
  }

  /** Cell positions changed (grouping): measured again when next needed. */
  invalidate(): void {
    this.geometry = undefined;
  }

  /** Scrolls sideways so the cell at display position `index` of `column` is in view. */
  follow(column: Column, index: number): void {
    const g = this.geometry ?? this.measure();
    if (!g) return;
    const left = g.left[column][index]!;
    const right = g.right[column][index]!;
    const scrolled = this.scrollLeft;
    // In the hex column, back to the addresses whenever the cursor fits with them.
    if (column === 'hex' && right <= g.clientWidth) {
      if (scrolled !== 0) this.scrollTo(0);
    } else if (left < scrolled) {
      // Whole pixels, rounded outwards: scrollLeft is integral, cells are not.
      this.scrollTo(scrolled - Math.ceil(scrolled - left));
    } else if (right - scrolled > g.boxWidth) {
      this.scrollTo(scrolled + Math.ceil(right - scrolled - g.boxWidth));
    }
  }

  private scrollTo(left: number): void {
    this.grid.scrollLeft = left;
    // The browser clamps it to the scrollable width; read back what it took.
    this.scrollLeft = this.grid.scrollLeft;
  }

  private measure(): ColumnGeometry | undefined {
    const sample = this.sampleRow();
    if (!sample) return (this.geometry = undefined);
    const origin = sample.row.getBoundingClientRect().left;
    const edges = (cells: readonly HTMLElement[]) => {
      const rects = cells.map((cell) => cell.getBoundingClientRect());
      return { left: rects.map((r) => r.left - origin), right: rects.map((r) => r.right - origin) };
    };
    const hex = edges(sample.hex);
    const ascii = edges(sample.ascii);
    this.scrollLeft = this.grid.scrollLeft;
    this.geometry = {
      left: { hex: hex.left, ascii: ascii.left },
      right: { hex: hex.right, ascii: ascii.right },
      clientWidth: this.grid.clientWidth,
      boxWidth: this.grid.getBoundingClientRect().width,
    };
    return this.geometry;
  }
}
