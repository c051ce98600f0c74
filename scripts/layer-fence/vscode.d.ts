// Layer fence: pure layers (engine, board, machine, protocol, webview) map the module 'vscode' here.
// This file is deliberately not a module, so `import ... from 'vscode'` fails with TS2306.
// Only src/extension (and the extension-host tests) may import vscode; their tsconfig clears the mapping.
declare const vscodeIsNotAvailableInThisLayer: never;
