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
 */
import { compileBoard, type BoardHost, type BuiltBoard, type CompiledBoard } from '../board';
import {
  debugRead,
  debugWrite,
  type AddressSpace,
  type DebugReadResult,
  type MemoryRegion,
  type MemorySystem,
  type MemTxResult,
  type Watchpoint,
  type WatchHit,
} from '../engine';
import { findBuiltinBoard } from './boards';
import {
  placeSymbolDevices,
  restoreRegions,
  snapshotRegions,
  writeResetRom,
  type RegionState,
} from './boardState';
import type { SymbolLookup, DisassembledInstruction, TrapHook } from './cpu';
import {
  Clint,
  createDeviceFactory,
  Htif,
  isInterruptController,
  Ns16550a,
  Semihosting,
  type DeviceEnv,
  type MachineDevice,
  type MmioAccess,
  type OutputStream,
} from './devices';
import { createEngineBus, linkDecodeCache, type EngineBus, type EngineBusLink } from './engineBus';
import { Emitter, type Event } from './emitter';
import type { LoadedImage, SymbolTable } from './loader';
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
import { loadProgramInto, type ProgramLoadOptions } from './programLoader';
import { EbreakAction, isSemihostingCall, RiscvHart } from './riscv';
import { runMachine, type RunControl } from './runLoop';

export class Machine {
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

  private readonly stoppedEmitter = new Emitter<MachineStop>();
  private readonly outputEmitter = new Emitter<MachineOutput>();
  private readonly exitedEmitter = new Emitter<MachineExit>();
  private readonly topologyEmitter = new Emitter<number>();
  private readonly memoryEmitter = new Emitter<readonly MemoryRange[]>();
  readonly onStopped: Event<MachineStop> = this.stoppedEmitter.event;
  readonly onOutput: Event<MachineOutput> = this.outputEmitter.event;
  readonly onExited: Event<MachineExit> = this.exitedEmitter.event;
  /** Fires with the new topology version after a commit that changed the flat view. */
  readonly onTopologyChanged: Event<number> = this.topologyEmitter.event;
  /** Fires after the loader or writeMemory changed memory (not for the guest's own stores). */
  readonly onMemoryChanged: Event<readonly MemoryRange[]> = this.memoryEmitter.event;

