/**
 * Hex editor webview entry (bundled to dist/webview/hexEditor.js). Connects the typed RPC to the
 * VS Code webview API and starts the app.
 */
import {
  RpcEndpoint,
  type HexHostContract,
  type HexWebviewContract,
  type HexEditorViewState,
  type RpcMessage,
} from '../../protocol';
import { HexEditorApp } from './app';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const rpc = new RpcEndpoint<HexWebviewContract, HexHostContract>({
  post: (message: RpcMessage) => vscode.postMessage(message),
  timer: {
    schedule: (callback, ms) => setTimeout(callback, ms),
    cancel: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  },
  timeoutMs: 15_000,
  onProtocolProblem: (problem) => console.warn(`hex editor protocol: ${problem}`),
});
window.addEventListener('message', (event: MessageEvent) => rpc.deliver(event.data));

const root = document.getElementById('app') ?? document.body;
const app = new HexEditorApp(root, {
  rpc,
  getState: () => vscode.getState(),
  setState: (state: HexEditorViewState) => vscode.setState(state),
});
void app.start();
