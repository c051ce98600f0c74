/**
 * What every webview shares: the VS Code API handle and the RPC connection to its host.
 */
export { connectToHost, vscodeApi } from './vscodeApi';
