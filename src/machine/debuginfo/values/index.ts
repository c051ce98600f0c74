/** Typed values, their bytes and availability, and gdb-style formatting. */
export * from './format';
export * from './scalar';
export * from './symbolize';
export * from './value';
export * from './children';
