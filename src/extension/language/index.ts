/**
 * The board-map language in VS Code: the language service's features registered as providers.
 */
export { registerBoardLanguage } from './providers';
