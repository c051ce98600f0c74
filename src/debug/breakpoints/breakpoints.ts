/**
 * Breakpoint bookkeeping: source lines (DWARF line table), function names (ELF symbols),
 * instruction addresses, data breakpoints (engine watchpoints, any number) and temporary
 * breakpoints for stepping, all sharing the core's breakpoint set through reference counts.
 * Conditions are expressions (expression.ts); hit conditions are `N` (stop from the N-th hit on),
 * `>N`, `>=N`, `==N` / `=N`, `<N`, `<=N`, `%N` (every N-th hit).
 */
import { AdapterError, AdapterErrorCode } from '../errors';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { type WatchHit, addressHex } from '../../engine';
import type { DebugInfo, Machine } from '../../machine';

interface Condition {
  readonly condition: string | undefined;
  readonly hitCondition: ((hits: number) => boolean) | undefined;
  readonly logMessage: string | undefined;
  hits: number;
}

interface CodeBreakpoint extends Condition {
  readonly id: number;
  readonly addresses: readonly number[];
  readonly kind?: 'function' | 'instruction';
}

interface DataWatch extends Condition {
  readonly id: number;
  readonly watchpointId: number;
  readonly description: string;
}

export type ConditionEvaluator = (expression: string) => bigint;

export interface BreakDecision {
  /** Stop here (a user breakpoint whose condition and hit count say so, or a temp breakpoint). */
  readonly stop: boolean;
  readonly ids: number[];
  /** Log points that fired (already interpolated). */
  readonly logs: string[];
  /** A condition failed to evaluate: stop and say why. */
  readonly error?: string;
  /** The DAP stop reason for the first breakpoint that stopped. */
  readonly reason?: 'breakpoint' | 'function breakpoint' | 'instruction breakpoint';
}

export class BreakpointError extends AdapterError {
  constructor(message: string) {
    super(AdapterErrorCode.BadArgument, message);
  }
}

let nextId = 1;

/** Parses a DAP hitCondition; throws BreakpointError on nonsense. */
export function parseHitCondition(
  text: string | undefined,
): ((hits: number) => boolean) | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const m = /^\s*(>=|<=|==|=|>|<|%)?\s*(\d+)\s*$/.exec(text);
  if (!m)
    throw new BreakpointError(`hit condition '${text}': expected N, >N, >=N, ==N, <N, <=N or %N`);
  const n = Number(m[2]);
  switch (m[1]) {
    case '>':
      return (h) => h > n;
    case '<':
      return (h) => h < n;
    case '<=':
      return (h) => h <= n;
    case '==':
    case '=':
      return (h) => h === n;
    case '%':
      return (h) => n > 0 && h % n === 0;
    default:
      return (h) => h >= n;
  }
}

export class Breakpoints {
  private readonly armed = new Map<number, number>();
  private readonly sourceByPath = new Map<string, CodeBreakpoint[]>();
  /** The last requests and the ids they got, to resolve again for a reloaded program. */
  private readonly sourceRequests = new Map<
    string,
    { requested: readonly DebugProtocol.SourceBreakpoint[]; ids: number[] }
  >();
  private functionRequest: {
    requested: readonly DebugProtocol.FunctionBreakpoint[];
    ids: number[];
  } = { requested: [], ids: [] };
  private functionBps: CodeBreakpoint[] = [];
  private instructionBps: CodeBreakpoint[] = [];
  private dataBps: DataWatch[] = [];
  private readonly temps = new Map<number, number>();
  exceptionFilters = new Set<string>();

  constructor(
    private readonly machine: Machine,
    private debugInfo: DebugInfo | undefined,
  ) {}

  // ---- the core's breakpoint set, reference counted ------------------------------------------

  private arm(address: number): void {
    const n = this.armed.get(address) ?? 0;
    this.armed.set(address, n + 1);
    if (n === 0) this.machine.addBreakpoint(address);
  }

