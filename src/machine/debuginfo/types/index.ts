/** The C type model built from DWARF, and type names as gdb prints them. */
export * from './typeName';
export * from './typeReader';
export * from './types';
