/** The DWARF sections of one ELF that the .debug_info reader needs (absent ones are undefined). */
import type { ElfFile } from '../../loader';

export interface DwarfSections {
  readonly info: Uint8Array;
  readonly abbrev: Uint8Array;
  readonly str?: Uint8Array;
  readonly lineStr?: Uint8Array;
  readonly addr?: Uint8Array;
  readonly strOffsets?: Uint8Array;
  readonly rnglists?: Uint8Array;
  readonly loclists?: Uint8Array;
  /** DWARF 2-4 location lists. */
  readonly loc?: Uint8Array;
  /** DWARF 2-4 range lists. */
  readonly ranges?: Uint8Array;
}

/** The ELF's DWARF sections; undefined when it has no .debug_info (stripped, or assembly only). */
export function dwarfSectionsOf(elf: ElfFile): DwarfSections | undefined {
  const data = (name: string) => {
    const section = elf.section(name);
    return section && section.type !== 8 ? section.data : undefined; // SHT_NOBITS has no bytes
  };
  const info = data('.debug_info');
  if (!info) return undefined;
  return {
    info,
    abbrev: data('.debug_abbrev') ?? new Uint8Array(0),
    str: data('.debug_str'),
    lineStr: data('.debug_line_str'),
    addr: data('.debug_addr'),
    strOffsets: data('.debug_str_offsets'),
    rnglists: data('.debug_rnglists'),
    loclists: data('.debug_loclists'),
    loc: data('.debug_loc'),
    ranges: data('.debug_ranges'),
  };
}
