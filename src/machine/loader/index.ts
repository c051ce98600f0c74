/** Loaders for firmware images: ELF32 RISC-V executables and raw binaries, plus ELF symbols. */
export { BinaryFormatError, LoaderError, type LoaderErrorCode, type BinaryFormat } from './errors';
export { ByteReader, decodeUtf8, type FailFn } from './byteReader';
export {
  parseElf,
  EM_RISCV,
  ET_EXEC,
  PT_LOAD,
  type ElfFile,
  type ElfHeader,
  type ElfSegment,
  type ElfSection,
} from './elf';
export {
  SymbolTable,
  type ElfSymbol,
  type SymbolKind,
  type SymbolBinding,
  type SymbolLocation,
} from './symbols';
export {
  loadElf,
  loadElfSegments,
  loadRawBinary,
  looksLikeElf,
  type LoadTarget,
  type LoadWriter,
  type LoadWriteResult,
  type LoadedImage,
  type LoadedRange,
  type ElfLoadOptions,
} from './load';
