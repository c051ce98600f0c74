/**
 * Debug Console links into the hex editor. Every Boardmap launch carries `__hexEditorLink`
 * (`<this VS Code's URI scheme>://<extension id>/hex`), so the adapter can print links the console
 * makes clickable; a click reaches this extension's URI handler, which opens the editor there.
 * The scheme is asked of VS Code (`vscode`, `code-oss`, `vscode-insiders`, …), never assumed.
 */
import * as vscode from 'vscode';
import {
  HEX_LINK_LAUNCH_ARGUMENT,
  HEX_LINK_PATH,
  parseHexLinkQuery,
  toHex,
  type OpenHexEditorArgs,
} from '../../protocol';
import { notificationText } from '../text';

export function hexLinkBase(extensionId: string): string {
  return `${vscode.env.uriScheme}://${extensionId.toLowerCase()}${HEX_LINK_PATH}`;
}

/** Adds the link base to every `boardmap` launch (a second provider: it only adds this field). */
export function hexLinkConfigurationProvider(
  extensionId: string,
): vscode.DebugConfigurationProvider {
  return {
    resolveDebugConfigurationWithSubstitutedVariables(_folder, config) {
      return { ...config, [HEX_LINK_LAUNCH_ARGUMENT]: hexLinkBase(extensionId) };
    },
  };
}

/** What a clicked link opens: the editor's arguments with the range selected, or why not. */
export function hexLinkArgs(uri: vscode.Uri): OpenHexEditorArgs {
  if (uri.path !== HEX_LINK_PATH) throw new Error(`unknown Boardmap link path '${uri.path}'`);
  const parsed = parseHexLinkQuery(uri.query);
  if (!parsed.ok) throw new Error(parsed.error);
  const { space, address, length } = parsed.value;
  return {
    addressSpace: space,
    address: toHex(address),
    ...(length !== undefined ? { length: toHex(length) } : {}),
  };
}

/** The URI handler: opens the hex editor, or says (with the link) why it cannot. */
export function hexLinkHandler(
  open: (args: OpenHexEditorArgs) => Promise<void>,
  log: vscode.LogOutputChannel,
): vscode.UriHandler {
  return {
    async handleUri(uri) {
      try {
        await open(hexLinkArgs(uri));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log.error(`link ${uri.toString(true)}: ${message}`);
        void vscode.window.showErrorMessage(
          notificationText(`Boardmap cannot open this link: ${message}`),
        );
      }
    },
  };
}
