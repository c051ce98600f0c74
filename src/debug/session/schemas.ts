/**
 * The door: one schema per DAP request, checked before any handler runs, so a wrong type never
 * reaches the machine (a numeric `logMessage` used to fail later as "message.replace is not a
 * function"). Each object schema is typed against its `@vscode/debugprotocol` arguments type and
 * must list every one of its properties (the compiler checks), so a new DAP field is a compile
 * error here until it is given a rule. Errors name the argument by its path
 * (`breakpoints[2].logMessage: expected a string, got 5`). Bounds live here too: every count,
 * offset, array and string has a limit, so no request can ask for unbounded work.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import {
  DAP_RESOLVE_ADDRESS_REQUEST,
  DAP_SET_REGION_ENABLED_REQUEST,
  DAP_TOPOLOGY_REQUEST,
  MemoryRequest,
  type ReadMemoryExArguments,
  type RegisterInfoArguments,
  type ResolveAddressArguments,
  type SetRegionEnabledArguments,
  type TopologyRequestArguments,
} from '../../protocol';

/** Returns an error message for @value at @path, or undefined when it is acceptable. */
export type Check = (value: unknown, path: string) => string | undefined;

/** Longest string argument (expressions, conditions, log messages, names). */
export const MAX_TEXT = 64 * 1024;
/** Most elements in an array argument (breakpoints, lines, filters). */
export const MAX_ARRAY = 10_000;
/** Most stack frames, variables or instructions asked for in one request. */
export const MAX_COUNT = 100_000;
/** Largest |offset| in instructions for `disassemble` (see MAX_DISASSEMBLE_OFFSET). */
export const MAX_INSTRUCTION_OFFSET = 65_536;

function show(value: unknown): string {
  if (typeof value === 'string')
    return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

const expected = (what: string, path: string, value: unknown) =>
  `${path}: expected ${what}, got ${show(value)}`;

export const str =
  (max = MAX_TEXT): Check =>
  (v, p) =>
    typeof v !== 'string'
      ? expected('a string', p, v)
      : v.length > max
        ? `${p}: longer than ${max} characters (${v.length})`
        : undefined;

export const bool: Check = (v, p) =>
  typeof v === 'boolean' ? undefined : expected('true or false', p, v);

/** A safe integer in [min, max]. */
export const int =
  (min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): Check =>
  (v, p) =>
    typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max
      ? undefined
      : expected(`an integer from ${min} to ${max}`, p, v);

export const oneOf =
  (...values: readonly string[]): Check =>
  (v, p) =>
    typeof v === 'string' && values.includes(v)
      ? undefined
      : expected(`one of ${values.map((x) => `'${x}'`).join(', ')}`, p, v);

/** Anything (the property is passed on untouched, e.g. `__restart`). */
export const any: Check = () => undefined;

/** Marks a property optional: absent (or undefined) is fine. */
export interface Optional {
  readonly optional: Check;
}
export const opt = (check: Check): Optional => ({ optional: check });

export const arr =
  (item: Check, max = MAX_ARRAY): Check =>
  (v, p) => {
    if (!Array.isArray(v)) return expected('an array', p, v);
    if (v.length > max) return `${p}: more than ${max} elements (${v.length})`;
    for (let i = 0; i < v.length; i++) {
      const e = item(v[i], `${p}[${i}]`);
      if (e) return e;
    }
    return undefined;
  };

/** An object whose listed properties follow their rules (unknown properties are allowed). */
export function obj<T>(shape: { [K in keyof Required<T>]: Check | Optional }): Check {
  const entries = Object.entries(shape) as [string, Check | Optional][];
  return (v, p) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return expected('an object', p, v);
    const o = v as Record<string, unknown>;
    for (const [key, rule] of entries) {
      const value = o[key];
      const at = p ? `${p}.${key}` : key;
      if (typeof rule === 'function') {
        const e = rule(value, at);
        if (e) return value === undefined ? `${at}: required` : e;
      } else if (value !== undefined) {
        const e = rule.optional(value, at);
        if (e) return e;
      }
    }
    return undefined;
  };
}

// ---- shared pieces ------------------------------------------------------------------------------

const text = str();
const count = int(0, MAX_COUNT);
const nonNegative = int(0);
const line = int(0);
const reference = int(0);

const source = obj<DebugProtocol.Source>({
  name: opt(text),
  path: opt(str(4096)),
  sourceReference: opt(reference),
  presentationHint: opt(text),
  origin: opt(text),
  sources: opt(arr(any, 100)),
  adapterData: opt(any),
  checksums: opt(arr(any, 100)),
});

const valueFormat = obj<DebugProtocol.ValueFormat>({ hex: opt(bool) });
const stackFrameFormat = obj<DebugProtocol.StackFrameFormat>({
  hex: opt(bool),
  parameters: opt(bool),
  parameterTypes: opt(bool),
  parameterNames: opt(bool),
  parameterValues: opt(bool),
  line: opt(bool),
  module: opt(bool),
  includeAll: opt(bool),
});

