/**
 * The adapter's custom DAP requests (names in src/protocol): the topology ones
 * (`boardmap/topology`, `boardmap/setRegionEnabled`, `boardmap/resolveAddress`, answered by
 * debug/topology.ts), the hex editor's memory ones (`boardmap/readMemoryEx`,
 * `boardmap/readWithSideEffects`, `boardmap/registerInfo`) and `boardmap/input` (console text for
 * the UART). Bad arguments throw an Error whose message becomes the error response.
 */
import { AdapterError, AdapterErrorCode } from '../errors';
import type { Machine } from '../../machine';
import {
  MemoryRequest,
  parseRangeArguments,
  toHex,
  type RegisterInfo,
  type RegisterInfoResponse,
} from '../../protocol';
import { readMemoryEx, type SpaceLookup } from '../memory';
import type { TopologyTracker } from '../../snapshot';
import { answerTopologyRequest } from './topologyRequests';
import { registerBanks } from '../inspect';

export const INPUT_REQUEST = 'boardmap/input';
/** Most characters of console input in one boardmap/input request. */
export const MAX_INPUT = 64 * 1024;

export interface CustomAnswer {
  readonly handled: boolean;
  readonly body?: unknown;
  /** Memory may have changed (side-effect reads, input): send memory/invalidated events. */
  readonly changed?: boolean;
}

export function answerCustomRequest(
  command: string,
  args: unknown,
  machine: Machine,
  tracker: TopologyTracker,
  lookup: SpaceLookup,
): CustomAnswer {
  const topology = answerTopologyRequest(tracker, command, args);
  if (topology.handled)
    return { handled: true, body: topology.body, changed: command.endsWith('setRegionEnabled') };
  switch (command) {
    case MemoryRequest.readMemoryEx:
      return { handled: true, body: readMemoryEx(lookup, args, false) };
    case MemoryRequest.readWithSideEffects:
      return { handled: true, body: readMemoryEx(lookup, args, true), changed: true };
    case MemoryRequest.registerInfo:
      return { handled: true, body: registerInfo(machine, lookup, args) };
    case INPUT_REQUEST: {
      const a = args as { text?: unknown } | undefined;
      if (typeof a?.text !== 'string')
        throw new AdapterError(
          AdapterErrorCode.BadArgument,
          `${INPUT_REQUEST}: text must be a string`,
        );
      if (a.text.length > MAX_INPUT)
        throw new AdapterError(
          AdapterErrorCode.TooLarge,
          `${INPUT_REQUEST}: text of ${a.text.length} characters is more than ${MAX_INPUT} at once`,
        );
      machine.input(Array.from(Buffer.from(a.text, 'utf8')));
      return { handled: true, body: { bytes: Buffer.byteLength(a.text, 'utf8') } };
    }
    default:
      return { handled: false };
  }
}

/** Registers of register banks and named device registers overlapping the range. */
function registerInfo(machine: Machine, lookup: SpaceLookup, args: unknown): RegisterInfoResponse {
  const parsed = parseRangeArguments(args);
  if (!parsed.ok)
    throw new AdapterError(
      AdapterErrorCode.BadArgument,
      `${MemoryRequest.registerInfo}: ${parsed.error}`,
    );
  const { space: id, address, count } = parsed.value;
  const space = lookup.space(id);
  if (!space)
    throw new AdapterError(
      AdapterErrorCode.BadArgument,
      `${MemoryRequest.registerInfo}: no address space '${id}'`,
    );
  const end = address + BigInt(count);
  const out: RegisterInfo[] = [];
  const bankOf = new Map(
    registerBanks(machine).map((b) => [b.region, { rid: b.id, bank: b.bank }] as const),
  );
  for (const fr of space.flatView.ranges) {
    if (fr.end <= address || fr.start >= end) continue;
    const base = fr.start - fr.offsetInRegion;
    const entry = bankOf.get(fr.mr);
    if (entry) {
      for (const r of entry.bank.describe()) {
        const at = base + BigInt(r.offset);
        if (at + BigInt(r.width) <= address || at >= end || at < fr.start || at >= fr.end) continue;
        out.push({
          address: toHex(at),
          size: r.width,
          name: r.name,
          region: entry.rid,
          access: r.access,
          ...(r.peekable ? {} : { readSideEffects: true }),
          ...(r.description ? { description: r.description } : {}),
          fields: r.fields.map((f) => ({
            name: f.name,
            lsb: f.lsb,
            msb: f.lsb + f.width - 1,
            access: f.access,
            ...(f.description ? { description: f.description } : {}),
          })),
        });
      }
      continue;
    }
    const device = [...machine.devices.values()].find(
      (d) => d.registerName && d.regions.some((r) => r.region === fr.mr),
    );
    if (!device) continue;
    const from = address > fr.start ? address : fr.start;
    const to = end < fr.end ? end : fr.end;
    const step = fr.mr.size <= 16n ? 1n : 4n;
    let last: string | undefined;
    for (let at = from - ((from - base) % step); at < to && out.length < 4096; at += step) {
      const name = device.registerName!(fr.mr, Number(at - base));
      if (!name || name === last) continue;
      last = name;
      out.push({ address: toHex(at), size: Number(step), name, region: device.id });
    }
  }
  return { registers: out };
}
