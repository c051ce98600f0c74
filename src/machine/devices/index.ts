/**
 * The machine's device models, one per catalog entry (src/board/deviceCatalog.ts): a board
 * builder DeviceFactory that instantiates them with a DeviceEnv, plus the model classes.
 */
import type { BuildContext, DeviceDescription, DeviceFactory, ParamValue } from '../../board';
import type { MemorySystem } from '../../engine';
import { AclintMtimer } from './aclintMtimer';
import { AclintSwi } from './aclintSwi';
import { Clint, type ClintOptions } from './clint';
import { FwCfg } from './fwCfg';
import { GoldfishRtc } from './goldfishRtc';
import { Htif } from './htif';
import { MemoryController } from './memctl';
import { Ns16550a } from './ns16550a';
import { PcieEcam } from './pcieEcam';
import { Plic } from './plic';
import { RegisterBankDevice } from './regbank';
import { SifiveTest } from './sifiveTest';
import type { DeviceEnv, MachineDevice } from './types';
import { UnassignedIo } from './unassignedIo';
import { VirtioMmio } from './virtioMmio';

export { AclintMtimer, type AclintMtimerOptions } from './aclintMtimer';
export { AclintSwi, type AclintSwiOptions } from './aclintSwi';
export { Clint, type ClintOptions, IRQ_MSI, IRQ_MTI } from './clint';
export { FwCfg, type FwCfgFile, type FwCfgOptions, VIRT_FW_CFG_FILES } from './fwCfg';
export { GoldfishRtc, type GoldfishRtcOptions } from './goldfishRtc';
export { Htif } from './htif';
export { PcieEcam } from './pcieEcam';
export { UnassignedIo } from './unassignedIo';
export { VirtioMmio, VIRTIO_MMIO_MAGIC, VIRTIO_MMIO_VENDOR } from './virtioMmio';
export { MemoryController } from './memctl';
export { Ns16550a, type Ns16550aOptions } from './ns16550a';
export { Plic, type PlicOptions, IRQ_MEI } from './plic';
export { RegisterBankDevice } from './regbank';
export { Semihosting, type SemihostingHost, SEMIHOSTING_FEATURES } from './semihosting';
export { SifiveTest, FINISHER_FAIL, FINISHER_PASS, FINISHER_RESET } from './sifiveTest';
export { windowOps, type WindowHandlers, type WindowAccess } from './mmio';
export * from './types';

export interface DeviceFactoryOptions {
  /** Instructions per mtime tick (deterministic time base); default 10. */
  readonly instructionsPerTick?: number;
  /** Host clock in mtime ticks, replacing the deterministic time base. */
  readonly clock?: () => number;
}

/**
 * A DeviceFactory for the board builder that creates every catalog model and records the
 * instances in `into` (by device id, in declaration order).
 */
export function createDeviceFactory(
  env: DeviceEnv,
  into: Map<string, MachineDevice>,
  options: DeviceFactoryOptions = {},
): DeviceFactory {
  return (description: DeviceDescription, system: MemorySystem, context: BuildContext) => {
    const device = createDevice(description, system, context, env, options);
    into.set(description.id, device);
    return { regions: device.regions, instance: device };
  };
}

function intParam(d: DeviceDescription, name: string, fallback: number): number {
  const v = d.intParams.get(name);
  return v === undefined ? fallback : Number(v);
}

function irqOutput(d: DeviceDescription, env: DeviceEnv, param = 'irq'): (level: boolean) => void {
  const wires = d.irqs.filter((w) => w.param === param);
  return (level) => {
    for (const w of wires) env.setControllerIrq(w.controller, w.line, level);
  };
}

function timerOptions(d: DeviceDescription, options: DeviceFactoryOptions): ClintOptions {
  return {
    id: d.id,
    harts: intParam(d, 'harts', 1),
    timebase: intParam(d, 'timebase', 10_000_000),
    owner: d.owner,
    ...(options.instructionsPerTick ? { instructionsPerTick: options.instructionsPerTick } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  };
}

function createDevice(
  d: DeviceDescription,
  system: MemorySystem,
  context: BuildContext,
  env: DeviceEnv,
  options: DeviceFactoryOptions,
): MachineDevice {
  switch (d.model.name) {
    case 'ns16550a':
      return new Ns16550a(system, env, {
        id: d.id,
        name: d.name,
        regShift: intParam(d, 'reg-shift', 0),
        ioWidth: intParam(d, 'reg-io-width', 1),
        setIrq: irqOutput(d, env),
        owner: d.owner,
      });
    case 'clint':
      return new Clint(system, env, timerOptions(d, options));
    case 'aclint-mtimer':
      return new AclintMtimer(system, env, { ...timerOptions(d, options), name: d.name });
    case 'aclint-swi':
      return new AclintSwi(system, env, {
        id: d.id,
        name: d.name,
        harts: intParam(d, 'harts', 1),
        owner: d.owner,
      });
    case 'plic':
      return new Plic(system, env, {
        id: d.id,
        name: d.name,
        sources: intParam(d, 'sources', 53),
        contexts: intParam(d, 'contexts', 1),
        size: Number(d.model.windows[0]!.size(d.intParams)),
        owner: d.owner,
      });
    case 'sifive_test':
      return new SifiveTest(system, env, d.id, d.name, d.owner);
    case 'htif':
      return new Htif(system, env, d.id, d.name, d.owner);
    case 'virtio-mmio':
      return new VirtioMmio(system, env, d.id, d.name, d.owner);
    case 'fw_cfg':
      return new FwCfg(system, env, { id: d.id, cpus: intParam(d, 'cpus', 1), owner: d.owner });
    case 'goldfish_rtc':
      return new GoldfishRtc(system, env, {
        id: d.id,
        epoch: d.intParams.get('epoch') ?? 946_684_800n,
        setIrq: irqOutput(d, env),
        owner: d.owner,
      });
    case 'pcie-ecam':
      return new PcieEcam(system, env, d.id, d.name, d.size, d.owner);
    case 'unassigned-io':
      return new UnassignedIo(system, env, d.id, d.name, d.size, d.owner);
    case 'regbank':
      return new RegisterBankDevice(system, env, d, context);
    case 'memctl':
      return new MemoryController(system, env, d, context);
    default:
      throw new Error(`device '${d.id}': the machine has no model '${d.model.name}'`);
  }
}

/** The symbol or address a symbol-placed parameter (HTIF `tohost`) names. */
export function addressParam(
  value: ParamValue | undefined,
  fallbackSymbol: string,
): { symbol: string } | { address: bigint } {
  if (!value) return { symbol: fallbackSymbol };
  if (value.type === 'string') return { symbol: value.value };
  if (value.type === 'int') return { address: value.value };
  return { symbol: fallbackSymbol };
}
export type { OutputStream } from './types';
