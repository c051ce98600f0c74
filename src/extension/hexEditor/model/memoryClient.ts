/**
 * Memory access through a debug session's DAP requests, for the hex editor: page reads with
 * per-byte status (`boardmap/readMemoryEx`, falling back to plain `readMemory` for adapters without
 * it), live writes (`writeMemory`), side-effect reads, register metadata and expression lookup.
 * No vscode import: the host injects `request` (DebugSession.customRequest), so this is tested in
 * plain Node.
 */
import {
  MAX_READ_EX_BYTES,
  MemoryRequest,
  compressStatus,
  decodeBase64,
  encodeBase64,
  toHex,
  formatMemoryReference,
  parseMemoryReference,
  type ReadMemoryExArguments,
  type ReadMemoryExResponse,
  type RegionSpan,
  type RegisterInfoResponse,
  type PageReadResult,
  type RegionListEntry,
  type WriteResult,
  type AddressSpaceInfo,
  type MtreeType,
  type RegionKind,
  type TopologySnapshot,
} from '../../../protocol';

const STATUS_OK = 0;
const STATUS_UNMAPPED = 1;
const STATUS_UNPEEKABLE = 2;
const STATUS_ERROR = 3;

/** `DebugSession.customRequest`. */
export type DapRequest = (command: string, args?: unknown) => Promise<unknown>;

/** True when an error says the adapter does not know the request at all. */
export function isUnsupportedRequest(error: unknown): boolean {
  const text = error instanceof Error ? error.message : String(error);
  return /unrecogni[sz]ed request|unknown request|not supported|unsupported/i.test(text);
}

export class MemoryClient {
  private readExSupported: boolean | undefined;

  constructor(
    private readonly request: DapRequest,
    readonly space: string,
    /** The current topology, for region overlays when the adapter lacks readMemoryEx. */
    private readonly topology: () => TopologySnapshot | undefined = () => undefined,
  ) {}

  /** Reads [address, address+count) with per-byte status; count ≤ 64 KiB. */
  async read(address: bigint, count: number): Promise<PageReadResult> {
    if (count < 0 || count > MAX_READ_EX_BYTES) throw new Error(`bad read size ${count}`);
    const args: ReadMemoryExArguments = { memoryReference: this.ref(address), count };
    if (this.readExSupported !== false) {
      try {
        const body = (await this.request(MemoryRequest.readMemoryEx, args)) as ReadMemoryExResponse;
        this.readExSupported = true;
        return checkReadEx(body, address, count);
      } catch (error) {
        if (this.readExSupported === true || !isUnsupportedRequest(error)) throw error;
        this.readExSupported = false;
      }
    }
    return this.readPlain(address, count);
  }

  /** Reads through the normal access path, running MMIO read side effects. */
  async readWithSideEffects(address: bigint, count: number): Promise<ReadMemoryExResponse> {
    if (count <= 0 || count > MAX_READ_EX_BYTES) throw new Error(`bad read size ${count}`);
    const body = (await this.request(MemoryRequest.readWithSideEffects, {
      memoryReference: this.ref(address),
      count,
    } satisfies ReadMemoryExArguments)) as ReadMemoryExResponse;
    return checkReadEx(body, address, count);
  }

  /**
   * Writes live (MMIO callbacks run). Resolves with what was written; rejects only when the adapter
   * refused the request outright.
   */
  async write(address: bigint, bytes: Uint8Array): Promise<WriteResult> {
    const body = (await this.request('writeMemory', {
      memoryReference: this.ref(address),
      offset: 0,
      data: encodeBase64(bytes),
      allowPartial: true,
    })) as { bytesWritten?: number; offset?: number } | undefined;
    // DAP: bytesWritten absent means everything was written.
    const written = body?.bytesWritten ?? bytes.length;
    if (written >= bytes.length) return { bytesWritten: bytes.length };
    return {
      bytesWritten: Math.max(0, written),
      error: `the adapter wrote ${Math.max(0, written)} of ${bytes.length} bytes`,
    };
  }

  async registerInfo(address: bigint, count: number): Promise<RegisterInfoResponse> {
    try {
      return (await this.request(MemoryRequest.registerInfo, {
        memoryReference: this.ref(address),
        count,
      })) as RegisterInfoResponse;
    } catch (error) {
      if (isUnsupportedRequest(error)) return { registers: [] };
      throw error;
    }
  }

