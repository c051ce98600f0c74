/**
 * Connects a CPU core to the memory engine: the engine's CpuMemoryPort is the core's CpuBus
 * (fast DataView path per RAM page, MMIO dispatch, watchpoints, dirty tracking), and this file
 * wires the two hooks that keep the core's decoded-instruction cache exact:
 *
 * - code writes: any master (debugger, DMA, loader) writing into a page the core has cached code
 *   from makes the engine call `codeWriteHook`; the core forgets those instructions and re-arms
 *   the page's protection (Cpu.invalidateDecodeCache(address, size));
 * - topology changes: when a commit adds or removes sections (a remap, a region enabled, an
 *   alias moved), what is mapped at an address may have changed without any write, so the whole
 *   decode cache is dropped (Cpu.invalidateDecodeCache()).
 *
 * The core's own stores are checked by the core itself (its decode cache marks code pages).
 */
import { CpuMemoryPort, type AddressSpace, type MemoryListener } from '../../engine';
import type { CpuBus } from './bus';
import type { Cpu } from '../cpu';

/** The engine port typed as the bus a core takes (the port implements CpuBus structurally). */
export type EngineBus = CpuMemoryPort & CpuBus;

/** Creates the CPU-facing port of `as`. Pass it to the core's constructor, then linkDecodeCache. */
export function createEngineBus(as: AddressSpace): EngineBus {
  const port: EngineBus = new CpuMemoryPort(as);
  return port;
}

/** A connection to undo with dispose(). */
export interface EngineBusLink {
  dispose(): void;
}

/**
 * Keeps `cpu`'s decode cache exact with respect to `port`'s address space (see the file
 * comment). Dispose the link, then the port, when the core goes away.
 */
export function linkDecodeCache(
  port: CpuMemoryPort,
  cpu: Pick<Cpu, 'invalidateDecodeCache'>,
): EngineBusLink {
  port.codeWriteHook = (address, length) => cpu.invalidateDecodeCache(address, length);
  let topologyChanged = false;
  const listener: MemoryListener = {
    name: 'cpu-decode-cache',
    regionAdd: () => {
      topologyChanged = true;
    },
    regionDel: () => {
      topologyChanged = true;
    },
    commit: () => {
      if (topologyChanged) cpu.invalidateDecodeCache();
      topologyChanged = false;
    },
  };
  const system = port.as.system;
  system.registerListener(listener, port.as);
  return {
    dispose: () => {
      system.unregisterListener(listener);
      port.codeWriteHook = null;
    },
  };
}