  private disarm(address: number): void {
    const n = this.armed.get(address) ?? 0;
    if (n <= 1) {
      this.armed.delete(address);
      if (n === 1) this.machine.removeBreakpoint(address);
    } else this.armed.set(address, n - 1);
  }

  addTemporary(address: number): void {
    this.temps.set(address, (this.temps.get(address) ?? 0) + 1);
    this.arm(address);
  }

  clearTemporaries(): void {
    for (const [address, n] of this.temps) for (let i = 0; i < n; i++) this.disarm(address);
    this.temps.clear();
  }

  isTemporary(address: number): boolean {
    return this.temps.has(address);
  }

  // ---- user breakpoints -------------------------------------------------------------------

  private makeCondition(bp: {
    condition?: string;
    hitCondition?: string;
    logMessage?: string;
  }): Condition {
    return {
      condition: bp.condition?.trim() ? bp.condition : undefined,
      hitCondition: parseHitCondition(bp.hitCondition),
      logMessage: bp.logMessage,
      hits: 0,
    };
  }

  private replace(old: readonly CodeBreakpoint[], fresh: CodeBreakpoint[]): CodeBreakpoint[] {
    for (const bp of old) for (const a of bp.addresses) this.disarm(a);
    for (const bp of fresh) for (const a of bp.addresses) this.arm(a);
    return fresh;
  }

  setSourceBreakpoints(
    path: string,
    requested: readonly DebugProtocol.SourceBreakpoint[],
    reuseIds?: readonly number[],
  ): DebugProtocol.Breakpoint[] {
    const result: DebugProtocol.Breakpoint[] = [];
    const fresh: CodeBreakpoint[] = [];
    const ids: number[] = [];
    this.sourceRequests.set(path, { requested, ids });
    for (const [i, want] of requested.entries()) {
      const id = reuseIds?.[i] ?? nextId++;
      ids.push(id);
      let resolved: { line: number; addresses: number[] } | undefined;
      try {
        resolved = this.debugInfo?.addressesForLine(path, want.line);
      } catch {
        resolved = undefined;
      }
      let condition: Condition;
      try {
        condition = this.makeCondition(want);
      } catch (e) {
        result.push({ id, verified: false, line: want.line, message: (e as Error).message });
        continue;
      }
      if (!resolved || resolved.addresses.length === 0) {
        result.push({
          id,
          verified: false,
          line: want.line,
          message: this.debugInfo
            ? `no code at or after line ${want.line} of ${path} in the program's line table`
            : 'no program with debug information is loaded',
        });
        continue;
      }
      fresh.push({ id, addresses: resolved.addresses, ...condition });
      result.push({
        id,
        verified: true,
        line: resolved.line,
        source: { path },
        instructionReference: addressHex(resolved.addresses[0]!),
        ...(resolved.addresses.length > 1
          ? { message: `${resolved.addresses.length} locations` }
          : {}),
      });
    }
    this.sourceByPath.set(path, this.replace(this.sourceByPath.get(path) ?? [], fresh));
    return result;
  }

  setFunctionBreakpoints(
    requested: readonly DebugProtocol.FunctionBreakpoint[],
    reuseIds?: readonly number[],
  ): DebugProtocol.Breakpoint[] {
    const result: DebugProtocol.Breakpoint[] = [];
    const fresh: CodeBreakpoint[] = [];
    const ids: number[] = [];
    this.functionRequest = { requested, ids };
    for (const [i, want] of requested.entries()) {
      const id = reuseIds?.[i] ?? nextId++;
      ids.push(id);
      const symbol = this.machine.symbols?.byName(want.name);
      const address = symbol && symbol.kind === 'func' ? symbol.value : undefined;
      if (address === undefined) {
        result.push({
          id,
          verified: false,
          message: symbol
            ? `'${want.name}' is not a function`
            : `no function '${want.name}' in the program's symbols`,
        });
        continue;
      }
      result.push(this.bindAddress(id, address, 'function', want, fresh));
    }
    this.functionBps = this.replace(this.functionBps, fresh);
    return result;
  }

