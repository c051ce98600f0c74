/**
 * ELF32 little-endian RISC-V parser: header, program headers, section headers and the symbol
 * table, with every field checked against the file's size before it is used. Parsing does not
 * load anything; `load.ts` writes the PT_LOAD segments through a caller-supplied target.
 *
 * Accepted: ELFCLASS32, ELFDATA2LSB, EV_CURRENT, ET_EXEC, EM_RISCV (243). The RISC-V arch
 * attribute is not checked (riscv-tests ELFs claim F/D without using them; see riscv-notes §1.2).
 * Why not an npm package: `elfinfo` parses this format but pulls in @types/node and gives no
 * error locations; the whole format is ~300 lines here.
 */
import { ByteReader } from './byteReader';
import { LoaderError, type LoaderErrorCode } from './errors';
import { hex } from '../../engine';
import type { ElfSection } from './section';
import { SymbolTable, parseSymbolTable } from './symbols';

export const EM_RISCV = 243;
export const ET_EXEC = 2;
export const PT_LOAD = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_NOBITS = 8;

const ELF_HEADER_SIZE = 52;
const PROGRAM_HEADER_SIZE = 32;
const SECTION_HEADER_SIZE = 40;
const ELF32_ADDRESS_LIMIT = 2 ** 32;

export interface ElfHeader {
  readonly type: number;
  readonly machine: number;
  readonly version: number;
  readonly entry: number;
  readonly phoff: number;
  readonly shoff: number;
  /** e_flags; for RISC-V bit 0 = RVC, bits 1-2 = float ABI. */
  readonly flags: number;
  readonly ehsize: number;
  readonly phentsize: number;
  readonly phnum: number;
  readonly shentsize: number;
  readonly shnum: number;
  readonly shstrndx: number;
}

export interface ElfSegment {
  readonly index: number;
  readonly type: number;
  readonly flags: number;
  readonly offset: number;
  /** Run-time (virtual) address. */
  readonly vaddr: number;
  /** Load (physical) address: where the bytes are placed, as QEMU's load_elf does. */
  readonly paddr: number;
  readonly filesz: number;
  readonly memsz: number;
  readonly align: number;
  /** The segment's file bytes (filesz long), a view into the input. */
  readonly data: Uint8Array;
}

export type { ElfSection };

export interface ElfFile {
  readonly header: ElfHeader;
  readonly entry: number;
  readonly segments: readonly ElfSegment[];
  /** PT_LOAD segments with memsz > 0, in file order. */
  readonly loadSegments: readonly ElfSegment[];
  readonly sections: readonly ElfSection[];
  readonly symbols: SymbolTable;
  section(name: string): ElfSection | undefined;
}

function fail(reason: LoaderErrorCode, offset: number, detail: string): never {
  throw new LoaderError(reason, offset, detail);
}

/** Parses an ELF32 little-endian RISC-V executable. Throws LoaderError for anything malformed. */
export function parseElf(bytes: Uint8Array): ElfFile {
  if (!(bytes instanceof Uint8Array)) {
    throw new LoaderError('empty', undefined, 'expected the file contents as a Uint8Array');
  }
  if (bytes.length === 0) fail('empty', 0, 'the file is empty');
  const r = new ByteReader(
    bytes,
    (code, offset, detail) => fail(code as LoaderErrorCode, offset, detail),
    'the file',
  );
  const header = parseHeader(r);
  const segments = parseProgramHeaders(r, header);
  const sections = parseSectionHeaders(r, header);
  const loadSegments = segments.filter((s) => s.type === PT_LOAD && s.memsz > 0);
  checkLoadOverlaps(loadSegments, header.phoff);
  const symtab = sections.find((s) => s.type === SHT_SYMTAB);
  const symbols = symtab ? parseSymbolTable(r, symtab, sections) : new SymbolTable([]);
  return {
    header,
    entry: header.entry,
    segments,
    loadSegments,
    sections,
    symbols,
    section: (name) => sections.find((s) => s.name === name),
  };
}

