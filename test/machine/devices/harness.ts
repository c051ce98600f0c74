// A device under test on its own memory system: a fake DeviceEnv that records interrupt lines,
// output and exits, and guest-style loads/stores through an address space.
import {
  AccessValue,
  addressSpaceLoad,
  addressSpaceStore,
  createContainer,
  debugRead,
  MemorySystem,
  type AddressSpace,
} from '../../../src/engine';
import type { DeviceEnv, MachineDevice, MmioAccess } from '../../../src/machine/devices';

export class FakeEnv implements DeviceEnv {
  readonly hartIrqs = new Map<number, boolean>();
  readonly controllerIrqs: { controller: string; line: number; level: boolean }[] = [];
  output_ = '';
  readonly exits: { code: number; how: string }[] = [];
  resets = 0;
  instructions = 0;
  traced: MmioAccess[] | undefined;

  setHartIrq(irq: number, level: boolean): void {
    this.hartIrqs.set(irq, level);
  }
  setControllerIrq(controller: string, line: number, level: boolean): void {
    this.controllerIrqs.push({ controller, line, level });
  }
  output(_stream: string, text: string): void {
    this.output_ += text;
  }
  exit(code: number, how: string): void {
    this.exits.push({ code, how });
  }
  requestReset(): void {
    this.resets++;
  }
  batchEnds = 0;
  endBatch(): void {
    this.batchEnds++;
  }
  instructionCount(): number {
    return this.instructions;
  }
  /** 10 instructions per tick, as the machine's default time base. */
  virtualTime(): number {
    return this.instructions / 10;
  }
  pc(): number {
    return 0x8000_0000;
  }
  symbol(): number | undefined {
    return undefined;
  }
  /** Guest memory for DMA: a RAM image at `dmaBase` (set by a test). */
  dmaBase = 0x8000_0000;
  readonly dmaMemory = new Uint8Array(0x1000);
  dmaRead(address: number, into: Uint8Array): boolean {
    const o = address - this.dmaBase;
    if (o < 0 || o + into.length > this.dmaMemory.length) return false;
    into.set(this.dmaMemory.subarray(o, o + into.length));
    return true;
  }
  dmaWrite(address: number, bytes: Uint8Array): boolean {
    const o = address - this.dmaBase;
    if (o < 0 || o + bytes.length > this.dmaMemory.length) return false;
    this.dmaMemory.set(bytes, o);
    return true;
  }
  readonly tracer = (): ((a: MmioAccess) => void) | undefined =>
    this.traced ? (a) => this.traced!.push(a) : undefined;
}

export class Bench {
  readonly system = new MemorySystem();
  readonly env = new FakeEnv();
  readonly space: AddressSpace;
  private readonly out = new AccessValue();

  constructor(make: (system: MemorySystem, env: FakeEnv) => MachineDevice, base = 0x1000_0000) {
    const root = createContainer(this.system, 'system', 2n ** 32n);
    const device = make(this.system, this.env);
    this.device = device;
    for (const r of device.regions) root.addSubregion(BigInt(base) + r.offset, r.region);
    this.space = this.system.createAddressSpace(root, 'memory');
    this.base = base;
  }

  readonly device: MachineDevice;
  readonly base: number;

  load(offset: number, size: 1 | 2 | 4 = 1): number {
    const r = addressSpaceLoad(this.space, this.base + offset, size, this.out);
    if (r !== 0) throw new Error(`load at +${offset.toString(16)} failed: ${r}`);
    return this.out.value >>> 0;
  }

  store(offset: number, value: number, size: 1 | 2 | 4 = 1): void {
    const r = addressSpaceStore(this.space, this.base + offset, size, value);
    if (r !== 0) throw new Error(`store at +${offset.toString(16)} failed: ${r}`);
  }

  peek(offset: number, size = 1): number {
    const r = debugRead(this.space, this.base + offset, size);
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = v * 256 + r.data[i]!;
    return v;
  }
}
