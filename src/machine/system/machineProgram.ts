/**
 * The program a machine runs and what depends on it: the image loaded into the hart's address
 * space, the devices placed at its symbols (HTIF at `tohost`), and the board's reset ROM, which
 * jumps to its entry. At every reset the image is written again, as QEMU's rom_reset does.
 */
import type { BuiltBoard } from '../../board';
import type { AddressSpace, MemoryRegion } from '../../engine';
import { placeSymbolDevices, writeResetRom } from './boardState';
import type { MachineDevice } from '../devices';
import type { LoadedImage, SymbolTable } from '../loader';
import { loadProgramInto, type ProgramLoadOptions } from './programLoader';
import type { RiscvHart } from '../riscv';

export class MachineProgram {
  private loaded:
    { image: LoadedImage; bytes: Uint8Array; options: ProgramLoadOptions } | undefined;
  private readonly placedSymbolDevices = new Map<string, MemoryRegion>();

  constructor(
    private readonly board: BuiltBoard,
    private readonly space: AddressSpace,
    private readonly devices: ReadonlyMap<string, MachineDevice>,
    private readonly hart: RiscvHart,
    /** Where a device that cannot be placed is reported. */
    private readonly warnings: string[],
  ) {}

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
    const image = loadProgramInto(this.space, bytes, options);
    this.loaded = { image, bytes, options };
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
      loadProgramInto(this.space, this.loaded.bytes, { ...this.loaded.options, checked: false });
      this.hart.invalidateDecodeCache();
    }
    const romUsed = this.writeResetRom(this.loaded?.image.entry);
    if (this.loaded && !romUsed) this.hart.pc = this.loaded.image.entry;
  }

  private writeResetRom(entry: number | undefined): boolean {
    const written = writeResetRom(this.space, this.board.name, entry);
    if (written !== undefined) this.hart.invalidateDecodeCache(written, 64);
    return written !== undefined;
  }
}