function parseHeader(r: ByteReader): ElfHeader {
  const magic = r.slice(0, Math.min(4, r.length), 'ELF magic');
  const elfPrefix = [0x7f, 0x45, 0x4c, 0x46].slice(0, magic.length);
  if (magic.length < 4 && elfPrefix.every((b, i) => magic[i] === b)) {
    fail(
      'truncated',
      0,
      `truncated: the file is ${magic.length} byte(s) long, an ELF header needs ${ELF_HEADER_SIZE}`,
    );
  }
  if (magic[0] !== 0x7f || magic[1] !== 0x45 || magic[2] !== 0x4c || magic[3] !== 0x46) {
    const found = Array.from(magic, (b) => b.toString(16).padStart(2, '0')).join(' ');
    fail(
      'bad-magic',
      0,
      `not an ELF file: expected magic 7f 45 4c 46 ("\\x7fELF"), found ${found}`,
    );
  }
  const elfClass = r.u8(4, 'e_ident[EI_CLASS]');
  if (elfClass !== 1) {
    const what = elfClass === 2 ? 'a 64-bit ELF (ELFCLASS64)' : `ELF class ${elfClass}`;
    fail('wrong-class', 4, `${what}: this machine loads 32-bit ELF files (ELFCLASS32)`);
  }
  const data = r.u8(5, 'e_ident[EI_DATA]');
  if (data !== 1) {
    const what = data === 2 ? 'big-endian (ELFDATA2MSB)' : `data encoding ${data}`;
    fail('wrong-endianness', 5, `${what}: RISC-V ELF files are little-endian (ELFDATA2LSB)`);
  }
  const identVersion = r.u8(6, 'e_ident[EI_VERSION]');
  if (identVersion !== 1)
    fail('wrong-version', 6, `e_ident[EI_VERSION] is ${identVersion}, expected 1 (EV_CURRENT)`);
  r.need(0, ELF_HEADER_SIZE, 'the ELF header');
  const header: ElfHeader = {
    type: r.u16(16, 'e_type'),
    machine: r.u16(18, 'e_machine'),
    version: r.u32(20, 'e_version'),
    entry: r.u32(24, 'e_entry'),
    phoff: r.u32(28, 'e_phoff'),
    shoff: r.u32(32, 'e_shoff'),
    flags: r.u32(36, 'e_flags'),
    ehsize: r.u16(40, 'e_ehsize'),
    phentsize: r.u16(42, 'e_phentsize'),
    phnum: r.u16(44, 'e_phnum'),
    shentsize: r.u16(46, 'e_shentsize'),
    shnum: r.u16(48, 'e_shnum'),
    shstrndx: r.u16(50, 'e_shstrndx'),
  };
  if (header.machine !== EM_RISCV) {
    fail(
      'wrong-machine',
      18,
      `e_machine is ${header.machine}${machineName(header.machine)}, expected ${EM_RISCV} (EM_RISCV)`,
    );
  }
  if (header.type !== ET_EXEC) {
    const names: Record<number, string> = {
      0: 'ET_NONE',
      1: 'ET_REL (an object file, not linked)',
      3: 'ET_DYN',
      4: 'ET_CORE',
    };
    fail(
      'wrong-type',
      16,
      `e_type is ${header.type} (${names[header.type] ?? 'unknown'}), expected 2 (ET_EXEC)`,
    );
  }
  if (header.version !== 1)
    fail('wrong-version', 20, `e_version is ${header.version}, expected 1 (EV_CURRENT)`);
  if (header.ehsize < ELF_HEADER_SIZE)
    fail('bad-header', 40, `e_ehsize is ${header.ehsize}, expected at least ${ELF_HEADER_SIZE}`);
  if (header.phnum === 0xffff)
    fail('bad-header', 44, 'e_phnum is PN_XNUM (extended numbering), which executables do not use');
  if (header.phnum > 0 && header.phentsize !== PROGRAM_HEADER_SIZE) {
    fail('bad-header', 42, `e_phentsize is ${header.phentsize}, expected ${PROGRAM_HEADER_SIZE}`);
  }
  if (header.shnum > 0 && header.shentsize !== SECTION_HEADER_SIZE) {
    fail('bad-header', 46, `e_shentsize is ${header.shentsize}, expected ${SECTION_HEADER_SIZE}`);
  }
  if (header.phnum === 0)
    fail(
      'no-loadable-segment',
      44,
      'the file has no program headers (e_phnum is 0), so nothing to load',
    );
  const phEnd = header.phoff + header.phnum * PROGRAM_HEADER_SIZE;
  if (header.phoff < ELF_HEADER_SIZE) {
    fail('bad-header', 28, `e_phoff ${hex(header.phoff)} overlaps the ELF header`);
  }
  if (phEnd > r.length) {
    fail(
      'truncated',
      28,
      `truncated: e_phoff ${hex(header.phoff)} + ${header.phnum} program headers end at ${hex(phEnd)}, the file has ${hex(r.length)}`,
    );
  }
  if (header.shnum > 0) {
    const shEnd = header.shoff + header.shnum * SECTION_HEADER_SIZE;
    if (header.shoff < ELF_HEADER_SIZE)
      fail('bad-header', 32, `e_shoff ${hex(header.shoff)} overlaps the ELF header`);
    if (shEnd > r.length) {
      fail(
        'truncated',
        32,
        `truncated: e_shoff ${hex(header.shoff)} + ${header.shnum} section headers end at ${hex(shEnd)}, the file has ${hex(r.length)}`,
      );
    }
    if (header.shstrndx !== 0 && header.shstrndx >= header.shnum) {
      fail(
        'bad-header',
        50,
        `e_shstrndx ${header.shstrndx} is not a section index (e_shnum is ${header.shnum})`,
      );
    }
  }
  return header;
}

