/**
 * The machine's core, under its public API (machine.ts): the parts assembled from the board
 * (machineAssembly.ts), the run state, and the @internal hooks the run and step loops
 * (runLoop.ts, stepLoop.ts) drive — a batch of instructions, a stop with its reason, an exit,
 * the reset itself — plus what devices and the hart call back into (output, exit, ebreak).
 */
import type { BoardHost, BuiltBoard } from '../../board';
import type { AddressSpace, MemorySystem, WatchHit } from '../../engine';
import { restoreRegions, snapshotRegions, type RegionState } from './boardState';
import { Clint, type MachineDevice, type MmioAccess, type OutputStream } from '../devices';
import { linkDecodeCache, type EngineBus, type EngineBusLink } from '../bus';
import { HostIo } from './hostIo';
import { assembleMachine } from './machineAssembly';
import { MachineEvents } from './machineEvents';
import { MachineProgram } from './machineProgram';
import type { MachineExit, MachineOptions, MachineState, MachineStop } from './machineTypes';
import { EbreakAction, type RiscvHart } from '../riscv';

export abstract class MachineCore {
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

  protected readonly events = new MachineEvents();
  protected readonly port: EngineBus;
  protected readonly cacheLink: EngineBusLink;
  protected readonly hostIo: HostIo;
  protected readonly clint: Clint | undefined;
  protected readonly loaded: MachineProgram;
  protected stateValue: MachineState = 'stopped';
  protected tracer: ((access: MmioAccess) => void) | undefined;
  private readonly initialRegions: readonly RegionState[];
  private exitValue: MachineExit | undefined;
  private inBatch = false;

  /** Builds the parts; throws MachineError (with the compile result) on errors. */
  protected constructor(
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
    this.loaded = new MachineProgram(board, this.space, this.devices, this.cpu, this.warnings);
    this.initialRegions = snapshotRegions(board);
    this.events.watchTopology(this.system, this.space);
    this.loaded.restore();
  }

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

  /** @internal The reset itself (the run loop's, for the finisher's reset code). */
  resetState(): void {
    restoreRegions(this.system, this.initialRegions);
    // the hart first: the CLINT's reset zeroes mtime against the (reset) instruction count
    this.cpu.reset();
    for (const d of this.devices.values()) d.reset();
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
