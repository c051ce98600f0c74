/**
 * Writes an export to the file the user chose, with a cancellable progress notification. Local
 * files are written as the range is read (constant memory whatever its size); other file systems
 * get the whole content at once, so their exports are capped lower. A failed or cancelled export
 * leaves no partial file behind.
 */
import * as vscode from 'vscode';
import { open, rm } from 'node:fs/promises';
import type { ExportFormat } from '../../protocol';
import { exportRange, exportRangeToBytes, type ExportProgress, type MemoryClient } from './model';

/** Exports to a non-local file system are built in memory: at most this much. */
export const MAX_BUFFERED_EXPORT_BYTES = 64n * 1024n * 1024n;

export function exportToFile(
  client: Pick<MemoryClient, 'read'>,
  target: vscode.Uri,
  start: bigint,
  length: bigint,
  format: ExportFormat,
): Thenable<{ bytes: number; unreadable: number }> {
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Exporting ${length} bytes to ${target.path.split('/').pop()}`,
      cancellable: true,
    },
    async (progress, token) => {
      let reported = 0;
      const tracker: ExportProgress = {
        get cancelled() {
          return token.isCancellationRequested;
        },
        report(done, total) {
          const percent = Math.floor((done / total) * 100);
          if (percent > reported) progress.report({ increment: percent - reported });
          reported = percent;
        },
      };
      if (target.scheme !== 'file') {
        if (length > MAX_BUFFERED_EXPORT_BYTES)
          throw new Error(
            `export of ${length} bytes to ${target.scheme}: refused: at most ${MAX_BUFFERED_EXPORT_BYTES} bytes outside the local disk`,
          );
        const out = await exportRangeToBytes(client, start, length, format);
        await vscode.workspace.fs.writeFile(target, out.content);
        return out;
      }
      const file = await open(target.fsPath, 'w');
      try {
        const out = await exportRange(
          client,
          start,
          length,
          format,
          async (chunk) => {
            await file.write(chunk);
          },
          tracker,
        );
        await file.close();
        return out;
      } catch (error) {
        await file.close().catch(() => undefined);
        await rm(target.fsPath, { force: true });
        throw error;
      }
    },
  );
}
