/** Scopes at a pc: functions, inline frames, blocks, variables and their values. */
export * from './blocks';
export * from './frameState';
export * from './sourceSymbols';
export * from './variableValue';
export * from './stepping';
export * from './stack';
