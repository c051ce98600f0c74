/**
 * The core of the Boardmap DAP session: every request gets an answer (plumbing), the machine's
 * lifecycle (initialize, launch, configurationDone, restart, terminate, disconnect) and run
 * control (continue, pause, steps; stops and exits reported with their console lines and memory
 * events). BoardmapDebugSession (session.ts) adds the requests that inspect and change state.
 */
import {
  BreakpointEvent,
  Event,
  ExitedEvent,
  InitializedEvent,
  InvalidatedEvent,
  LoggingDebugSession,
  OutputEvent,
  StoppedEvent,
  TerminatedEvent,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { launchHexLink, type ChangedRange } from '../memory';
import type { BoardmapLaunchArguments } from './launch';
import { createLive, disposeLive, restartLive, type Live } from './live';
import { EXCEPTION_FILTERS, type RunControl, type RunOutcome, type StopReport } from '../run';
import { ConsoleOutput, MemoryEvents } from './sessionEvents';
import { unwindingNote, type Frame } from '../inspect';

export const THREAD_ID = 1;

export interface SessionOptions {
  /** Instructions per machine batch (the bench tunes it); default the machine's. */
  readonly batchSize?: number;
}

export abstract class SessionCore extends LoggingDebugSession {
  protected live: Live | undefined;
  private client: DebugProtocol.InitializeRequestArguments = { adapterID: 'boardmap' };
  protected frames: Frame[] | undefined;
  protected lastException: StopReport | undefined;
  private readonly console = new ConsoleOutput((e) => this.sendEvent(e));
  protected readonly memoryEvents = new MemoryEvents(
    (e) => this.sendEvent(e),
    () => this.client.supportsMemoryEvent === true,
  );
  private configured = false;
  private initialized = false;
  private terminated = false;
  /** Set while a restart waits for the paused run to end. */
  private restarting = false;
  /** The run in progress (resolves once its outcome was handled). */
  private pending: Promise<void> | undefined;

  constructor(private readonly options: SessionOptions = {}) {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  // ---- plumbing: every request gets an answer --------------------------------------------

  protected override dispatchRequest(request: DebugProtocol.Request): void {
    try {
      super.dispatchRequest(request);
    } catch (e) {
      this.fail(new DebugResponse(request), e);
    }
  }

  protected fail(response: DebugProtocol.Response, e: unknown, id = 2000): void {
    const message = e instanceof Error ? e.message : String(e);
    this.sendErrorResponse(response, { id, format: message, showUser: false });
  }

  /** Runs a handler, turning a throw into an error response. */
  protected answer<R extends DebugProtocol.Response>(
    response: R,
    handler: () => R['body'] | void,
  ): void {
    try {
      const body = handler();
      if (body !== undefined) response.body = body;
      this.memoryEvents.noteReferencesIn(body); // a view may be opened on any reference we give
      this.sendResponse(response);
    } catch (e) {
      this.fail(response, e);
    }
  }

  protected need(): Live {
    if (!this.live) throw new Error('no machine is running: launch first');
    return this.live;
  }

  protected stopped(): Live {
    const live = this.need();
    if (live.run.running) throw new Error('the machine is running: pause it first');
    return live;
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  protected override initializeRequest(
    response: DebugProtocol.InitializeResponse,
    args: DebugProtocol.InitializeRequestArguments,
  ): void {
    if (this.initialized) {
      this.fail(response, new Error('initialize: the session is already initialized'));
      return;
    }
    this.initialized = true;
    this.client = typeof args === 'object' && args !== null ? args : { adapterID: 'boardmap' };
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsFunctionBreakpoints: true,
      supportsBreakpointLocationsRequest: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsEvaluateForHovers: true,
      supportsSetVariable: true,
      supportsSetExpression: true,
      supportsRestartRequest: true,
      supportsTerminateRequest: true,
      supportsReadMemoryRequest: true,
      supportsWriteMemoryRequest: true,
      supportsDisassembleRequest: true,
      supportsSteppingGranularity: true,
      supportsInstructionBreakpoints: true,
      supportsDataBreakpoints: true,
      supportsDataBreakpointBytes: true,
      supportsExceptionInfoRequest: true,
      exceptionBreakpointFilters: EXCEPTION_FILTERS.map((f) => ({ ...f })),
    };
    this.sendResponse(response);
  }

  protected override launchRequest(
    response: DebugProtocol.LaunchResponse,
    args: BoardmapLaunchArguments,
  ): void {
    this.answer(response, () => {
      if (this.live) throw new Error('launch: a machine is already running in this session');
      const live = createLive(
        typeof args === 'object' && args !== null ? args : {},
        {
          output: (text, stream) =>
            this.console.write(text, stream === 'stderr' ? 'stderr' : 'stdout'),
          log: (text) => this.sendEvent(new OutputEvent(`${text}\n`, 'console')),
          topologyChanged: (event, body) => this.sendEvent(new Event(event, body)),
        },
        this.options.batchSize,
      );
      const { machine, debugInfo, launched } = live;
      this.live = live;
      const where = launched.programPath
        ? `${launched.programPath} on ${launched.boardUri}`
        : `${launched.boardUri} (no program: the map can be read and written)`;
      this.sendEvent(
        new OutputEvent(`Boardmap: ${where}\n${unwindingNote(debugInfo)}\n`, 'console'),
      );
      const memoryLink = launchHexLink(live);
      if (memoryLink) this.sendEvent(new OutputEvent(`${memoryLink}\n`, 'console'));
      for (const w of machine.warnings)
        this.sendEvent(new OutputEvent(`warning: ${w}\n`, 'console'));
      for (const p of debugInfo?.problems ?? [])
        this.sendEvent(new OutputEvent(`warning: ${p.message}\n`, 'console'));
      this.sendEvent(new InitializedEvent());
    });
  }

  protected override configurationDoneRequest(
    response: DebugProtocol.ConfigurationDoneResponse,
  ): void {
    this.answer(response, () => {
      const live = this.need();
      if (this.configured) return;
      this.configured = true;
      const hasProgram = live.machine.program !== undefined;
      if (live.stopOnEntry || !hasProgram) {
        setImmediate(() =>
          this.reportStop({
            reason: 'entry',
            ...(hasProgram
              ? {}
              : { description: 'No program: the machine does not run; inspect and edit the map' }),
          }),
        );
      } else setImmediate(() => this.startRun((run) => run.continue()));
    });
  }

  protected override restartRequest(response: DebugProtocol.RestartResponse): void {
    this.answer(response, () => {
      const live = this.need();
      // A run in progress is paused first; its stop is not reported (the restart's is).
      if (live.run.running) {
        this.restarting = true;
        live.run.pause();
      }
      const restart = () => {
        this.restarting = false;
        if (this.live !== live) return;
        let restarted: ReturnType<typeof restartLive>;
        try {
          restarted = restartLive(live);
        } catch (e) {
          this.sendEvent(new OutputEvent(`restart: ${(e as Error).message}\n`, 'stderr'));
          live.machine.reset();
        }
        if (restarted) {
          this.sendEvent(
            new OutputEvent(`${live.launched.programPath} changed on disk: reloaded\n`, 'console'),
          );
          for (const bp of restarted.reloaded) this.sendEvent(new BreakpointEvent('changed', bp));
        }
        this.frames = undefined;
        live.variables.reset();
        this.sendEvent(new InvalidatedEvent(['all']));
        if (live.stopOnEntry || !live.machine.program) this.reportStop({ reason: 'entry' });
        else this.startRun((run) => run.continue());
      };
      void (this.pending ?? Promise.resolve()).then(() => setImmediate(restart));
    });
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.tearDown();
    this.sendResponse(response);
    this.sendTerminated();
  }

  protected override disconnectRequest(
    response: DebugProtocol.DisconnectResponse,
    args: DebugProtocol.DisconnectArguments,
  ): void {
    this.tearDown();
    // The base class answers and, standalone on stdio, ends the process.
    super.disconnectRequest(response, args);
  }

  private sendTerminated(): void {
    if (this.terminated) return;
    this.terminated = true;
    this.sendEvent(new TerminatedEvent());
  }

  private tearDown(): void {
    const live = this.live;
    if (!live) return;
    this.live = undefined;
    this.memoryEvents.stopLive();
    this.console.flush();
    disposeLive(live);
  }

  // ---- run control ------------------------------------------------------------------------------

  private startRun(op: (run: RunControl) => Promise<RunOutcome>): void {
    const live = this.need();
    if (live.run.running) throw new Error('the machine is already running');
    if (!live.machine.program) throw new Error('no program is loaded: there is nothing to run');
    if (live.machine.state === 'exited')
      throw new Error(
        `the program has exited (${live.machine.exitInfo?.how ?? ''}); restart to run it again`,
      );
    this.frames = undefined;
    live.variables.reset();
    this.memoryEvents.startLive(live.spaceId, () => live.dirty.collect());
    live.run.running = true; // requests arriving before the deferred start see a running machine
    // Start after the response went out: a short step would otherwise stop before it is answered.
    this.pending = new Promise<RunOutcome>((resolve, reject) =>
      setImmediate(() => {
        live.run.running = false;
        op(live.run).then(resolve, reject);
      }),
    ).then(
      (outcome) => this.reportOutcome(live, outcome),
      (e: unknown) => {
        this.sendEvent(new OutputEvent(`run failed: ${(e as Error).message}\n`, 'stderr'));
        this.reportStop({
          reason: 'pause',
          description: 'Paused after an internal error',
          text: (e as Error).message,
        });
      },
    );
  }

  private reportOutcome(live: Live, outcome: RunOutcome): void {
    if (this.live !== live) return;
    this.memoryEvents.stopLive();
    this.console.flush();
    if (this.restarting) return;
    if (outcome.kind === 'exited') {
      this.sendEvent(
        new OutputEvent(
          `program exited with status ${outcome.code}${outcome.how ? ` (${outcome.how})` : ''}\n`,
          'console',
        ),
      );
      this.sendEvent(new ExitedEvent(outcome.code));
      this.sendTerminated();
      return;
    }
    this.reportStop(outcome.stop);
  }

  private reportStop(stop: StopReport): void {
    const live = this.live;
    if (!live) return;
    this.frames = undefined;
    live.variables.reset();
    this.lastException = stop.reason === 'exception' ? stop : undefined;
    const event = new StoppedEvent(stop.reason, THREAD_ID, stop.text) as DebugProtocol.StoppedEvent;
    event.body.allThreadsStopped = true;
    if (stop.description) event.body.description = stop.description;
    if (stop.hitBreakpointIds && stop.hitBreakpointIds.length > 0)
      event.body.hitBreakpointIds = stop.hitBreakpointIds;
    this.sendEvent(event);
    if (stop.memory && live.hexLink) {
      const link = live.hexLink({
        space: live.spaceId,
        address: BigInt(stop.memory.address),
        length: BigInt(stop.memory.length),
      });
      this.sendEvent(new OutputEvent(`${stop.description ?? stop.reason}: ${link}\n`, 'console'));
    }
    this.memoryEvents.report(live.spaceId, live.dirty.collect());
  }

  /** After a debugger write: memory events for what changed, and the variables view refreshed. */
  protected afterWrite(live: Live, extra?: ChangedRange): void {
    const ranges = live.dirty.collect();
    if (
      extra &&
      !ranges.some(
        (r) => r.address <= extra.address && r.address + r.length >= extra.address + extra.length,
      )
    )
      ranges.push(extra);
    this.memoryEvents.report(live.spaceId, ranges);
    if (this.client.supportsInvalidatedEvent) this.sendEvent(new InvalidatedEvent(['variables']));
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    this.answer(response, () => {
      this.startRun((run) => run.continue());
      return { allThreadsContinued: true };
    });
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.answer(response, () => {
      const live = this.need();
      if (live.run.running) live.run.pause();
    });
  }

  protected override nextRequest(
    response: DebugProtocol.NextResponse,
    args: DebugProtocol.NextArguments,
  ): void {
    this.answer(response, () =>
      this.startRun((run) =>
        args?.granularity === 'instruction'
          ? run.stepInstructionRequest(true)
          : run.stepLine(false),
      ),
    );
  }

  protected override stepInRequest(
    response: DebugProtocol.StepInResponse,
    args: DebugProtocol.StepInArguments,
  ): void {
    this.answer(response, () =>
      this.startRun((run) =>
        args?.granularity === 'instruction'
          ? run.stepInstructionRequest(false)
          : run.stepLine(true),
      ),
    );
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse): void {
    this.answer(response, () => this.startRun((run) => run.stepOut()));
  }
}

/** A response object for a request whose handler threw before answering. */
class DebugResponse implements DebugProtocol.Response {
  seq = 0;
  type = 'response' as const;
  request_seq: number;
  success = true;
  command: string;
  constructor(request: DebugProtocol.Request) {
    this.request_seq = request.seq;
    this.command = String(request.command);
  }
}
