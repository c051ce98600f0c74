/**
 * Source-level symbols of one ELF for a debugger: per frame, the function (and the chain of
 * inlined instances at the pc), its arguments and locals in gdb's order, lookup by name with C
 * scoping (blocks, then the unit's statics and globals, then other units' globals), the unit's
 * globals for a Globals scope, and types by name for casts.
 */
import type { ElfFile } from '../../loader';
import { DW_AT, DW_TAG } from '../dwarf';
import type { Die } from '../dwarf';
import { constantOf, dieName, findAttribute, originOf } from '../dwarf';
import { DwarfProgram } from '../dwarf';
import { TypeReader } from '../types';
import type { DwarfType, EnumType } from '../types';
import type { FrameTable } from '../unwind';
import type { LineTable } from '../lineTable';
import { functionBreakpointAddress, hasLineInfo, stepIntoAddress } from './stepping';
import { elfSymbolizer } from '../values';
import type { ReadMemory, Value } from '../values';
import { isFunctionTag, rangesOf, scopeChainAt, scopeSymbols } from './blocks';
import { type FrameState, lookupPc } from './frameState';
import { FrameEvaluator, type VariableEnvironment, variableValue } from './variableValue';

export type VariableKind = 'argument' | 'local' | 'static' | 'global';

export interface SourceVariable {
  readonly name: string;
  readonly kind: VariableKind;
  readonly die: Die;
  readonly type: DwarfType;
  /** Reads the value (lazily; memory is read through the injected reader). */
  value(): Value;
}

/** One frame as the user sees it: a function or one inlined instance inside it. */
export interface SourceFrame {
  readonly physical: FrameState;
  /** 0 for the innermost inlined instance at this physical frame. */
  readonly inlineDepth: number;
  /** The subprogram or inlined_subroutine DIE. */
  readonly functionDie: Die;
  readonly functionName: string;
  readonly inlined: boolean;
  /** Scopes of this frame innermost first; the last one is `functionDie`. */
  readonly scopes: readonly Die[];
  arguments(): SourceVariable[];
  /** gdb's `info locals`: innermost block first, statics included, arguments excluded. */
  locals(): SourceVariable[];
  /** The same, grouped by scope (innermost first; the last group is the function's own). */
  localScopes(): { scope: Die; isFunction: boolean; variables: SourceVariable[] }[];
  /** A name as C sees it from the frame's innermost scope. */
  lookup(name: string): SourceVariable | undefined;
  /** The object a DW_OP_implicit_pointer points to (`*p` of a `<synthetic pointer>`). */
  implicitPointerTarget(die: number, offset: number, type: DwarfType): Value | undefined;
}

const MAX_GLOBALS = 1000;

export class SourceSymbols {
  readonly program: DwarfProgram;
  readonly types = new TypeReader();
  readonly symbolize: (address: number) => string | undefined;

  constructor(
    readonly elf: ElfFile,
    private readonly frameTable?: FrameTable,
  ) {
    this.program = DwarfProgram.fromElf(elf);
    this.symbolize = elfSymbolizer(elf);
  }

  private environment(readMemory: ReadMemory): VariableEnvironment {
    return {
      readMemory,
      types: this.types,
      cfaOf: (frame) => this.cfaOf(frame),
      functionAt: (pc) => this.subprogramAt(pc),
    };
  }

  private cfaOf(frame: FrameState): number | undefined {
    const row = this.frameTable?.rowAt(frame.pc);
    if (!row || row.cfa.kind !== 'register') return undefined;
    const base = frame.registers[row.cfa.register];
    return base === undefined ? undefined : (base + row.cfa.offset) >>> 0;
  }

  /** The (concrete, out-of-line) subprogram DIE containing `pc`. */
  subprogramAt(pc: number): Die | undefined {
    const root = this.program.unitAt(pc)?.tree;
    if (!root) return undefined;
    const chain = scopeChainAt(root, pc);
    return chain[chain.length - 1];
  }

