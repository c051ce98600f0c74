/**
 * A small RV32IMAC assembler (instruction encoders, registers, labels): boards build their reset
 * stubs with it and the CPU tests write their programs with it.
 */
export * from './asm';
