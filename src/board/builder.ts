/**
 * Builder: a checked board model → engine objects. Creates one MemoryRegion per declaration
 * (devices: one per catalog window, named as QEMU names them), adds children in declaration
 * order (so QEMU's equal-priority tie-break follows the file), creates the address spaces in
 * declaration order, and describes devices and CPUs for the machine layer, which this layer
 * cannot import. Register banks (mmio regions with registers, regbank and memctl devices) are
 * built here with the engine's RegisterBank, their on-write actions wired to the map.
 */
import {
  AddressSpace,
  createAlias,
  createContainer,
  createIo,
  createRam,
  createRamDevice,
  createResizeableRam,
  createReservation,
  createRom,
  createRomDevice,
  MemoryRegion,
  MemorySystem,
  type MemoryRegionOps,
  type QomObject,
} from '../engine';
import { RegisterBank, type RegisterSpec } from '../engine';
import { runActions, type ActionContext, type ActionEffect } from './actions';
import { registerEngineFeatures, type BuiltIoeventfd } from './buildEngineFeatures';
import type { DeviceModel } from './deviceCatalog';
import type { BoardModel, CpuInfo, ParamValue, RegionInfo, RegisterInfo, SpaceInfo } from './model';

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

/**
 * Builds the engine objects of @model. Throws BuildError when the model has errors (check
 * first) or the engine rejects something, with the region named.
 */
