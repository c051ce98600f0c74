/** The register state of one (physical) stack frame, as the unwinder recovers it. */
export interface FrameState {
  /** 0 = the innermost frame. */
  readonly level: number;
  /** The frame's pc: the stop pc for frame 0, the return address for callers. */
  readonly pc: number;
  /** x0..x31; undefined where the unwinder could not recover a register. */
  readonly registers: readonly (number | undefined)[];
  /** The frame's canonical frame address (from CFI), when known. */
  readonly cfa?: number;
  /** The calling frame, for DW_OP_entry_value (the call site's parameter values). */
  readonly caller?: FrameState;
}

/**
 * The pc to look scopes and location lists up with: a caller's pc is a return address, which may
 * already belong to the next line or block, so gdb uses pc - 1 there (get_frame_address_in_block).
 */
export function lookupPc(frame: FrameState): number {
  return frame.level === 0 ? frame.pc : frame.pc - 1;
}
