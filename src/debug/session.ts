/**
 * The Boardmap DAP session: translates DAP requests into Machine calls. The same class runs inline
 * in the extension host and standalone (dist/adapter.js, stdio or `--port`). Only translation and
 * lifecycle live here; each area is its own module (launch, runControl, breakpoints, stack,
 * variables, memory, memoryEvents, disassemble, evaluate/monitor, customRequests).
 */
import { StringDecoder } from 'node:string_decoder';
import {
  Event,
  ExitedEvent,
  InitializedEvent,
  InvalidatedEvent,
  LoggingDebugSession,
  MemoryEvent,
  OutputEvent,
  StoppedEvent,
  TerminatedEvent,
  Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { AddressSpace, MemoryRegion } from '../engine';
import type { DebugInfo } from '../machine/debuginfo';
import type { Machine } from '../machine/machine';
import { Breakpoints } from './breakpoints';
import { answerCustomRequest } from './customRequests';
import { disassemble } from './disassemble';
import { dataInfoForExpression, evaluate, expressionContext } from './evaluate';
import { evaluateExpression, type ExpressionContext } from './expression';
import { addressSpaceIds, launchMachine, type BoardmapLaunchArguments } from './launch';
import { memoryReference, readMemory, writeMemory, type SpaceLookup } from './memory';
import { DirtyTracker, type ChangedRange } from './memoryEvents';
import { EXCEPTION_FILTERS, RunControl, type RunOutcome, type StopReport } from './runControl';
import { backtrace, toStackFrame, unwindingNote, type Frame } from './stack';
import { forwardTopologyChanges, TopologyTracker, type Disposable } from './topology';
import { registerBanks, Variables } from './variables';

const THREAD_ID = 1;
/** How often memory events are sent while the machine runs. */
const LIVE_REFRESH_MS = 250;

/** Everything that exists once a machine is launched. */
interface Live {
  readonly machine: Machine;
  readonly debugInfo: DebugInfo | undefined;
  readonly spaceId: string;
  readonly spaces: Map<string, AddressSpace>;
  readonly lookup: SpaceLookup;
  readonly breakpoints: Breakpoints;
  readonly run: RunControl;
  readonly variables: Variables;
  readonly context: ExpressionContext;
  readonly tracker: TopologyTracker;
  readonly dirty: DirtyTracker;
  readonly disposables: Disposable[];
  readonly args: BoardmapLaunchArguments;
  readonly stopOnEntry: boolean;
}

export interface SessionOptions {
  /** Instructions per machine batch (the bench tunes it); default the machine's. */
  readonly batchSize?: number;
}

export class BoardmapDebugSession extends LoggingDebugSession {
  private live: Live | undefined;
  private client: DebugProtocol.InitializeRequestArguments = { adapterID: 'boardmap' };
  private frames: Frame[] | undefined;
  private lastException: StopReport | undefined;
  private outputBuffer = '';
  private outputTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly decoder = new StringDecoder('utf8');
  private liveTimer: ReturnType<typeof setInterval> | undefined;
  private configured = false;
  private initialized = false;
  private terminated = false;

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

  private fail(response: DebugProtocol.Response, e: unknown, id = 2000): void {
    const message = e instanceof Error ? e.message : String(e);
    this.sendErrorResponse(response, { id, format: message, showUser: false });
  }

  /** Runs a handler, turning a throw into an error response. */
  private answer<R extends DebugProtocol.Response>(
    response: R,
    handler: () => R['body'] | void,
  ): void {
    try {
      const body = handler();
      if (body !== undefined) response.body = body;
      this.sendResponse(response);
    } catch (e) {
      this.fail(response, e);
    }
  }

  private need(): Live {
    if (!this.live) throw new Error('no machine is running: launch first');
    return this.live;
  }

  private stopped(): Live {
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
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsEvaluateForHovers: true,
      supportsSetVariable: true,
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
      const launched = launchMachine(
        typeof args === 'object' && args !== null ? args : {},
        this.options.batchSize,
      );
      const { machine, debugInfo } = launched;
      const spaces = addressSpaceIds(machine.system);
      const spaceId = [...spaces].find(([, s]) => s === machine.space)?.[0] ?? machine.space.name;
      const breakpoints = new Breakpoints(machine, debugInfo);
      const context = expressionContext(machine);
      const run = new RunControl(
        machine,
        breakpoints,
        debugInfo,
        (e) => evaluateExpression(e, context).value,
      );
      run.onLog = (text) => this.sendEvent(new OutputEvent(`${text}\n`, 'console'));
      const dirty = new DirtyTracker(machine.space);
      const tracker = new TopologyTracker(machine.system, {
        source: {
          kind: 'machine',
          label: launched.boardUri.split(/[\\/]/).pop() ?? 'machine',
          uri: launched.boardUri,
        },
      });
      const banked = new Set(registerBanks(machine).map((b) => b.region));
      const lookup: SpaceLookup = {
        space: (id) => spaces.get(id),
        hasRegisters: (fr) =>
          banked.has(fr.mr) ||
          [...machine.devices.values()].some(
            (d) => d.registerName && d.regions.some((r) => r.region === fr.mr),
          ),
      };
      const variables = new Variables(machine, spaceId, spaces);
      const live: Live = {
        machine,
        debugInfo,
        spaceId,
        spaces,
        lookup,
        breakpoints,
        run,
        variables,
        context,
        tracker,
        dirty,
        disposables: [],
        args,
        stopOnEntry: launched.stopOnEntry,
      };
      live.disposables.push(
        machine.onOutput((o) => this.output(o.text, o.stream === 'stderr' ? 'stderr' : 'stdout')),
        forwardTopologyChanges(tracker, (event, body) => this.sendEvent(new Event(event, body))),
        tracker.onDidChange(() => variables.topologyChanged()),
      );
      this.live = live;
      const where = launched.programPath
        ? `${launched.programPath} on ${launched.boardUri}`
        : `${launched.boardUri} (no program: the map can be read and written)`;
      this.sendEvent(
        new OutputEvent(`Boardmap: ${where}\n${unwindingNote(debugInfo)}\n`, 'console'),
      );
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
      if (live.run.running) live.run.pause();
      const restart = () => {
        live.machine.reset();
        this.frames = undefined;
        live.variables.reset();
        this.sendEvent(new InvalidatedEvent(['all']));
        if (live.stopOnEntry || !live.machine.program) this.reportStop({ reason: 'entry' });
        else this.startRun((run) => run.continue());
      };
      if (live.run.running) setTimeout(restart, 20);
      else setImmediate(restart);
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
    this.stopLiveRefresh();
    this.flushOutput();
    if (live.run.running) live.run.pause();
    live.run.dispose();
    live.breakpoints.dispose();
    for (const d of live.disposables) d.dispose();
    live.tracker.dispose();
    live.dirty.dispose();
    // Dispose after a pending run() returned (pause is honoured at the next batch boundary).
    setImmediate(() => live.machine.dispose());
  }

  // ---- output --------------------------------------------------------------------------------

  private output(text: string, category: 'stdout' | 'stderr'): void {
    this.outputBuffer += this.decoder.write(Buffer.from(text, 'latin1'));
    if (category === 'stderr') {
      this.flushOutput('stderr');
      return;
    }
    this.outputTimer ??= setTimeout(() => this.flushOutput(), 10);
  }

  private flushOutput(category: 'stdout' | 'stderr' = 'stdout'): void {
    if (this.outputTimer) clearTimeout(this.outputTimer);
    this.outputTimer = undefined;
    if (this.outputBuffer === '') return;
    const text = this.outputBuffer;
    this.outputBuffer = '';
    this.sendEvent(new OutputEvent(text, category));
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
    this.startLiveRefresh();
    live.run.running = true; // requests arriving before the deferred start see a running machine
    // Start after the response went out: a short step would otherwise stop before it is answered.
    new Promise<RunOutcome>((resolve, reject) =>
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
    this.stopLiveRefresh();
    this.flushOutput();
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
    this.sendMemoryEvents(live.dirty.collect(), live);
  }

  private startLiveRefresh(): void {
    this.stopLiveRefresh();
    this.liveTimer = setInterval(() => {
      const live = this.live;
      if (live) this.sendMemoryEvents(live.dirty.collect(), live);
    }, LIVE_REFRESH_MS);
  }

  private stopLiveRefresh(): void {
    if (this.liveTimer) clearInterval(this.liveTimer);
    this.liveTimer = undefined;
  }

  private sendMemoryEvents(ranges: readonly ChangedRange[], live: Live): void {
    if (!this.client.supportsMemoryEvent) return;
    for (const r of ranges) {
      this.sendEvent(
        new MemoryEvent(memoryReference(live.spaceId, r.address), 0, Number(r.length)),
      );
    }
  }

  /** After a debugger write: memory events for what changed, and the variables view refreshed. */
  private afterWrite(live: Live, extra?: ChangedRange): void {
    const ranges = live.dirty.collect();
    if (
      extra &&
      !ranges.some(
        (r) => r.address <= extra.address && r.address + r.length >= extra.address + extra.length,
      )
    )
      ranges.push(extra);
    this.sendMemoryEvents(ranges, live);
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
    this.answer(response, () => {
      const live = this.need();
      const path = args.source?.path;
      if (typeof path !== 'string') throw new Error('setBreakpoints: source.path must be a string');
      if (args.breakpoints !== undefined && !Array.isArray(args.breakpoints)) {
        throw new Error('setBreakpoints: breakpoints must be an array');
      }
      if (args.lines !== undefined && !Array.isArray(args.lines))
        throw new Error('setBreakpoints: lines must be an array');
      const wanted = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
      if (
        !Array.isArray(wanted) ||
        wanted.some((b) => typeof b !== 'object' || b === null || !Number.isSafeInteger(b.line))
      ) {
        throw new Error('setBreakpoints: breakpoints must be objects with an integer line');
      }
      return { breakpoints: live.breakpoints.setSourceBreakpoints(path, wanted) };
    });
  }

  protected override setFunctionBreakPointsRequest(
    response: DebugProtocol.SetFunctionBreakpointsResponse,
    args: DebugProtocol.SetFunctionBreakpointsArguments,
  ): void {
    this.answer(response, () => {
      if (
        !Array.isArray(args?.breakpoints) ||
        args.breakpoints.some((b) => typeof b?.name !== 'string')
      ) {
        throw new Error('setFunctionBreakpoints: breakpoints must be objects with a name');
      }
      return { breakpoints: this.need().breakpoints.setFunctionBreakpoints(args.breakpoints) };
    });
  }

  protected override setInstructionBreakpointsRequest(
    response: DebugProtocol.SetInstructionBreakpointsResponse,
    args: DebugProtocol.SetInstructionBreakpointsArguments,
  ): void {
    this.answer(response, () => {
      if (!Array.isArray(args?.breakpoints))
        throw new Error('setInstructionBreakpoints: breakpoints must be an array');
      return { breakpoints: this.need().breakpoints.setInstructionBreakpoints(args.breakpoints) };
    });
  }

  protected override setExceptionBreakPointsRequest(
    response: DebugProtocol.SetExceptionBreakpointsResponse,
    args: DebugProtocol.SetExceptionBreakpointsArguments,
  ): void {
    this.answer(response, () => {
      const filters = args?.filters;
      if (
        !Array.isArray(filters) ||
        filters.some((f) => !EXCEPTION_FILTERS.some((x) => x.filter === f))
      ) {
        throw new Error(
          `setExceptionBreakpoints: filters must be a list of ${EXCEPTION_FILTERS.map((f) => f.filter).join(', ')}`,
        );
      }
      this.need().breakpoints.exceptionFilters = new Set(filters);
      return { breakpoints: filters.map(() => ({ verified: true })) };
    });
  }

  protected override dataBreakpointInfoRequest(
    response: DebugProtocol.DataBreakpointInfoResponse,
    args: DebugProtocol.DataBreakpointInfoArguments,
  ): void {
    this.answer(response, () => {
      const live = this.need();
      if (typeof args?.name !== 'string')
        throw new Error('dataBreakpointInfo: name must be a string');
      if (args.bytes !== undefined && (!Number.isSafeInteger(args.bytes) || args.bytes < 1))
        throw new Error('dataBreakpointInfo: bytes must be a positive integer');
      if (args.variablesReference !== undefined && !args.asAddress) {
        const target = live.variables.watchTarget(args.variablesReference, args.name);
        if (!target)
          return {
            dataId: null,
            description: `'${args.name}' is not in memory (registers cannot be watched)`,
          };
        return dataInfoForExpression(
          live.context,
          live.machine,
          target.address,
          true,
          args.bytes ?? target.size,
        );
      }
      return dataInfoForExpression(
        live.context,
        live.machine,
        args.name,
        args.asAddress === true,
        args.bytes,
      );
    });
  }

  protected override setDataBreakpointsRequest(
    response: DebugProtocol.SetDataBreakpointsResponse,
    args: DebugProtocol.SetDataBreakpointsArguments,
  ): void {
    this.answer(response, () => {
      if (!Array.isArray(args?.breakpoints))
        throw new Error('setDataBreakpoints: breakpoints must be an array');
      return { breakpoints: this.need().breakpoints.setDataBreakpoints(args.breakpoints) };
    });
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    this.answer(response, () => {
      const e = this.lastException;
      if (!e) throw new Error('exceptionInfo: the last stop was not an exception');
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
      const live = this.stopped();
      if (typeof args !== 'object' || args === null)
        throw new Error('stackTrace: arguments must be an object');
      const start = args.startFrame === undefined ? 0 : args.startFrame;
      const levels = args.levels === undefined ? 0 : args.levels;
      if (
        !Number.isSafeInteger(start) ||
        start < 0 ||
        !Number.isSafeInteger(levels) ||
        levels < 0
      ) {
        throw new Error('stackTrace: startFrame and levels must be non-negative integers');
      }
      this.frames ??= backtrace(live.machine, live.debugInfo);
      const end = levels > 0 ? start + levels : this.frames.length;
      return {
        stackFrames: this.frames.slice(start, end).map((f) => toStackFrame(f, live.machine)),
        totalFrames: this.frames.length,
      };
    });
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse): void {
    this.answer(response, () => ({ scopes: this.stopped().variables.scopes() }));
  }

  protected override variablesRequest(
    response: DebugProtocol.VariablesResponse,
    args: DebugProtocol.VariablesArguments,
  ): void {
    this.answer(response, () => {
      if (!Number.isSafeInteger(args?.variablesReference))
        throw new Error('variables: variablesReference must be an integer');
      let variables = this.need().variables.variables(args.variablesReference);
      if (args.start !== undefined || args.count !== undefined) {
        const s = args.start ?? 0;
        const c = args.count ?? variables.length;
        if (!Number.isSafeInteger(s) || s < 0 || !Number.isSafeInteger(c) || c < 0)
          throw new Error('variables: start and count must be non-negative integers');
        variables = variables.slice(s, c > 0 ? s + c : undefined);
      }
      return { variables };
    });
  }

  protected override setVariableRequest(
    response: DebugProtocol.SetVariableResponse,
    args: DebugProtocol.SetVariableArguments,
  ): void {
    this.answer(response, () => {
      const live = this.stopped();
      if (typeof args?.name !== 'string' || typeof args.value !== 'string')
        throw new Error('setVariable: name and value must be strings');
      const value = evaluateExpression(args.value, live.context).value;
      const v = live.variables.setVariable(args.variablesReference, args.name, value);
      this.frames = undefined;
      this.afterWrite(live);
      return {
        value: v.value,
        ...(v.type ? { type: v.type } : {}),
        variablesReference: v.variablesReference,
        ...(v.memoryReference ? { memoryReference: v.memoryReference } : {}),
      };
    });
  }

  protected override evaluateRequest(
    response: DebugProtocol.EvaluateResponse,
    args: DebugProtocol.EvaluateArguments,
  ): void {
    this.answer(response, () => {
      const live = this.need();
      if (typeof args?.expression !== 'string')
        throw new Error('evaluate: expression must be a string');
      const outcome = evaluate(live.machine, live.spaceId, args, live.context, (name) =>
        this.findRegions(live, name),
      );
      if (outcome.changed) this.afterWrite(live);
      return outcome.body;
    });
  }

  private findRegions(live: Live, name: string): MemoryRegion[] {
    const byId = live.machine.board.regions.get(name);
    if (byId) return [byId];
    const out = new Set<MemoryRegion>();
    for (const id of live.tracker.snapshot().regions)
      if (id.name === name) {
        const mr = live.tracker.regionById(id.id);
        if (mr) out.add(mr);
      }
    return [...out];
  }

  // ---- memory and disassembly ---------------------------------------------------------------------

  protected override readMemoryRequest(
    response: DebugProtocol.ReadMemoryResponse,
    args: DebugProtocol.ReadMemoryArguments,
  ): void {
    this.answer(response, () => readMemory(this.need().lookup, args));
  }

  protected override writeMemoryRequest(
    response: DebugProtocol.WriteMemoryResponse,
    args: DebugProtocol.WriteMemoryArguments,
  ): void {
    this.answer(response, () => {
      const live = this.need();
      const outcome = writeMemory(live.lookup, args);
      if (outcome.written) {
        live.machine.cpu.invalidateDecodeCache(
          Number(outcome.written.address & 0xffffffffn),
          outcome.written.length,
        );
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
      if (typeof args !== 'object' || args === null)
        throw new Error('disassemble: arguments must be an object');
      return { instructions: disassemble(live.machine, live.spaceId, live.debugInfo, args) };
    });
  }

  protected override customRequest(
    command: string,
    response: DebugProtocol.Response,
    args: unknown,
  ): void {
    this.answer(response, () => {
      const live = this.need();
      const answer = answerCustomRequest(command, args, live.machine, live.tracker, live.lookup);
      if (!answer.handled) throw new Error(`unknown request '${command}'`);
      if (answer.changed) this.afterWrite(live);
      return answer.body as DebugProtocol.Response['body'];
    });
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
