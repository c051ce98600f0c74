/**
 * `<sym+off>` after an address, as gdb prints it after pointers (print symbol on): the ELF
 * symbol containing the address, with gdb's filters — zero-sized symbols name only code
 * addresses, and an address outside every allocated section has no name. Offsets are decimal.
 */
import type { ElfFile } from '../../loader';

const SHF_ALLOC = 0x2;
const SHF_EXECINSTR = 0x4;

export function elfSymbolizer(elf: ElfFile): (address: number) => string | undefined {
  const sections = elf.sections.filter((s) => (s.flags & SHF_ALLOC) !== 0 && s.size > 0);
  const inSection = (address: number) =>
    sections.some((s) => address >= s.addr && address < s.addr + s.size);
  const executable = (index: number) => ((elf.sections[index]?.flags ?? 0) & SHF_EXECINSTR) !== 0;
  return (address) => {
    if (!inSection(address)) return undefined;
    const found = elf.symbols.lookup(address);
    if (!found) return undefined;
    const { symbol, offset } = found;
    if (symbol.size === 0 && !executable(symbol.sectionIndex)) return undefined;
    return offset === 0 ? symbol.name : `${symbol.name}+${offset}`;
  };
}
