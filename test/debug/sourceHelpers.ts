// Stopping an oracle ELF (test/machine/debuginfo/oracle) in the adapter, for the source-level tests.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { launch, root, runTo, startClient } from './helpers';

export const oracleElf = (elf: string): string =>
  join(root, 'test', 'machine', 'debuginfo', 'oracle', 'build', `${elf}.elf`);

/** Stops `elf` at an instruction breakpoint's `hit`-th hit (a fresh session). */
export async function stopAt(
  elf: string,
  addresses: readonly number[],
  hit: number,
): Promise<DebugClient> {
  const dc = await startClient();
  await launch(dc, {
    program: oracleElf(elf),
    stopOnEntry: true,
    before: (c) =>
      c.customRequest('setInstructionBreakpoints', {
        breakpoints: addresses.map((a) => ({ instructionReference: `0x${a.toString(16)}` })),
      }),
  });
  for (let n = 0; n < hit; n++) {
    const stop = await runTo(dc, dc.continueRequest({ threadId: 1 }));
    assert.equal(stop.body.reason, 'instruction breakpoint');
  }
  return dc;
}
