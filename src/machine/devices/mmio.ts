/**
 * Builds a device window's MemoryRegionOps from plain read/write/peek functions, adding the
 * `--trace mmio` hook (one MmioAccess per guest access; peeks are never traced).
 */
import type { MemoryRegion, MemoryRegionOps } from '../../engine';
import type { DeviceEnv } from './types';

export interface WindowHandlers {
  read(offset: number, size: number): number;
  write(offset: number, value: number, size: number): void;
  /** Side-effect-free read (debuggers, views); undefined = not peekable. */
  peek(offset: number, size: number): number | undefined;
  registerName(offset: number): string | undefined;
}

export interface WindowAccess {
  /** Smallest and largest access the bus accepts (bytes). */
  readonly min: number;
  readonly max: number;
  /** Largest access the handlers implement (the engine splits wider ones). */
  readonly implMax?: number;
  /** QEMU's `valid.accepts`: false refuses the access (a decode error, an access fault). */
  readonly accepts?: (offset: number, size: number, isWrite: boolean) => boolean;
}

export function windowOps(
  env: DeviceEnv,
  device: string,
  handlers: WindowHandlers,
  access: WindowAccess,
): MemoryRegionOps {
  const trace = (
    region: MemoryRegion,
    offset: number,
    size: number,
    isWrite: boolean,
    value: number,
  ): void => {
    const tracer = env.tracer();
    if (!tracer) return;
    tracer({
      pc: env.pc(),
      device,
      region: region.name,
      offset,
      size,
      isWrite,
      value: value >>> 0,
      register: handlers.registerName(offset),
    });
  };
  return {
    read: (region, offset, size) => {
      const value = handlers.read(offset, size) >>> 0;
      trace(region, offset, size, false, value);
      return value;
    },
    write: (region, offset, value, size) => {
      trace(region, offset, size, true, value);
      handlers.write(offset, value >>> 0, size);
    },
    peek: (_region, offset, size) => {
      const v = handlers.peek(offset, size);
      return v === undefined ? undefined : v >>> 0;
    },
    endianness: 'little',
    valid: {
      minAccessSize: access.min,
      maxAccessSize: access.max,
      ...(access.accepts
        ? {
            accepts: (_region: MemoryRegion, offset: number, size: number, isWrite: boolean) =>
              access.accepts!(offset, size, isWrite),
          }
        : {}),
    },
    impl: { minAccessSize: access.min, maxAccessSize: access.implMax ?? access.max },
  };
}