  /**
   * Evaluates a symbol or expression to an address in this space: the result's memoryReference if
   * the adapter gives one, else a plain number result.
   */
  async resolveExpression(expression: string, frameId?: number): Promise<bigint> {
    const body = (await this.request('evaluate', {
      expression,
      context: 'watch',
      ...(frameId !== undefined ? { frameId } : {}),
    })) as { result?: string; memoryReference?: string };
    if (body.memoryReference) {
      const parsed = parseMemoryReference(body.memoryReference);
      if (parsed.ok) {
        if (parsed.value.space !== this.space) {
          throw new Error(
            `'${expression}' is in address space ${parsed.value.space}, not ${this.space}`,
          );
        }
        return parsed.value.address;
      }
    }
    const m = /^(?:\([^)]*\)\s*)?(0x[0-9a-f]+|\d+)$/i.exec((body.result ?? '').trim());
    if (!m)
      throw new Error(
        `'${expression}' is not an address (it evaluates to ${body.result ?? 'nothing'})`,
      );
    return BigInt(m[1]!);
  }

  private ref(address: bigint): string {
    return formatMemoryReference(this.space, address);
  }

  /**
   * Standard readMemory, for adapters without readMemoryEx. readMemory stops at the first
   * unreadable byte, so with the topology known the read resumes after the flat-view span (region
   * or hole) that stopped it, and the skipped bytes are classified by that span: a hole is
   * `unmapped`, MMIO `unpeekable`, anything else an `error`. Without the topology the rest of the
   * page is reported unreadable. At most one request per span of the page.
   */
  private async readPlain(address: bigint, count: number): Promise<PageReadResult> {
    const info = this.topology()?.addressSpaces.find((s) => s.id === this.space);
    const regions = info ? regionsFromFlatView(info, address, count) : [];
    const data = new Uint8Array(count);
    const status = new Uint8Array(count).fill(STATUS_UNMAPPED);
    for (let done = 0; done < count;) {
      const body = (await this.request('readMemory', {
        memoryReference: this.ref(address + BigInt(done)),
        offset: 0,
        count: count - done,
      })) as { data?: string } | undefined;
      const bytes = body?.data ? decodeBase64(body.data) : new Uint8Array(0);
      const n = Math.min(bytes.length, count - done);
      data.set(bytes.subarray(0, n), done);
      status.fill(STATUS_OK, done, done + n);
      done += n;
      if (done >= count || !info) break;
      // Skip the span that stopped the read, classifying its bytes.
      const at = address + BigInt(done);
      const span = regions.find((r) => BigInt(r.start) <= at && at <= BigInt(r.last));
      const next = regions.find((r) => BigInt(r.start) > at);
      const end = span
        ? Number(BigInt(span.last) - address) + 1
        : next
          ? Number(BigInt(next.start) - address)
          : count;
      const code = !span ? STATUS_UNMAPPED : span.kind === 'io' ? STATUS_UNPEEKABLE : STATUS_ERROR;
      status.fill(code, done, Math.max(done + 1, end));
      done = Math.max(done + 1, end);
    }
    return {
      address: toHex(address),
      data: encodeBase64(data),
      status: compressStatus(status),
      regions,
      degraded: true,
    };
  }
}

/** The region kind a flat range's `info mtree` type word stands for. */
export function kindOfMtreeType(type: MtreeType): RegionKind {
  switch (type) {
    case 'i/o':
      return 'io';
    case 'romd':
      return 'romDevice';
    case 'ramd':
      return 'ramDevice';
    default:
      return type;
  }
}

/** Flat-view ranges overlapping [address, address+count), clipped, as RegionSpans. */
export function regionsFromFlatView(
  space: AddressSpaceInfo,
  address: bigint,
  count: number,
): RegionSpan[] {
  const end = address + BigInt(count);
  const out: RegionSpan[] = [];
  for (const r of space.flatView) {
    const start = BigInt(r.start);
    const last = BigInt(r.end);
    if (start >= end || last < address) continue;
    const clipped = start > address ? start : address;
    out.push({
      start: toHex(clipped),
      offsetInRegion: toHex(BigInt(r.offsetInRegion) + (clipped - start)),
      last: toHex(last < end - 1n ? last : end - 1n),
      name: r.regionName,
      id: r.regionId,
      kind: kindOfMtreeType(r.mtreeType),
      readonly: r.readonly || r.mtreeType === 'rom',
    });
  }
  return out;
}

function checkReadEx(
  body: ReadMemoryExResponse,
  address: bigint,
  count: number,
): ReadMemoryExResponse {
  if (!body || typeof body.data !== 'string' || !Array.isArray(body.status)) {
    throw new Error('malformed readMemoryEx response from the adapter');
  }
  if (BigInt(body.address) !== address) {
    throw new Error(`readMemoryEx answered ${body.address} for ${toHex(address)}`);
  }
  const length = decodeBase64(body.data).length;
  if (length !== count) throw new Error(`readMemoryEx returned ${length} of ${count} bytes`);
  return { ...body, regions: Array.isArray(body.regions) ? body.regions : [] };
}

/** Regions of a space's flat view, one entry per region (its first range, summed size). */
export function regionList(
  topology: TopologySnapshot | undefined,
  space: string,
): RegionListEntry[] {
  const info = topology?.addressSpaces.find((s) => s.id === space);
  if (!info) return [];
  const byId = new Map<string, RegionListEntry & { total: bigint }>();
  for (const r of info.flatView) {
    const size = BigInt(r.end) - BigInt(r.start) + 1n;
    const entry = byId.get(r.regionId);
    if (entry) entry.total += size;
    else {
      byId.set(r.regionId, {
        id: r.regionId,
        name: r.regionName,
        kind: kindOfMtreeType(r.mtreeType),
        start: r.start,
        size: '',
        total: size,
      });
    }
  }
  return [...byId.values()].map(({ total, ...e }) => ({ ...e, size: toHex(total) }));
}
