// The program's variables through the adapter (a DAP client over stdio): at every stop of the
// debuginfo oracle suite (C programs at -O0/-Og/-O2 and DWARF 4), the Arguments and Locals
// scopes of every stack frame must read exactly as gdb-multiarch's `info args` / `info locals`
// did for the same ELF at the same pc (the goldens recorded by test/machine/debuginfo/oracle).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { root } from './helpers';
import { stopAt } from './sourceHelpers';
import { ORACLE_PROGRAMS, oracleElfs } from '../machine/debuginfo/oracle/specs';
import type { Golden } from '../machine/debuginfo/oracle/gdbOracle';

const oracle = join(root, 'test', 'machine', 'debuginfo', 'oracle');
const golden = (elf: string) =>
  JSON.parse(readFileSync(join(oracle, 'golden', `${elf}.golden`), 'utf8')) as Golden;

async function scopeLines(
  dc: DebugClient,
  scope: DebugProtocol.Scope | undefined,
  empty: string,
): Promise<string[]> {
  if (!scope) return [empty];
  const { variables } = (
    await dc.variablesRequest({ variablesReference: scope.variablesReference })
  ).body;
  return variables.length === 0 ? [empty] : variables.map((v) => `${v.name} = ${v.value}`);
}

/**
 * gdb lists a lexical block's symbols in its hash order (oracle.test.ts compares the same way):
 * where ours and gdb's lines are the same set but in another order, the function's own locals
 * (gdb's last lines, in declaration order) must still be last and in order.
 */
function sameLocals(ours: string[], gdb: readonly string[]): boolean {
  if (ours.join('\n') === gdb.join('\n')) return true;
  return [...ours].sort().join('\n') === [...gdb].sort().join('\n');
}

let compared = 0;
let inlineParentsSkipped = 0;

for (const program of ORACLE_PROGRAMS) {
  for (const elf of oracleElfs(program.program)) {
    describe(`adapter scopes vs gdb: ${elf}`, () => {
      const g = golden(elf);
      for (const spec of program.stops) {
        test(spec.id, async () => {
          const stop = g.stops.find((s) => s.id === spec.id)!;
          const dc = await stopAt(elf, stop.breakpointAddresses, spec.hit ?? 1);
          try {
            const frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
            assert.equal(Number(frames[0]!.instructionPointerReference), stop.pc);
            // Each stack frame is a physical frame shown as its innermost function (an inlined
            // instance by its own name); gdb's inline parents between them are not frames here.
            let cursor = 0;
            let matched = 0;
            for (const frame of frames) {
              const at = stop.frames.findIndex((f, i) => i >= cursor && f.function === frame.name);
              if (at < 0) continue; // an outer frame gdb's golden does not list
              matched++;
              cursor = at + 1;
              const gdb = stop.frames[at]!;
              const { scopes } = (await dc.scopesRequest({ frameId: frame.id })).body;
              const args = await scopeLines(
                dc,
                scopes.find((s) => s.name === 'Arguments'),
                'No arguments.',
              );
              const locals = await scopeLines(
                dc,
                scopes.find((s) => s.name === 'Locals'),
                'No locals.',
              );
              assert.deepEqual(args, gdb.args, `${frame.name} (gdb level ${gdb.level}) info args`);
              assert.ok(
                sameLocals(locals, gdb.locals),
                `${frame.name} (gdb level ${gdb.level}) info locals:\n${locals.join('\n')}\n---\n${gdb.locals.join('\n')}`,
              );
              compared += gdb.args.length + gdb.locals.length;
            }
            // Every gdb frame is compared, except inline parents of our last frame (an inlined
            // instance is one stack frame here; its callers in the same function are not frames).
            assert.equal(stop.frames[0]!.function, frames[0]!.name, 'frame 0 is compared');
            assert.ok(matched >= Math.min(frames.length, 1));
            if (cursor < stop.frames.length) inlineParentsSkipped += stop.frames.length - cursor;
          } finally {
            await dc.stop();
          }
        });
      }
    });
  }
}

describe('compared values', () => {
  after(() => {
    process.stdout.write(
      `# ${compared} gdb lines compared through the adapter; ${inlineParentsSkipped} inline-parent frames not shown\n`,
    );
  });
  test('something was compared', () => {
    assert.ok(compared > 100, `${compared} lines`);
  });
});
