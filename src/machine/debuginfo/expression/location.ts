/** Where a value lives, as a DWARF location description evaluates to (DWARF 5 §2.6). */

export type LocationPart =
  /** In target memory at this address. */
  | { readonly kind: 'memory'; readonly address: number }
  /** In a register (DWARF register number; RISC-V x0..x31 = 0..31). */
  | { readonly kind: 'register'; readonly register: number }
  /** Computed, not stored anywhere (DW_OP_stack_value): the value is the number itself. */
  | { readonly kind: 'value'; readonly value: bigint }
  /** Constant bytes (DW_OP_implicit_value, DW_AT_const_value). */
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  /**
   * A pointer to an object that exists only in the debug info (DW_OP_implicit_pointer): the
   * variable DIE at `die` (.debug_info offset), `offset` bytes in. gdb: `<synthetic pointer>`.
   */
  | { readonly kind: 'implicit-pointer'; readonly die: number; readonly offset: number }
  /** No location: the compiler optimised this part away. */
  | { readonly kind: 'optimized-out' };

export interface LocationPiece {
  readonly part: LocationPart;
  /** Size of this piece in bits; undefined for a single-part location (the whole value). */
  readonly bitSize?: number;
  /** DW_OP_bit_piece's offset into the part. */
  readonly bitOffset?: number;
}

export type Location = readonly LocationPiece[];

export const OPTIMIZED_OUT: Location = [{ part: { kind: 'optimized-out' } }];

export function memoryAt(address: number): Location {
  return [{ part: { kind: 'memory', address } }];
}