export function buildBoard(model: BoardModel, options: BuildOptions = {}): BuiltBoard {
  const errors = model.diagnostics.filter((d) => d.severity === 1);
  if (errors.length > 0) {
    throw new BuildError(`the board has ${errors.length} error(s); first: ${errors[0]!.message}`);
  }
  const system = options.system ?? new MemorySystem();
  const regions = new Map<string, MemoryRegion>();
  const ids = new Map<MemoryRegion, string>();
  const banks = new Map<string, RegisterBank>();
  const devices: BuiltDevice[] = [];
  const placed = new Map<RegionInfo, { region: MemoryRegion; offset: bigint }[]>();
  const actionLog: ActionEffect[] = [];
  const actionCtx: ActionContext = { region: (id) => regions.get(id), constants: model.constants };
  const run = (
    regionId: string,
    register: string,
    hook: 'onWrite' | 'onRead',
    value: bigint,
    old: bigint,
  ): ActionEffect[] => {
    const reg = model.regions.get(regionId)?.registers.find((r) => r.name === register);
    const block = reg?.[hook];
    if (!reg || !block) return [];
    const effects = runActions(block, reg, actionCtx, { value, old });
    actionLog.push(...effects);
    if (actionLog.length > 1000) actionLog.splice(0, actionLog.length - 1000);
    return effects;
  };
  const context: BuildContext = {
    region: (id) => regions.get(id),
    runWriteActions(regionId, register, value, old) {
      return run(regionId, register, 'onWrite', value, old);
    },
    runReadActions(regionId, register, value) {
      return run(regionId, register, 'onRead', value, value);
    },
  };

  const wrap = <T>(r: RegionInfo, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      throw new BuildError(`${r.id}: ${(e as Error).message}`);
    }
  };

  const remember = (r: RegionInfo, mr: MemoryRegion, offset = 0n): void => {
    if (!regions.has(r.id)) regions.set(r.id, mr);
    ids.set(mr, r.id);
    let list = placed.get(r);
    if (!list) placed.set(r, (list = []));
    list.push({ region: mr, offset });
  };

  const bankFor = (r: RegionInfo): RegisterBank => {
    const specs: RegisterSpec[] = r.registers.map((reg) => boardRegisterSpec(r.id, reg, context));
    const bank = new RegisterBank(r.qemuName, specs);
    banks.set(r.id, bank);
    return bank;
  };

  system.begin();
  try {
    // 1. every non-alias region, then aliases once their targets exist
    for (const r of model.regionList) {
      if (r.kind === 'alias') continue;
      const opts = { owner: r.owner ?? null, ...(options.sparseRam ? { sparse: true } : {}) };
      const size = r.size ?? 0n;
      const name = r.qemuName;
      let mr: MemoryRegion | undefined;
      switch (r.kind) {
        case 'container':
          mr = wrap(r, () => createContainer(system, name, size, opts));
          break;
        case 'ram': {
          const max = r.maxSize;
          mr = wrap(r, () =>
            max !== undefined
              ? createResizeableRam(system, name, size, max, opts)
              : createRam(system, name, size, opts),
          );
          break;
        }
        case 'rom':
          mr = wrap(r, () => createRom(system, name, size, opts));
          break;
        case 'romd':
          mr = wrap(r, () => createRomDevice(system, name, size, placeholderOps, opts));
          break;
        case 'ramd':
          mr = wrap(r, () => createRamDevice(system, name, size, undefined, opts));
          break;
        case 'reservation':
          mr = wrap(r, () => createReservation(system, name, size, opts));
          break;
        case 'mmio': {
          const ops =
            r.registers.length > 0 && !options.layoutOnly ? bankFor(r).ops : placeholderOps;
          mr = wrap(r, () => createIo(system, name, size, ops, opts));
          break;
        }
        case 'device': {
          const { device, placements } = buildDevice(
            r,
            system,
            options.layoutOnly ? undefined : options.createDevice,
            context,
            options.layoutOnly ? undefined : bankFor,
          );
          devices.push(device);
          for (const p of placements) {
            applyFlags(r, p.region);
            remember(r, p.region, p.offset);
          }
          continue;
        }
      }
      if (mr) {
        applyFlags(r, mr);
        remember(r, mr);
      }
    }
    // aliases after their targets (a target may itself be an alias); the checker rejected cycles
    const building = new Set<RegionInfo>();
    const buildAlias = (r: RegionInfo): MemoryRegion => {
      const done = regions.get(r.id);
      if (done && ids.get(done) === r.id) return done;
      if (!r.target || building.has(r))
        throw new BuildError(`alias '${r.id}' has no buildable target`);
      building.add(r);
      const target = r.target.kind === 'alias' ? buildAlias(r.target) : regions.get(r.target.id);
      if (!target) throw new BuildError(`alias '${r.id}': target '${r.target.id}' was not built`);
      const mr = wrap(r, () =>
        createAlias(system, r.qemuName, target, r.targetOffset, r.size ?? 0n, {
          owner: r.owner ?? null,
        }),
      );
      applyFlags(r, mr);
      remember(r, mr);
      return mr;
    };
    for (const r of model.regionList) if (r.kind === 'alias') buildAlias(r);
    // 2. map children in declaration order
    for (const r of model.regionList) {
      if (
        !r.parent ||
        (r.kind === 'device' && r.decl.address === undefined && r.device?.model?.symbolPlaced)
      )
        continue;
      const parent = regions.get(r.parent.id);
      if (!parent) continue;
      for (const { region, offset } of placed.get(r) ?? []) {
        wrap(r, () => parent.addSubregionOverlap(r.address + offset, region, r.priority));
      }
    }
    // coalesced ranges and ioeventfds on the built regions (a device's: in its windows)
    const ioeventfds = registerEngineFeatures(model, placed, wrap);
    // 3. address spaces in declaration order (creation order matters to `info mtree -f`)
    const spaces: AddressSpace[] = [];
    for (const s of model.spaces) {
      const root = s.root ? regions.get(s.root.id) : undefined;
      spaces.push(system.createAddressSpace(root ?? null, s.decl.label?.text ?? s.name));
    }
    const cpus = model.cpus.map((c) => cpuDescription(c, model.spaces, spaces));
    return {
      system,
      name: model.boardName,
      regions,
      ids,
      spaces,
      devices,
      cpus,
      banks,
      ioeventfds,
      actionLog,
      context,
    };
  } finally {
    system.commit();
  }
}

function applyFlags(r: RegionInfo, mr: MemoryRegion): void {
  if (r.qomParent) mr.qomParent = r.qomParent;
  if (r.priority !== 0) mr.priority = r.priority;
  if (!r.enabled) mr.setEnabled(false);
  if (r.readonly && r.kind !== 'rom') mr.setReadonly(true);
  if (r.nonvolatile) mr.setNonvolatile(true);
  if (!r.romdMode) mr.setRomdMode(false);
}

