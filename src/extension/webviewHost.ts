/**
 * What the webview panel hosts (flat view, hex editor) wire the same way: the typed RPC endpoint
 * over the panel's postMessage (Node timers for request timeouts, protocol problems to the log),
 * and URIs of the extension's own files in the form the webview may load.
 */
import * as vscode from 'vscode';
import { type RpcContract, RpcEndpoint } from '../protocol';

/** The host end of a panel's RPC; protocol problems are logged as warnings prefixed `label: `. */
export function panelRpcEndpoint<Own extends RpcContract, Peer extends RpcContract>(
  panel: vscode.WebviewPanel,
  log: vscode.LogOutputChannel,
  label: string,
): RpcEndpoint<Own, Peer> {
  return new RpcEndpoint<Own, Peer>({
    post: (message) => void panel.webview.postMessage(message),
    timer: {
      schedule: (f, ms) => setTimeout(f, ms),
      cancel: (h) => clearTimeout(h as NodeJS.Timeout),
    },
    onProtocolProblem: (problem) => log.warn(`${label}: ${problem}`),
  });
}

/** Maps a path under the extension's folder (`'dist', 'webview', 'x.js'`) to a webview URI. */
export function extensionResourceUri(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
): (...path: string[]) => string {
  return (...path) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...path)).toString();
}
