/**
 * The ELF symbol table (.symtab + its .strtab): functions, objects and labels with their sizes,
 * looked up by name and by address ("main+0x12"). Mapping symbols ($x…, $d…), section and file
 * symbols are kept in `all` but never used to name an address.
 */
import type { ByteReader } from './byteReader';
import { LoaderError } from './errors';
import { hex } from '../../engine';
import type { ElfSection } from './section';

export type SymbolKind =
  'notype' | 'object' | 'func' | 'section' | 'file' | 'common' | 'tls' | 'other';
export type SymbolBinding = 'local' | 'global' | 'weak' | 'other';

export interface ElfSymbol {
  readonly name: string;
  readonly value: number;
  readonly size: number;
  readonly kind: SymbolKind;
  readonly binding: SymbolBinding;
  /** st_shndx: 0 = undefined, 0xfff1 = absolute. */
  readonly sectionIndex: number;
}

export interface SymbolLocation {
  readonly symbol: ElfSymbol;
  /** address - symbol.value */
  readonly offset: number;
}

const SYMBOL_SIZE = 16;
const SHN_UNDEF = 0;
const SHN_ABS = 0xfff1;
const KINDS: SymbolKind[] = ['notype', 'object', 'func', 'section', 'file', 'common', 'tls'];
const BINDINGS: SymbolBinding[] = ['local', 'global', 'weak'];

/** A symbol that can name an address: defined, not a section/file/mapping symbol. */
function isAddressName(s: ElfSymbol): boolean {
  return (
    s.sectionIndex !== SHN_UNDEF &&
    s.name !== '' &&
    !s.name.startsWith('$') &&
    !s.name.startsWith('.L') &&
    (s.kind === 'func' || s.kind === 'object' || s.kind === 'notype')
  );
}

function bindingRank(s: ElfSymbol): number {
  return s.binding === 'global' ? 0 : s.binding === 'weak' ? 1 : 2;
}

/** A symbol that can name code: not absolute (a constant such as `__stack_size`), not data. */
function isCodeName(s: ElfSymbol): boolean {
  return s.sectionIndex !== SHN_ABS && s.kind !== 'object';
}

export class SymbolTable {
  /** Address-naming symbols sorted by value, then global before weak before local. */
  private readonly sorted: ElfSymbol[];
  /** The subset that may name code (lookupCode). */
  private readonly sortedCode: ElfSymbol[];
  private readonly byNameMap = new Map<string, ElfSymbol>();
  /** The largest st_size: bounds how far below an address a containing symbol can start. */
  private readonly largestSize: number;

  constructor(readonly all: readonly ElfSymbol[]) {
    this.sorted = all
      .filter(isAddressName)
      .sort((a, b) => a.value - b.value || bindingRank(a) - bindingRank(b) || b.size - a.size);
    this.sortedCode = this.sorted.filter(isCodeName);
    this.largestSize = this.sorted.reduce((max, s) => Math.max(max, s.size), 1);
    for (const s of all) {
      if (
        s.sectionIndex === SHN_UNDEF ||
        s.name === '' ||
        s.kind === 'section' ||
        s.kind === 'file'
      )
        continue;
      const existing = this.byNameMap.get(s.name);
      if (!existing || bindingRank(s) < bindingRank(existing)) this.byNameMap.set(s.name, s);
    }
  }

  get size(): number {
    return this.all.length;
  }

  /** A defined symbol by exact name (a global wins over a local of the same name). */
  byName(name: string): ElfSymbol | undefined {
    return this.byNameMap.get(name);
  }

  /** Functions (STT_FUNC), sorted by address. */
  functions(): ElfSymbol[] {
    return this.sorted.filter((s) => s.kind === 'func');
  }

  /**
   * The symbol that names `address`: the smallest sized symbol containing it; otherwise the
   * nearest label (size 0) at or below it, unless a sized symbol ends in between. Undefined when
   * nothing precedes the address.
   */
  lookup(address: number): SymbolLocation | undefined {
    return this.find(this.sorted, address);
  }

  /**
   * Like lookup, for an address of code (a frame's pc, a disassembled instruction): never an
   * absolute symbol (SHN_ABS: a constant such as `__stack_size = 0x1000`, which would name the
   * reset ROM) nor a data object (STT_OBJECT).
   */
  lookupCode(address: number): SymbolLocation | undefined {
    return this.find(this.sortedCode, address);
  }