  setInstructionBreakpoints(
    requested: readonly DebugProtocol.InstructionBreakpoint[],
  ): DebugProtocol.Breakpoint[] {
    const result: DebugProtocol.Breakpoint[] = [];
    const fresh: CodeBreakpoint[] = [];
    for (const want of requested) {
      const id = nextId++;
      const base =
        typeof want.instructionReference === 'string' ? Number(want.instructionReference) : NaN;
      const address = base + (want.offset ?? 0);
      if (!Number.isSafeInteger(address) || address < 0 || address >= 2 ** 32) {
        result.push({
          id,
          verified: false,
          message: `instructionReference '${String(want.instructionReference)}' + ${want.offset ?? 0} is not a 32-bit address`,
        });
        continue;
      }
      result.push(this.bindAddress(id, address, 'instruction', want, fresh));
    }
    this.instructionBps = this.replace(this.instructionBps, fresh);
    return result;
  }

  /** Arms a breakpoint at one address (its condition parsed first); the DAP answer for it. */
  private bindAddress(
    id: number,
    address: number,
    kind: 'function' | 'instruction',
    want: DebugProtocol.FunctionBreakpoint | DebugProtocol.InstructionBreakpoint,
    fresh: CodeBreakpoint[],
  ): DebugProtocol.Breakpoint {
    try {
      fresh.push({ id, addresses: [address], kind, ...this.makeCondition(want) });
    } catch (e) {
      return { id, verified: false, message: (e as Error).message };
    }
    return {
      id,
      verified: true,
      instructionReference: addressHex(address),
      ...this.sourceOf(address),
    };
  }

  private sourceOf(address: number): { source?: DebugProtocol.Source; line?: number } {
    const loc = this.debugInfo?.lines.lineForAddress(address);
    return loc
      ? { source: { path: loc.path, name: loc.path.split(/[\\/]/).pop() }, line: loc.line }
      : {};
  }

  /**
   * The program was reloaded (rebuilt on disk): resolve source lines and function names again,
   * keeping each breakpoint's id; returns the breakpoints as they are now (for `changed` events).
   */
  rebind(debugInfo: DebugInfo | undefined): DebugProtocol.Breakpoint[] {
    this.debugInfo = debugInfo;
    const changed: DebugProtocol.Breakpoint[] = [];
    for (const [path, { requested, ids }] of [...this.sourceRequests]) {
      changed.push(...this.setSourceBreakpoints(path, requested, ids));
    }
    const { requested, ids } = this.functionRequest;
    changed.push(...this.setFunctionBreakpoints(requested, ids));
    return changed;
  }

  // ---- data breakpoints -------------------------------------------------------------------

  setDataBreakpoints(
    requested: readonly DebugProtocol.DataBreakpoint[],
  ): DebugProtocol.Breakpoint[] {
    for (const old of this.dataBps) this.machine.removeWatchpoint(old.watchpointId);
    this.dataBps = [];
    return requested.map((want) => {
      const id = nextId++;
      const parsed = parseDataId(want.dataId);
      if (!parsed)
        return {
          id,
          verified: false,
          message: `dataId '${String(want.dataId)}' is not one this adapter handed out`,
        };
      const kind =
        want.accessType === 'read' ? 'read' : want.accessType === 'readWrite' ? 'access' : 'write';
      let condition: Condition;
      try {
        condition = this.makeCondition(want);
      } catch (e) {
        return { id, verified: false, message: (e as Error).message };
      }
      const wp = this.machine.addWatchpoint(parsed.address, parsed.size, kind);
      this.dataBps.push({
        id,
        watchpointId: wp.id,
        description: `${kind} of ${parsed.size} byte(s) at ${addressHex(parsed.address)}`,
        ...condition,
      });
      return {
        id,
        verified: true,
        instructionReference: addressHex(parsed.address),
        message: `${kind} watch on ${addressHex(parsed.address)}, ${parsed.size} byte(s)`,
      };
    });
  }

