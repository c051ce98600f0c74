/**
 * The program's own variables at a stop, from its DWARF (machine/debuginfo): per stack frame the
 * scopes Arguments (gdb's `info args`) and Locals (gdb's `info locals`: the innermost lexical
 * block first, statics included), and Globals (the unit's globals and file statics, sorted,
 * bounded). Values are gdb's text; structs, unions, arrays (paged) and pointers expand; every
 * value that lives in memory carries a memoryReference, every variable its C type and the C
 * expression that names it. Writes (setVariable, setExpression, C assignments in evaluate) go
 * through the C evaluator's assignment plan and the machine's one debugger-write path
 * (Machine.writeMemory: RAM, and MMIO through the device as a store), registers through the hart
 * (frame 0 only: a caller's registers are recovered copies).
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import {
  SourceExpressionError,
  availability,
  cannotAccess,
  childrenOf,
  evaluateSourceExpression,
  formatSourceValue,
  formatTopLevel,
  frameExpressionScope,
  hasChildren,
  indexedCount,
  integerOf,
  riscvRegisterNumber,
  stripType,
  typeName,
  type ExpressionScope,
  type FrameState,
  type Machine,
  type SourceFrame,
  type SourceSymbols,
  type SourceValue,
} from '../../machine';
import { AdapterError, AdapterErrorCode } from '../errors';
import { memoryReference } from '../memory';
import type { Frame } from './stack';

/** Most globals the Globals scope lists (sorted by name). */
export const MAX_GLOBALS = 500;

/** A variables container the Variables class hands out references for. */
export interface SourceContainer {
  /** Children from `start`, at most `count` (arrays are paged; other values ignore the page). */
  readonly children: (start: number, count: number) => DebugProtocol.Variable[];
  /** Assigns a C expression to the child called `name`; returns the child as it reads now. */
  readonly assign?: (name: string, text: string) => DebugProtocol.Variable;
}

export type Handle = (container: SourceContainer) => number;

/** The byte size of the value behind a variable that lives in memory (for data breakpoints). */
export const memoryVariableSizes = new WeakMap<DebugProtocol.Variable, number>();

/** A written range, for memory events and the decode cache. */
export interface WrittenRange {
  readonly address: number;
  readonly length: number;
}

/** The source-level view of one stop: frames' states, their scopes, C expressions in them. */
export class SourceStop {
  private states?: FrameState[];
  private readonly sourceFrames = new Map<number, SourceFrame | undefined>();
  /** Memory written through expressions since the last `takeWritten()`. */
  private written: WrittenRange[] = [];

  constructor(
    readonly symbols: SourceSymbols,
    private readonly machine: Machine,
    private readonly spaceId: string,
    private readonly frames: () => readonly Frame[],
    /** gdb shows an inlined instance entered at the pc only when a user breakpoint stopped there. */
    private readonly atUserBreakpoint: boolean,
  ) {}

  /** After a write (registers or memory): frames and values are read again. */
  refresh(): void {
    this.states = undefined;
    this.sourceFrames.clear();
  }

  readonly readMemory = (address: number, length: number) =>
    this.machine.readMemory(address >>> 0, length);

  private frameStates(): FrameState[] {
    if (this.states) return this.states;
    const frames = this.frames();
    const states: FrameState[] = [];
    for (let level = frames.length - 1; level >= 0; level--) {
      const f = frames[level]!;
      states[level] = {
        level,
        pc: f.pc,
        registers: f.x,
        ...(f.cfa !== undefined ? { cfa: f.cfa } : {}),
        ...(states[level + 1] ? { caller: states[level + 1] } : {}),
      };
    }
    return (this.states = states);
  }

  /** The innermost source frame (function or inlined instance) of a physical frame. */
  frame(level: number): SourceFrame | undefined {
    if (this.sourceFrames.has(level)) return this.sourceFrames.get(level);
    const state = this.frameStates()[level];
    let found: SourceFrame | undefined;
    if (state) {
      try {
        found = this.symbols.framesAt(state, this.readMemory, {
          atUserBreakpoint: level === 0 && this.atUserBreakpoint,
        })[0];
      } catch {
        found = undefined; // unreadable DWARF: the frame has no source scopes
      }
    }
    this.sourceFrames.set(level, found);
    return found;
  }

  /** The pc names are looked up at (a caller's return address - 1). */
  lookupPc(level: number): number | undefined {
    const s = this.frameStates()[level];
    return s === undefined ? undefined : s.level === 0 ? s.pc : s.pc - 1;
  }

