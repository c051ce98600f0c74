/**
 * Lexical structure at a pc, as gdb builds it from DWARF (dwarf2/read.c + buildsym.c): the chain
 * of scopes (lexical blocks, inlined subroutines, the subprogram) containing the pc, and each
 * scope's symbols in the order gdb lists them:
 *  - a function's own block (subprogram or inlined subroutine) is a linear dictionary:
 *    declaration order, with variables of range-less lexical blocks folded in, then the abstract
 *    origin's children that no concrete child refers to;
 *  - any other lexical block is a hashed dictionary in gdb, whose iteration order we do not
 *    reproduce: we list those in declaration order (the oracle compares them as sets).
 */
import { DW_AT, DW_TAG } from '../dwarf';
import type { Die } from '../dwarf';
import { DwarfError } from '../dwarfReader';

export const isFunctionTag = (tag: number): boolean =>
  tag === DW_TAG.subprogram || tag === DW_TAG.inlined_subroutine;

export const isVariableTag = (tag: number): boolean =>
  tag === DW_TAG.variable || tag === DW_TAG.formal_parameter;

/** A DIE's pc ranges; [] when it has none or they cannot be read. */
export function rangesOf(die: Die): readonly (readonly [number, number])[] {
  try {
    return die.unit.ranges(die);
  } catch (e) {
    if (e instanceof DwarfError) return [];
    throw e;
  }
}

export function containsPc(die: Die, pc: number): boolean {
  return rangesOf(die).some(([start, end]) => pc >= start && pc < end);
}

/**
 * Scopes containing `pc`, innermost first, ending with the subprogram. Only scopes with pc
 * ranges are scopes (gdb folds a range-less lexical block into its parent). Empty when no
 * function of the unit contains the pc.
 */
export function scopeChainAt(root: Die, pc: number): Die[] {
  const chain: Die[] = [];
  let candidates: readonly Die[] = root.children;
  for (let depth = 0; depth < 256; depth++) {
    let found: Die | undefined;
    for (const die of candidates) {
      if (
        die.tag === DW_TAG.subprogram ||
        die.tag === DW_TAG.inlined_subroutine ||
        die.tag === DW_TAG.lexical_block
      ) {
        if (containsPc(die, pc)) {
          found = die;
          break;
        }
        if (die.tag === DW_TAG.lexical_block && rangesOf(die).length === 0) {
          // A range-less block is transparent: look inside it for scopes with ranges.
          const inner = scopeChainAt(die, pc);
          if (inner.length > 0) {
            chain.unshift(...inner);
            return chain;
          }
        }
      }
    }
    if (!found) break;
    chain.unshift(found);
    candidates = found.children;
  }
  return chain;
}

/** The symbols (variable and parameter DIEs) of one scope, in gdb's order. */
export function scopeSymbols(scope: Die): Die[] {
  const symbols: Die[] = [];
  collect(scope, symbols, 0);
  return symbols;
}

function collect(scope: Die, out: Die[], depth: number): void {
  if (depth > 64) return;
  for (const child of scope.children) {
    if (isVariableTag(child.tag)) out.push(child);
    else if (child.tag === DW_TAG.lexical_block && rangesOf(child).length === 0)
      collect(child, out, depth + 1);
  }
  inheritAbstract(scope, out, depth);
}

/** gdb's inherit_abstract_dies: origin children no concrete child refers to. */
function inheritAbstract(scope: Die, out: Die[], depth: number): void {
  const link = scope.attribute(DW_AT.abstract_origin);
  const origin = link ? scope.unit.reference(link) : undefined;
  if (!origin) return;
  const referenced = new Set<Die>();
  for (const child of scope.children) {
    if (child.tag === DW_TAG.call_site || child.tag === DW_TAG.GNU_call_site) continue;
    let target: Die | undefined = child;
    for (let i = 0; i < 8 && target; i++) {
      const a: ReturnType<Die['attribute']> = target.attribute(DW_AT.abstract_origin);
      if (!a) break;
      target = target.unit.reference(a);
    }
    if (target && target !== child && target.parent === origin) referenced.add(target);
  }
  for (const child of origin.children) {
    if (referenced.has(child)) continue;
    if (isVariableTag(child.tag)) out.push(child);
    else if (child.tag === DW_TAG.lexical_block && rangesOf(child).length === 0)
      collect(child, out, depth + 1);
  }
}