const granularity = oneOf('statement', 'line', 'instruction');
const stepArguments = {
  threadId: int(),
  singleThread: opt(bool),
  granularity: opt(granularity),
};

const breakpointCommon = {
  condition: opt(text),
  hitCondition: opt(text),
  logMessage: opt(text),
};

/** DAP's memory reference: a string (the memory module parses and bounds it). */
const memoryReference = str(4096);
/** A byte offset: any safe integer (the memory module checks the resulting address). */
const byteOffset = opt(int());

// ---- one schema per request ---------------------------------------------------------------------

export const REQUEST_SCHEMAS: Readonly<Record<string, Check>> = {
  initialize: obj<DebugProtocol.InitializeRequestArguments>({
    clientID: opt(text),
    clientName: opt(text),
    adapterID: text,
    locale: opt(text),
    linesStartAt1: opt(bool),
    columnsStartAt1: opt(bool),
    pathFormat: opt(text),
    supportsVariableType: opt(bool),
    supportsVariablePaging: opt(bool),
    supportsRunInTerminalRequest: opt(bool),
    supportsMemoryReferences: opt(bool),
    supportsProgressReporting: opt(bool),
    supportsInvalidatedEvent: opt(bool),
    supportsMemoryEvent: opt(bool),
    supportsArgsCanBeInterpretedByShell: opt(bool),
    supportsStartDebuggingRequest: opt(bool),
    supportsANSIStyling: opt(bool),
  }),
  // The launch configuration's own fields are checked by launchMachine (with their own messages).
  launch: obj<DebugProtocol.LaunchRequestArguments>({ noDebug: opt(bool), __restart: opt(any) }),
  disconnect: opt0(
    obj<DebugProtocol.DisconnectArguments>({
      restart: opt(bool),
      terminateDebuggee: opt(bool),
      suspendDebuggee: opt(bool),
    }),
  ),
  terminate: opt0(obj<DebugProtocol.TerminateArguments>({ restart: opt(bool) })),
  restart: opt0(obj<DebugProtocol.RestartArguments>({ arguments: opt(any) })),
  configurationDone: opt0(obj<DebugProtocol.ConfigurationDoneArguments>({})),
  setBreakpoints: obj<DebugProtocol.SetBreakpointsArguments>({
    source,
    breakpoints: opt(
      arr(
        obj<DebugProtocol.SourceBreakpoint>({
          line,
          column: opt(line),
          mode: opt(text),
          ...breakpointCommon,
        }),
      ),
    ),
    lines: opt(arr(line)),
    sourceModified: opt(bool),
  }),
  setFunctionBreakpoints: obj<DebugProtocol.SetFunctionBreakpointsArguments>({
    breakpoints: arr(
      obj<DebugProtocol.FunctionBreakpoint>({
        name: text,
        condition: opt(text),
        hitCondition: opt(text),
        // not in DebugProtocol.FunctionBreakpoint's type, but the adapter honours log points here
        ...({ logMessage: opt(text) } as object),
      }),
    ),
  }),
  setInstructionBreakpoints: obj<DebugProtocol.SetInstructionBreakpointsArguments>({
    breakpoints: arr(
      obj<DebugProtocol.InstructionBreakpoint>({
        instructionReference: memoryReference,
        offset: byteOffset,
        mode: opt(text),
        ...breakpointCommon,
      }),
    ),
  }),
  setExceptionBreakpoints: obj<DebugProtocol.SetExceptionBreakpointsArguments>({
    filters: arr(text),
    filterOptions: opt(
      arr(
        obj<DebugProtocol.ExceptionFilterOptions>({
          filterId: text,
          condition: opt(text),
          mode: opt(text),
        }),
      ),
    ),
    exceptionOptions: opt(arr(any)),
  }),
  dataBreakpointInfo: obj<DebugProtocol.DataBreakpointInfoArguments>({
    variablesReference: opt(reference),
    name: text,
    frameId: opt(int()),
    bytes: opt(int(1, 1 << 30)),
    asAddress: opt(bool),
    mode: opt(text),
  }),
  setDataBreakpoints: obj<DebugProtocol.SetDataBreakpointsArguments>({
    breakpoints: arr(
      obj<DebugProtocol.DataBreakpoint>({
        dataId: text,
        accessType: opt(oneOf('read', 'write', 'readWrite')),
        condition: opt(text),
        hitCondition: opt(text),
        // the adapter honours log points on data breakpoints too
        ...({ logMessage: opt(text) } as object),
      }),
    ),
  }),
  breakpointLocations: obj<DebugProtocol.BreakpointLocationsArguments>({
    source,
    line,
    column: opt(line),
    endLine: opt(line),
    endColumn: opt(line),
  }),
  continue: obj<DebugProtocol.ContinueArguments>({ threadId: int(), singleThread: opt(bool) }),
  next: obj<DebugProtocol.NextArguments>(stepArguments),
  stepIn: obj<DebugProtocol.StepInArguments>({ ...stepArguments, targetId: opt(int()) }),
  stepOut: obj<DebugProtocol.StepOutArguments>(stepArguments),
  pause: obj<DebugProtocol.PauseArguments>({ threadId: int() }),
  threads: any,
  stackTrace: obj<DebugProtocol.StackTraceArguments>({
    threadId: int(),
    startFrame: opt(int(0, MAX_COUNT)),
    levels: opt(count),
    format: opt(stackFrameFormat),
  }),
  scopes: obj<DebugProtocol.ScopesArguments>({ frameId: int() }),
  variables: obj<DebugProtocol.VariablesArguments>({
    variablesReference: reference,
    filter: opt(oneOf('indexed', 'named')),
    start: opt(int(0, MAX_COUNT)),
    count: opt(count),
    format: opt(valueFormat),
  }),
  setVariable: obj<DebugProtocol.SetVariableArguments>({
    variablesReference: reference,
    name: text,
    value: text,
    format: opt(valueFormat),
  }),
  setExpression: obj<DebugProtocol.SetExpressionArguments>({
    expression: text,
    value: text,
    frameId: opt(int()),
    format: opt(valueFormat),
  }),
  source: obj<DebugProtocol.SourceArguments>({
    source: opt(source),
    sourceReference: reference,
  }),
  evaluate: obj<DebugProtocol.EvaluateArguments>({
    expression: text,
    frameId: opt(int()),
    line: opt(line),
    column: opt(line),
    source: opt(source),
    context: opt(text),
    format: opt(valueFormat),
  }),
  completions: obj<DebugProtocol.CompletionsArguments>({
    frameId: opt(int()),
    text,
    column: int(0, MAX_TEXT + 1),
    line: opt(line),
  }),
  exceptionInfo: obj<DebugProtocol.ExceptionInfoArguments>({ threadId: int() }),
  readMemory: obj<DebugProtocol.ReadMemoryArguments>({
    memoryReference,
    offset: byteOffset,
    count: nonNegative,
  }),
  writeMemory: obj<DebugProtocol.WriteMemoryArguments>({
    memoryReference,
    offset: byteOffset,
    allowPartial: opt(bool),
    // the length is checked against the write limit before decoding (memory.ts)
    data: str(Number.MAX_SAFE_INTEGER),
  }),
  disassemble: obj<DebugProtocol.DisassembleArguments>({
    memoryReference,
    offset: byteOffset,
    instructionOffset: opt(int()),
    instructionCount: nonNegative,
    resolveSymbols: opt(bool),
  }),
  // Boardmap's custom requests (src/protocol)
  [DAP_TOPOLOGY_REQUEST]: opt0(obj<TopologyRequestArguments>({ ifNewerThan: opt(int()) })),
  [DAP_SET_REGION_ENABLED_REQUEST]: obj<SetRegionEnabledArguments>({
    regionId: text,
    enabled: bool,
  }),
  [DAP_RESOLVE_ADDRESS_REQUEST]: obj<ResolveAddressArguments>({
    addressSpaceId: opt(text),
    address: str(64),
  }),
  [MemoryRequest.readMemoryEx]: obj<ReadMemoryExArguments>({
    memoryReference,
    offset: byteOffset,
    count: nonNegative,
  }),
  [MemoryRequest.readWithSideEffects]: obj<ReadMemoryExArguments>({
    memoryReference,
    offset: byteOffset,
    count: nonNegative,
  }),
  [MemoryRequest.registerInfo]: obj<RegisterInfoArguments>({
    memoryReference,
    offset: byteOffset,
    count: nonNegative,
  }),
  'boardmap/input': obj<{ text: string }>({ text: str(Number.MAX_SAFE_INTEGER) }),
  cancel: opt0(
    obj<DebugProtocol.CancelArguments>({
      requestId: opt(int()),
      progressId: opt(text),
    }),
  ),
};

/** Arguments that may be absent altogether (DAP marks them optional). */
function opt0(check: Check): Check {
  return (v, p) => (v === undefined ? undefined : check(v, p));
}

/** Checks a request's arguments: the error message, or undefined when they pass (or have no schema). */
export function checkArguments(command: string, args: unknown): string | undefined {
  const schema = Object.prototype.hasOwnProperty.call(REQUEST_SCHEMAS, command)
    ? REQUEST_SCHEMAS[command]
    : undefined;
  if (!schema) return undefined;
  const error = schema(args, '');
  if (!error) return undefined;
  return `${command}: ${error.startsWith(': ') ? `arguments${error}` : error}`;
}
