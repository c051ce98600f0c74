/**
 * How the browser tests (webview harnesses and the code-server workbench) start Chromium:
 * Debian's build, driven through playwright-core (which ships no browser of its own), with flags
 * that suit a container and keep the run offline: no sandbox, no GPU, no background networking,
 * component updates, sync or first-run UI.
 */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
