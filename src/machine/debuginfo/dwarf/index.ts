/** DWARF .debug_info reading: units, DIEs, forms, range and location lists. */
export * from './abbrev';
export * from './constants';
export * from './dieQueries';
export * from './forms';
export * from './lists';
export * from './program';
export * from './sections';
export * from './unit';
export * from './unitHeader';