  private find(sorted: readonly ElfSymbol[], address: number): SymbolLocation | undefined {
    let container: ElfSymbol | undefined;
    let label: ElfSymbol | undefined;
    let labelShadowed = false;
    for (let i = upperBound(sorted, address) - 1; i >= 0; i--) {
      const s = sorted[i]!;
      if (address - s.value >= this.largestSize && (container || label || labelShadowed)) break;
      if (s.size > 0) {
        if (address < s.value + s.size) {
          if (!container || s.size < container.size) container = s;
        } else if (!label) {
          labelShadowed = true; // a sized symbol ends between any lower label and the address
        }
      } else if (!label && !labelShadowed) {
        label = s;
      }
    }
    const found = container ?? label;
    return found ? { symbol: found, offset: address - found.value } : undefined;
  }

  /** "main", "main+0x12", or undefined when no symbol names the address. */
  describe(address: number): string | undefined {
    const at = this.lookup(address);
    if (!at) return undefined;
    return at.offset === 0 ? at.symbol.name : `${at.symbol.name}+${hex(at.offset)}`;
  }

  /** The function (STT_FUNC) whose [value, value + size) contains `address`. */
  functionAt(address: number): ElfSymbol | undefined {
    let found: ElfSymbol | undefined;
    for (let i = upperBound(this.sorted, address) - 1; i >= 0; i--) {
      const s = this.sorted[i]!;
      if (address - s.value >= this.largestSize) break;
      if (s.kind === 'func' && address < s.value + s.size && (!found || s.size < found.size))
        found = s;
    }
    return found;
  }
}

/** Index of the first symbol whose value is > address. */
function upperBound(sorted: readonly ElfSymbol[], address: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]!.value <= address) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function parseSymbolTable(
  r: ByteReader,
  symtab: ElfSection,
  sections: readonly ElfSection[],
): SymbolTable {
  const fail = (offset: number, detail: string): never => {
    throw new LoaderError(
      'bad-symbol-table',
      offset,
      `symbol table (section ${symtab.index} ${symtab.name || ''}): ${detail}`,
    );
  };
  if (symtab.entsize !== SYMBOL_SIZE)
    fail(symtab.offset, `sh_entsize is ${symtab.entsize}, expected ${SYMBOL_SIZE}`);
  if (symtab.size % SYMBOL_SIZE !== 0)
    fail(symtab.offset, `sh_size ${hex(symtab.size)} is not a multiple of ${SYMBOL_SIZE}`);
  const strtab = sections[symtab.link];
  if (!strtab || strtab.type !== 3)
    fail(symtab.offset, `sh_link ${symtab.link} does not name a string table`);
  const strings = strtab!;
  const symbols: ElfSymbol[] = [];
  for (let at = symtab.offset; at < symtab.offset + symtab.size; at += SYMBOL_SIZE) {
    const index = (at - symtab.offset) / SYMBOL_SIZE;
    const nameOffset = r.u32(at, `symbol ${index} st_name`);
    if (nameOffset >= strings.size && !(nameOffset === 0 && strings.size === 0)) {
      fail(
        at,
        `symbol ${index}: st_name ${hex(nameOffset)} is outside the string table (size ${hex(strings.size)})`,
      );
    }
    const name =
      strings.size === 0
        ? ''
        : r.cstring(
            strings.offset + nameOffset,
            `symbol ${index} name`,
            strings.offset + strings.size,
          ).text;
    const info = r.u8(at + 12, `symbol ${index} st_info`);
    const sectionIndex = r.u16(at + 14, `symbol ${index} st_shndx`);
    const kind = KINDS[info & 0xf] ?? 'other';
    symbols.push({
      // Section symbols have no name of their own; like readelf, show the section's name.
      name: kind === 'section' && name === '' ? (sections[sectionIndex]?.name ?? '') : name,
      value: r.u32(at + 4, `symbol ${index} st_value`),
      size: r.u32(at + 8, `symbol ${index} st_size`),
      kind,
      binding: BINDINGS[info >> 4] ?? 'other',
      sectionIndex: sectionIndex === SHN_ABS ? SHN_ABS : sectionIndex,
    });
  }
  return new SymbolTable(symbols);
}
