/**
 * Hover information for a cell: address, region and kind, what the value is (or why there is
 * none), and for register banks the register's name and its fields decoded. Register metadata is
 * fetched per page on first hover and kept in a small bounded cache.
 */
import {
  type RpcEndpoint,
  type HexHostContract,
  type HexWebviewContract,
  toHex,
  type RegisterInfo,
} from '../../protocol';
import { STATUS_OK, STATUS_UNMAPPED, STATUS_UNPEEKABLE, type PageCache } from './pageCache';
import { regionAt } from './pageDecode';
import { PAGE_SIZE, PAGE_SIZE_N } from './scrollModel';
import { isReadOnly, kindLabel } from './grid';
import { describeRegister, type Tooltip } from './panels';
import { hexByte } from './format';

const HOVER_DELAY_MS = 250;
const REGISTER_PAGES_KEPT = 16;

export interface HoverSource {
  cache: PageCache;
  sideEffectValues: ReadonlyMap<bigint, number>;
}

export class HoverInfo {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private current: bigint | undefined;
  private readonly registers = new Map<bigint, Promise<RegisterInfo[]>>();

  constructor(
    private readonly source: HoverSource,
    private readonly rpc: RpcEndpoint<HexWebviewContract, HexHostContract>,
    private readonly tooltip: Tooltip,
  ) {}

  /** The pointer is over `address` (undefined: over no cell). */
  pointerAt(address: bigint | undefined, x: number, y: number): void {
    if (address === this.current) return;
    this.current = address;
    if (this.timer) clearTimeout(this.timer);
    this.tooltip.hide();
    if (address === undefined) return;
    this.timer = setTimeout(() => void this.show(address, x, y), HOVER_DELAY_MS);
  }

  private async show(address: bigint, x: number, y: number): Promise<void> {
    const lines = await this.describe(address);
    if (this.current === address) this.tooltip.show(lines, x, y);
  }

  async describe(address: bigint): Promise<string[]> {
    const page = this.source.cache.peek(address / PAGE_SIZE_N);
    const title = `0x${address.toString(16)}`;
    if (!page) return [title, 'loading…'];
    const offset = Number(address % PAGE_SIZE_N);
    const region = regionAt(page.regions, address);
    const lines = [
      region
        ? `${title} — ${region.name} (${kindLabel(region)})` +
          (region.offsetInRegion !== undefined
            ? `, offset 0x${(region.offsetInRegion + address - region.start).toString(16)}`
            : '')
        : `${title} — unmapped`,
    ];
    const status = page.status[offset];
    const sideEffect = this.source.sideEffectValues.get(address);
    if (sideEffect !== undefined) lines.push(`0x${hexByte(sideEffect)} read with side effects`);
    else if (status === STATUS_OK) lines.push(`value 0x${hexByte(page.data[offset]!)}`);
    else if (status === STATUS_UNPEEKABLE) {
      lines.push('MMIO without a side-effect-free read: use "Read with side effects" to read it');
    } else if (status === STATUS_UNMAPPED) lines.push('no region maps this address');
    else lines.push(`read error${page.error ? `: ${page.error}` : ''}`);
    if (region && isReadOnly(region)) {
      lines.push('read-only: edits are refused');
    }
    if (region?.hasRegisters) {
      try {
        const regs = await this.registersOfPage(page.index);
        const reg = regs.find((r) => {
          const a = BigInt(r.address);
          return address >= a && address < a + BigInt(r.size);
        });
        if (reg) lines.push(...describeRegister(reg, this.valueOf(reg)));
      } catch (error) {
        lines.push(`register info unavailable: ${error instanceof Error ? error.message : error}`);
      }
    }
    return lines;
  }

  /** The register's value (little-endian) if every byte of it is known. */
  private valueOf(reg: RegisterInfo): bigint | undefined {
    let value = 0n;
    const base = BigInt(reg.address);
    for (let i = reg.size - 1; i >= 0; i--) {
      const a = base + BigInt(i);
      const se = this.source.sideEffectValues.get(a);
      const page = this.source.cache.peek(a / PAGE_SIZE_N);
      const offset = Number(a % PAGE_SIZE_N);
      const byte = se ?? (page?.status[offset] === STATUS_OK ? page.data[offset] : undefined);
      if (byte === undefined) return undefined;
      value = (value << 8n) | BigInt(byte);
    }
    return value;
  }

  private registersOfPage(index: bigint): Promise<RegisterInfo[]> {
    let entry = this.registers.get(index);
    if (!entry) {
      entry = this.rpc
        .request('registerInfo', {
          address: toHex(index * PAGE_SIZE_N),
          count: PAGE_SIZE,
        })
        .then((r) => r.registers);
      entry.catch(() => this.registers.delete(index));
      this.registers.set(index, entry);
      if (this.registers.size > REGISTER_PAGES_KEPT) {
        this.registers.delete(this.registers.keys().next().value as bigint);
      }
    }
    return entry;
  }

  /** Forgets register metadata (the map changed). */
  reset(): void {
    this.registers.clear();
  }
}
