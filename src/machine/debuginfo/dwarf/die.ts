/** A debugging information entry: tag, raw attributes, tree links; owned by its unit. */
import type { AttributeValue } from './forms';
import type { CompileUnit } from './unit';

export interface DieAttribute {
  readonly name: number;
  /** The actual form (DW_FORM_indirect is resolved while reading). */
  readonly form: number;
  readonly value: AttributeValue;
  /** Offset of the value in .debug_info (for error messages). */
  readonly offset: number;
}

export class Die {
  readonly children: Die[] = [];

  constructor(
    readonly unit: CompileUnit,
    /** Offset of the DIE in .debug_info: its identity. */
    readonly offset: number,
    readonly tag: number,
    readonly attributes: readonly DieAttribute[],
    readonly parent: Die | undefined,
  ) {}

  attribute(name: number): DieAttribute | undefined {
    for (const a of this.attributes) if (a.name === name) return a;
    return undefined;
  }

  has(name: number): boolean {
    return this.attribute(name) !== undefined;
  }
}
