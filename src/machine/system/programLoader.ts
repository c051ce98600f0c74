/**
 * Loading a program into a machine's address space: ELF PT_LOAD segments (at p_paddr, as QEMU's
 * load_elf does) or a raw binary at an address, written with the engine's loader access (which
 * may write ROM). Before writing, the whole range must be RAM, ROM or a ROM device in romd mode:
 * a segment reaching a hole or a device is refused with the segment and the first bad address
 * named (the engine's loader access would silently skip those bytes).
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
  /** Check that every byte lands in memory (default true; see loaderTarget). */
  readonly checked?: boolean;
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

/**
 * A LoadTarget writing through `space` with the loader access. `checked` false skips the
 * memory check (a reset rewriting an image that loaded before, now partly under a device
 * overlay such as HTIF's, whose bytes the loader access skips as QEMU's rom_reset does).
 */
export function loaderTarget(space: AddressSpace, checked = true): LoadTarget {
  return {
    write(address, bytes) {
      const why = checked ? whyNotLoadable(space, address, bytes.length) : undefined;
      if (why) return { error: why };
      const r = writeRom(space, address, bytes);
      return r === 0 ? undefined : { error: `the loader write failed (MemTxResult ${r})` };
    },
    zero(address, length) {
      const why = checked ? whyNotLoadable(space, address, length) : undefined;
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
  const target = loaderTarget(space, options.checked ?? true);
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
