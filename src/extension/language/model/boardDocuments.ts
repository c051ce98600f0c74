/**
 * The extension's one language service and one board host, shared by the language features and
 * the views: a document is read (includes asynchronously), checked and built once per edit, and
 * the Memory Tree / flat view show that same analysis.
 */
import { getBoardMapService, type Analysis, type BoardMapService } from '../../../board';
import type { PreparedBoardHost } from './preparedHost';

/** The parts of a `vscode.TextDocument` used here. */
export interface BoardDocument {
  readonly uri: { toString(): string };
  getText(): string;
}

export class BoardDocuments {
  readonly service: BoardMapService;

  constructor(readonly host: PreparedBoardHost) {
    this.service = getBoardMapService(host);
  }

  /**
   * Reads the document's includes (asynchronously), then hands back the service, whose analysis
   * of this text is then current. Every caller goes through here before asking the service
   * anything, so the synchronous service never reads a file itself.
   */
  async ready(doc: BoardDocument): Promise<BoardMapService> {
    await this.host.prepare(doc.uri.toString(), doc.getText());
    return this.service;
  }

  /** The analysis of the document as it is now (the one its diagnostics come from). */
  async analysis(doc: BoardDocument): Promise<Analysis> {
    const text = doc.getText();
    const uri = doc.uri.toString();
    await this.host.prepare(uri, text);
    return this.service.analyze(uri, text);
  }
}
