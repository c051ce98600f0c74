/** Small questions about DIEs that follow DW_AT_abstract_origin and DW_AT_specification. */
import { DwarfError } from '../dwarfReader';
import { DW_AT } from './constants';
import type { Die, DieAttribute } from './unit';

/** The DIE an attribute is found on, following abstract_origin/specification (bounded). */
export function findAttribute(die: Die, name: number): DieAttribute | undefined {
  let current: Die | undefined = die;
  for (let depth = 0; current && depth < 8; depth++) {
    const a = current.attribute(name);
    if (a) return a;
    const link: DieAttribute | undefined =
      current.attribute(DW_AT.abstract_origin) ?? current.attribute(DW_AT.specification);
    current = link ? current.unit.reference(link) : undefined;
  }
  return undefined;
}

/** Same as findAttribute, also returning the DIE that holds it (its unit resolves the value). */
export function findAttributeOn(
  die: Die,
  name: number,
): { die: Die; attribute: DieAttribute } | undefined {
  let current: Die | undefined = die;
  for (let depth = 0; current && depth < 8; depth++) {
    const a = current.attribute(name);
    if (a) return { die: current, attribute: a };
    const link: DieAttribute | undefined =
      current.attribute(DW_AT.abstract_origin) ?? current.attribute(DW_AT.specification);
    current = link ? current.unit.reference(link) : undefined;
  }
  return undefined;
}

/** DW_AT_name (through origins); undefined when absent or unreadable. */
export function dieName(die: Die): string | undefined {
  const found = findAttributeOn(die, DW_AT.name);
  if (!found) return undefined;
  try {
    return found.die.unit.string(found.attribute);
  } catch (e) {
    if (e instanceof DwarfError) return undefined;
    throw e;
  }
}

/** The DIE referenced by `name` (through origins). */
export function dieReference(die: Die, name: number): Die | undefined {
  const found = findAttributeOn(die, name);
  return found ? found.die.unit.reference(found.attribute) : undefined;
}

/** A constant-class attribute as a number (or bigint when large); undefined otherwise. */
export function constantOf(a: DieAttribute | undefined): number | undefined {
  if (!a) return undefined;
  if (typeof a.value === 'number') return a.value;
  if (typeof a.value === 'bigint') return Number(a.value);
  return undefined;
}

/** The abstract-origin chain's end: the DIE that declares the entity. */
export function originOf(die: Die): Die {
  let current = die;
  for (let depth = 0; depth < 8; depth++) {
    const link = current.attribute(DW_AT.abstract_origin);
    const next = link ? current.unit.reference(link) : undefined;
    if (!next) break;
    current = next;
  }
  return current;
}
