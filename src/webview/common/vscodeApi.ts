/**
 * The webview side of the host channel: `acquireVsCodeApi` (typed), persisted state, and an
 * RpcEndpoint wired to `window` messages. Shared by the webviews.
 */
import { RpcEndpoint, type RpcContract } from '../../protocol';

export interface VsCodeApi<State> {
  postMessage(message: unknown): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<State>(): VsCodeApi<State>;

let api: VsCodeApi<unknown> | undefined;

/** `acquireVsCodeApi` may be called once per page; this caches it. */
export function vscodeApi<State>(): VsCodeApi<State> {
  api ??= acquireVsCodeApi<unknown>();
  return api as VsCodeApi<State>;
}

/** Connects an endpoint to the host: posts through the VS Code API, receives window messages. */
export function connectToHost<Own extends RpcContract, Peer extends RpcContract>(
  onProblem: (problem: string) => void,
): RpcEndpoint<Own, Peer> {
  const vscode = vscodeApi<unknown>();
  const endpoint = new RpcEndpoint<Own, Peer>({
    post: (message) => vscode.postMessage(message),
    timer: {
      schedule: (callback, ms) => window.setTimeout(callback, ms),
      cancel: (handle) => window.clearTimeout(handle as number),
    },
    timeoutMs: 15_000,
    onProtocolProblem: (problem) => onProblem(problem),
  });
  window.addEventListener('message', (event: MessageEvent) => endpoint.deliver(event.data));
  return endpoint;
}
