import type { CpuBus } from '../bus';

/** `slli x0, x0, 0x1f`: the entry marker of a RISC-V semihosting call. */
export const SEMIHOSTING_ENTRY = 0x01f01013;
/** `ebreak` (the semihosting sequence must use the uncompressed encoding). */
export const SEMIHOSTING_EBREAK = 0x00100073;
/** `srai x0, x0, 7`: the exit marker. */
export const SEMIHOSTING_EXIT = 0x40705013;

/**
 * True when the ebreak at `pc` is a semihosting call: the uncompressed
 * `slli x0,x0,0x1f; ebreak; srai x0,x0,7` sequence of the RISC-V semihosting specification,
 * all three in fetchable memory. An ebreak hook uses this to claim the call (operation in a0,
 * parameter block in a1, result to a0, then EbreakAction.Resume).
 */
export function isSemihostingCall(bus: CpuBus, pc: number): boolean {
  const word = (address: number): number | undefined => {
    const lo = bus.fetch16(address);
    if (bus.status !== 0) return undefined;
    const hi = bus.fetch16((address + 2) | 0);
    if (bus.status !== 0) return undefined;
    return (lo | (hi << 16)) >>> 0;
  };
  return (
    word(pc) === SEMIHOSTING_EBREAK &&
    word((pc - 4) | 0) === SEMIHOSTING_ENTRY &&
    word((pc + 4) | 0) === SEMIHOSTING_EXIT
  );
}
