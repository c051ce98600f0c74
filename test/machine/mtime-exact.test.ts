// mtime as the guest reads it (CLINT MMIO load or the time CSR) is the value for the exact
// instruction doing the read, not the instruction count as of the batch start, in every CPU mode.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MachineOptions } from '../../src/machine';
import * as asm from '../../src/machine/asm';
import { rawProgram, virt } from './machineHelpers';

const { a0, a1, a2, a3, a6, t0, t1 } = asm;
const MTIME = 0x0200_bff8;
const TIME_CSR = 0xc01;
const RESULTS = 0x8000_4000;
/** Instructions from the first read to the second (the second read is the GAP-th after it). */
const GAP = 100;
/** Enough passes for the default block compiler threshold (16) to compile the loop. */
const PASSES = 40;

type Read = 'mmio' | 'csr';

/** Reads time into `rd` with one instruction. */
const readTime = (kind: Read, rd: number): number =>
  kind === 'mmio' ? asm.lw(rd, t0, 0) : asm.csrr(rd, TIME_CSR);

/**
 * A loop of PASSES passes; each stores, for every pair of read kinds, the difference of two
 * reads GAP instructions apart (GAP - 1 ALU instructions between them).
 */
function program(pairs: readonly [Read, Read][]): asm.Insn[] {
  const filler = Array.from({ length: GAP - 1 }, () => asm.addi(a6, a6, 1));
  const body: asm.Insn[] = [];
  for (const [first, second] of pairs) {
    body.push(
      readTime(first, a0),
      ...filler,
      readTime(second, a1),
      asm.sub(a3, a1, a0),
      asm.sw(a3, t1, 0),
      asm.addi(t1, t1, 4),
    );
  }
  body.push(asm.addi(a2, a2, -1));
  const loopBytes = body.length * 4;
  body.push(asm.bne(a2, 0, -loopBytes));
  return [
    ...asm.li(t0, MTIME),
    ...asm.li(t1, RESULTS),
    ...asm.li(a2, PASSES),
    ...body,
    asm.jal(0, 0),
  ];
}

const MODES: [string, MachineOptions['jit']][] = [
  ['block compiler (default threshold)', undefined],
  ['block compiler compiling everything', { threshold: 0 }],
  ['interpreter', false],
];
const PAIRS: [Read, Read][] = [
  ['mmio', 'mmio'],
  ['csr', 'csr'],
  ['mmio', 'csr'],
  ['csr', 'mmio'],
];

describe('mtime read mid-batch is exact for the reading instruction', () => {
  for (const [mode, jit] of MODES) {
    for (const instructionsPerTick of [1, 10]) {
      test(`${mode}, ${instructionsPerTick} instruction(s) per tick`, async () => {
        const m = virt({ instructionsPerTick, ...(jit !== undefined ? { jit } : {}) });
        rawProgram(m, program(PAIRS));
        // one run call: the whole program is a few batches at most, most reads are mid-batch
        const stop = await m.run({ maxInstructions: PASSES * PAIRS.length * (GAP + 4) + 100 });
        assert.equal(stop.reason, 'budget');
        const bytes = m.readMemory(RESULTS, PASSES * PAIRS.length * 4).data;
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const expected = GAP / instructionsPerTick;
        for (let pass = 0; pass < PASSES; pass++) {
          for (let p = 0; p < PAIRS.length; p++) {
            const diff = view.getInt32((pass * PAIRS.length + p) * 4, true);
            assert.equal(diff, expected, `pass ${pass}, ${PAIRS[p]!.join(' then ')}`);
          }
        }
      });
    }
  }
});
