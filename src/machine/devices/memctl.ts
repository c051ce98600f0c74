/**
 * Memory controller (`device x : memctl { reg … on-write { enable r = EN } }`): a register bank
 * whose writes run the board's actions — enable, disable or move a region, change an alias
 * offset — against the live map, all changes of one write in one engine transaction (the board
 * layer's runActions opens it), so the flat view re-renders once and the CPU's decode cache is
 * dropped once. `effects` lists what the last writes changed, newest last.
 */
import type { MemorySystem } from '../../engine';
import type { ActionEffect, BuildContext, DeviceDescription } from '../../board';
import { RegisterBankDevice } from './regbank';
import type { DeviceEnv } from './types';

const EFFECT_LOG = 256;

export class MemoryController extends RegisterBankDevice {
  readonly effects: ActionEffect[] = [];

  constructor(
    system: MemorySystem,
    env: DeviceEnv,
    description: DeviceDescription,
    context: BuildContext,
  ) {
    const effects: ActionEffect[] = [];
    const logged: BuildContext = {
      region: (id) => context.region(id),
      runWriteActions: (regionId, register, value, old) => {
        const done = context.runWriteActions(regionId, register, value, old);
        effects.push(...done);
        if (effects.length > EFFECT_LOG) effects.splice(0, effects.length - EFFECT_LOG);
        return done;
      },
      runReadActions: (regionId, register, value) => {
        const done = context.runReadActions(regionId, register, value);
        effects.push(...done);
        return done;
      },
    };
    super(system, env, description, logged);
    this.effects = effects;
  }
}
