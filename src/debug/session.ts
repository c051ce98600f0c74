/**
 * The Boardmap DAP session: translates DAP requests into Machine calls. The same class runs inline in
 * the extension host and standalone (dist/adapter.js). Only translation lives here.
 */
import { LoggingDebugSession, InitializedEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';

export class BoardmapDebugSession extends LoggingDebugSession {
  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  protected override initializeRequest(
    response: DebugProtocol.InitializeResponse,
    _args: DebugProtocol.InitializeRequestArguments,
  ): void {
    response.body = { ...response.body, supportsConfigurationDoneRequest: true };
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
  }

  protected override launchRequest(
    response: DebugProtocol.LaunchResponse,
    _args: DebugProtocol.LaunchRequestArguments,
  ): void {
    // The machine layer (issue 5) is not built yet; say so instead of pretending to run.
    this.sendErrorResponse(response, {
      id: 1001,
      format: 'Boardmap cannot launch yet: the emulated machine is not built.',
      showUser: true,
    });
  }
}