  /**
   * The frames the user sees at a physical frame: one per inlined instance containing the pc
   * (innermost first), then the function. At frame 0, inlined instances whose entry is the pc
   * are not entered yet (gdb shows the call site, so a step can enter them) — except when the
   * stop is a user breakpoint at the pc (gdb's stopped_by_user_bp_inline_frame: the breakpoint's
   * location belongs to the innermost instance there, so it is shown).
   */
  framesAt(
    frame: FrameState,
    readMemory: ReadMemory,
    options: { atUserBreakpoint?: boolean } = {},
  ): SourceFrame[] {
    const pc = lookupPc(frame);
    const root = this.program.unitAt(pc)?.tree;
    if (!root) return [];
    let chain = scopeChainAt(root, pc);
    if (chain.length === 0) return [];
    if (frame.level === 0 && !options.atUserBreakpoint) {
      while (chain.length > 0) {
        const firstFunction = chain.findIndex((d) => isFunctionTag(d.tag));
        const fn = chain[firstFunction];
        if (!fn || fn.tag !== DW_TAG.inlined_subroutine || entryPc(fn) !== frame.pc) break;
        chain = chain.slice(firstFunction + 1);
      }
    }
    const subprogram = chain[chain.length - 1]!;
    const evaluator = new FrameEvaluator(frame, subprogram, this.environment(readMemory));
    const frames: SourceFrame[] = [];
    let start = 0;
    for (let i = 0; i < chain.length; i++) {
      if (!isFunctionTag(chain[i]!.tag)) continue;
      frames.push(this.sourceFrame(frame, frames.length, chain.slice(start, i + 1), evaluator));
      start = i + 1;
    }
    return frames;
  }

  private sourceFrame(
    physical: FrameState,
    inlineDepth: number,
    scopes: Die[],
    evaluator: FrameEvaluator,
  ): SourceFrame {
    const functionDie = scopes[scopes.length - 1]!;
    const variable = (die: Die, kind: VariableKind): SourceVariable =>
      this.variable(die, kind, evaluator);
    const isStatic = (die: Die) => {
      const loc = findAttribute(die, DW_AT.location);
      return loc?.value instanceof Uint8Array && loc.value[0] === 0x03 && loc.value.length === 5;
    };
    const symbols = (scope: Die) => scopeSymbols(scope).filter((d) => dieName(d) !== undefined);
    const self: SourceFrame = {
      physical,
      inlineDepth,
      functionDie,
      functionName: dieName(functionDie) ?? '??',
      inlined: functionDie.tag === DW_TAG.inlined_subroutine,
      scopes,
      arguments: () =>
        symbols(functionDie)
          .filter((d) => originOf(d).tag === DW_TAG.formal_parameter)
          .map((d) => variable(d, 'argument')),
      localScopes: () =>
        scopes.map((scope) => ({
          scope,
          isFunction: isFunctionTag(scope.tag),
          variables: symbols(scope)
            .filter((d) => originOf(d).tag === DW_TAG.variable)
            .map((d) => variable(d, isStatic(d) ? 'static' : 'local')),
        })),
      locals: () => self.localScopes().flatMap((s) => s.variables),
      implicitPointerTarget: (offset, byteOffset, type) => {
        const target = this.program.dieAt(offset);
        return target ? variableValue(target, evaluator).at(byteOffset, type) : undefined;
      },
      lookup: (name) => {
        for (const scope of scopes) {
          const die = symbols(scope).find((d) => dieName(d) === name);
          if (die) {
            const kind =
              originOf(die).tag === DW_TAG.formal_parameter
                ? 'argument'
                : isStatic(die)
                  ? 'static'
                  : 'local';
            return variable(die, kind);
          }
        }
        return this.lookupGlobal(name, evaluator.env.readMemory, lookupPc(physical));
      },
    };
    return self;
  }

  private variable(die: Die, kind: VariableKind, evaluator: FrameEvaluator): SourceVariable {
    const typeDie = findAttribute(die, DW_AT.type) ? die : originOf(die);
    let value: Value | undefined;
    return {
      name: dieName(die) ?? '',
      kind,
      die,
      get type() {
        return value?.type ?? evaluator.env.types.typeOfEntity(originOf(typeDie));
      },
      value: () => (value ??= variableValue(die, evaluator)),
    };
  }

  /** Top-level variables of the unit containing `pc` (globals and file statics), by name. */
  globals(pc: number, readMemory: ReadMemory, limit = MAX_GLOBALS): SourceVariable[] {
    const root = this.program.unitAt(pc)?.tree;
    if (!root) return [];
    const evaluator = new FrameEvaluator(undefined, undefined, this.environment(readMemory));
    const out: SourceVariable[] = [];
    for (const die of root.children) {
      if (die.tag !== DW_TAG.variable || die.attribute(DW_AT.declaration)) continue;
      if (!findAttribute(die, DW_AT.location) && !findAttribute(die, DW_AT.const_value)) continue;
      const name = dieName(die);
      if (!name) continue;
      const external = findAttribute(die, DW_AT.external) !== undefined;
      out.push(this.variable(die, external ? 'global' : 'static', evaluator));
    }
    out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return out.slice(0, limit);
  }

