/**
 * Export limits are known before the save dialog opens: nothing selected, over the size cap, or
 * Intel HEX past 4 GiB each get their reason, and exportRange refuses the same ranges.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MAX_EXPORT_BYTES,
  MAX_IHEX_EXPORT_BYTES,
  exportProblem,
  exportRange,
} from '../../src/extension/hexEditor/exporter';

test('exportProblem names why a range cannot be exported, and only then', async () => {
  assert.equal(exportProblem(0x8000_0000n, 0x1000n, 'binary'), undefined);
  assert.equal(exportProblem(0x8000_0000n, 0x1000n, 'ihex'), undefined);
  assert.match(exportProblem(0n, 0n, 'binary')!, /nothing selected/);
  assert.match(
    exportProblem(0n, MAX_EXPORT_BYTES + 1n, 'binary')!,
    /at most 67108864 bytes \(64 MiB\) as binary/,
  );
  assert.match(exportProblem(0n, MAX_IHEX_EXPORT_BYTES + 1n, 'ihex')!, /16 MiB/);
  assert.equal(exportProblem(0xffff_f000n, 0x1000n, 'ihex'), undefined); // ends exactly at 4 GiB
  assert.match(exportProblem(0xffff_f000n, 0x1001n, 'ihex')!, /4 GiB: export this range as binary/);
  assert.equal(exportProblem(0x1_0000_0000n, 0x10n, 'binary'), undefined);
  const unread = { read: () => Promise.reject(new Error('must not read')) };
  await assert.rejects(() => exportRange(unread as never, 0x1_0000_0000n, 0x10n, 'ihex'), /4 GiB/);
});
