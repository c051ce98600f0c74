/**
 * The emulated machine: a compiled board (engine objects + device descriptions + CPU), its device
 * models, one RV32IMAC hart on the board's address space, the loaded program and its symbols.
 * The debug adapter, the CLI and the views drive it through this class only.
 *
 * - Build: Machine.fromBoard(uri, text, options) or Machine.builtin('virt' | 'spike', options).
 * - Program: loadProgram(bytes, { name, format, address }) — ELF at p_paddr or raw at an address.
 * - Run control: run() (async; bounded batches, yielding to the host), pause(), step(), reset().
 * - Debugging: breakpoints, watchpoints, readMemory (side-effect free) / writeMemory (runs device
 *   callbacks), registers through `cpu`, disassemble with symbols.
 * - Events: onStopped, onOutput, onExited, onTopologyChanged, onMemoryChanged.
 *
 * The parts, the run state and the run loops' hooks are in MachineCore (machineCore.ts).
 */
import type { BoardHost } from '../../board';
import {
  debugRead,
  debugWrite,
  type DebugReadResult,
  type MemTxResult,
  type Watchpoint,
} from '../../engine';
import { findBuiltinBoard } from '../boards';
import type { SymbolLookup, DisassembledInstruction, TrapHook } from './cpu';
import type { Clint, MmioAccess } from '../devices';
import type { Event } from './emitter';
import type { LoadedImage, SymbolTable } from '../loader';
import { MachineCore } from './machineCore';
import {
  MachineError,
  type MachineExit,
  type MachineOptions,
  type MachineOutput,
  type MachineStop,
  type MemoryRange,
  type MachineRunOptions,
} from './machineTypes';
import type { ProgramLoadOptions } from './programLoader';
import { runMachine, type RunControl } from './runLoop';
import { stepMachine } from './stepLoop';

export class Machine extends MachineCore {
  readonly onStopped: Event<MachineStop> = this.events.stopped.event;
  readonly onOutput: Event<MachineOutput> = this.events.output.event;
  readonly onExited: Event<MachineExit> = this.events.exited.event;
  /** Fires with the new topology version after a commit that changed the flat view. */
  readonly onTopologyChanged: Event<number> = this.events.topologyChanged.event;
  /** Fires after the loader or writeMemory changed memory (not for the guest's own stores). */
  readonly onMemoryChanged: Event<readonly MemoryRange[]> = this.events.memoryChanged.event;

  private readonly control: RunControl = { machine: this, pauseRequested: false };
  private readonly breakpointSet = new Set<number>();

  /** Builds a machine from board text; throws MachineError (with the compile result) on errors. */
  static fromBoard(
    uri: string,
    text: string,
    options: MachineOptions & { boardHost?: BoardHost } = {},
  ): Machine {
    return new Machine(uri, text, options);
  }

  /** A built-in board by name (`virt`, `spike`). */
  static builtin(name: string, options: MachineOptions = {}): Machine {
    const b = findBuiltinBoard(name);
    if (!b) throw new MachineError(`no built-in board '${name}' (there are: virt, spike)`);
    return new Machine(b.uri, b.text, options);
  }

  private constructor(
    uri: string,
    text: string,
    options: MachineOptions & { boardHost?: BoardHost },
  ) {
    super(uri, text, options);
  }

  // ---- state ------------------------------------------------------------------------------

  /** Set once the firmware exited (until reset()). */
  get exitCode(): number | undefined {
    return this.exitInfo?.code;
  }

  /** Incremented on every commit that changed the flat view (remaps, enables, HTIF placement). */
  get topologyVersion(): number {
    return this.events.topologyVersion;
  }

  /** The loaded program (undefined before loadProgram). */
  get program(): LoadedImage | undefined {
    return this.loaded.image;
  }

  get symbols(): SymbolTable | undefined {
    return this.loaded.symbols;
  }

  /** `<sym+off>` lookup for disassembly. */
  readonly symbolLookup: SymbolLookup = (address) => {
    const loc = this.symbols?.lookup(address);
    return loc ? { name: loc.symbol.name, offset: loc.offset } : undefined;
  };

  /** The mtime device (undefined on boards without a CLINT). */
  get timer(): Clint | undefined {
    return this.clint;
  }

  /** Receives `--trace mmio` records; while set, run() executes one instruction per batch so pc is exact. */
  get mmioTrace(): ((access: MmioAccess) => void) | undefined {
    return this.tracer;
  }

  set mmioTrace(tracer: ((access: MmioAccess) => void) | undefined) {
    this.tracer = tracer;
  }

  // ---- program ----------------------------------------------------------------------------

