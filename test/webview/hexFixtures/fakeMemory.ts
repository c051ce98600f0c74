/**
 * An in-test memory model standing in for the debug adapter: ROM, RAM, an MMIO register bank with
 * cells that cannot be peeked, and holes everywhere else, over a full 64-bit space. It answers the
 * same payloads the adapter does (protocol/memory.ts).
 */
import {
  compressStatus,
  encodeBase64,
  toHex,
  type ReadMemoryExResponse,
  type RegionSpan,
  type RegisterInfo,
  type RegionKind,
} from '../../../src/protocol';

export interface FakeRegion {
  name: string;
  id: string;
  kind: RegionKind;
  start: bigint;
  size: bigint;
  readonly: boolean;
  bytes?: Uint8Array;
}

const OK = 0;
const UNMAPPED = 1;
const UNPEEKABLE = 2;

export const ROM_BASE = 0x1000n;
export const MMIO_BASE = 0x1000_0000n;
export const RAM_BASE = 0x8000_0000n;
export const HIGH_RAM_BASE = 0xffff_ffff_ffff_f000n;

export class FakeMemory {
  readonly regions: FakeRegion[];
  /** UART-like registers: RBR at +0 pops a FIFO on read, so it cannot be peeked. */
  private rxFifo = [0x41, 0x42];
  readonly transmitted: number[] = [];
  readonly writes: { address: bigint; data: number[] }[] = [];
  reads = 0;
  /** When set, writes covering this address fail from there on (a partial write). */
  failWritesAt: bigint | undefined;

  constructor() {
    const rom = new Uint8Array(0x2000);
    for (let i = 0; i < rom.length; i++) rom[i] = (i * 7 + 3) & 0xff;
    rom.set([0x97, 0x02, 0x00, 0x00], 0); // auipc t0, 0
    const ram = new Uint8Array(0x10000);
    ram.set(
      Array.from('Hello, hex editor!', (c) => c.charCodeAt(0)),
      0x100,
    );
    new DataView(ram.buffer).setUint32(0x200, 0xdeadbeef, true);
    new DataView(ram.buffer).setFloat64(0x208, Math.PI, true);
    const high = new Uint8Array(0x1000).fill(0xa5);
    this.regions = [
      region('mrom', 'system/mrom', 'rom', ROM_BASE, 0x2000n, true, rom),
      region('uart0', 'system/uart0', 'io', MMIO_BASE, 0x100n, false),
      region('dram', 'system/dram', 'ram', RAM_BASE, 0x10000n, false, ram),
      region('hiram', 'system/hiram', 'ram', HIGH_RAM_BASE, 0x1000n, false, high),
    ];
  }

  regionAt(address: bigint): FakeRegion | undefined {
    return this.regions.find((r) => address >= r.start && address < r.start + r.size);
  }

  readEx(address: bigint, count: number, sideEffects = false): ReadMemoryExResponse {
    this.reads++;
    const data = new Uint8Array(count);
    const status = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      const a = address + BigInt(i);
      const r = this.regionAt(a);
      if (!r) status[i] = UNMAPPED;
      else if (r.bytes) data[i] = r.bytes[Number(a - r.start)]!;
      else {
        const value = this.mmioRead(Number(a - r.start), sideEffects);
        if (value === undefined) status[i] = UNPEEKABLE;
        else data[i] = value;
      }
    }
    return {
      address: toHex(address),
      data: encodeBase64(data),
      status: compressStatus(status),
      regions: this.spans(address, BigInt(count)),
    };
  }

  /** Writes like the adapter: stops at the first byte it cannot write; ROM accepts nothing. */
  write(address: bigint, data: Uint8Array): { bytesWritten: number; error?: string } {
    this.writes.push({ address, data: [...data] });
    for (let i = 0; i < data.length; i++) {
      const a = address + BigInt(i);
      const r = this.regionAt(a);
      const stop = (why: string) => ({ bytesWritten: i, error: `${why} at 0x${a.toString(16)}` });
      if (this.failWritesAt !== undefined && a >= this.failWritesAt) return stop('bus error');
      if (!r) return stop('unassigned address');
      if (r.readonly) return stop(`region ${r.name} is read-only`);
      if (r.bytes) r.bytes[Number(a - r.start)] = data[i]!;
      else if (a === MMIO_BASE) this.transmitted.push(data[i]!);
    }
    return { bytesWritten: data.length };
  }

  registerInfo(address: bigint, count: bigint): RegisterInfo[] {
    const regs: RegisterInfo[] = [
      {
        address: toHex(MMIO_BASE),
        size: 1,
        name: 'RBR_THR',
        region: 'uart0',
        access: 'rw',
        readSideEffects: true,
        description: 'Receive buffer (read pops the FIFO) / transmit holding register',
      },
      {
        address: toHex(MMIO_BASE + 5n),
        size: 1,
        name: 'LSR',
        region: 'uart0',
        access: 'ro',
        description: 'Line status',
        fields: [
          { name: 'DR', lsb: 0, msb: 0, description: 'data ready' },
          { name: 'THRE', lsb: 5, msb: 5, description: 'transmit holding empty' },
          { name: 'TEMT', lsb: 6, msb: 6 },
        ],
      },
    ];
    return regs.filter((r) => {
      const a = BigInt(r.address);
      return a + BigInt(r.size) > address && a < address + count;
    });
  }

  private mmioRead(offset: number, sideEffects: boolean): number | undefined {
    if (offset === 0) return sideEffects ? (this.rxFifo.shift() ?? 0) : undefined;
    if (offset === 5) return 0x60 | (this.rxFifo.length ? 1 : 0);
    if (offset >= 0x80) return undefined; // a scratch area with no debug peek
    return 0;
  }

  private spans(address: bigint, count: bigint): RegionSpan[] {
    const end = address + count;
    return this.regions
      .filter((r) => r.start < end && r.start + r.size > address)
      .map((r) => {
        const start = r.start > address ? r.start : address;
        const last = r.start + r.size < end ? r.start + r.size - 1n : end - 1n;
        return {
          start: toHex(start),
          last: toHex(last),
          name: r.name,
          id: r.id,
          offsetInRegion: toHex(start - r.start),
          kind: r.kind,
          readonly: r.readonly,
          hasRegisters: r.kind === 'io',
        };
      });
  }
}

function region(
  name: string,
  id: string,
  kind: RegionKind,
  start: bigint,
  size: bigint,
  readonly: boolean,
  bytes?: Uint8Array,
): FakeRegion {
  return { name, id, kind, start, size, readonly, bytes };
}

/** Re-exported for tests that check statuses. */
export const FakeStatus = { OK, UNMAPPED, UNPEEKABLE };