  /** A variable or function visible at file scope from `pc`'s unit, else any unit's global. */
  lookupGlobal(name: string, readMemory: ReadMemory, pc?: number): SourceVariable | undefined {
    const evaluator = new FrameEvaluator(undefined, undefined, this.environment(readMemory));
    const isDefinition = (d: Die) =>
      d.tag === DW_TAG.variable &&
      !d.attribute(DW_AT.declaration) &&
      (findAttribute(d, DW_AT.location) !== undefined ||
        findAttribute(d, DW_AT.const_value) !== undefined);
    const root = pc === undefined ? undefined : this.program.unitAt(pc)?.tree;
    const local = root?.children.find((d) => isDefinition(d) && dieName(d) === name);
    if (local)
      return this.variable(
        local,
        findAttribute(local, DW_AT.external) ? 'global' : 'static',
        evaluator,
      );
    const candidates = this.program.topLevelNamed(name);
    const global =
      candidates.find((d) => isDefinition(d) && findAttribute(d, DW_AT.external)) ??
      candidates.find(isDefinition);
    return global
      ? this.variable(
          global,
          findAttribute(global, DW_AT.external) ? 'global' : 'static',
          evaluator,
        )
      : undefined;
  }

  /**
   * gdb's `function::name` without a frame of that function: a static variable declared anywhere
   * in it (its abstract instance too, for inlined functions).
   */
  variableInFunction(
    functionName: string,
    name: string,
    readMemory: ReadMemory,
    pc?: number,
  ): SourceVariable | 'no function' | 'no variable' | 'no frame' {
    const root = pc === undefined ? undefined : this.program.unitAt(pc)?.tree;
    const isFunction = (d: Die) => d.tag === DW_TAG.subprogram && dieName(d) === functionName;
    const candidates = [
      ...(root?.children.filter(isFunction) ?? []),
      ...this.program.topLevelNamed(functionName).filter(isFunction),
    ];
    if (candidates.length === 0) return 'no function';
    const evaluator = new FrameEvaluator(undefined, undefined, this.environment(readMemory));
    let local = false;
    for (const fn of candidates) {
      const stack: Die[] = [fn];
      while (stack.length > 0) {
        const scope = stack.pop()!;
        for (const die of scopeSymbols(scope)) {
          if (dieName(die) !== name) continue;
          const location = findAttribute(die, DW_AT.location);
          if (location?.value instanceof Uint8Array && location.value[0] === 0x03)
            return this.variable(die, 'static', evaluator);
          // gdb: a local with a location needs a frame of that function; one without any
          // location is simply <optimized out>.
          if (location) local = true;
          else return this.variable(die, 'local', evaluator);
        }
        for (const child of scope.children)
          if (child.tag === DW_TAG.lexical_block || child.tag === DW_TAG.inlined_subroutine)
            stack.push(child);
      }
    }
    return local ? 'no frame' : 'no variable';
  }

  /** A function (subprogram with code) by name: its DIE and entry address. */
  functionNamed(name: string, pc?: number): { die: Die; address: number } | undefined {
    const root = pc === undefined ? undefined : this.program.unitAt(pc)?.tree;
    const withCode = (d: Die) =>
      d.tag === DW_TAG.subprogram && dieName(d) === name && rangesOf(d).length > 0;
    const die = root?.children.find(withCode) ?? this.program.topLevelNamed(name).find(withCode);
    if (!die) return undefined;
    const address = entryPc(die);
    return address === undefined ? undefined : { die, address };
  }

  /**
   * Where gdb's `break NAME` stops: see stepping.ts. Undefined when no function has that name.
   */
  functionBreakpoint(name: string, lines: LineTable, pc?: number): number | undefined {
    const fn = this.functionNamed(name, pc);
    return fn ? functionBreakpointAddress(fn.die.unit, lines, fn.address) : undefined;
  }