  /**
   * Loads a program (ELF or raw), places symbol-placed devices (HTIF at `tohost`), writes the
   * reset ROM, and resets the machine. Throws ProgramLoadError naming the file and what is wrong.
   */
  loadProgram(bytes: Uint8Array, options: ProgramLoadOptions = {}): LoadedImage {
    const image = this.loaded.load(bytes, options);
    this.reset();
    this.events.memoryChanged.fire(
      image.ranges.map((r) => ({ address: r.address, length: r.memorySize })),
    );
    return image;
  }

  /**
   * System reset: the map back to its built state, devices and hart to power-on, the program's
   * image rewritten (as QEMU's rom_reset does), pc to the reset vector (or the entry when the
   * board has no reset ROM).
   */
  reset(): void {
    // a reset from the host while run() is between batches ends that run with 'pause'
    if (this.stateValue === 'running') this.control.pauseRequested = true;
    this.resetState();
  }

  // ---- run control --------------------------------------------------------------------------

  /**
   * Runs until something stops the machine (breakpoint, pause, exit, watchpoint, budget, …) and
   * resolves with why. Executes bounded batches and yields to the host between them, so pause()
   * takes effect within one batch. A breakpoint at the starting pc is stepped over.
   */
  run(options: MachineRunOptions = {}): Promise<MachineStop> {
    if (this.stateValue === 'running')
      return Promise.reject(new Error('the machine is already running'));
    this.control.pauseRequested = false;
    return runMachine(this.control, options);
  }

  /**
   * Decides, as each trap is taken, whether it ends run()/step() with reason 'exception'
   * (before the handler's first instruction). Undefined (default): traps cost nothing extra.
   */
  get trapFilter(): TrapHook | undefined {
    return this.cpu.onTrap;
  }

  set trapFilter(filter: TrapHook | undefined) {
    this.cpu.onTrap = filter;
  }

  /** Asks a running run() to stop (reason 'pause') at the next batch boundary. */
  pause(): void {
    this.control.pauseRequested = true;
    this.cpu.requestStop();
  }

  /**
   * Executes `count` instructions (an interrupt being taken counts as one step), ignoring
   * breakpoints; a hart sleeping in wfi advances time to its next timer deadline.
   */
  step(count = 1): MachineStop {
    return stepMachine(this, count);
  }

  /** True when host input is queued that a sleeping hart could be woken by. */
  get inputPending(): boolean {
    return this.hostIo.inputPending;
  }

  // ---- breakpoints and watchpoints ------------------------------------------------------------

  addBreakpoint(address: number): void {
    this.breakpointSet.add(address >>> 0);
    this.cpu.addBreakpoint(address >>> 0);
  }

  removeBreakpoint(address: number): void {
    this.breakpointSet.delete(address >>> 0);
    this.cpu.removeBreakpoint(address >>> 0);
  }

  clearBreakpoints(): void {
    this.breakpointSet.clear();
    this.cpu.clearBreakpoints();
  }

  get breakpoints(): readonly number[] {
    return [...this.breakpointSet];
  }

  /** A data watchpoint on [start, start+length) of the hart's accesses; stops after the access. */
  addWatchpoint(start: number, length: number, kind: 'read' | 'write' | 'access'): Watchpoint {
    return this.port.addWatchpoint(start >>> 0, length, kind);
  }

  removeWatchpoint(id: number): boolean {
    return this.port.removeWatchpoint(id);
  }

  get watchpoints(): readonly Watchpoint[] {
    return this.port.listWatchpoints();
  }

  // ---- memory and registers for debuggers -----------------------------------------------------

  /** Side-effect-free read of the hart's address space (devices are peeked; holes are flagged per byte). */
  readMemory(address: number | bigint, length: number): DebugReadResult {
    return debugRead(this.space, address, length);
  }

  /** A debugger write: RAM is written, device registers run their callbacks like a store. */
  writeMemory(
    address: number | bigint,
    data: Uint8Array,
  ): { readonly status: Uint8Array; readonly result: MemTxResult } {
    const r = debugWrite(this.space, address, data);
    this.cpu.invalidateDecodeCache(Number(address) >>> 0, data.length);
    this.events.memoryChanged.fire([{ address: Number(address), length: data.length }]);
    return r;
  }

  disassemble(address: number, count: number): DisassembledInstruction[] {
    return this.cpu.disassemble(address, count, this.symbolLookup);
  }

  // ---- console ---------------------------------------------------------------------------------

  /** Host console input: to the first UART's receive queue, the HTIF console and semihosting. */
  input(bytes: ArrayLike<number>): void {
    this.hostIo.input(bytes);
  }

  dispose(): void {
    this.cacheLink.dispose();
    this.port.watchHook = null;
    this.events.dispose();
  }
}
