/**
 * What the board builder (builder.ts) takes and produces: the built board with its regions,
 * spaces, devices, CPUs and register banks; the descriptions the machine layer instantiates
 * devices and CPUs from (this layer cannot import it); the device factory it plugs in; and the
 * MMIO placeholder that stands in for a device or register window nobody models.
 */
import type {
  AddressSpace,
  MemoryRegion,
  MemoryRegionOps,
  MemorySystem,
  QomObject,
  RegisterBank,
} from '../../engine';
import type { ActionEffect } from './actions';
import type { BuiltIoeventfd } from './buildEngineFeatures';
import type { DeviceModel, ParamValue, RegisterInfo } from '../check';

/** What the machine layer needs to instantiate one device. */
export interface DeviceDescription {
  readonly id: string;
  readonly model: DeviceModel;
  /** Parameters as written (evaluated). */
  readonly params: ReadonlyMap<string, ParamValue>;
  /** Integer parameters with defaults filled in. */
  readonly intParams: ReadonlyMap<string, bigint>;
  /** Interrupt outputs: parameter name → controller id and line. */
  readonly irqs: readonly { param: string; controller: string; line: number }[];
  /** Address inside the parent region (undefined for symbol-placed devices without `@`). */
  readonly address: bigint | undefined;
  readonly parentId: string | undefined;
  readonly priority: number;
  readonly enabled: boolean;
  /** Registers declared inline (regbank, memctl). */
  readonly registers: readonly RegisterInfo[];
  /** Size of the window for declaration-sized models (regbank, memctl). */
  readonly size: bigint;
  readonly owner: QomObject | null;
  /** QEMU-style name of the first (or only) window. */
  readonly name: string;
}

/** The regions a device maps, each at `offset` from the device's address. */
export interface DeviceRegions {
  readonly regions: readonly { region: MemoryRegion; offset: bigint }[];
  /** Device state the machine keeps (its model object). */
  readonly instance?: unknown;
}

export type DeviceFactory = (
  device: DeviceDescription,
  system: MemorySystem,
  board: BuildContext,
) => DeviceRegions | undefined;

/** Lets a device factory reach the built map (for actions and register banks). */
export interface BuildContext {
  region(id: string): MemoryRegion | undefined;
  /** Runs a register's on-write actions (memory controllers). */
  runWriteActions(regionId: string, register: string, value: bigint, old: bigint): ActionEffect[];
  /** Runs a register's on-read actions with the value the guest reads. */
  runReadActions(regionId: string, register: string, value: bigint): ActionEffect[];
}

export interface BuiltDevice {
  readonly description: DeviceDescription;
  readonly regions: readonly MemoryRegion[];
  readonly instance: unknown;
  /** The register bank the builder made (regbank/memctl default models). */
  readonly bank: RegisterBank | undefined;
}

export interface CpuDescription {
  readonly id: string;
  readonly model: string;
  /** The address space the CPU uses. */
  readonly space: AddressSpace | undefined;
  readonly reset: bigint;
  readonly hartId: bigint;
  /** Program to load, as written (relative to the board file). */
  readonly boot: string | undefined;
}

export interface BuiltBoard {
  readonly system: MemorySystem;
  readonly name: string | undefined;
  /** Region by board id (a multi-window device maps to its first window). */
  readonly regions: ReadonlyMap<string, MemoryRegion>;
  /** Board id of each region the builder created. */
  readonly ids: ReadonlyMap<MemoryRegion, string>;
  /** Address spaces in declaration order. */
  readonly spaces: readonly AddressSpace[];
  readonly devices: readonly BuiltDevice[];
  readonly cpus: readonly CpuDescription[];
  /** Register banks by region id (mmio regions with registers, regbank and memctl devices). */
  readonly banks: ReadonlyMap<string, RegisterBank>;
  /** ioeventfds in declaration order, each with its notifier. */
  readonly ioeventfds: readonly BuiltIoeventfd[];
  /** Every action a register write ran, oldest first (bounded to the last 1000). */
  readonly actionLog: ActionEffect[];
  readonly context: BuildContext;
}

export interface BuildOptions {
  readonly system?: MemorySystem;
  /** The machine's device models. Without it (or when it returns undefined), a device is an io region of its catalog size that reads 0 and ignores writes — enough for `info mtree`. */
  readonly createDevice?: DeviceFactory;
  /** Allocate RAM pages lazily (editor analyses never touch the contents). */
  readonly sparseRam?: boolean;
  /**
   * Only the layout (regions, flat views), for editor analyses: no register banks (register
   * windows get placeholder ops) and no device factory. Not for running a machine.
   */
  readonly layoutOnly?: boolean;
}

/** MMIO placeholder: every access succeeds, reads 0, writes are dropped. */
export const placeholderOps: MemoryRegionOps = Object.freeze({
  read: () => 0,
  write: () => undefined,
  peek: () => 0,
  endianness: 'little' as const,
});

export class BuildError extends Error {}
