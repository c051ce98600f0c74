/**
 * Builder: a checked board model → engine objects. Creates one MemoryRegion per declaration
 * (devices: one per catalog window, named as QEMU names them), adds children in declaration
 * order (so QEMU's equal-priority tie-break follows the file), creates the address spaces in
 * declaration order, and describes devices and CPUs for the machine layer, which this layer
 * cannot import. Register banks (mmio regions with registers, regbank and memctl devices) are
 * built with the engine's RegisterBank, their on-write actions wired to the map
 * (registerBanks.ts); devices in buildDevice.ts; the types it takes and returns in builtBoard.ts.
 */
import {
  createAlias,
  createContainer,
  createIo,
  createRam,
  createRamDevice,
  createResizeableRam,
  createReservation,
  createRom,
  createRomDevice,
  MemorySystem,
  type AddressSpace,
  type MemoryRegion,
  type RegisterBank,
} from '../../engine';
import { registerEngineFeatures } from './buildEngineFeatures';
import { buildDevice } from './buildDevice';
import {
  BuildError,
  placeholderOps,
  type BuildOptions,
  type BuiltBoard,
  type BuiltDevice,
  type CpuDescription,
} from './builtBoard';
import type { BoardModel, CpuInfo, RegionInfo, SpaceInfo } from '../check';
import { createBuildContext, registerBankFor } from './registerBanks';

export {
  BuildError,
  placeholderOps,
  type BuildContext,
  type BuildOptions,
  type BuiltBoard,
  type BuiltDevice,
  type CpuDescription,
  type DeviceDescription,
  type DeviceFactory,
  type DeviceRegions,
} from './builtBoard';
export { boardRegisterSpec } from './registerBanks';

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
  const { context, actionLog } = createBuildContext(model, regions);

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
    const bank = registerBankFor(r, context);
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
    // 2. map children in declaration order: one engine call per container (same order and
    // tie-breaks as one call per child, without moving the whole child list for each)
    const children = new Map<
      MemoryRegion,
      { entries: { offset: bigint; sub: MemoryRegion; priority: number }[]; of: RegionInfo[] }
    >();
    for (const r of model.regionList) {
      if (
        !r.parent ||
        (r.kind === 'device' && r.decl.address === undefined && r.device?.model?.symbolPlaced)
      )
        continue;
      const parent = regions.get(r.parent.id);
      if (!parent) continue;
      let batch = children.get(parent);
      if (!batch) children.set(parent, (batch = { entries: [], of: [] }));
      for (const { region, offset } of placed.get(r) ?? []) {
        batch.entries.push({ offset: r.address + offset, sub: region, priority: r.priority });
        batch.of.push(r);
      }
    }
    for (const [parent, { entries, of }] of children) {
      try {
        parent.addSubregionsOverlap(entries);
      } catch (e) {
        // name the declaration: the first one the engine did not take
        const at = of[entries.findIndex((x) => x.sub.container !== parent)] ?? of[0]!;
        throw new BuildError(`${at.id}: ${(e as Error).message}`);
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