function machineName(machine: number): string {
  const names: Record<number, string> = {
    3: 'x86',
    8: 'MIPS',
    20: 'PowerPC',
    40: 'ARM',
    62: 'x86-64',
    183: 'AArch64',
    258: 'LoongArch',
  };
  return names[machine] ? ` (${names[machine]})` : '';
}

function parseProgramHeaders(r: ByteReader, h: ElfHeader): ElfSegment[] {
  const segments: ElfSegment[] = [];
  for (let index = 0; index < h.phnum; index++) {
    const at = h.phoff + index * PROGRAM_HEADER_SIZE;
    const what = (field: string) => `program header ${index} ${field}`;
    const type = r.u32(at, what('p_type'));
    const offset = r.u32(at + 4, what('p_offset'));
    const vaddr = r.u32(at + 8, what('p_vaddr'));
    const paddr = r.u32(at + 12, what('p_paddr'));
    const filesz = r.u32(at + 16, what('p_filesz'));
    const memsz = r.u32(at + 20, what('p_memsz'));
    const flags = r.u32(at + 24, what('p_flags'));
    const align = r.u32(at + 28, what('p_align'));
    const bad = (fieldOffset: number, detail: string): never =>
      fail('bad-program-header', at + fieldOffset, `program header ${index}: ${detail}`);
    if (offset + filesz > r.length) {
      fail(
        'truncated',
        at + 4,
        `truncated: program header ${index} file bytes ${hex(offset)}..${hex(offset + filesz)} run past the end of the file (${hex(r.length)})`,
      );
    }
    if (type === PT_LOAD) {
      if (filesz > memsz) bad(16, `p_filesz ${hex(filesz)} is larger than p_memsz ${hex(memsz)}`);
      if (paddr + memsz > ELF32_ADDRESS_LIMIT)
        bad(
          12,
          `p_paddr ${hex(paddr)} + p_memsz ${hex(memsz)} wraps past the 32-bit address space`,
        );
      if (vaddr + memsz > ELF32_ADDRESS_LIMIT)
        bad(8, `p_vaddr ${hex(vaddr)} + p_memsz ${hex(memsz)} wraps past the 32-bit address space`);
      if (align > 1 && (align & (align - 1)) !== 0)
        bad(28, `p_align ${hex(align)} is not a power of two`);
    }
    segments.push({
      index,
      type,
      flags,
      offset,
      vaddr,
      paddr,
      filesz,
      memsz,
      align,
      data: r.slice(offset, filesz, what('data')),
    });
  }
  return segments;
}