  private readonly port: EngineBus;
  private readonly cacheLink: EngineBusLink;
  private readonly semihosting: Semihosting;
  private readonly clint: Clint | undefined;
  private readonly uart: Ns16550a | undefined;
  private readonly initialRegions: readonly RegionState[];
  private readonly placedSymbolDevices = new Map<string, MemoryRegion>();
  private loaded:
    { image: LoadedImage; bytes: Uint8Array; options: ProgramLoadOptions } | undefined;
  private stateValue: MachineState = 'stopped';
  private exitValue: MachineExit | undefined;
  private version = 0;
  private inBatch = false;
  private tracer: ((access: MmioAccess) => void) | undefined;
  private readonly control: RunControl;
  /** @internal shared with the run loop */
  watchHit: WatchHit | undefined;
  /** @internal */
  resetRequested = false;

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
    this.options = options;
    const devices = new Map<string, MachineDevice>();
    const ref: { hart?: RiscvHart } = {};
    const pendingIrqs = new Map<number, boolean>();
    const env: DeviceEnv = {
      setHartIrq: (irq, level) => {
        if (ref.hart) ref.hart.setInterruptLine(irq, level);
        else pendingIrqs.set(irq, level);
      },
      setControllerIrq: (controller, line, level) => {
        const c = devices.get(controller);
        if (c && isInterruptController(c)) c.setInput(line, level);
      },
      output: (stream, text) => this.emitOutput(stream, text),
      exit: (code, how) => this.exit(code, how),
      endBatch: () => {
        if (this.inBatch) ref.hart?.requestStop();
      },
      requestReset: () => {
        this.resetRequested = true;
        ref.hart?.requestStop();
      },
      instructionCount: () => this.instructionCount,
      pc: () => (ref.hart ? ref.hart.pc : 0),
      symbol: (name) => this.loaded?.image.symbols?.byName(name)?.value,
      tracer: () => this.tracer,
    };
    const factory = createDeviceFactory(env, devices, {
      ...(options.instructionsPerTick ? { instructionsPerTick: options.instructionsPerTick } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    const compiled: CompiledBoard = compileBoard(uri, text, options.boardHost, {
      createDevice: factory,
    });
    if (!compiled.built) {
      throw new MachineError(
        `${uri}: ${compiled.error ?? 'the board could not be built'}`,
        compiled,
      );
    }
    const board = compiled.built;
    const cpuDesc = board.cpus[0];
    if (!cpuDesc) throw new MachineError(`${uri}: the board declares no cpu`, compiled);
    if (cpuDesc.model !== 'rv32imac') {
      throw new MachineError(`${uri}: cpu '${cpuDesc.id}': no model '${cpuDesc.model}'`, compiled);
    }
    const space = cpuDesc.space ?? board.spaces[0];
    if (!space) throw new MachineError(`${uri}: the board declares no address space`, compiled);
    this.board = board;
    this.system = board.system;
    this.space = space;
    this.boardName = board.name;
    this.devices = devices;
    this.port = createEngineBus(space);
    const hart = new RiscvHart(this.port, {
      resetVector: Number(cpuDesc.reset & 0xffff_ffffn),
      hartId: Number(cpuDesc.hartId),
      readTime: () => (this.clint ? this.clint.mtime : this.instructionCount),
      onEbreak: (h, pc, length) => this.ebreak(h, pc, length),
      ...(options.jit !== undefined ? { jit: options.jit } : {}),
    });
    this.cpu = ref.hart = hart;
    for (const [irq, level] of pendingIrqs) hart.setInterruptLine(irq, level);
    this.cacheLink = linkDecodeCache(this.port, hart);
    this.port.watchHook = (hit) => {
      this.watchHit ??= hit;
      this.cpu.requestStop();
    };
    this.semihosting = new Semihosting({
      output: (stream, text) =>
        this.emitOutput(stream === 'stdout' ? 'semihosting' : 'stderr', text),
      readInput: () => this.uartInput.shift(),
      exit: (code, how) => this.exit(code, how),
    });
    this.clint = [...devices.values()].find((d): d is Clint => d instanceof Clint);
    this.uart = [...devices.values()].find((d): d is Ns16550a => d instanceof Ns16550a);
    this.initialRegions = snapshotRegions(board);
    let changed = false;
    this.system.registerListener(
      {
        name: 'machine-topology',
        regionAdd: () => (changed = true),
        regionDel: () => (changed = true),
        commit: () => {
          if (!changed) return;
          changed = false;
          this.version++;
          this.topologyEmitter.fire(this.version);
        },
      },
      space,
    );
    this.control = {
      machine: this,
      pauseRequested: false,
    };
    this.applyResetRom(undefined);
  }

  // ---- state ------------------------------------------------------------------------------

  get state(): MachineState {
    return this.stateValue;
  }

  /** Set once the firmware exited (until reset()). */
  get exitCode(): number | undefined {
    return this.exitValue?.code;
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

  /** Incremented on every commit that changed the flat view (remaps, enables, HTIF placement). */
  get topologyVersion(): number {
    return this.version;
  }

  /** The loaded program (undefined before loadProgram). */
  get program(): LoadedImage | undefined {
    return this.loaded?.image;
  }

  get symbols(): SymbolTable | undefined {
    return this.loaded?.image.symbols;
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
    const image = loadProgramInto(this.space, bytes, options);
    this.loaded = { image, bytes, options };
    this.placeSymbolDevices();
    this.reset();
    this.memoryEmitter.fire(
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

  /** @internal The reset itself (the run loop's, for the finisher's reset code). */
  resetState(): void {
    restoreRegions(this.system, this.initialRegions);
    // the hart first: the CLINT's reset zeroes mtime against the (reset) instruction count
    this.cpu.reset();
    for (const d of this.devices.values()) d.reset();
    this.semihosting.reset();
    if (this.loaded) {
      loadProgramInto(this.space, this.loaded.bytes, { ...this.loaded.options, checked: false });
      this.cpu.invalidateDecodeCache();
    }
    const romUsed = this.applyResetRom(this.loaded?.image.entry);
    if (this.loaded && !romUsed) this.cpu.pc = this.loaded.image.entry;
    this.exitValue = undefined;
    this.resetRequested = false;
    this.watchHit = undefined;
    this.stateValue = 'stopped';
  }

  private applyResetRom(entry: number | undefined): boolean {
    const written = writeResetRom(this.space, this.boardName, entry);
    if (written !== undefined) this.cpu.invalidateDecodeCache(written, 64);
    return written !== undefined;
  }

  private placeSymbolDevices(): void {
    placeSymbolDevices(
      this.board,
      this.devices,
      (name) => this.symbols?.byName(name)?.value,
      this.placedSymbolDevices,
      this.warnings,
    );
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
    if (this.stateValue === 'exited') return this.stop('exited');
    let left = count;
    while (left > 0) {
      this.inBatch = true;
      let r;
      try {
        r = this.cpu.step(1);
      } finally {
        this.inBatch = false;
      }
      this.clint?.update();
      if (this.exitValue) return this.finishExit();
      if (this.resetRequested) this.reset();
      if (r.reason === 'wfi') {
        if (!this.clint?.skipToDeadline())
          return this.stop('idle', 'waiting in wfi; nothing can wake the hart');
        continue;
      }
      left--;
      if (r.reason === 'ebreak') return this.stop('ebreak');
      if (r.reason === 'trap') return this.stop('exception');
      if (this.watchHit) return this.stop('watchpoint');
    }
    return this.stop('step');
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
    this.stoppedEmitter.fire(stop);
    return stop;
  }

  /** @internal */
  finishExit(): MachineStop {
    this.stateValue = 'exited';
    const exit = this.exitValue!;
    this.exitedEmitter.fire(exit);
    return this.stop('exited', exit.how);
  }

  /** @internal */
  get clintDevice(): Clint | undefined {
    return this.clint;
  }

  /** @internal */
  get exitPending(): boolean {
    return this.exitValue !== undefined;
  }

  /** True when host input is queued that a sleeping hart could be woken by. */
  get inputPending(): boolean {
    return (this.uart?.pendingInput ?? 0) > 0 || this.uartInput.length > 0;
  }

  // ---- breakpoints and watchpoints ------------------------------------------------------------

  private readonly breakpointSet = new Set<number>();

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
    this.memoryEmitter.fire([{ address: Number(address), length: data.length }]);
    return r;
  }

  disassemble(address: number, count: number): DisassembledInstruction[] {
    return this.cpu.disassemble(address, count, this.symbolLookup);
  }

  // ---- console ---------------------------------------------------------------------------------

  /** Semihosting console input (SYS_READC / SYS_READ on :tt). */
  private readonly uartInput: number[] = [];

  /** Host console input: to the first UART's receive queue, the HTIF console and semihosting. */
  input(bytes: ArrayLike<number>): void {
    if (this.uart) this.uart.input(bytes);
    for (const d of this.devices.values()) if (d instanceof Htif) d.pushInput(bytes);
    for (let i = 0; i < bytes.length; i++) this.uartInput.push(bytes[i]! & 0xff);
  }

  dispose(): void {
    this.cacheLink.dispose();
    this.port.watchHook = null;
    for (const e of [
      this.stoppedEmitter,
      this.outputEmitter,
      this.exitedEmitter,
      this.topologyEmitter,
      this.memoryEmitter,
    ]) {
      e.dispose();
    }
  }

  // ---- device callbacks --------------------------------------------------------------------------

  private emitOutput(stream: OutputStream, text: string): void {
    this.outputEmitter.fire({ stream, text });
  }

  private exit(code: number, how: string): void {
    if (this.exitValue) return;
    this.exitValue = { code, how };
    this.cpu.requestStop();
  }

  private ebreak(hart: RiscvHart, pc: number, length: 2 | 4): EbreakAction {
    if (length === 4 && isSemihostingCall(this.port, pc)) {
      const result = this.semihosting.call(
        this.port,
        hart.readRegister(10)!,
        hart.readRegister(11)!,
      );
      hart.writeRegister(10, result);
      return EbreakAction.Resume;
    }
    return this.ebreakStops ? EbreakAction.Stop : EbreakAction.Trap;
  }
}
