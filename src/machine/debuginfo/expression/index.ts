/** DWARF location expressions and the locations they evaluate to. */
export * from './evaluate';
export * from './location';
