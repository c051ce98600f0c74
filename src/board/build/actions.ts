/**
 * Memory-controller actions: what a register write does to the memory map (`on-write { enable
 * sram-alias = value & 1 }`). Runs against built engine regions inside one transaction, so the
 * flat views re-render once per register write, as a real controller's update would.
 */
import type { Action, ActionBlock, Expr } from '../syntax';
import { evaluate, type ConstInfo, type RegisterInfo } from '../check';
import { UINT64_MAX, type MemoryRegion } from '../../engine';

/** What an action refers to, resolved: regions by id, constants by name. */
export interface ActionContext {
  readonly region: (id: string) => MemoryRegion | undefined;
  readonly constants: ReadonlyMap<string, ConstInfo>;
}

/** The values an action expression can read. */
export interface ActionValues {
  /** The register's value after the write (or the value read, for on-read). */
  readonly value: bigint;
  /** The register's value before the write. */
  readonly old: bigint;
}

/** One change an action made, for logs and tests. */
export interface ActionEffect {
  readonly action: 'enable' | 'disable' | 'move' | 'alias-offset' | 'resize';
  readonly region: string;
  readonly value: bigint | boolean;
}

export function evalActionExpr(
  expr: Expr | undefined,
  reg: RegisterInfo,
  ctx: ActionContext,
  values: ActionValues,
): bigint | undefined {
  if (!expr) return undefined;
  return evaluate(
    expr,
    (name) => {
      if (name.text === 'value') return values.value;
      if (name.text === 'old') return values.old;
      const f = reg.fields.find((x) => x.name === name.text);
      if (f) return (values.value >> BigInt(f.lsb)) & ((1n << BigInt(f.msb - f.lsb + 1)) - 1n);
      return ctx.constants.get(name.text)?.value;
    },
    () => undefined,
  );
}

/**
 * Runs @block's actions for a write to @reg. Returns the effects applied. Expressions that
 * cannot be evaluated (the checker reports them) are skipped.
 */
export function runActions(
  block: ActionBlock,
  reg: RegisterInfo,
  ctx: ActionContext,
  values: ActionValues,
): ActionEffect[] {
  const effects: ActionEffect[] = [];
  const run = (actions: readonly Action[]): void => {
    for (const a of actions) {
      if (a.type === 'if') {
        const c = evalActionExpr(a.condition, reg, ctx, values);
        if (c === undefined) continue;
        const branch = c !== 0n ? a.then : a.otherwise;
        if (branch) run(branch.actions);
        continue;
      }
      const mr = ctx.region(a.region.text);
      if (!mr) continue;
      switch (a.type) {
        case 'enable':
        case 'disable': {
          let on = a.type === 'enable';
          if (a.condition) {
            const c = evalActionExpr(a.condition, reg, ctx, values);
            if (c === undefined) continue;
            on = a.type === 'enable' ? c !== 0n : c === 0n;
          }
          mr.setEnabled(on);
          effects.push({ action: on ? 'enable' : 'disable', region: a.region.text, value: on });
          break;
        }
        case 'move': {
          const v = evalActionExpr(a.address, reg, ctx, values);
          if (v === undefined) continue;
          mr.setAddress(v & UINT64_MAX);
          effects.push({ action: 'move', region: a.region.text, value: v & UINT64_MAX });
          break;
        }
        case 'alias-offset': {
          const v = evalActionExpr(a.value, reg, ctx, values);
          if (v === undefined || mr.kind !== 'alias') continue;
          mr.setAliasOffset(v & UINT64_MAX);
          effects.push({ action: 'alias-offset', region: a.region.text, value: v & UINT64_MAX });
          break;
        }
        case 'resize': {
          const v = evalActionExpr(a.value, reg, ctx, values);
          if (v === undefined || !fitsResizeable(mr, v)) continue; // the guest's bad size: ignored
          mr.ramResize(v);
          effects.push({ action: 'resize', region: a.region.text, value: v });
          break;
        }
      }
    }
  };
  // batch every change of one register write into one transaction (one re-render)
  const anyRegion = findAnyRegion(block, ctx);
  const system = anyRegion?.system ?? null;
  system?.begin();
  try {
    run(block.actions);
  } finally {
    system?.commit();
  }
  return effects;
}

/** @size is a size memory_region_ram_resize accepts for @mr (1 … max, page-rounded). */
function fitsResizeable(mr: MemoryRegion, size: bigint): boolean {
  const block = mr.ramBlock;
  if (!block?.resizeable || size <= 0n) return false;
  const page = BigInt(mr.system.targetPageSize);
  return ((size + page - 1n) / page) * page <= BigInt(block.maxLength);
}

function findAnyRegion(block: ActionBlock, ctx: ActionContext): MemoryRegion | undefined {
  for (const a of block.actions) {
    if (a.type === 'if') {
      const r =
        (a.then && findAnyRegion(a.then, ctx)) ?? (a.otherwise && findAnyRegion(a.otherwise, ctx));
      if (r) return r;
    } else {
      const r = ctx.region(a.region.text);
      if (r) return r;
    }
  }
  return undefined;
}