  /** A watchpoint hit: the matching data breakpoint and whether its condition says stop. */
  decideData(hit: WatchHit, evaluate: ConditionEvaluator): BreakDecision {
    const bp = this.dataBps.find((d) => d.watchpointId === hit.watchpoint.id);
    if (!bp) return { stop: true, ids: [], logs: [] };
    return this.evaluateConditions([bp], evaluate, false);
  }

  dataDescription(hit: WatchHit): string {
    const bp = this.dataBps.find((d) => d.watchpointId === hit.watchpoint.id);
    const what = hit.isWrite ? `write of ${addressHex(hit.value >>> 0, hit.size * 2)}` : 'read';
    return `data breakpoint: ${what} (${hit.size} byte(s)) at ${addressHex(hit.address)}${bp ? ` — ${bp.description}` : ''}`;
  }

  // ---- decisions at a breakpoint stop --------------------------------------------------------

  /** The core stopped at `pc` for a breakpoint: decide whether the user sees a stop. */
  decideCode(pc: number, evaluate: ConditionEvaluator): BreakDecision {
    const matching: CodeBreakpoint[] = [];
    for (const list of [...this.sourceByPath.values(), this.functionBps, this.instructionBps]) {
      for (const bp of list) if (bp.addresses.includes(pc)) matching.push(bp);
    }
    const decision = this.evaluateConditions(matching, evaluate, this.temps.has(pc));
    return decision;
  }

  private evaluateConditions(
    bps: readonly (Condition & { id: number; kind?: CodeBreakpoint['kind'] })[],
    evaluate: ConditionEvaluator,
    forced: boolean,
  ): BreakDecision {
    const ids: number[] = [];
    const logs: string[] = [];
    let stop = forced;
    let reason: BreakDecision['reason'];
    for (const bp of bps) {
      if (bp.condition !== undefined) {
        let value: bigint;
        try {
          value = evaluate(bp.condition);
        } catch (e) {
          return {
            stop: true,
            ids: [bp.id],
            logs,
            error: `breakpoint condition '${bp.condition}': ${(e as Error).message}`,
          };
        }
        if (value === 0n) continue;
      }
      bp.hits++;
      if (bp.hitCondition && !bp.hitCondition(bp.hits)) continue;
      if (bp.logMessage !== undefined) {
        logs.push(interpolate(bp.logMessage, evaluate));
        continue;
      }
      ids.push(bp.id);
      reason ??= bp.kind ? `${bp.kind} breakpoint` : 'breakpoint';
      stop = true;
    }
    return { stop, ids, logs, ...(reason ? { reason } : {}) };
  }

  /** Whether any user code breakpoint sits at `address`. */
  hasUserBreakpoint(address: number): boolean {
    return (this.armed.get(address) ?? 0) > (this.temps.get(address) ?? 0);
  }

  dispose(): void {
    for (const bp of this.dataBps) this.machine.removeWatchpoint(bp.watchpointId);
    this.machine.clearBreakpoints();
    this.armed.clear();
  }
}

/** `{expr}` in a log message is replaced by the expression's value in hex. */
function interpolate(message: string, evaluate: ConditionEvaluator): string {
  return message.replace(/\{([^}]+)\}/g, (_, expr: string) => {
    try {
      return addressHex(evaluate(expr), 0);
    } catch (e) {
      return `<${(e as Error).message}>`;
    }
  });
}

/** Data ids are `0x<address>/<size>` (stable, so VS Code can persist them). */
export function formatDataId(address: number, size: number): string {
  return `${addressHex(address, 0)}/${size}`;
}

export function parseDataId(id: unknown): { address: number; size: number } | undefined {
  if (typeof id !== 'string') return undefined;
  const m = /^0x([0-9a-f]+)\/(\d+)$/.exec(id);
  if (!m) return undefined;
  const address = parseInt(m[1]!, 16);
  const size = Number(m[2]);
  if (!(address < 2 ** 32) || size < 1 || size > 2 ** 32 - address) return undefined;
  return { address, size };
}