/**
 * A board register declaration as an engine RegisterSpec; its on-write/on-read actions run through
 * `ctx` as owned by `ownerId` (the region or device id). Shared with the machine's regbank model.
 */
export function boardRegisterSpec(
  ownerId: string,
  reg: RegisterInfo,
  ctx: BuildContext,
): RegisterSpec {
  return {
    name: reg.name,
    offset: Number(reg.offset),
    width: reg.width as 1 | 2 | 4,
    access: reg.access,
    reset: Number(reg.reset),
    fields: reg.fields.map((f) => ({
      name: f.name,
      lsb: f.lsb,
      width: f.msb - f.lsb + 1,
      access: f.access,
      ...(f.reset !== undefined ? { reset: Number(f.reset) } : {}),
    })),
    ...(reg.onWrite
      ? {
          onWrite: (_bank, value, oldValue) => {
            ctx.runWriteActions(ownerId, reg.name, BigInt(value >>> 0), BigInt(oldValue >>> 0));
          },
        }
      : {}),
    ...(reg.onRead
      ? {
          // the guest reads the stored value; the actions run as its side effect (peeks do not)
          onRead: (bank) => {
            const v = bank.get(reg.name) >>> 0;
            ctx.runReadActions(ownerId, reg.name, BigInt(v));
            return v;
          },
          onPeek: (bank) => bank.get(reg.name) >>> 0,
        }
      : {}),
  };
}

function buildDevice(
  r: RegionInfo,
  system: MemorySystem,
  factory: DeviceFactory | undefined,
  context: BuildContext,
  bankFor: ((r: RegionInfo) => RegisterBank) | undefined,
): { device: BuiltDevice; placements: readonly { region: MemoryRegion; offset: bigint }[] } {
  const dev = r.device!;
  const model = dev.model!;
  const irqs: { param: string; controller: string; line: number }[] = [];
  for (const [param, v] of dev.params) {
    const add = (x: ParamValue): void => {
      if (x.type === 'irq') irqs.push({ param, controller: x.controller, line: Number(x.line) });
      else if (x.type === 'list') x.items.forEach(add);
    };
    add(v);
  }
  const description: DeviceDescription = {
    id: r.id,
    model,
    params: dev.params,
    intParams: dev.intParams,
    irqs,
    address: r.decl.address ? r.address : model.symbolPlaced ? undefined : r.address,
    parentId: r.parent?.id,
    priority: r.priority,
    enabled: r.enabled,
    registers: r.registers,
    size: r.size ?? 0n,
    owner: r.owner ?? null,
    name: r.qemuName,
  };
  const made = factory?.(description, system, context);
  if (made) {
    const device = {
      description,
      regions: made.regions.map((x) => x.region),
      instance: made.instance,
      bank: undefined,
    };
    return { device, placements: made.regions };
  }
  const owner = { owner: r.owner ?? null };
  if (model.windows.length === 0) {
    const bank = bankFor?.(r);
    const region = createIo(
      system,
      r.qemuName,
      description.size,
      bank?.ops ?? placeholderOps,
      owner,
    );
    return {
      device: { description, regions: [region], instance: undefined, bank },
      placements: [{ region, offset: 0n }],
    };
  }
  const single = model.windows.length === 1;
  const placements = model.windows.map((w) => ({
    region: createIo(
      system,
      single ? r.qemuName : w.name,
      w.size(dev.intParams),
      placeholderOps,
      owner,
    ),
    offset: w.offset,
  }));
  const device = {
    description,
    regions: placements.map((p) => p.region),
    instance: undefined,
    bank: undefined,
  };
  return { device, placements };
}

function cpuDescription(
  c: CpuInfo,
  declared: readonly SpaceInfo[],
  spaces: readonly AddressSpace[],
): CpuDescription {
  return {
    id: c.name,
    model: c.model?.name ?? c.decl.model?.text ?? '',
    space: c.space ? spaces[declared.indexOf(c.space)] : undefined,
    reset: c.reset,
    hartId: c.hartId,
    boot: c.boot,
  };
}
