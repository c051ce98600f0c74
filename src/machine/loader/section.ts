/** A section header of an ELF file with its bytes: what the symbol and DWARF readers take. */
export interface ElfSection {
  readonly index: number;
  readonly name: string;
  readonly type: number;
  readonly flags: number;
  readonly addr: number;
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly info: number;
  readonly addralign: number;
  readonly entsize: number;
  /** File bytes of the section; empty for SHT_NOBITS. A view into the input. */
  readonly data: Uint8Array;
}
