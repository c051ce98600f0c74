/**
 * Assembles a machine's parts from board text: the device models (wired to the machine through
 * a DeviceEnv), the compiled board, its one RV32IMAC hart on the board's address space, and the
 * memory port the hart runs on. The machine keeps the parts; this file only puts them together.
 */
import { compileBoard, type BoardHost, type BuiltBoard, type CompiledBoard } from '../../board';
import { MEMTX_OK, readWithAttrs, writeWithAttrs, type AddressSpace } from '../../engine';
import {
  createDeviceFactory,
  isInterruptController,
  type DeviceEnv,
  type MachineDevice,
} from '../devices';
import { createEngineBus, type EngineBus } from '../bus';
import { MachineError, type MachineOptions } from './machineTypes';
import { RiscvHart, type RiscvHartOptions } from '../riscv';

/** What the parts call back into their machine for. */
export interface MachineWiring extends Pick<
  DeviceEnv,
  'output' | 'exit' | 'instructionCount' | 'virtualTime' | 'symbol' | 'tracer'
> {
  /** True while the hart executes a batch (a device's endBatch stops the hart only then). */
  inBatch(): boolean;
  /** Records a device's reset request; the hart is then asked to stop. */
  requestReset(): void;
  /** The hart's time CSR. */
  readTime(): number;
  onEbreak: NonNullable<RiscvHartOptions['onEbreak']>;
}

export interface MachineParts {
  readonly board: BuiltBoard;
  /** The hart's address space. */
  readonly space: AddressSpace;
  /** Device models by board id, in declaration order. */
  readonly devices: ReadonlyMap<string, MachineDevice>;
  readonly hart: RiscvHart;
  /** The hart's memory port (its CpuBus). */
  readonly port: EngineBus;
}

/** Builds the parts of a machine; throws MachineError (with the compile result) on errors. */
export function assembleMachine(
  uri: string,
  text: string,
  options: MachineOptions & { boardHost?: BoardHost },
  wiring: MachineWiring,
): MachineParts {
  const devices = new Map<string, MachineDevice>();
  // devices are built before the hart; interrupt levels they set meanwhile are applied to it
  const ref: { hart?: RiscvHart; space?: AddressSpace } = {};
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
    output: wiring.output,
    exit: wiring.exit,
    endBatch: () => {
      if (wiring.inBatch()) ref.hart?.requestStop();
    },
    requestReset: () => {
      wiring.requestReset();
      ref.hart?.requestStop();
    },
    instructionCount: wiring.instructionCount,
    virtualTime: wiring.virtualTime,
    pc: () => (ref.hart ? ref.hart.pc : 0),
    dmaRead: (address, into) =>
      ref.space !== undefined && readWithAttrs(ref.space, address >>> 0, into) === MEMTX_OK,
    dmaWrite: (address, bytes) =>
      ref.space !== undefined && writeWithAttrs(ref.space, address >>> 0, bytes) === MEMTX_OK,
    symbol: wiring.symbol,
    tracer: wiring.tracer,
  };
  const factory = createDeviceFactory(env, devices, {
    ...(options.instructionsPerTick ? { instructionsPerTick: options.instructionsPerTick } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const compiled: CompiledBoard = compileBoard(uri, text, options.boardHost, {
    createDevice: factory,
  });
  if (!compiled.built) {
    throw new MachineError(`${uri}: ${compiled.error ?? 'the board could not be built'}`, compiled);
  }
  const board = compiled.built;
  const cpuDesc = board.cpus[0];
  if (!cpuDesc) throw new MachineError(`${uri}: the board declares no cpu`, compiled);
  if (cpuDesc.model !== 'rv32imac') {
    throw new MachineError(`${uri}: cpu '${cpuDesc.id}': no model '${cpuDesc.model}'`, compiled);
  }
  const space = cpuDesc.space ?? board.spaces[0];
  if (!space) throw new MachineError(`${uri}: the board declares no address space`, compiled);
  ref.space = space;
  const port = createEngineBus(space);
  const hart = new RiscvHart(port, {
    resetVector: Number(cpuDesc.reset & 0xffff_ffffn),
    hartId: Number(cpuDesc.hartId),
    readTime: wiring.readTime,
    onEbreak: wiring.onEbreak,
    ...(options.jit !== undefined ? { jit: options.jit } : {}),
  });
  ref.hart = hart;
  for (const [irq, level] of pendingIrqs) hart.setInterruptLine(irq, level);
  return { board, space, devices, hart, port };
}
