/**
 * The machine's events, an emitter for each, and the topology version onTopologyChanged
 * carries: counted up on every commit that added or removed a section of the hart's flat view
 * (a remap, a region enabled, HTIF placed at its symbol).
 */
import type { AddressSpace, MemorySystem, MemTxResult } from '../../engine';
import { Emitter } from './emitter';
import type { MachineExit, MachineOutput, MachineStop, MemoryRange } from './machineTypes';

/** One debugger write (Machine.writeMemory): where, how many bytes, and the engine's answer. */
export interface DebuggerWrite {
  readonly space: AddressSpace;
  readonly address: bigint;
  readonly length: number;
  readonly result: MemTxResult;
}

export class MachineEvents {
  readonly stopped = new Emitter<MachineStop>();
  readonly output = new Emitter<MachineOutput>();
  readonly exited = new Emitter<MachineExit>();
  readonly topologyChanged = new Emitter<number>();
  readonly memoryChanged = new Emitter<readonly MemoryRange[]>();
  readonly debuggerWrite = new Emitter<DebuggerWrite>();
  private version = 0;

  /** Counts (and fires) the flat-view changes of @space from now on. */
  watchTopology(system: MemorySystem, space: AddressSpace): void {
    let changed = false;
    system.registerListener(
      {
        name: 'machine-topology',
        regionAdd: () => (changed = true),
        regionDel: () => (changed = true),
        commit: () => {
          if (!changed) return;
          changed = false;
          this.version++;
          this.topologyChanged.fire(this.version);
        },
      },
      space,
    );
  }

  get topologyVersion(): number {
    return this.version;
  }

  /** Drops every listener (the topology listener stays registered, firing to none). */
  dispose(): void {
    for (const e of [
      this.stopped,
      this.output,
      this.exited,
      this.topologyChanged,
      this.memoryChanged,
      this.debuggerWrite,
    ]) {
      e.dispose();
    }
  }
}
