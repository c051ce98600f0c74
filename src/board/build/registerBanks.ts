/**
 * The built board's register banks and the actions their registers run: a board register
 * declaration as an engine RegisterSpec, a region's bank of them, and the build context that
 * runs on-write/on-read actions against the built map, keeping a bounded log of their effects.
 */
import { RegisterBank, type MemoryRegion, type RegisterSpec } from '../../engine';
import { runActions, type ActionContext, type ActionEffect } from './actions';
import type { BuildContext } from './builtBoard';
import type { BoardModel, RegionInfo, RegisterInfo } from '../check';

/** How many action effects a built board's log keeps (the newest). */
const ACTION_LOG_LIMIT = 1000;

/**
 * The context device factories and register banks run actions through: on @model's registers,
 * against @regions (filled in as the builder goes). Every effect is appended to `actionLog`.
 */
export function createBuildContext(
  model: BoardModel,
  regions: ReadonlyMap<string, MemoryRegion>,
): { context: BuildContext; actionLog: ActionEffect[] } {
  const actionLog: ActionEffect[] = [];
  const actionCtx: ActionContext = { region: (id) => regions.get(id), constants: model.constants };
  const run = (
    regionId: string,
    register: string,
    hook: 'onWrite' | 'onRead',
    value: bigint,
    old: bigint,
  ): ActionEffect[] => {
    const reg = model.regions.get(regionId)?.registers.find((r) => r.name === register);
    const block = reg?.[hook];
    if (!reg || !block) return [];
    const effects = runActions(block, reg, actionCtx, { value, old });
    actionLog.push(...effects);
    if (actionLog.length > ACTION_LOG_LIMIT)
      actionLog.splice(0, actionLog.length - ACTION_LOG_LIMIT);
    return effects;
  };
  const context: BuildContext = {
    region: (id) => regions.get(id),
    runWriteActions(regionId, register, value, old) {
      return run(regionId, register, 'onWrite', value, old);
    },
    runReadActions(regionId, register, value) {
      return run(regionId, register, 'onRead', value, value);
    },
  };
  return { context, actionLog };
}

/** The register bank of region @r's declared registers, their actions run through @context. */
export function registerBankFor(r: RegionInfo, context: BuildContext): RegisterBank {
  const specs: RegisterSpec[] = r.registers.map((reg) => boardRegisterSpec(r.id, reg, context));
  return new RegisterBank(r.qemuName, specs);
}

/**
 * A board register declaration as an engine RegisterSpec; its on-write/on-read actions run through
 * `ctx` as owned by `ownerId` (the region or device id). Shared with the machine's regbank model.
 */
export function boardRegisterSpec(
  ownerId: string,
  reg: RegisterInfo,
  ctx: BuildContext,
): RegisterSpec {
  return {
    name: reg.name,
    offset: Number(reg.offset),
    width: reg.width as 1 | 2 | 4,
    access: reg.access,
    reset: Number(reg.reset),
    fields: reg.fields.map((f) => ({
      name: f.name,
      lsb: f.lsb,
      width: f.msb - f.lsb + 1,
      access: f.access,
      ...(f.reset !== undefined ? { reset: Number(f.reset) } : {}),
    })),
    ...(reg.onWrite
      ? {
          onWrite: (_bank, value, oldValue) => {
            ctx.runWriteActions(ownerId, reg.name, BigInt(value >>> 0), BigInt(oldValue >>> 0));
          },
        }
      : {}),
    ...(reg.onRead
      ? {
          // the guest reads the stored value; the actions run as its side effect (peeks do not)
          onRead: (bank) => {
            const v = bank.get(reg.name) >>> 0;
            ctx.runReadActions(ownerId, reg.name, BigInt(v));
            return v;
          },
          onPeek: (bank) => bank.get(reg.name) >>> 0,
        }
      : {}),
  };
}
