/**
 * The virt device tree's parameters read from a built board: device addresses, interrupt lines
 * and parameters by model (ns16550a, virtio-mmio, goldfish_rtc, sifive_test, plic, aclint-swi /
 * aclint-mtimer, fw_cfg, pcie-ecam), DRAM from the `riscv_virt_board.ram` region. Undefined when
 * the board lacks what the tree needs (a UART, a PLIC, a CLINT, a finisher, DRAM).
 */
import type { BuiltBoard, DeviceDescription } from '../../board';
import { FIXED_RNG_SEED, type VirtFdtParams } from './virt';

/** The hart Boardmap emulates, as `riscv,isa` names it. */
export const BOARDMAP_ISA = 'rv32imac_zicsr_zifencei';

export function virtFdtParams(board: BuiltBoard): VirtFdtParams | undefined {
  const devices = board.devices.map((d) => d.description);
  const byModel = (name: string) => devices.filter((d) => d.model.name === name);
  const first = (name: string) => byModel(name)[0];
  const at = (d: DeviceDescription) => Number(d.address ?? 0n);
  const irq = (d: DeviceDescription) => d.irqs.find((w) => w.param === 'irq')?.line ?? 0;
  const int = (d: DeviceDescription, name: string, fallback: number) =>
    Number(d.intParams.get(name) ?? BigInt(fallback));
  const ram = [...board.regions.values()].find((r) => r.name === 'riscv_virt_board.ram');
  const uart = first('ns16550a');
  const plic = first('plic');
  const test = first('sifive_test');
  const swi = first('aclint-swi') ?? first('clint');
  const mtimer = first('aclint-mtimer') ?? first('clint');
  if (!ram || !uart || !plic || !test || !swi || !mtimer) return undefined;
  const rtc = first('goldfish_rtc');
  const fwCfg = first('fw_cfg');
  const ecam = first('pcie-ecam');
  // The ECAM window is mapped through the `pcie-ecam` alias (QEMU's layout).
  const ecamAlias = [...board.regions.values()].find((r) => r.name === 'pcie-ecam' && r.alias);
  return {
    ramBase: Number(ram.addr),
    ramSize: Number(ram.size),
    harts: int(swi, 'harts', 1),
    timebase: int(mtimer, 'timebase', 10_000_000),
    isa: BOARDMAP_ISA,
    uart: { base: at(uart), irq: irq(uart), clock: int(uart, 'clock', 3_686_400) },
    ...(rtc ? { rtc: { base: at(rtc), irq: irq(rtc) } } : {}),
    test: { base: at(test) },
    virtio: byModel('virtio-mmio').map((d) => ({ base: at(d), irq: irq(d) })),
    plic: {
      base: at(plic),
      size: int(plic, 'window-size', 0x400_0000),
      sources: int(plic, 'sources', 53),
    },
    clint: { base: at(swi) },
    ...(fwCfg ? { fwCfg: { base: at(fwCfg) } } : {}),
    ...(ecam && ecamAlias
      ? { pcie: { ecam: Number(ecamAlias.addr), ecamSize: Number(ecam.size) } }
      : {}),
    rngSeed: FIXED_RNG_SEED,
  };
}
