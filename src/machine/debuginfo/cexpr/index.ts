/** C expressions over a frame, parsed and evaluated as gdb does. */
export * from './ast';
export * from './builtinTypes';
export * from './evaluator';
export * from './frameScope';
export * from './lexer';
export * from './parser';
export * from './scope';
export * from './assignment';
export * from './arithmetic';
export * from './typeQueries';
