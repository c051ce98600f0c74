/**
 * The Boardmap DAP session: translates DAP requests into Machine calls. The same class runs inline
 * in the extension host and standalone (dist/adapter.js, stdio or `--port`). Lifecycle and run
 * control are in SessionCore (sessionCore.ts); here are the requests that inspect and change
 * state; each area is its own module (breakpoints, stack, variables, memory, disassemble,
 * evaluate/monitor, setExpression, customRequests).
 */
import { Thread } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { breakpointLocations } from '../breakpoints';
import * as requests from './breakpointRequests';
import { answerCustomRequest } from './customRequests';
import { disassemble } from '../disassembly';
import { evaluate, setExpression, backtrace, toStackFrame } from '../inspect';
import { evaluateExpression } from '../expression';
import { findRegions } from './live';
import { readMemory, writeMemory } from '../memory';
import { SessionCore, THREAD_ID } from './sessionCore';

export type { SessionOptions } from './sessionCore';

export class BoardmapDebugSession extends SessionCore {
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
        stackFrames: this.frames
          .slice(start, end)
          .map((f) => toStackFrame(f, live.machine, live.disassembly)),
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
        throw new Error(`source: no source with reference ${String(reference)} in this session`);
      return { content, mimeType: 'text/x-riscv-asm' };
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

  protected override setExpressionRequest(
    response: DebugProtocol.SetExpressionResponse,
    args: DebugProtocol.SetExpressionArguments,
  ): void {
    this.answer(response, () => {
      const live = this.stopped();
      const outcome = setExpression(live.variables, live.spaceId, live.lookup, live.context, args);
      if (outcome.written)
        live.machine.cpu.invalidateDecodeCache(
          Number(outcome.written.address & 0xffffffffn),
          outcome.written.length,
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
      if (typeof args?.expression !== 'string')
        throw new Error('evaluate: expression must be a string');
      const outcome = evaluate(
        live.machine,
        live.spaceId,
        args,
        live.context,
        (name) => findRegions(live, name),
        live.hexLink,
      );
      if (outcome.changed) this.afterWrite(live);
      return outcome.body;
    });
  }

  // ---- memory and disassembly ---------------------------------------------------------------------

  protected override readMemoryRequest(
    response: DebugProtocol.ReadMemoryResponse,
    args: DebugProtocol.ReadMemoryArguments,
  ): void {
    this.memoryEvents.noteReference(args?.memoryReference);
    this.answer(response, () => readMemory(this.need().lookup, args));
  }

  protected override writeMemoryRequest(
    response: DebugProtocol.WriteMemoryResponse,
    args: DebugProtocol.WriteMemoryArguments,
  ): void {
    this.memoryEvents.noteReference(args?.memoryReference);
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
