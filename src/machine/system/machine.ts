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
 * - Events: onStopped, onOutput, onExited, onTopologyChanged, onMemoryChanged, onDebuggerWrite.
 *
 * The class reads top to bottom: the parts assembled from the board (machineAssembly.ts), the
 * public API, then the @internal hooks the run and step loops (runLoop.ts, stepLoop.ts) drive —
 * a batch of instructions, a stop with its reason, an exit, the reset itself — and what devices
 * and the hart call back into (output, exit, ebreak).
 */
import type { BoardHost, BuiltBoard } from '../../board';
import {
  debugRead,
  debugWrite,
  type AddressSpace,
  type DebugReadResult,
  type MemorySystem,
  type MemTxResult,
  type Watchpoint,
  type WatchHit,
} from '../../engine';
import { findBuiltinBoard } from '../boards';
import { linkDecodeCache, type EngineBus, type EngineBusLink } from '../bus';
import { Clint, type MachineDevice, type MmioAccess, type OutputStream } from '../devices';
import type { LoadedImage, SymbolTable } from '../loader';
import { EbreakAction, type RiscvHart } from '../riscv';
import { restoreRegions, snapshotRegions, type RegionState } from './boardState';
import type { SymbolLookup, DisassembledInstruction, TrapHook } from '../cpu';
import type { Event } from './emitter';
import { HostIo } from './hostIo';
import type { LoopTarget } from './loopTarget';
import { assembleMachine } from './machineAssembly';
import { MachineEvents, type DebuggerWrite } from './machineEvents';
import { MachineProgram } from './machineProgram';
import {
  MachineError,
  type MachineExit,
  type MachineOptions,
  type MachineOutput,
  type MachineState,
  type MachineStop,
  type MemoryRange,
  type MachineRunOptions,
} from './machineTypes';
import type { ProgramLoadOptions } from './programLoader';
import { runMachine, type RunControl } from './runLoop';
import { stepMachine } from './stepLoop';

export class Machine implements LoopTarget {
  readonly board: BuiltBoard;
  readonly system: MemorySystem;
  /** The hart's address space. */
  readonly space: AddressSpace;
  readonly cpu: RiscvHart;
  /** Device models by board id, in declaration order. */
  readonly devices: ReadonlyMap<string, MachineDevice>;
  /** The board's `board` name (`virt`, `spike`, `remap-mcu`). */
  readonly boardName: string | undefined;
  readonly options: MachineOptions;
  /** Problems that do not stop the machine (an HTIF without a `tohost` symbol, …). */
  readonly warnings: string[] = [];
  /**
   * When true, an ebreak that is not a semihosting call stops the run (reason 'ebreak') instead
   * of raising the breakpoint exception — set it while a debugger is attached.
   */
  ebreakStops = false;
  /** @internal shared with the run loop */
  watchHit: WatchHit | undefined;
  /** @internal */
  resetRequested = false;

  private readonly events = new MachineEvents();
  private readonly port: EngineBus;
  private readonly cacheLink: EngineBusLink;
  private readonly hostIo: HostIo;
  private readonly clint: Clint | undefined;
  /** Devices with time-driven state (MachineDevice.afterBatch). */
  private readonly polled: readonly MachineDevice[];
  private readonly loaded: MachineProgram;
  private stateValue: MachineState = 'stopped';
  private tracer: ((access: MmioAccess) => void) | undefined;
  private readonly initialRegions: readonly RegionState[];
  private exitValue: MachineExit | undefined;
  private inBatch = false;

  readonly onStopped: Event<MachineStop> = this.events.stopped.event;
  readonly onOutput: Event<MachineOutput> = this.events.output.event;
  readonly onExited: Event<MachineExit> = this.events.exited.event;
  /** Fires with the new topology version after a commit that changed the flat view. */
  readonly onTopologyChanged: Event<number> = this.events.topologyChanged.event;
  /** Fires after the loader or writeMemory changed memory (not for the guest's own stores). */
  readonly onMemoryChanged: Event<readonly MemoryRange[]> = this.events.memoryChanged.event;
  /** Fires for every debugger write (writeMemory), with what it wrote and how it went. */
  readonly onDebuggerWrite: Event<DebuggerWrite> = this.events.debuggerWrite.event;

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

  /** Builds the parts; throws MachineError (with the compile result) on errors. */
  private constructor(
    uri: string,
    text: string,
    options: MachineOptions & { boardHost?: BoardHost },
  ) {
    this.options = options;
    const parts = assembleMachine(uri, text, options, {
      output: (stream, text) => this.emitOutput(stream, text),
      exit: (code, how) => this.exit(code, how),
      inBatch: () => this.inBatch,
      requestReset: () => {
        this.resetRequested = true;
      },
      instructionCount: () => this.instructionCount,
      virtualTime: () =>
        this.clint
          ? this.clint.elapsedTicks
          : this.instructionCount / (options.instructionsPerTick ?? 10),
      // `loaded` is made after the devices
      symbol: (name) => this.loaded?.symbols?.byName(name)?.value,
      tracer: () => this.tracer,
      readTime: () => (this.clint ? this.clint.mtime : this.instructionCount),
      onEbreak: (h, pc, length) => this.ebreak(h, pc, length),
    });
    const board = parts.board;
    this.board = board;
    this.system = board.system;
    this.space = parts.space;
    this.boardName = board.name;
    this.devices = parts.devices;
    this.port = parts.port;
    this.cpu = parts.hart;
    this.cacheLink = linkDecodeCache(this.port, this.cpu);
    this.port.watchHook = (hit) => {
      this.watchHit ??= hit;
      this.cpu.requestStop();
    };
    this.hostIo = new HostIo(
      this.devices,
      (stream, text) => this.emitOutput(stream, text),
      (code, how) => this.exit(code, how),
    );
    this.clint = [...this.devices.values()].find((d): d is Clint => d instanceof Clint);
    this.polled = [...this.devices.values()].filter(
      (d) => d.afterBatch !== undefined || d.ticksUntilEvent !== undefined,
    );
    this.loaded = new MachineProgram(board, this.space, this.devices, this.cpu, this.warnings);
    this.initialRegions = snapshotRegions(board);
    this.events.watchTopology(this.system, this.space);
    this.loaded.restore();
  }