  /**
   * For Step Into: the function containing `pc` and where its body starts, when the pc is a
   * function's first instruction (a call just landed); undefined elsewhere.
   */
  enteredFunction(
    pc: number,
    lines: LineTable,
  ): { name: string; bodyAddress: number; hasLines: boolean } | undefined {
    const fn = this.subprogramAt(pc);
    if (!fn || entryPc(fn) !== pc) return undefined;
    return {
      name: dieName(fn) ?? '??',
      bodyAddress: stepIntoAddress(lines, pc),
      hasLines: hasLineInfo(lines, pc),
    };
  }

  /**
   * For stepping into inline code: the inlined instances whose entry is `pc` (outermost first),
   * with their call sites (DW_AT_call_file index into the unit's line table, and line).
   */
  inlinedEntriesAt(pc: number): { name: string; die: Die; callLine?: number; callFile?: number }[] {
    const root = this.program.unitAt(pc)?.tree;
    if (!root) return [];
    return scopeChainAt(root, pc)
      .filter((d) => d.tag === DW_TAG.inlined_subroutine && entryPc(d) === pc)
      .reverse()
      .map((d) => ({
        name: dieName(d) ?? '??',
        die: d,
        callLine: constantOf(d.attribute(DW_AT.call_line)),
        callFile: constantOf(d.attribute(DW_AT.call_file)),
      }));
  }

  /** The function type of a subprogram DIE (its abstract origin's return and parameter types). */
  functionType(die: Die): DwarfType {
    return this.types.typeOf(originOf(die));
  }

  /** An enumerator visible from `pc`'s unit (else any unit): its enum type and value. */
  enumeratorNamed(name: string, pc?: number): { type: EnumType; value: bigint } | undefined {
    const search = (dies: readonly Die[]) => {
      for (const die of dies) {
        if (die.tag !== DW_TAG.enumeration_type) continue;
        for (const e of die.children) {
          if (e.tag !== DW_TAG.enumerator || dieName(e) !== name) continue;
          const type = this.types.typeOf(die);
          if (type.kind !== 'enum') continue;
          const found = type.enumerators.find((x) => x.name === name);
          if (found) return { type, value: found.value };
        }
      }
      return undefined;
    };
    const root = pc === undefined ? undefined : this.program.unitAt(pc)?.tree;
    const local = root && search(root.children);
    if (local) return local;
    for (const unit of this.program.units) {
      const found = unit.tree && search(unit.tree.children);
      if (found) return found;
    }
    return undefined;
  }

  /** Whether `name` names a typedef or base type (so `(name)` is a cast). */
  isTypeName(name: string, pc?: number): boolean {
    return this.typeNamed(name, pc) !== undefined;
  }

  /**
   * A type by C name: `struct x`, `union x`, `enum x`, or a typedef/base type name. Looks in the
   * unit containing `pc` first, then in every unit.
   */
  typeNamed(name: string, pc?: number): DwarfType | undefined {
    const m = /^(struct|union|enum)\s+(\w+)$/.exec(name.trim());
    const tags = m
      ? [
          m[1] === 'struct'
            ? DW_TAG.structure_type
            : m[1] === 'union'
              ? DW_TAG.union_type
              : DW_TAG.enumeration_type,
        ]
      : [DW_TAG.typedef, DW_TAG.base_type];
    const wanted = m ? m[2]! : name.trim();
    const matches = (d: Die) => tags.includes(d.tag as never) && dieName(d) === wanted;
    const pick = (dies: readonly Die[]) =>
      dies.find((d) => matches(d) && !d.attribute(DW_AT.declaration)) ?? dies.find(matches);
    const root = pc === undefined ? undefined : this.program.unitAt(pc)?.tree;
    const die = (root && pick(root.children)) ?? pick(this.program.topLevelNamed(wanted));
    return die ? this.types.typeOf(die) : undefined;
  }
}

/** A function DIE's entry: DW_AT_entry_pc, else low_pc, else its lowest range. */
export function entryPc(die: Die): number | undefined {
  const entry = die.attribute(DW_AT.entry_pc);
  if (entry) {
    const address = die.unit.address(entry);
    if (address !== undefined) return address;
    if (typeof entry.value === 'number') {
      const ranges = rangesOf(die);
      if (ranges.length > 0) return Math.min(...ranges.map((r) => r[0])) + entry.value;
    }
  }
  const low = die.attribute(DW_AT.low_pc);
  if (low) return die.unit.address(low);
  const ranges = rangesOf(die);
  return ranges.length > 0 ? Math.min(...ranges.map((r) => r[0])) : undefined;
}
