/**
 * The program a machine runs and what depends on it: the image loaded into the hart's address
 * space, the devices placed at its symbols (HTIF at `tohost`), the board's reset ROM (QEMU's
 * reset vector) and, on virt, the device tree it passes in a1. At every reset the image, the
 * vector and the tree are written again, as QEMU's rom_reset does.
 */
import type { BuiltBoard } from '../../board';
import { writeRom, type AddressSpace, type MemoryRegion } from '../../engine';
import { placeSymbolDevices, resetRomOf, writeResetRom } from './boardState';
import { addressParam, Htif, type MachineDevice } from '../devices';
import {
  LoaderError,
  looksLikeElf,
  parseElf,
  type ElfFile,
  type LoadedImage,
  type SymbolTable,
} from '../loader';
import {
  loadProgramInto,
  outsideMemory,
  ProgramLoadError,
  refuseIfNothingLoads,
  type ProgramLoadOptions,
} from './programLoader';
import { fdtAddress, virtDtb, virtFdtParams } from '../fdt';
import type { RiscvHart } from '../riscv';

export class MachineProgram {
  private loaded:
    { image: LoadedImage; bytes: Uint8Array; options: ProgramLoadOptions } | undefined;
  private readonly placedSymbolDevices = new Map<string, MemoryRegion>();
  /** The device tree written at reset and where (virt, as QEMU: a1 points at it). */
  private readonly fdt: { readonly address: number; readonly blob: Uint8Array } | undefined;

  constructor(
    private readonly board: BuiltBoard,
    private readonly space: AddressSpace,
    private readonly devices: ReadonlyMap<string, MachineDevice>,
    private readonly hart: RiscvHart,
    /** Where a device that cannot be placed is reported. */
    private readonly warnings: string[],
  ) {
    const params = board.name === 'virt' ? virtFdtParams(board) : undefined;
    this.fdt = params
      ? { address: fdtAddress(params.ramBase, params.ramSize), blob: virtDtb(params) }
      : undefined;
  }

  /** The loaded program (undefined before load). */
  get image(): LoadedImage | undefined {
    return this.loaded?.image;
  }

  get symbols(): SymbolTable | undefined {
    return this.loaded?.image.symbols;
  }

  /**
   * Loads a program (ELF or raw) and places symbol-placed devices at its symbols; the machine
   * resets next. Throws ProgramLoadError naming the file and what is wrong.
   */
  load(bytes: Uint8Array, options: ProgramLoadOptions): LoadedImage {
    const elf = this.parseIfElf(bytes, options);
    this.refuseRomOverlaps(elf, bytes, options);
    this.refuseBadHtifSymbols(elf, options);
    const image = loadProgramInto(this.space, bytes, options);
    refuseIfNothingLoads(this.space, image, options.name ?? '<program>');
    this.loaded = { image, bytes, options };
    this.warnings.push(
      ...outsideMemory(this.space, image).map((w) => `${options.name ?? 'program'}: ${w}`),
    );
    const rom = resetRomOf(this.space, this.board.name);
    if (rom && image.kind === 'elf' && image.entry !== rom.start) {
      this.warnings.push(
        `${options.name ?? 'program'}: the ELF entry 0x${image.entry.toString(16)} is not 0x${rom.start.toString(16)}, ` +
          `where QEMU's reset vector jumps with -bios none (the start of DRAM): execution starts there, as on QEMU`,
      );
    }
    placeSymbolDevices(
      this.board,
      this.devices,
      (name) => this.symbols?.byName(name)?.value,
      this.placedSymbolDevices,
      this.warnings,
    );
    return image;
  }

  /**
   * The reset's part: the image written again, the reset ROM written, and the hart's pc set to
   * the entry when the board has no reset ROM (with one, the hart starts at its reset vector).
   */
  restore(): void {
    if (this.loaded) {
      loadProgramInto(this.space, this.loaded.bytes, this.loaded.options);
      this.hart.invalidateDecodeCache();
    }
    const romUsed = this.writeResetRom(this.loaded ? lowestAddress(this.loaded.image) : undefined);
    if (this.loaded && !romUsed) this.hart.pc = this.loaded.image.entry;
  }

