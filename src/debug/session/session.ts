/**
 * The Boardmap DAP session: translates DAP requests into Machine calls. The same class runs inline
 * in the extension host and standalone (dist/adapter.js, stdio or `--port`). It reads top to
 * bottom: the plumbing (every request gets exactly one answer), the machine's lifecycle
 * (initialize, launch, configurationDone, restart, terminate, disconnect), run control (continue,
 * pause, steps; stops and exits reported with their console lines and memory events), then the
 * requests that inspect and change state; each area is its own module (breakpoints, stack,
 * variables, memory, disassemble, evaluate/monitor, setExpression, customRequests).
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
  Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { timingSafeEqual } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { Machine } from '../../machine';
import { breakpointLocations } from '../breakpoints';
import { disassemble } from '../disassembly';
import { AdapterError, AdapterErrorCode, errorMessage } from '../errors';
import { evaluateExpression } from '../expression';
import {
  backtrace,
  completions,
  evaluate,
  setExpression,
  SourceStop,
  sourceErrors,
  locatedMessage,
  isMonitorCommand,
  toStackFrame,
  unwindingNote,
  type Frame,
} from '../inspect';
import {
  launchHexLink,
  memoryReference,
  readMemory,
  writeMemory,
  type ChangedRange,
} from '../memory';
import { EXCEPTION_FILTERS, type RunControl, type RunOutcome, type StopReport } from '../run';
import * as requests from './breakpointRequests';
import { answerCustomRequest } from './customRequests';
import { FrameReader } from './framing';
import type { BoardmapLaunchArguments } from './launch';
import { createLive, disposeLive, findRegions, restartLive, type Live } from './live';
import { RequestQueue } from './requestQueue';
import { checkArguments } from './schemas';
import { ConsoleOutput, MemoryEvents } from './sessionEvents';

export const THREAD_ID = 1;

/**
 * DAP requests the adapter does not implement (the base class would answer them `success: true`
 * without doing anything). Unknown commands that are not Boardmap's custom requests are refused
 * the same way in customRequest.
 */
const UNSUPPORTED: ReadonlySet<string> = new Set([
  'attach',
  'stepBack',
  'reverseContinue',
  'restartFrame',
  'goto',
  'gotoTargets',
  'stepInTargets',
  'loadedSources',
  'terminateThreads',
  'modules',
  'locations',
]);

const KNOWN_CODES: ReadonlySet<number> = new Set(
  Object.values(AdapterErrorCode).filter((v): v is number => typeof v === 'number'),
);

export interface SessionOptions {
  /** Instructions per machine batch (the bench tunes it); default the machine's. */
  readonly batchSize?: number;
  /** Strict framing (the TCP server): anything that is not a DAP frame ends the connection. */
  readonly strictFraming?: boolean;
  /** Called when strict framing met something that is not DAP (the server closes the socket). */
  readonly onNotDap?: (reason: string) => void;
  /** When set (the TCP server), launch needs `adapterToken` equal to it. */
  readonly token?: string;
}