  /** What C expressions see in a frame (file scope of the pc when it has no source frame). */
  expressionScope(level: number): ExpressionScope {
    const machine = this.machine;
    const byName = (name: string) =>
      machine.cpu.registers.find((r) => r.name === name || r.aliases.includes(name));
    return frameExpressionScope(
      this.symbols,
      this.frame(level),
      {
        readMemory: this.readMemory,
        writeMemory: (address, bytes) => {
          const r = machine.writeMemory(address >>> 0, bytes);
          const bad = r.status.findIndex((s) => s !== 0);
          this.written.push({ address: address >>> 0, length: bytes.length });
          return bad < 0
            ? undefined
            : `Cannot access memory at address 0x${((address + bad) >>> 0).toString(16)}`;
        },
        readOtherRegister: (name) => {
          const info = byName(name);
          return info ? machine.cpu.readRegister(info.id) : undefined;
        },
        writeRegister: (name, value) => {
          if (level !== 0) return false;
          const n = riscvRegisterNumber(name);
          if (n !== undefined) return n !== 0 && machine.cpu.writeRegister(n, value >>> 0);
          const info = byName(name);
          return !!info && !info.readOnly && machine.cpu.writeRegister(info.id, value >>> 0);
        },
      },
      this.lookupPc(level) ?? machine.pc,
    );
  }

  /** Memory written by assignments since the last call. */
  takeWritten(): WrittenRange[] {
    const w = this.written;
    this.written = [];
    return w;
  }

  /** Evaluates a C expression in a frame; ExpressionError (message, column) when it fails. */
  evaluate(text: string, level: number): SourceValue {
    return evaluateSourceExpression(text, this.expressionScope(level));
  }

  /**
   * A DAP evaluate in C: the response body, whether C's answer takes precedence over the Debug
   * Console's own language (it names something of the program's — a variable, function,
   * enumerator or type — or uses no `$register`) and whether it changed the machine; or the C
   * error.
   */
  evaluateRequest(
    text: string,
    level: number,
    handle: Handle,
  ):
    | { body: DebugProtocol.EvaluateResponse['body']; preferred: boolean; changed: boolean }
    | { error: InstanceType<typeof SourceExpressionError> } {
    const base = this.expressionScope(level);
    let programNames = false;
    const seen = <T>(x: T): T => {
      if (x !== undefined) programNames = true;
      return x;
    };
    const registers = base.registers;
    let wroteRegister = false;
    let usedRegisters = false;
    const scope: ExpressionScope = {
      ...base,
      lookup: (name) => seen(base.lookup(name)),
      functionNamed: (name) => seen(base.functionNamed?.(name)),
      enumerator: (name) => seen(base.enumerator?.(name)),
      typeNamed: (name) => {
        const t = base.typeNamed?.(name);
        // A program's own type (not one of C's base types, which gdb knows without a program).
        if (
          t &&
          !/^(unsigned |signed )?(char|short|int|long|long long|float|double|_Bool)$/.test(name)
        )
          programNames = true;
        return t;
      },
      ...(registers
        ? {
            registers: {
              read: (name) => {
                usedRegisters = true;
                return registers.read(name);
              },
              write: (name, value) => (wroteRegister = registers.write?.(name, value) ?? false),
              writeDwarf: (n, value) => (wroteRegister = registers.writeDwarf?.(n, value) ?? false),
            },
          }
        : {}),
    };
    const before = this.written.length;
    try {
      const value = evaluateSourceExpression(text, scope);
      const changed = wroteRegister || this.written.length > before;
      if (changed) this.refresh();
      // gdb fetches a printed value whole: unreadable memory is an error, not a value.
      if (availability(value) === 'unreadable' && value.error === undefined)
        throw new SourceExpressionError(
          cannotAccess(value.contents().unreadableAt ?? value.address ?? 0),
          0,
        );
      return {
        body: this.evaluateBody(value, text, level, handle),
        // Reading `$reg` alone keeps the console language's answer (hex and decimal).
        preferred: programNames || !usedRegisters || changed,
        changed,
      };
    } catch (e) {
      if (e instanceof SourceExpressionError) return { error: e };
      throw e;
    }
  }

  // ---- DAP variables ---------------------------------------------------------------------------

  /** Arguments and Locals of a frame (undefined when the pc has no DWARF function). */
  frameScopes(
    level: number,
    handle: Handle,
  ): { args: number; locals: number; counts: [number, number] } | undefined {
    const frame = this.frame(level);
    if (!frame) return undefined;
    const args = frame.arguments();
    const locals = frame.locals();
    return {
      args: handle(this.variableList(() => frame.arguments(), level, handle)),
      locals: handle(this.variableList(() => frame.locals(), level, handle)),
      counts: [args.length, locals.length],
    };
  }