  // ---- state ------------------------------------------------------------------------------

  get state(): MachineState {
    return this.stateValue;
  }

  get exitInfo(): MachineExit | undefined {
    return this.exitValue;
  }

  get pc(): number {
    return this.cpu.pc;
  }

  /**
   * Instructions executed since reset; while a batch runs, those before the instruction doing
   * the current load or CSR access (so mtime reads are exact mid-batch).
   */
  get instructionCount(): number {
    return this.cpu.instructionCount + (this.inBatch ? this.cpu.batchSteps : 0);
  }

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
    const loc = this.symbols?.lookupCode(address);
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

  /**
   * The debugger's one way to write guest memory (DAP writeMemory, setVariable, setExpression,
   * the hex editor, monitor commands): RAM is written, device registers run their callbacks like
   * a store, the hart's decode cache forgets the bytes, and onMemoryChanged and onDebuggerWrite
   * fire. @space defaults to the hart's address space.
   */
  writeMemory(
    address: number | bigint,
    data: Uint8Array,
    space: AddressSpace = this.space,
  ): { readonly status: Uint8Array; readonly result: MemTxResult } {
    const r = debugWrite(space, address, data);
    const at = BigInt(address);
    if (space === this.space && at < 1n << 32n)
      this.cpu.invalidateDecodeCache(Number(at), data.length);
    this.events.memoryChanged.fire([{ address: Number(address), length: data.length }]);
    this.events.debuggerWrite.fire({ space, address: at, length: data.length, result: r.result });
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

  // ---- the run and step loops' hooks ---------------------------------------------------------

  /** @internal The reset itself (the run loop's, for the finisher's reset code). */
  resetState(): void {
    restoreRegions(this.system, this.initialRegions);
    // the hart first: the CLINT's reset zeroes mtime against the (reset) instruction count
    this.cpu.reset();
    // the time base first: devices that run on virtualTime (the RTC) read it at their reset
    this.clint?.reset();
    for (const d of this.devices.values()) if (d !== this.clint) d.reset();
    this.hostIo.reset();
    this.loaded.restore();
    this.exitValue = undefined;
    this.resetRequested = false;
    this.watchHit = undefined;
    this.stateValue = 'stopped';
  }

  /** @internal The run loop's hooks. */
  setRunning(): void {
    this.stateValue = 'running';
  }

  /** @internal */
  runBatch(budget: number, stepOverBreakpoint: boolean) {
    this.inBatch = true;
    try {
      return this.cpu.run(budget, { stepOverBreakpoint });
    } finally {
      this.inBatch = false;
    }
  }

  /** @internal The step loop's: one instruction, as a batch of its own. */
  stepOne() {
    this.inBatch = true;
    try {
      return this.cpu.step(1);
    } finally {
      this.inBatch = false;
    }
  }

  /** @internal Ends a run or step with `reason`, firing onStopped. */
  stop(reason: MachineStop['reason'], message?: string): MachineStop {
    if (this.stateValue !== 'exited') this.stateValue = 'stopped';
    const stop: MachineStop = {
      reason,
      pc: this.cpu.pc,
      instructionCount: this.cpu.instructionCount,
      ...(this.exitValue ? { exitCode: this.exitValue.code } : {}),
      ...(reason === 'watchpoint' && this.watchHit ? { watch: this.watchHit } : {}),
      ...(reason === 'exception' && this.cpu.lastTrap ? { trap: this.cpu.lastTrap } : {}),
      ...(message !== undefined ? { message } : {}),
    };
    if (reason === 'watchpoint') this.watchHit = undefined;
    this.events.stopped.fire(stop);
    return stop;
  }

  /** @internal */
  finishExit(): MachineStop {
    this.stateValue = 'exited';
    const exit = this.exitValue!;
    this.events.exited.fire(exit);
    return this.stop('exited', exit.how);
  }

  /** @internal */
  get clintDevice(): Clint | undefined {
    return this.clint;
  }

  /** @internal Ticks until the earliest timed device event (MachineDevice.ticksUntilEvent). */
  nextDeviceEventTicks(): number {
    let ticks = Infinity;
    for (const d of this.polled)
      if (d.ticksUntilEvent) ticks = Math.min(ticks, d.ticksUntilEvent());
    return ticks;
  }

  /** @internal Device time after a batch: MTIP against mtime, then RTC alarms and the like. */
  updateDeviceTime(): void {
    this.clint?.update();
    for (const d of this.polled) d.afterBatch?.();
  }

  /** @internal */
  get exitPending(): boolean {
    return this.exitValue !== undefined;
  }

  // ---- device and hart callbacks ------------------------------------------------------------

  private emitOutput(stream: OutputStream, text: string): void {
    this.events.output.fire({ stream, text });
  }

  private exit(code: number, how: string): void {
    if (this.exitValue) return;
    this.exitValue = { code, how };
    this.cpu.requestStop();
  }

  private ebreak(hart: RiscvHart, pc: number, length: 2 | 4): EbreakAction {
    if (this.hostIo.semihostingCall(this.port, hart, pc, length)) return EbreakAction.Resume;
    return this.ebreakStops ? EbreakAction.Stop : EbreakAction.Trap;
  }
}
