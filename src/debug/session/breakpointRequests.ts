/**
 * The breakpoint requests' argument checks and answers (setBreakpoints, setFunctionBreakpoints,
 * setInstructionBreakpoints, setExceptionBreakpoints, dataBreakpointInfo, setDataBreakpoints):
 * a malformed request throws an Error naming the argument, which the session turns into an
 * error response.
 */
import { AdapterError, AdapterErrorCode } from '../errors';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { dataInfoForExpression } from '../inspect';
import type { Live } from './live';
import { EXCEPTION_FILTERS } from '../run';

type Body<R extends DebugProtocol.Response> = NonNullable<R['body']>;

export function setBreakpoints(
  live: Live,
  args: DebugProtocol.SetBreakpointsArguments,
): Body<DebugProtocol.SetBreakpointsResponse> {
  const path = args?.source?.path;
  if (typeof path !== 'string')
    throw new AdapterError(
      AdapterErrorCode.BadArgument,
      'setBreakpoints: source.path must be a string',
    );
  if (args.breakpoints !== undefined && !Array.isArray(args.breakpoints)) {
    throw new AdapterError(
      AdapterErrorCode.BadArgument,
      'setBreakpoints: breakpoints must be an array',
    );
  }
  if (args.lines !== undefined && !Array.isArray(args.lines))
    throw new AdapterError(AdapterErrorCode.BadArgument, 'setBreakpoints: lines must be an array');
  const wanted = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
  if (wanted.some((b) => typeof b !== 'object' || b === null || !Number.isSafeInteger(b.line))) {
    throw new AdapterError(
      AdapterErrorCode.BadArgument,
      'setBreakpoints: breakpoints must be objects with an integer line',
    );
  }
  return { breakpoints: live.breakpoints.setSourceBreakpoints(path, wanted) };
}

export function setFunctionBreakpoints(
  live: Live,
  args: DebugProtocol.SetFunctionBreakpointsArguments,
): Body<DebugProtocol.SetFunctionBreakpointsResponse> {
  if (
    !Array.isArray(args?.breakpoints) ||
    args.breakpoints.some((b) => typeof b?.name !== 'string')
  ) {
    throw new AdapterError(
      AdapterErrorCode.BadArgument,
      'setFunctionBreakpoints: breakpoints must be objects with a name',
    );
  }
  return { breakpoints: live.breakpoints.setFunctionBreakpoints(args.breakpoints) };
}

export function setInstructionBreakpoints(
  live: Live,
  args: DebugProtocol.SetInstructionBreakpointsArguments,
): Body<DebugProtocol.SetInstructionBreakpointsResponse> {
  if (
    !Array.isArray(args?.breakpoints) ||
    args.breakpoints.some((b) => typeof b !== 'object' || b === null)
  ) {
    throw new AdapterError(
      AdapterErrorCode.BadArgument,
      'setInstructionBreakpoints: breakpoints must be an array of objects',
    );
  }
  return { breakpoints: live.breakpoints.setInstructionBreakpoints(args.breakpoints) };
}

export function setExceptionBreakpoints(
  live: Live,
  args: DebugProtocol.SetExceptionBreakpointsArguments,
): Body<DebugProtocol.SetExceptionBreakpointsResponse> {
  const filters = args?.filters;
  if (
    !Array.isArray(filters) ||
    filters.some((f) => !EXCEPTION_FILTERS.some((x) => x.filter === f))
  ) {
    throw new AdapterError(
      AdapterErrorCode.BadArgument,
      `setExceptionBreakpoints: filters must be a list of ${EXCEPTION_FILTERS.map((f) => f.filter).join(', ')}`,
    );
  }
  live.breakpoints.exceptionFilters = new Set(filters);
  live.run.updateTrapFilter(); // takes effect at once, also while running
  return { breakpoints: filters.map(() => ({ verified: true })) };
}

export function dataBreakpointInfo(
  live: Live,
  args: DebugProtocol.DataBreakpointInfoArguments,
): Body<DebugProtocol.DataBreakpointInfoResponse> {
  if (typeof args?.name !== 'string')
    throw new AdapterError(
      AdapterErrorCode.BadArgument,
      'dataBreakpointInfo: name must be a string',
    );
  if (args.bytes !== undefined && (!Number.isSafeInteger(args.bytes) || args.bytes < 1)) {
    throw new AdapterError(
      AdapterErrorCode.BadArgument,
      'dataBreakpointInfo: bytes must be a positive integer',
    );
  }
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
}

export function setDataBreakpoints(
  live: Live,
  args: DebugProtocol.SetDataBreakpointsArguments,
): Body<DebugProtocol.SetDataBreakpointsResponse> {
  if (
    !Array.isArray(args?.breakpoints) ||
    args.breakpoints.some((b) => typeof b !== 'object' || b === null)
  ) {
    throw new AdapterError(
      AdapterErrorCode.BadArgument,
      'setDataBreakpoints: breakpoints must be an array of objects',
    );
  }
  return { breakpoints: live.breakpoints.setDataBreakpoints(args.breakpoints) };
}
