/**
 * Frames without source lines get a disassembly listing as their source, so VS Code focuses
 * them on an entry, pause or exception stop (it skips frames without an available source there).
 * hello.elf on virt stops on entry at the reset vector in the mask ROM (0x1000): the frame's
 * source is a listing whose line `line` is the pc's instruction, as objdump decodes it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { launch, runTo, startClient } from './helpers';

async function topFrame(dc: DebugClient): Promise<DebugProtocol.StackFrame> {
  return (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0]!;
}

async function sourceText(dc: DebugClient, source: DebugProtocol.Source): Promise<string> {
  const r = (await dc.customRequest('source', {
    source,
    sourceReference: source.sourceReference,
  })) as DebugProtocol.SourceResponse;
  return r.body.content;
}

describe('disassembly listings as the source of frames without lines', () => {
  let dc: DebugClient;
  before(async () => {
    dc = await startClient();
    await launch(dc);
  });
  after(() => dc.stop());

  test('the reset vector in ROM: a listing of the block, the frame on the pc line', async () => {
    const frame = await topFrame(dc);
    assert.equal(frame.instructionPointerReference, '0x00001000');
    assert.ok(frame.source?.sourceReference, JSON.stringify(frame));
    assert.equal(frame.source.path, undefined);
    assert.equal(frame.presentationHint, undefined, 'not subtle: VS Code must focus it');
    assert.match(frame.source.name ?? '', /riscv_virt_board\.mrom@0x00001000 \(disassembly\)/);
    const lines = (await sourceText(dc, frame.source)).split('\n');
    assert.match(lines[frame.line - 1]!, /^0x00001000: {2}00000297 {2}auipc t0,0x0/);
    // QEMU's virt reset vector jumps through t0 to the firmware entry.
    assert.ok(
      lines.some((l) => /jr t0|jalr zero,0\(t0\)/.test(l)),
      lines.slice(0, 12).join('\n'),
    );
  });

  test('stepping by instruction keeps the same listing and moves the line', async () => {
    const before = await topFrame(dc);
    await runTo(dc, dc.nextRequest({ threadId: 1, granularity: 'instruction' }));
    const after = await topFrame(dc);
    assert.equal(after.source?.sourceReference, before.source?.sourceReference);
    assert.equal(after.line, before.line + 1);
  });

  test('frames with DWARF lines keep their file', async () => {
    await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'main' }] });
    await runTo(dc, dc.continueRequest({ threadId: 1 }));
    const frame = await topFrame(dc);
    assert.match(frame.source?.path ?? '', /hello\.c$/);
    assert.equal(frame.source?.sourceReference, undefined);
  });

  test('an unknown source reference is an error, not a crash', async () => {
    await assert.rejects(
      () => dc.customRequest('source', { sourceReference: 12345 }),
      /no source with reference 12345/,
    );
  });
});