function parseSectionHeaders(r: ByteReader, h: ElfHeader): ElfSection[] {
  const raw: Omit<ElfSection, 'name'>[] = [];
  const nameOffsets: number[] = [];
  for (let index = 0; index < h.shnum; index++) {
    const at = h.shoff + index * SECTION_HEADER_SIZE;
    const what = (field: string) => `section header ${index} ${field}`;
    nameOffsets.push(r.u32(at, what('sh_name')));
    const type = r.u32(at + 4, what('sh_type'));
    const offset = r.u32(at + 16, what('sh_offset'));
    const size = r.u32(at + 20, what('sh_size'));
    if (type !== SHT_NOBITS && type !== 0 && offset + size > r.length) {
      fail(
        'truncated',
        at + 16,
        `truncated: section ${index} bytes ${hex(offset)}..${hex(offset + size)} run past the end of the file (${hex(r.length)})`,
      );
    }
    const link = r.u32(at + 24, what('sh_link'));
    if (link >= h.shnum && (type === SHT_SYMTAB || type === 11) /* SHT_DYNSYM */) {
      fail(
        'bad-section-header',
        at + 24,
        `section ${index}: sh_link ${link} is not a section index (e_shnum is ${h.shnum})`,
      );
    }
    raw.push({
      index,
      type,
      flags: r.u32(at + 8, what('sh_flags')),
      addr: r.u32(at + 12, what('sh_addr')),
      offset,
      size,
      link,
      info: r.u32(at + 28, what('sh_info')),
      addralign: r.u32(at + 32, what('sh_addralign')),
      entsize: r.u32(at + 36, what('sh_entsize')),
      data:
        type === SHT_NOBITS || type === 0 ? new Uint8Array(0) : r.slice(offset, size, what('data')),
    });
  }
  const strtab = h.shstrndx !== 0 ? raw[h.shstrndx] : undefined;
  if (strtab && strtab.type !== SHT_STRTAB) {
    fail(
      'bad-string-table',
      h.shoff + h.shstrndx * SECTION_HEADER_SIZE + 4,
      `e_shstrndx ${h.shstrndx} names a section of type ${strtab.type}, expected SHT_STRTAB (3)`,
    );
  }
  return raw.map((s, i) => {
    let name = '';
    if (strtab && (i !== 0 || nameOffsets[i] !== 0)) {
      const nameOffset = nameOffsets[i]!;
      if (nameOffset >= strtab.size) {
        fail(
          'bad-string-table',
          h.shoff + i * SECTION_HEADER_SIZE,
          `section ${i}: sh_name ${hex(nameOffset)} is outside the section name table (size ${hex(strtab.size)})`,
        );
      }
      name = r.cstring(
        strtab.offset + nameOffset,
        `section ${i} name`,
        strtab.offset + strtab.size,
      ).text;
    }
    return { ...s, name };
  });
}

function checkLoadOverlaps(loads: readonly ElfSegment[], phoff: number): void {
  const sorted = [...loads].sort((a, b) => a.paddr - b.paddr);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (cur.paddr < prev.paddr + prev.memsz) {
      fail(
        'segment-overlap',
        phoff + cur.index * PROGRAM_HEADER_SIZE,
        `PT_LOAD segments ${prev.index} (${hex(prev.paddr)}..${hex(prev.paddr + prev.memsz)}) and ${cur.index} (${hex(cur.paddr)}..${hex(cur.paddr + cur.memsz)}) overlap in memory`,
      );
    }
  }
}
