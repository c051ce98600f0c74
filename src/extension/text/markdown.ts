/**
 * User strings (region and QEMU names, board paths, launch configuration values) in the
 * extension's Markdown and notifications. Board files are untrusted input (Restricted Mode shows
 * their hovers and tooltips too): nothing from them may become a link, an image or HTML.
 */
export { escapeMarkdown, markdownCode } from '../../board';

/**
 * Text for a notification (`showInformationMessage` …): VS Code turns `[label](https://…)`,
 * `command:` and `file:` targets in a message into live links. A zero-width space between `]`
 * and `(` keeps such text as text; nothing else changes.
 */
export function notificationText(text: string): string {
  return text.replace(/\]\s*\(/g, ']\u200b(');
}