  /** The Globals scope of the unit containing the frame's pc. */
  globalsScope(level: number, handle: Handle): number | undefined {
    const pc = this.lookupPc(level) ?? this.machine.pc;
    if (!this.symbols.program.unitAt(pc)) return undefined;
    return handle(
      this.variableList(
        () => this.symbols.globals(pc, this.readMemory, MAX_GLOBALS),
        level,
        handle,
      ),
    );
  }

  private variableList(
    list: () => { name: string; value(): SourceValue }[],
    level: number,
    handle: Handle,
  ): SourceContainer {
    return {
      children: () => list().map((v) => this.variable(v.name, v.value(), v.name, level, handle)),
      assign: (name, text) => this.assign(name, text, level, handle),
    };
  }

  /** `evaluateName = (text)` in the frame, then the place read back as a variable. */
  assign(
    evaluateName: string,
    text: string,
    level: number,
    handle: Handle,
  ): DebugProtocol.Variable {
    const scope = this.expressionScope(level);
    evaluateSourceExpression(`${evaluateName} = ${text}`, scope);
    const now = evaluateSourceExpression(evaluateName, scope);
    return this.variable(evaluateName, now, evaluateName, level, handle);
  }

  /** A DAP variable for a value: gdb's text, C type, children, memoryReference, evaluateName. */
  variable(
    name: string,
    value: SourceValue,
    evaluateName: string,
    level: number,
    handle: Handle,
  ): DebugProtocol.Variable {
    const symbolize = this.symbols.symbolize;
    const v: DebugProtocol.Variable = {
      name,
      value: formatSourceValue(value, { symbolize }),
      type: typeName(value.type),
      evaluateName,
      variablesReference: 0,
    };
    if (value.address !== undefined && !value.bitfield) {
      v.memoryReference = memoryReference(this.spaceId, value.address >>> 0);
      if (value.type.size > 0) memoryVariableSizes.set(v, value.type.size);
    }
    this.addChildren(v, value, evaluateName, level, handle);
    return v;
  }

  private addChildren(
    v: DebugProtocol.Variable | DebugProtocol.EvaluateResponse['body'],
    value: SourceValue,
    evaluateName: string,
    level: number,
    handle: Handle,
  ): void {
    if (value.error !== undefined || !hasChildren(value)) return;
    const indexed = indexedCount(value);
    v.variablesReference = handle({
      children: (start, count) =>
        childrenOf(value, indexed > 0 ? start : 0, indexed > 0 ? count : Infinity).map((c) =>
          this.variable(c.name, c.value, c.expression(evaluateName), level, handle),
        ),
      assign: (childName, text) => {
        const child = childrenOf(value).find((c) => c.name === childName);
        if (!child) throw new SourceExpressionError(`no member or element '${childName}'`, 0);
        return this.assign(child.expression(evaluateName), text, level, handle);
      },
    });
    if (indexed > 0) v.indexedVariables = indexed;
    else if (stripType(value.type).kind !== 'pointer')
      v.namedVariables = childrenOf(value, 0, 0).length;
  }

  /** An evaluate response body for a value (as `print` shows it, expandable like a variable). */
  evaluateBody(
    value: SourceValue,
    text: string,
    level: number,
    handle: Handle,
  ): DebugProtocol.EvaluateResponse['body'] {
    const symbolize = this.symbols.symbolize;
    const t = stripType(value.type);
    let result: string;
    if (t.kind === 'function') {
      // The address first (as the Boardmap language answers), the function type in `type`.
      const address = value.address ?? 0;
      const symbol = symbolize(address);
      result = `0x${address.toString(16)}${symbol ? ` <${symbol}>` : ''}`;
    } else result = formatTopLevel(value, { symbolize });
    const body: DebugProtocol.EvaluateResponse['body'] = {
      result,
      type: typeName(value.type),
      variablesReference: 0,
    };
    // An lvalue in memory: where it lives; an rvalue pointer or integer: the address it holds.
    let address: number | undefined = value.address;
    if (
      address === undefined &&
      (t.kind === 'pointer' || (t.kind === 'base' && t.encoding !== 'float')) &&
      availability(value) === 'ok'
    )
      address = Number(BigInt.asUintN(32, integerOf(value)));
    if (address !== undefined) body.memoryReference = memoryReference(this.spaceId, address >>> 0);
    this.addChildren(body, value, text, level, handle);
    return body;
  }
}

/** gdb's message and the column it points at (1-based; the parser counts from 0). */
export function locatedMessage(e: InstanceType<typeof SourceExpressionError>): string {
  return `${e.message} (column ${e.column + 1})`;
}

/** Runs a source-level request; a C expression error becomes a located BadExpression error. */
export function sourceErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof SourceExpressionError)
      throw new AdapterError(AdapterErrorCode.BadExpression, locatedMessage(e));
    throw e;
  }
}
