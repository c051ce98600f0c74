/**
 * Generic register bank (`device x : regbank { reg … }`): the registers declared in the board
 * file, with their access rules, fields and reset values, on the engine's RegisterBank. Every
 * guest access is traced like any device's; peeks use the bank's side-effect-free path. The
 * memory controller (memctl.ts) is the same bank with on-write actions.
 */
import {
  createIo,
  RegisterBank,
  type MemoryRegion,
  type MemoryRegionOps,
  type MemorySystem,
} from '../../engine';
import { boardRegisterSpec, type BuildContext, type DeviceDescription } from '../../board';
import type { DeviceEnv, MachineDevice } from './types';

export class RegisterBankDevice implements MachineDevice {
  readonly model: string;
  readonly id: string;
  readonly bank: RegisterBank;
  readonly regions: readonly { region: MemoryRegion; offset: bigint }[];

  constructor(
    system: MemorySystem,
    private readonly env: DeviceEnv,
    description: DeviceDescription,
    context: BuildContext,
  ) {
    this.model = description.model.name;
    this.id = description.id;
    const specs = description.registers.map((r) => boardRegisterSpec(description.id, r, context));
    this.bank = new RegisterBank(description.name, specs);
    const ops = this.traced(this.bank.ops);
    this.regions = [
      {
        region: createIo(system, description.name, description.size, ops, {
          owner: description.owner,
        }),
        offset: 0n,
      },
    ];
  }

  reset(): void {
    this.bank.reset();
  }

  registerName(_region: MemoryRegion, offset: number): string | undefined {
    return this.bank.registerAt(offset)?.name;
  }

  private traced(ops: MemoryRegionOps): MemoryRegionOps {
    const read = ops.readWithAttrs!;
    const write = ops.writeWithAttrs!;
    const trace = (
      region: MemoryRegion,
      offset: number,
      size: number,
      isWrite: boolean,
      value: number,
    ): void => {
      const tracer = this.env.tracer();
      if (!tracer) return;
      tracer({
        pc: this.env.pc(),
        device: this.id,
        region: region.name,
        offset,
        size,
        isWrite,
        value: value >>> 0,
        register: this.bank.registerAt(offset)?.name,
      });
    };
    return {
      ...ops,
      readWithAttrs: (region, offset, size, attrs, out) => {
        const r = read(region, offset, size, attrs, out);
        trace(region, offset, size, false, out.value);
        return r;
      },
      writeWithAttrs: (region, offset, value, size, attrs) => {
        trace(region, offset, size, true, value);
        return write(region, offset, value, size, attrs);
      },
    };
  }
}
