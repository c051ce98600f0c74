/**
 * The bus a hart sees (`CpuBus`) and its implementation over the engine's CPU memory port, with
 * the decode-cache link that lets the hart's fast paths stay exact.
 */
export { BUS_DECODE_ERROR, BUS_OK } from './bus';
export type { CpuBus } from './bus';
export { createEngineBus, linkDecodeCache } from './engineBus';
export type { EngineBus, EngineBusLink } from './engineBus';
