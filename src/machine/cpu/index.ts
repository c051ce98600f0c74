/**
 * The architecture-neutral CPU interface (`Cpu`): registers a debugger can show, run and step
 * results with their stop reasons, traps and the trap hook, breakpoints, disassembly. The RISC-V
 * hart implements it (riscv), the engine bus invalidates its decode cache through it (bus), and
 * the Machine, the run loop and the debug adapter drive a core through it (system). Types only.
 */
export type * from './cpu';
