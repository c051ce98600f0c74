/**
 * A device declaration's engine side: its description for the machine layer (parameters, irq
 * wiring, placement), and its regions — the device factory's when it models the device, else a
 * register bank (regbank, memctl: declared registers, declaration-sized) or one placeholder
 * window per catalog window, named as QEMU names them.
 */
import { createIo, type MemoryRegion, type MemorySystem, type RegisterBank } from '../../engine';
import {
  placeholderOps,
  type BuildContext,
  type BuiltDevice,
  type DeviceDescription,
  type DeviceFactory,
} from './builtBoard';
import type { ParamValue, RegionInfo } from '../check';

/**
 * Builds device region @r with @factory (undefined: layout only) or, where it makes none, the
 * default windows; @bankFor (undefined: layout only) makes the bank of a declaration-sized one.
 * Returns the device and its regions at their offsets from the device's address.
 */
export function buildDevice(
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
