// The tests' assembler lives with the core (boards use it for reset stubs); re-exported here so
// instruction tests read as in rp2040js: `import * as A from './asm'`.
export * from '../../../src/machine/asm';
