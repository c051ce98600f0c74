/**
 * What the tree's and the flat view's region actions do: reveal a declaration in the board file,
 * open the hex editor, copy the range, enable/disable on the live machine.
 */
import * as vscode from 'vscode';
import {
  HexEditorCommand,
  type OpenHexEditorArgs,
  fromHex,
  mtreeRange,
  type RegionInfo,
  type SourceLocation,
} from '../../protocol';
import { hexEditorTarget } from './model';
import type { TopologyHub } from './topologyHub';
import { notificationText } from '../text';

/** A board source location as a vscode URI: URIs stay URIs, plain paths become file URIs. */
export function sourceUri(location: SourceLocation): vscode.Uri {
  return /^[a-z][a-z0-9+.-]+:/i.test(location.file) && !/^[a-z]:[\\/]/i.test(location.file)
    ? vscode.Uri.parse(location.file)
    : vscode.Uri.file(location.file);
}

/**
 * Opens the board file at the region's declaration; false when the region has no source. Reuses a
 * visible editor of that file; else opens it in a column other than `avoidColumn` (the flat view's,
 * which must stay visible).
 */
export async function revealRegionInSource(
  region: RegionInfo,
  preserveFocus = false,
  avoidColumn?: vscode.ViewColumn,
): Promise<boolean> {
  const location = region.source;
  if (!location) return false;
  const uri = sourceUri(location);
  const range = new vscode.Range(
    location.line,
    location.column,
    location.endLine,
    location.endColumn,
  );
  const visible = vscode.window.visibleTextEditors.find(
    (e) => e.document.uri.toString() === uri.toString(),
  );
  const viewColumn =
    visible?.viewColumn ??
    (avoidColumn === undefined
      ? undefined
      : avoidColumn === vscode.ViewColumn.One
        ? vscode.ViewColumn.Two
        : vscode.ViewColumn.One);
  const editor = await vscode.window.showTextDocument(uri, {
    selection: range,
    preserveFocus,
    preview: true,
    ...(viewColumn !== undefined ? { viewColumn } : {}),
  });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return true;
}

export async function openRegionInHexEditor(
  hub: TopologyHub,
  region: RegionInfo,
  addressSpaceId: string | undefined,
): Promise<void> {
  const snapshot = hub.state.snapshot;
  const target = snapshot
    ? hexEditorTarget(snapshot, region, addressSpaceId)
    : { address: region.start };
  const args: OpenHexEditorArgs = { ...target, regionId: region.id };
  try {
    await vscode.commands.executeCommand(HexEditorCommand.open, args);
  } catch (error) {
    void vscode.window.showErrorMessage(
      notificationText(
        `Could not open the hex editor on ${region.name}: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
  }
}

/** `info mtree` style line for the clipboard. */
export function rangeText(region: RegionInfo): string {
  return `${mtreeRange(region.start, region.end)} (prio ${region.priority}, ${region.mtreeType}): ${region.name}`;
}

export async function copyRegionRange(region: RegionInfo): Promise<void> {
  await vscode.env.clipboard.writeText(rangeText(region));
  vscode.window.setStatusBarMessage(
    `Copied ${region.name}: 0x${fromHex(region.start).toString(16)}–0x${fromHex(region.end).toString(16)}`,
    3000,
  );
}

export async function setRegionEnabled(
  hub: TopologyHub,
  region: RegionInfo,
  enabled: boolean,
): Promise<void> {
  try {
    await hub.setRegionEnabled(region.id, enabled);
  } catch (error) {
    void vscode.window.showErrorMessage(
      notificationText(
        `Could not ${enabled ? 'enable' : 'disable'} ${region.name}: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
  }
}
