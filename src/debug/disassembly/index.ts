/**
 * DAP `disassemble` over any address, and the disassembly source shown for frames that have
 * no source lines (reset ROM, code without -g, trap vectors).
 */
export { disassemble } from './disassemble';
export { DisassemblySources } from './disassemblySource';