export class BoardmapDebugSession extends LoggingDebugSession {
  private live: Live | undefined;
  private client: DebugProtocol.InitializeRequestArguments = { adapterID: 'boardmap' };
  private frames: Frame[] | undefined;
  private lastException: StopReport | undefined;
  private readonly console = new ConsoleOutput((e) => this.sendEvent(e));
  private readonly memoryEvents = new MemoryEvents(
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
  private readonly queue = new RequestQueue(
    (request) => this.dispatchRequest(request),
    (request) =>
      this.fail(
        new DebugResponse(request),
        new AdapterError(AdapterErrorCode.Cancelled, 'cancelled'),
      ),
  );

  constructor(private readonly options: SessionOptions = {}) {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
    this.on('close', () => this.tearDown());
  }

  /** The launched machine (undefined before launch and after the session ended). */
  get machine(): Machine | undefined {
    return this.live?.machine;
  }

  /**
   * Standalone (stdio, TCP): frames are read by FrameReader (framing.ts), which survives bad
   * frames, instead of the base class's reader; the base class only writes.
   */
  override start(inStream: NodeJS.ReadableStream, outStream: NodeJS.WritableStream): void {
    const quiet = new PassThrough();
    super.start(quiet, outStream);
    const reader = new FrameReader(
      {
        message: (m) => this.handleMessage(m as unknown as DebugProtocol.ProtocolMessage),
        reject: (seq, command, reason) =>
          this.fail(
            new DebugResponse({ seq, command }),
            new AdapterError(AdapterErrorCode.BadArgument, `${command}: ${reason}`),
          ),
        problem: (reason) => this.logProblem(reason),
        notDap: (reason) => {
          // nothing goes back to a client that is not DAP (an HTTP request, a port scanner)
          process.stderr.write(`boardmap adapter: not a DAP client (${reason}): closing\n`);
          this.options.onNotDap?.(reason);
        },
      },
      this.options.strictFraming === true,
    );
    inStream.on('data', (d: Buffer | string) =>
      reader.push(Buffer.isBuffer(d) ? d : Buffer.from(d)),
    );
    const close = () => {
      if (!quiet.destroyed) quiet.destroy();
    };
    inStream.on('end', close);
    inStream.on('close', close);
    inStream.on('error', (e: Error) => quiet.emit('error', e));
  }

  /** The connection ended (TCP client gone, stdin closed): stop and release the machine. */
  endSession(): void {
    this.tearDown();
  }

  private logProblem(text: string): void {
    process.stderr.write(`boardmap adapter: ${text}\n`);
    this.sendEvent(new OutputEvent(`boardmap adapter: ${text}\n`, 'console'));
  }

  // ---- plumbing: every request gets exactly one answer ------------------------------------------

  /**
   * Every message enters here (standalone: from the frame reader; inline: from VS Code). A request
   * waits its turn in the queue (requestQueue.ts), so a `cancel`, handled on arrival, can still
   * reach the requests queued behind a long one.
   */
  override handleMessage(message: DebugProtocol.ProtocolMessage): void {
    if (typeof message !== 'object' || message === null || message.type !== 'request') {
      super.handleMessage(message);
      return;
    }
    const request = message as DebugProtocol.Request;
    if (request.command === 'cancel') {
      this.cancelRequest(
        new DebugResponse(request),
        request.arguments as DebugProtocol.CancelArguments,
      );
      return;
    }
    this.queue.push(request);
  }

  protected override dispatchRequest(request: DebugProtocol.Request): void {
    const response = new DebugResponse(request);
    try {
      if (typeof request.command !== 'string' || request.command === '')
        throw new AdapterError(AdapterErrorCode.BadArgument, 'command: expected a request name');
      if (UNSUPPORTED.has(request.command))
        throw new AdapterError(
          AdapterErrorCode.Unsupported,
          `${request.command}: not supported by the Boardmap adapter`,
        );
      const error = checkArguments(request.command, request.arguments);
      if (error) throw new AdapterError(AdapterErrorCode.BadArgument, error);
      if (request.command === 'initialize') {
        const args = request.arguments as DebugProtocol.InitializeRequestArguments;
        // pathFormat is optional in DAP and defaults to 'path' (the base class refuses it absent).
        if (args.pathFormat === undefined) args.pathFormat = 'path';
        else if (args.pathFormat !== 'path')
          throw new AdapterError(
            AdapterErrorCode.BadArgument,
            `initialize: pathFormat '${args.pathFormat}' is not supported (only 'path')`,
          );
      }
      super.dispatchRequest(request);
    } catch (e) {
      this.fail(response, e);
    }
  }

  /** Answers @response with the error @e: its code as the message id, shown to the user if it is their mistake. */
  private fail(response: DebugProtocol.Response, e: unknown): void {
    this.sendErrorResponse(response, errorMessage(e, response.command));
  }

  /**
   * Every error response leaves through here. The base class answers a few on its own (1104 for
   * an exception it caught, 1014 for an unknown request); those become Internal too, so a client
   * only ever sees the codes of AdapterErrorCode.
   */
  protected override sendErrorResponse(
    response: DebugProtocol.Response,
    codeOrMessage: number | DebugProtocol.Message,
    format?: string,
    variables?: Record<string, unknown>,
  ): void {
    const message =
      typeof codeOrMessage === 'number'
        ? { id: codeOrMessage, format: format ?? '' }
        : codeOrMessage;
    if (KNOWN_CODES.has(message.id)) {
      super.sendErrorResponse(response, message);
      return;
    }
    // the base class's exception text is in `_exception` (its format is the whole stack)
    const text = typeof variables?._exception === 'string' ? variables._exception : message.format;
    super.sendErrorResponse(response, errorMessage(new Error(text), response.command));
  }

  /** Runs a handler, turning a throw into an error response. */
  private answer<R extends DebugProtocol.Response>(
    response: R,
    handler: () => R['body'] | void,
  ): void {
    let body: R['body'] | void;
    try {
      body = handler();
    } catch (e) {
      this.fail(response, e);
      return;
    }
    if (body !== undefined) response.body = body;
    this.memoryEvents.noteReferencesIn(body); // a view may be opened on any reference we give
    this.sendResponse(response);
  }

  private need(): Live {
    if (!this.live)
      throw new AdapterError(AdapterErrorCode.NotLaunched, 'no machine is running: launch first');
    return this.live;
  }

  private stopped(): Live {
    const live = this.need();
    if (live.run.running)
      throw new AdapterError(AdapterErrorCode.NotStopped, 'the machine is running: pause it first');
    return live;
  }

  /** DAP cancel: a request still waiting in the queue answers `cancelled` instead of running. */
  protected override cancelRequest(
    response: DebugProtocol.CancelResponse,
    args: DebugProtocol.CancelArguments | undefined,
  ): void {
    const error = checkArguments('cancel', args);
    if (error) {
      this.fail(response, new AdapterError(AdapterErrorCode.BadArgument, error));
      return;
    }
    const id = args?.requestId;
    if (id !== undefined) this.queue.cancel(id);
    // A request already answered (or one we never saw) is past cancelling: DAP says answer anyway.
    this.sendResponse(response);
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  protected override initializeRequest(
    response: DebugProtocol.InitializeResponse,
    args: DebugProtocol.InitializeRequestArguments,
  ): void {
    if (this.initialized) {
      this.fail(
        response,
        new AdapterError(
          AdapterErrorCode.WrongState,
          'initialize: the session is already initialized',
        ),
      );
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
      supportsCompletionsRequest: true,
      completionTriggerCharacters: ['$'],
      supportsCancelRequest: true,
      exceptionBreakpointFilters: EXCEPTION_FILTERS.map((f) => ({ ...f })),
    };
    this.sendResponse(response);
  }

  protected override launchRequest(
    response: DebugProtocol.LaunchResponse,
    args: BoardmapLaunchArguments,
  ): void {
    this.answer(response, () => {
      this.checkToken(args);
      if (this.live)
        throw new AdapterError(
          AdapterErrorCode.WrongState,
          'launch: a machine is already running in this session',
        );
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

  /** `--port`: the launch must carry the token the adapter printed (timing-safe compare). */
  private checkToken(args: BoardmapLaunchArguments): void {
    const token = this.options.token;
    if (token === undefined) return;
    const given = (args as { adapterToken?: unknown } | undefined)?.adapterToken;
    const a = Buffer.from(typeof given === 'string' ? given : '');
    const b = Buffer.from(token);
    if (a.length !== b.length || !timingSafeEqual(a, b))
      throw new AdapterError(
        AdapterErrorCode.Unauthorized,
        "launch: this adapter was started with --port and needs 'adapterToken' in the launch configuration: the token it printed at start",
      );
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
    if (live.run.running)
      throw new AdapterError(AdapterErrorCode.WrongState, 'the machine is already running');
    if (!live.machine.program)
      throw new AdapterError(
        AdapterErrorCode.WrongState,
        'no program is loaded: there is nothing to run',
      );
    if (live.machine.state === 'exited')
      throw new AdapterError(
        AdapterErrorCode.WrongState,
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
    live.variables.reset(this.sourceStop(live, stop.reason));
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

  /** The program's variables at this stop, when the ELF has DWARF .debug_info. */
  private sourceStop(live: Live, reason: string): SourceStop | undefined {
    const info = live.debugInfo;
    if (!info) return undefined;
    let symbols;
    try {
      symbols = info.source;
    } catch {
      return undefined; // no readable .debug_info: registers and memory only
    }
    if (symbols.program.units.length === 0) return undefined;
    const userBreakpoint = /breakpoint/.test(reason) && reason !== 'data breakpoint';
    return new SourceStop(
      symbols,
      live.machine,
      live.spaceId,
      () => (this.frames ??= backtrace(live.machine, live.debugInfo)),
      userBreakpoint,
    );
  }

  /** After a debugger write: memory events for what changed, and the variables view refreshed. */
  private afterWrite(live: Live, extra?: ChangedRange): void {
    live.variables.sourceStop?.refresh();
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

  // ---- breakpoints -----------------------------------------------------------------------------

  protected override setBreakPointsRequest(
    response: DebugProtocol.SetBreakpointsResponse,
    args: DebugProtocol.SetBreakpointsArguments,
  ): void {
    this.answer(response, () => requests.setBreakpoints(this.need(), args));
  }

  protected override breakpointLocationsRequest(
    response: DebugProtocol.BreakpointLocationsResponse,
    args: DebugProtocol.BreakpointLocationsArguments,
  ): void {
    this.answer(response, () => breakpointLocations(this.need().debugInfo, args));
  }

  protected override setFunctionBreakPointsRequest(
    response: DebugProtocol.SetFunctionBreakpointsResponse,
    args: DebugProtocol.SetFunctionBreakpointsArguments,
  ): void {
    this.answer(response, () => requests.setFunctionBreakpoints(this.need(), args));
  }

  protected override setInstructionBreakpointsRequest(
    response: DebugProtocol.SetInstructionBreakpointsResponse,
    args: DebugProtocol.SetInstructionBreakpointsArguments,
  ): void {
    this.answer(response, () => requests.setInstructionBreakpoints(this.need(), args));
  }

  protected override setExceptionBreakPointsRequest(
    response: DebugProtocol.SetExceptionBreakpointsResponse,
    args: DebugProtocol.SetExceptionBreakpointsArguments,
  ): void {
    this.answer(response, () => requests.setExceptionBreakpoints(this.need(), args));
  }

  protected override dataBreakpointInfoRequest(
    response: DebugProtocol.DataBreakpointInfoResponse,
    args: DebugProtocol.DataBreakpointInfoArguments,
  ): void {
    this.answer(response, () => requests.dataBreakpointInfo(this.need(), args));
  }

  protected override setDataBreakpointsRequest(
    response: DebugProtocol.SetDataBreakpointsResponse,
    args: DebugProtocol.SetDataBreakpointsArguments,
  ): void {
    this.answer(response, () => requests.setDataBreakpoints(this.need(), args));
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    this.answer(response, () => {
      const e = this.lastException;
      if (!e)
        throw new AdapterError(
          AdapterErrorCode.WrongState,
          'exceptionInfo: the last stop was not an exception',
        );
      return {
        exceptionId: e.description ?? 'exception',
        description: e.text ?? '',
        breakMode: 'always' as const,
      };
    });
  }

  // ---- state ---------------------------------------------------------------------------------

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(THREAD_ID, 'hart 0')] };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(
    response: DebugProtocol.StackTraceResponse,
    args: DebugProtocol.StackTraceArguments,
  ): void {
    this.answer(response, () => {
      // the schema bounds startFrame and levels (non-negative integers up to MAX_COUNT)
      const live = this.stopped();
      const start = args.startFrame ?? 0;
      const levels = args.levels ?? 0;
      this.frames ??= backtrace(live.machine, live.debugInfo);
      const end = levels > 0 ? start + levels : this.frames.length;
      return {
        stackFrames: this.frames.slice(start, end).map((f) => {
          const sf = toStackFrame(f, live.machine, live.disassembly);
          // An inlined instance is shown by its own name (its Locals are the frame's scopes).
          const source = live.variables.sourceStop?.frame(f.level);
          if (source?.inlined) sf.name = source.functionName;
          return sf;
        }),
        totalFrames: this.frames.length,
      };
    });
  }

  protected override sourceRequest(
    response: DebugProtocol.SourceResponse,
    args: DebugProtocol.SourceArguments,
  ): void {
    this.answer(response, () => {
      const reference = args?.source?.sourceReference ?? args?.sourceReference;
      const content =
        typeof reference === 'number' ? this.need().disassembly.content(reference) : undefined;
      if (content === undefined)
        throw new AdapterError(
          AdapterErrorCode.BadArgument,
          `source: no source with reference ${String(reference)} in this session`,
        );
      return { content, mimeType: 'text/x-riscv-asm' };
    });
  }

  protected override scopesRequest(
    response: DebugProtocol.ScopesResponse,
    args: DebugProtocol.ScopesArguments,
  ): void {
    this.answer(response, () => {
      const live = this.stopped();
      // Stack frame ids are level + 1 (stackTraceRequest).
      return { scopes: live.variables.scopes(Math.max(0, (args?.frameId ?? 1) - 1)) };
    });
  }

  protected override variablesRequest(
    response: DebugProtocol.VariablesResponse,
    args: DebugProtocol.VariablesArguments,
  ): void {
    this.answer(response, () => {
      // the schema bounds variablesReference, start and count (non-negative integers)
      const variables = this.need().variables.variables(
        args.variablesReference,
        args.start,
        args.count,
      );
      return { variables };
    });
  }

  protected override setVariableRequest(
    response: DebugProtocol.SetVariableResponse,
    args: DebugProtocol.SetVariableArguments,
  ): void {
    this.answer(response, () => {
      const live = this.stopped();
      const source = live.variables.sourceStop;
      const assigned = sourceErrors(() =>
        live.variables.assignVariable(args.variablesReference, args.name, args.value),
      );
      const v =
        assigned ??
        live.variables.setVariable(
          args.variablesReference,
          args.name,
          evaluateExpression(args.value, live.context).value,
        );
      this.frames = undefined;
      const written = source?.takeWritten() ?? [];
      for (const w of written.slice(0, -1))
        this.memoryEvents.report(live.spaceId, [
          { address: BigInt(w.address), length: BigInt(w.length) },
        ]);
      const last = written[written.length - 1];
      this.afterWrite(live, last && { address: BigInt(last.address), length: BigInt(last.length) });
      return {
        value: v.value,
        ...(v.type ? { type: v.type } : {}),
        variablesReference: v.variablesReference,
        ...(v.memoryReference ? { memoryReference: v.memoryReference } : {}),
      };
    });
  }

  protected override setExpressionRequest(
    response: DebugProtocol.SetExpressionResponse,
    args: DebugProtocol.SetExpressionArguments,
  ): void {
    this.answer(response, () => {
      const live = this.stopped();
      const source = live.variables.sourceStop;
      const level = Math.max(0, (args?.frameId ?? 1) - 1);
      const probe =
        source?.frame(level) && typeof args?.expression === 'string'
          ? source.evaluateRequest(args.expression, level, live.variables.sourceHandle)
          : undefined;
      if (probe && 'body' in probe && probe.preferred && typeof args.value === 'string') {
        // A C place (variable, member, element, *pointer): the same assignment as setVariable.
        const v = sourceErrors(() =>
          source!.assign(args.expression, args.value, level, live.variables.sourceHandle),
        );
        this.frames = undefined;
        const last = source!.takeWritten().pop();
        this.afterWrite(
          live,
          last && { address: BigInt(last.address), length: BigInt(last.length) },
        );
        return {
          value: v.value,
          ...(v.type ? { type: v.type } : {}),
          variablesReference: v.variablesReference,
          ...(v.memoryReference ? { memoryReference: v.memoryReference } : {}),
        };
      }
      const outcome = setExpression(
        live.variables,
        live.spaceId,
        live.lookup,
        live.machine,
        live.context,
        args,
      );
      this.frames = undefined;
      this.afterWrite(
        live,
        outcome.written && {
          address: outcome.written.address,
          length: BigInt(outcome.written.length),
        },
      );
      return outcome.body;
    });
  }

  protected override evaluateRequest(
    response: DebugProtocol.EvaluateResponse,
    args: DebugProtocol.EvaluateArguments,
  ): void {
    this.answer(response, () => {
      const live = this.need();
      const text = typeof args?.expression === 'string' ? args.expression : '';
      const consoleCommand =
        (args.context === 'repl' || args.context === undefined) &&
        (text.startsWith('>') || isMonitorCommand(text));
      // C over the program's names first (stopped, with DWARF); the Debug Console's own language
      // (registers, ELF symbols, `*(u32*)ADDR`) for what names nothing of the program's.
      const level = Math.max(0, (args.frameId ?? 1) - 1);
      const source = live.run.running || consoleCommand ? undefined : live.variables.sourceStop;
      // C applies in a frame of a function with DWARF (not at the reset vector, say).
      const c = source?.frame(level)
        ? source.evaluateRequest(text, level, live.variables.sourceHandle)
        : undefined;
      if (c && 'body' in c && c.preferred) {
        if (c.changed) {
          this.frames = undefined;
          this.afterWrite(live);
        }
        return c.body;
      }
      let outcome;
      try {
        outcome = evaluate(
          live.machine,
          live.spaceId,
          args,
          live.context,
          (name) => findRegions(live, name),
          live.hexLink,
        );
      } catch (e) {
        // (A C answer that was not preferred used `$registers`: those are the console language's.)
        if (c && 'error' in c)
          throw new AdapterError(
            AdapterErrorCode.BadExpression,
            `${locatedMessage(c.error)}; as a Boardmap expression: ${(e as Error).message}`,
          );
        throw e;
      }
      if (outcome.changed) this.afterWrite(live);
      return outcome.body;
    });
  }

  /** Debug Console completions: monitor commands, registers and CSRs, ELF symbols. */
  protected override completionsRequest(
    response: DebugProtocol.CompletionsResponse,
    args: DebugProtocol.CompletionsArguments,
  ): void {
    this.answer(response, () => {
      const live = this.need();
      const column = this.convertClientColumnToDebugger(args.column) - 1;
      const targets = completions(live.machine, args.text, column).map((t) =>
        t.start === undefined
          ? t
          : { ...t, start: this.convertDebuggerColumnToClient(t.start + 1) },
      );
      return { targets };
    });
  }

  // ---- memory and disassembly ---------------------------------------------------------------------

  protected override readMemoryRequest(
    response: DebugProtocol.ReadMemoryResponse,
    args: DebugProtocol.ReadMemoryArguments,
  ): void {
    this.answer(response, () => {
      const live = this.need();
      const canonical = plainAddressReference(args, live.spaceId);
      this.memoryEvents.noteReference(canonical?.memoryReference);
      return readMemory(live.lookup, canonical);
    });
  }

  protected override writeMemoryRequest(
    response: DebugProtocol.WriteMemoryResponse,
    args: DebugProtocol.WriteMemoryArguments,
  ): void {
    this.answer(response, () => {
      const live = this.need();
      const canonical = plainAddressReference(args, live.spaceId);
      this.memoryEvents.noteReference(canonical?.memoryReference);
      const outcome = writeMemory(live.lookup, live.machine, canonical);
      if (outcome.written) {
        this.frames = undefined;
        this.afterWrite(live, {
          address: outcome.written.address,
          length: BigInt(outcome.written.length),
        });
      }
      return outcome.body;
    });
  }

  protected override disassembleRequest(
    response: DebugProtocol.DisassembleResponse,
    args: DebugProtocol.DisassembleArguments,
  ): void {
    this.answer(response, () => {
      const live = this.need();
      return { instructions: disassemble(live.machine, live.spaceId, live.debugInfo, args) };
    });
  }

  protected override customRequest(
    command: string,
    response: DebugProtocol.Response,
    args: unknown,
  ): void {
    this.answer(response, () => {
      if (!command.startsWith('boardmap/'))
        throw new AdapterError(
          AdapterErrorCode.Unsupported,
          `${command}: not supported by the Boardmap adapter`,
        );
      const live = this.need();
      const answer = answerCustomRequest(command, args, live.machine, live.tracker, live.lookup);
      if (!answer.handled)
        throw new AdapterError(
          AdapterErrorCode.Unsupported,
          `${command}: not supported by the Boardmap adapter`,
        );
      if (answer.changed) this.afterWrite(live);
      return answer.body as DebugProtocol.Response['body'];
    });
  }
}

/**
 * A plain address as a memory reference (`0x800002ae`, what stack frames' instructionPointerReference
 * and other adapters hand out, or decimal) means the hart's address space: the canonical
 * `<space>@0x…` form. Anything else is left to the reader's checks.
 */
function plainAddressReference<T>(args: T, spaceId: string): T {
  const reference = (args as { memoryReference?: unknown } | undefined)?.memoryReference;
  if (typeof reference !== 'string' || !/^\s*(0x[0-9a-f]+|\d+)\s*$/i.test(reference)) return args;
  const address = BigInt(reference.trim());
  if (address >= 1n << 64n) return args;
  return { ...args, memoryReference: memoryReference(spaceId, address) };
}

/** A response object for a request whose handler threw before answering. */
class DebugResponse implements DebugProtocol.Response {
  seq = 0;
  type = 'response' as const;
  request_seq: number;
  success = true;
  command: string;
  constructor(request: Pick<DebugProtocol.Request, 'seq' | 'command'>) {
    this.request_seq = typeof request.seq === 'number' ? request.seq : 0;
    this.command = String(request.command);
  }
}
