/**
 * Text the extension shows that carries user strings: Markdown escaping (names, paths) and
 * notification text that cannot turn into links. No vscode here (tests run it in plain Node).
 */
export { escapeMarkdown, markdownCode, notificationText } from './markdown';