  /** The parsed ELF (undefined for a raw image); a malformed one is refused here. */
  private parseIfElf(bytes: Uint8Array, options: ProgramLoadOptions): ElfFile | undefined {
    if (options.format === 'raw' || (options.format === undefined && !looksLikeElf(bytes)))
      return undefined;
    try {
      return parseElf(bytes);
    } catch (e) {
      if (e instanceof LoaderError) throw new ProgramLoadError(options.name ?? '<program>', e);
      throw e;
    }
  }

  /**
   * QEMU's spike refuses a program whose `tohost` or `fromhost` symbol is not 8 bytes
   * (htif_symbol_callback: "HTIF tohost must be 8 bytes"); so does a board whose HTIF is placed
   * at the program's symbols.
   */
  private refuseBadHtifSymbols(elf: ElfFile | undefined, options: ProgramLoadOptions): void {
    if (!elf) return;
    for (const d of this.board.devices) {
      const desc = d.description;
      if (!(d.instance instanceof Htif) || desc.address !== undefined) continue;
      for (const param of ['fromhost', 'tohost']) {
        const p = addressParam(desc.params.get(param), param);
        if (!('symbol' in p)) continue;
        const sym = elf.symbols.byName(p.symbol);
        if (sym && sym.size !== 8) {
          throw new ProgramLoadError(
            options.name ?? '<program>',
            new LoaderError(
              'bad-symbol-table',
              undefined,
              `HTIF ${param} must be 8 bytes: the symbol '${p.symbol}' is ${sym.size} (QEMU's spike refuses such a program too)`,
            ),
          );
        }
      }
    }
  }

  /**
   * QEMU registers the program's segments as ROM blobs beside its own (the reset vector,
   * fw_dynamic_info, the device tree) and refuses to start when two overlap; so does this.
   */
  private refuseRomOverlaps(
    elf: ElfFile | undefined,
    bytes: Uint8Array,
    options: ProgramLoadOptions,
  ): void {
    const rom = resetRomOf(this.space, this.board.name);
    if (!rom) return;
    const name = options.name ?? '<program>';
    const hex8 = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
    const pieces: { what: string; address: number; size: number; offset?: number }[] = [];
    if (elf) {
      for (const seg of elf.loadSegments)
        pieces.push({
          what: `segment ${seg.index}`,
          address: seg.paddr,
          size: seg.memsz,
          offset: elf.header.phoff + seg.index * 32,
        });
    } else if (options.address !== undefined) {
      pieces.push({ what: 'the image', address: options.address, size: bytes.length });
    }
    for (const p of pieces) {
      for (const blob of rom.blobs) {
        if (p.address < blob.address + blob.size && blob.address < p.address + p.size) {
          throw new ProgramLoadError(
            name,
            new LoaderError(
              'segment-overlap',
              p.offset,
              `${p.what} (${hex8(p.address)}..${hex8(p.address + p.size)}) overlaps QEMU's ROM blob ` +
                `${blob.name} (${hex8(blob.address)}..${hex8(blob.address + blob.size)}); ` +
                `QEMU refuses to start ("Some ROM regions are overlapping")`,
              pieces.length === 1 && p.offset === undefined ? { format: 'raw binary' } : undefined,
            ),
          );
        }
      }
    }
  }

  private writeResetRom(nextAddress: number | undefined): boolean {
    const written = writeResetRom(this.space, this.board.name, nextAddress, this.fdt?.address);
    // the device tree, as QEMU's `fdt` ROM blob puts it back at every reset
    if (written !== undefined && this.fdt) writeRom(this.space, this.fdt.address, this.fdt.blob);
    if (written !== undefined) this.hart.invalidateDecodeCache(written, 64);
    return written !== undefined;
  }
}

/** The lowest address the image loads at (QEMU's kernel_load_base), as riscv_load_kernel has it. */
function lowestAddress(image: LoadedImage): number {
  let low = Infinity;
  for (const r of image.ranges) if (r.memorySize > 0) low = Math.min(low, r.address);
  return low === Infinity ? image.entry : low;
}
