/**
 * What a gdb-like Step Into needs: where gdb puts `break FUNCTION` (after the prologue, or the
 * entry itself), the inlined instances that begin at a pc, and whether code has line
 * information (calls into code without it are stepped over).
 *
 * gdb 13's rule (symtab.c skip_prologue_sal), checked against gdb's breakpoint addresses in the
 * oracle goldens: in a unit whose locations gdb trusts ("locations_valid": GCC ≥ 4.5 and the unit
 * uses location lists, i.e. optimised code) the breakpoint goes on the function's entry; otherwise
 * the prologue is skipped with the line table — to the next row after the entry when it is a
 * row of another line (two statement rows of different lines at the entry mean no prologue).
 */
import { DW_AT, DW_FORM, type CompileUnit, type Die } from '../dwarf';
import type { LineTable } from '../lineTable';
import { isVariableTag } from './blocks';

const locationsValidCache = new WeakMap<CompileUnit, boolean>();

/** gdb's `locations_valid`: a GCC ≥ 4.5 unit that uses location lists. */
export function locationsValid(unit: CompileUnit): boolean {
  let valid = locationsValidCache.get(unit);
  if (valid !== undefined) return valid;
  valid = false;
  const producerAttr = unit.root?.attribute(DW_AT.producer);
  let producer = '';
  try {
    producer = producerAttr ? unit.string(producerAttr) : '';
  } catch {
    producer = '';
  }
  const gcc = /^GNU [A-Za-z+ 0-9]*?(\d+)\.(\d+)/.exec(producer);
  const modern =
    gcc !== null && (Number(gcc[1]) > 4 || (Number(gcc[1]) === 4 && Number(gcc[2]) >= 5));
  if (modern) {
    const stack: Die[] = unit.tree ? [unit.tree] : [];
    while (stack.length > 0 && !valid) {
      const die = stack.pop()!;
      if (isVariableTag(die.tag)) {
        const loc = die.attribute(DW_AT.location);
        if (
          loc &&
          (loc.form === DW_FORM.sec_offset ||
            loc.form === DW_FORM.loclistx ||
            (unit.version < 4 && (loc.form === DW_FORM.data4 || loc.form === DW_FORM.data8)))
        )
          valid = true;
      }
      stack.push(...die.children);
    }
  }
  locationsValidCache.set(unit, valid);
  return valid;
}

/**
 * The line-table prologue skip (gdb's skip_prologue_using_sal on GCC 12's tables): the address
 * of the first row after the entry that starts another line (gdb's line table keeps a row only
 * when the line changes, statement or not); the entry itself when two statement rows of
 * different lines begin there (no prologue).
 */
export function addressAfterPrologue(lines: LineTable, entry: number): number {
  const sequence = lines.sequences.find((s) => entry >= s.start && entry < s.end);
  if (!sequence) return entry;
  const rows = sequence.rows.filter((r) => !r.endSequence && r.line !== 0);
  const atEntry = rows.filter((r) => r.address === entry);
  const first = atEntry.find((r) => r.isStmt) ?? atEntry[0];
  if (!first) return entry;
  if (atEntry.some((r) => r.isStmt && r.line !== first.line)) return entry;
  const next = rows.find(
    (r) => r.address > entry && (r.line !== first.line || r.file !== first.file),
  );
  return next && next.address < sequence.end ? next.address : entry;
}

/**
 * Where gdb's `step` stops after entering a function at `entry` (infrun's
 * handle_step_into_function): the architecture's prologue skip — the line table, whatever the
 * unit's optimisation — continued to the end of the line when it ends mid-line.
 */
export function stepIntoAddress(lines: LineTable, entry: number): number {
  const body = addressAfterPrologue(lines, entry);
  // Mid-line means no row (statement or not) starts at the address.
  if (body === entry || lines.lineForAddress(body, 'addr2line')?.address === body) return body;
  return lines.lineRangeAt(body)?.end ?? body;
}

/** Where gdb's `break FUNCTION` goes for the function whose entry is `entry` in `unit`. */
export function functionBreakpointAddress(
  unit: CompileUnit,
  lines: LineTable,
  entry: number,
): number {
  return locationsValid(unit) ? entry : addressAfterPrologue(lines, entry);
}

/** Whether the line table has any row for `address` (gdb steps over calls into code without). */
export function hasLineInfo(lines: LineTable, address: number): boolean {
  return lines.lineForAddress(address) !== undefined;
}
