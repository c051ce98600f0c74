/**
 * Loading a program into a machine's address space: ELF PT_LOAD segments (at p_paddr, as QEMU's
 * load_elf does) or a raw binary at an address, written with the engine's loader access (which
 * may write ROM). As QEMU's ROM blobs (rom_reset, address_space_write_rom), the bytes that land
 * in RAM, ROM or a ROM device in romd mode are written and those over a hole or a device are
 * dropped: a program linked with `-Ttext=0x8000_0000` and GNU ld's default script has a first
 * segment at 0x7fff_f000 (its ELF headers, in the PCIe window) and runs. Those dropped parts
 * are reported by `outsideMemory` (the machine's warnings); only a range past the 32-bit
 * address space is refused.
 */
import { addressHex, writeRom, type AddressSpace } from '../../engine';
import {
  LoaderError,
  loadElf,
  loadRawBinary,
  looksLikeElf,
  type LoadedImage,
  type LoadTarget,
} from '../loader';

export interface ProgramLoadOptions {
  /** Force the format; default: ELF when the file starts with the ELF magic, else raw. */
  readonly format?: 'elf' | 'raw';
  /** Load address of a raw binary (required for raw images). */
  readonly address?: number;
  /** Name used in error messages (the file path). */
  readonly name?: string;
}

/** Why [address, address+length) cannot be loaded into `space`, or undefined when it can. */
export function whyNotLoadable(
  space: AddressSpace,
  address: number,
  length: number,
): string | undefined {
  let at = BigInt(address);
  const end = at + BigInt(length);
  if (end > 0x1_0000_0000n) return `it runs past the end of the 32-bit address space`;
  const view = space.flatView;
  while (at < end) {
    const range = view.lookup(at);
    if (!range) return `nothing is mapped at ${addressHex(Number(at))}`;
    const mr = range.mr;
    const memory = (mr.ram && !mr.ramDevice) || (mr.romDevice && range.romdMode);
    if (!memory) return `${addressHex(Number(at))} is the device region '${mr.name}', not memory`;
    at = range.end;
  }
  return undefined;
}

/** Why [address, address+length) cannot be loaded at all (past the 32-bit space), or undefined. */
function pastAddressSpace(address: number, length: number): string | undefined {
  return address + length > 0x1_0000_0000
    ? 'it runs past the end of the 32-bit address space'
    : undefined;
}

/**
 * Warnings for the parts of a loaded image that are not memory (dropped, as QEMU drops them):
 * `segment 1 (0x7ffff000..0x80000022): 0x7ffff000 is the device region 'gpex_mmio_window', …`.
 */
export function outsideMemory(space: AddressSpace, image: LoadedImage): string[] {
  const out: string[] = [];
  for (const r of image.ranges) {
    if (r.memorySize === 0) continue;
    const why = whyNotLoadable(space, r.address, r.memorySize);
    if (!why) continue;
    const what = r.segmentIndex !== undefined ? `segment ${r.segmentIndex}` : 'the image';
    out.push(
      `${what} (${addressHex(r.address)}..${addressHex(r.address + r.memorySize)}) is not all memory: ${why}; ` +
        `only the bytes that land in RAM or ROM are loaded (QEMU drops the rest too)`,
    );
  }
  return out;
}

/** True when some byte of [address, address+length) is RAM, ROM or a ROM device in romd mode. */
function landsInMemory(space: AddressSpace, address: number, length: number): boolean {
  let at = BigInt(address);
  const end = at + BigInt(length);
  const view = space.flatView;
  while (at < end) {
    const range = view.lookup(at);
    if (!range) {
      // skip the hole up to the next mapped range
      const next = view.ranges.find((r) => r.start > at);
      if (!next) return false;
      at = next.start;
      continue;
    }
    const mr = range.mr;
    if ((mr.ram && !mr.ramDevice) || (mr.romDevice && range.romdMode)) return true;
    at = range.end;
  }
  return false;
}

/**
 * Refuses an image none of whose bytes land in memory (an ELF linked for another board): QEMU
 * would start it and hang, Boardmap says why instead (a deliberate difference).
 */
export function refuseIfNothingLoads(space: AddressSpace, image: LoadedImage, name: string): void {
  const ranges = image.ranges.filter((r) => r.memorySize > 0);
  if (ranges.some((r) => landsInMemory(space, r.address, r.memorySize))) return;
  const first = ranges[0];
  if (!first) return;
  const what = first.segmentIndex !== undefined ? `segment ${first.segmentIndex}` : 'the image';
  const why = whyNotLoadable(space, first.address, first.memorySize) ?? 'it is not memory';
  throw new ProgramLoadError(
    name,
    new LoaderError(
      'segment-not-loadable',
      undefined,
      `${what} (${addressHex(first.address)}..${addressHex(first.address + first.memorySize)}) cannot be loaded: ${why}, and no byte of the program lands in memory`,
      image.kind === 'raw' ? { format: 'raw binary' } : undefined,
    ),
  );
}

/**
 * A LoadTarget writing through `space` with the loader access, which writes RAM and ROM and
 * skips holes and devices (as QEMU's rom_reset); it refuses only a range past the 32-bit space.
 */
export function loaderTarget(space: AddressSpace): LoadTarget {
  return {
    write(address, bytes) {
      const why = pastAddressSpace(address, bytes.length);
      if (why) return { error: why };
      const r = writeRom(space, address, bytes);
      return r === 0 ? undefined : { error: `the loader write failed (MemTxResult ${r})` };
    },
    zero(address, length) {
      const why = pastAddressSpace(address, length);
      if (why) return { error: why };
      const chunk = new Uint8Array(Math.min(length, 1 << 16));
      for (let at = 0; at < length; at += chunk.length) {
        const n = Math.min(chunk.length, length - at);
        writeRom(space, address + at, chunk.subarray(0, n));
      }
      return undefined;
    },
  };
}

/** Loads `bytes` into `space`; throws LoaderError (message prefixed with the name) on failure. */
export function loadProgramInto(
  space: AddressSpace,
  bytes: Uint8Array,
  options: ProgramLoadOptions = {},
): LoadedImage {
  const format = options.format ?? (looksLikeElf(bytes) ? 'elf' : 'raw');
  const target = loaderTarget(space);
  try {
    if (format === 'elf') return loadElf(bytes, target, { addresses: 'physical' });
    if (options.address === undefined) {
      throw new LoaderError(
        'bad-load-address',
        undefined,
        'not an ELF file (no ELF magic), and no load address was given for a raw binary',
        { format: 'raw binary' },
      );
    }
    return loadRawBinary(bytes, options.address, target);
  } catch (e) {
    if (e instanceof LoaderError) throw new ProgramLoadError(options.name ?? '<program>', e);
    throw e;
  }
}

/** A program that could not be loaded: `file: ELF: what is wrong (at file offset 0x…)`. */
export class ProgramLoadError extends Error {
  override readonly name = 'ProgramLoadError';
  constructor(
    readonly file: string,
    readonly loaderError: LoaderError,
  ) {
    super(`${file}: ${loaderError.message}`, { cause: loaderError });
  }
}
