/**
 * The hex editor's HTML with a strict CSP: nothing loads unless it comes from the extension's own
 * resources, scripts run only with the per-load nonce, no inline style attributes. Pure (no vscode
 * import) so the headless-browser test serves exactly this page.
 */

export interface HexEditorHtmlResources {
  /** `webview.cspSource`. */
  cspSource: string;
  /** Random per load. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
  codiconUri: string;
}

export function hexEditorHtml(r: HexEditorHtmlResources): string {
  const csp = [
    "default-src 'none'",
    `img-src ${r.cspSource} data:`,
    `font-src ${r.cspSource}`,
    // Lit (inside @vscode-elements) adopts constructed stylesheets; the nonce covers its fallback.
    `style-src ${r.cspSource} 'nonce-${r.nonce}'`,
    `script-src 'nonce-${r.nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${r.codiconUri}" id="vscode-codicon-stylesheet" nonce="${r.nonce}">
<link rel="stylesheet" href="${r.styleUri}" nonce="${r.nonce}">
<title>Hex Editor</title>
</head>
<body>
<div id="app" data-nonce="${r.nonce}"></div>
<script nonce="${r.nonce}" src="${r.scriptUri}"></script>
</body>
</html>`;
}

/** 32 characters from [A-Za-z0-9], from the given random source (crypto in the host). */
export function makeNonce(randomBytes: (n: number) => Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(32), (b) => alphabet[b % alphabet.length]).join('');
}
