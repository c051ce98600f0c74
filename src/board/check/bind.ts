/**
 * Binder: from a loaded program to the semantic model. Declares every symbol (reporting
 * duplicates), resolves names (reporting unknown ones and wrong kinds), evaluates attributes
 * (reporting bad sizes and out-of-range values) and records every name occurrence.
 */
import { hex, SIZE_2_64 } from '../../engine';
import {
  type Expr,
  type Name,
  type RegionDecl,
  DiagnosticCode,
  DiagnosticSink,
  Severity,
  type DiagnosticCodeValue,
} from '../syntax';
import { bindEngineFeatures } from './bindEngineFeatures';
import { bindDevice, bindRegisters, bindCpu } from './bindMembers';
import { checkLayout } from './checkLayout';
import { findDeviceModel } from './deviceCatalog';
import { evaluate, exprNames, type NameLookup } from './evaluate';
import {
  type BoardModel,
  type ConstInfo,
  type CpuInfo,
  type Occurrence,
  type RegionInfo,
  type SpaceInfo,
  type SymbolRef,
  parseQomText,
} from './model';
import type { Program, SourceFile } from './program';
import type { BindContext } from './bindContext';

/** The largest RAM-backed region the engine can allocate (Number.MAX_SAFE_INTEGER bytes). */
const MAX_RAM_BYTES = (1n << 53n) - 1n;
const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;

/** Shared state while binding one program; bindMembers.ts uses it too. */
export class Binder implements BindContext {
  readonly regions = new Map<string, RegionInfo>();
  readonly regionList: RegionInfo[] = [];
  readonly topLevel: RegionInfo[] = [];
  readonly constants = new Map<string, ConstInfo>();
  readonly spaces: SpaceInfo[] = [];
  readonly cpus: CpuInfo[] = [];
  readonly occurrences: Occurrence[] = [];
  private readonly sinks = new Map<string, DiagnosticSink>();
  private readonly evaluating = new Set<ConstInfo>();
  /** Constants whose value is settled (undefined: an error, reported once). */
  private readonly settled = new Set<ConstInfo>();
  private readonly spaceByName = new Map<string, SpaceInfo>();
  private readonly cpuByName = new Map<string, CpuInfo>();
  private boardName: string | undefined;

  constructor(readonly program: Program) {}

  report(
    file: SourceFile,
    code: DiagnosticCodeValue,
    message: string,
    at: { offset: number; length: number },
    severity: Severity = Severity.Error,
  ): void {
    let s = this.sinks.get(file.uri);
    if (!s) this.sinks.set(file.uri, (s = new DiagnosticSink(file.text.length)));
    s.report(code, message, at.offset, at.length, severity);
  }

  occur(file: SourceFile, name: Name, symbol: SymbolRef, declaration = false): void {
    if (name.length > 0) this.occurrences.push({ file, name, symbol, declaration });
  }

  /** Evaluates an integer expression whose names are constants. */
  evalConst(file: SourceFile, expr: Expr | undefined, extra?: NameLookup): bigint | undefined {
    if (!expr) return undefined;
    return evaluate(
      expr,
      (name) => {
        const fromExtra = extra?.(name);
        if (fromExtra !== undefined) return fromExtra;
        const c = this.constants.get(name.text);
        if (!c) return undefined;
        this.occur(file, name, { kind: 'const', constant: c });
        return this.constValue(c, name) ?? null;
      },
      (p) =>
        this.report(
          file,
          p.unknownName ? DiagnosticCode.UnknownName : DiagnosticCode.InvalidExpression,
          p.message,
          p,
        ),
    );
  }

  private constValue(c: ConstInfo, usedAt: Name | undefined): bigint | undefined {
    if (c.value !== undefined || this.settled.has(c)) return c.value;
    if (this.evaluating.has(c)) {
      this.report(
        c.file,
        DiagnosticCode.ConstantCycle,
        `Constant '${c.name}' depends on itself`,
        usedAt ?? c.decl.name,
      );
      return undefined;
    }
    this.evaluating.add(c);
    c.value = this.evalConst(c.file, c.decl.value);
    this.evaluating.delete(c);
    this.settled.add(c);
    return c.value;
  }

  /**
   * Evaluates every constant, dependencies first, in time linear in the program: Tarjan's
   * strongly connected components over "uses", iteratively (a chain of 10,000 constants must not
   * recurse 10,000 deep). Each reference inside a cycle is reported ("depends on itself"); a
   * constant in a cycle has no value, and neither (quietly) does one that uses it.
   */
  private resolveConstants(): void {
    const list = [...this.constants.values()];
    const uses = new Map<ConstInfo, { name: Name; c: ConstInfo }[]>();
    for (const c of list) {
      const refs: { name: Name; c: ConstInfo }[] = [];
      for (const name of exprNames(c.decl.value)) {
        const d = this.constants.get(name.text);
        if (d) refs.push({ name, c: d });
      }
      uses.set(c, refs);
    }
    const index = new Map<ConstInfo, number>();
    const low = new Map<ConstInfo, number>();
    const onStack = new Set<ConstInfo>();
    const stack: ConstInfo[] = [];
    let next = 0;
    const settleComponent = (root: ConstInfo): void => {
      const members: ConstInfo[] = [];
      for (;;) {
        const m = stack.pop()!;
        onStack.delete(m);
        members.push(m);
        if (m === root) break;
      }
      const inside = new Set(members);
      const cyclic = members.length > 1 || uses.get(root)!.some((u) => u.c === root);
      if (!cyclic) {
        this.constValue(root, undefined); // its dependencies are settled: one level deep
        return;
      }
      for (const m of members) {
        m.value = undefined;
        this.settled.add(m);
      }
      for (const m of members) {
        // names in it still resolve (go to definition, references); members evaluate to nothing
        this.evalConst(m.file, m.decl.value);
        for (const u of uses.get(m)!) {
          if (!inside.has(u.c)) continue;
          this.report(
            m.file,
            DiagnosticCode.ConstantCycle,
            `Constant '${u.c.name}' depends on itself`,
            u.name,
          );
        }
      }
    };
    for (const start of list) {
      if (index.has(start)) continue;
      const frames: { c: ConstInfo; i: number }[] = [{ c: start, i: 0 }];
      index.set(start, next);
      low.set(start, next++);
      stack.push(start);
      onStack.add(start);
      while (frames.length > 0) {
        const f = frames[frames.length - 1]!;
        const refs = uses.get(f.c)!;
        if (f.i < refs.length) {
          const d = refs[f.i++]!.c;
          if (!index.has(d)) {
            index.set(d, next);
            low.set(d, next++);
            stack.push(d);
            onStack.add(d);
            frames.push({ c: d, i: 0 });
          } else if (onStack.has(d)) low.set(f.c, Math.min(low.get(f.c)!, index.get(d)!));
          continue;
        }
        frames.pop();
        const parent = frames[frames.length - 1];
        if (parent) low.set(parent.c, Math.min(low.get(parent.c)!, low.get(f.c)!));
        if (low.get(f.c) === index.get(f.c)) settleComponent(f.c);
      }
    }
  }

  lookupRegion(file: SourceFile, name: Name | undefined, what: string): RegionInfo | undefined {
    if (!name || name.text === '') return undefined;
    const r = this.regions.get(name.text);
    if (!r) {
      this.report(file, DiagnosticCode.UnknownName, `Unknown ${what} '${name.text}'`, name);
      return undefined;
    }
    this.occur(file, name, { kind: 'region', region: r });
    return r;
  }

  lookupSpace(file: SourceFile, name: Name): SpaceInfo | undefined {
    const s = this.spaceByName.get(name.text);
    if (!s) {
      this.report(file, DiagnosticCode.UnknownName, `Unknown address space '${name.text}'`, name);
      return undefined;
    }
    this.occur(file, name, { kind: 'space', space: s });
    return s;
  }

  run(): BoardModel {
    this.declareAll();
    this.resolveConstants();
    for (const r of this.regionList) this.bindRegion(r);
    // alias sizes default to the target's size, which may itself be an alias: resolve in order
    for (const r of this.regionList) this.aliasSize(r, new Set());
    for (const r of this.regionList) this.checkSize(r);
    for (const s of this.spaces) {
      const root = s.decl.root;
      if (root) s.root = this.lookupRegion(s.file, root, 'root region');
      else if (s.decl.name.text !== '') {
        this.report(s.file, DiagnosticCode.MissingValue, 'Missing root region', s.decl.name);
      }
    }
    for (const c of this.cpus) bindCpu(this, c);
    checkLayout(this);
    const diagnostics = [...this.program.diagnostics];
    for (const [uri, sink] of this.sinks) {
      for (const d of sink.items) diagnostics.push({ ...d, uri });
    }
    return {
      program: this.program,
      boardName: this.boardName,
      regions: this.regions,
      regionList: this.regionList,
      topLevel: this.topLevel,
      constants: this.constants,
      spaces: this.spaces,
      cpus: this.cpus,
      occurrences: this.occurrences,
      diagnostics,
    };
  }

  private declareAll(): void {
    for (const { item, file } of this.program.items) {
      switch (item.type) {
        case 'board':
          if (item.name && this.boardName === undefined) this.boardName = item.name.text;
          break;
        case 'const': {
          if (item.name.text === '') break;
          if (this.constants.has(item.name.text)) {
            this.duplicate(file, item.name, 'constant');
            break;
          }
          const c: ConstInfo = { name: item.name.text, decl: item, file, value: undefined };
          this.constants.set(c.name, c);
          this.occur(file, item.name, { kind: 'const', constant: c }, true);
          break;
        }
        case 'space': {
          if (item.name.text === '') break;
          if (this.spaceByName.has(item.name.text)) {
            this.duplicate(file, item.name, 'address space');
            break;
          }
          const s: SpaceInfo = { name: item.name.text, decl: item, file, root: undefined };
          this.spaceByName.set(s.name, s);
          this.spaces.push(s);
          this.occur(file, item.name, { kind: 'space', space: s }, true);
          break;
        }
        case 'cpu': {
          if (item.name.text === '') break;
          if (this.cpuByName.has(item.name.text)) {
            this.duplicate(file, item.name, 'cpu');
            break;
          }
          const c: CpuInfo = {
            name: item.name.text,
            decl: item,
            file,
            model: undefined,
            space: undefined,
            reset: 0n,
            hartId: 0n,
            boot: undefined,
          };
          this.cpuByName.set(c.name, c);
          this.cpus.push(c);
          this.occur(file, item.name, { kind: 'cpu', cpu: c }, true);
          break;
        }
        case 'region': {
          const r = this.declareRegion(item, file, undefined);
          if (r) this.topLevel.push(r);
          break;
        }
      }
    }
  }

  private duplicate(file: SourceFile, name: Name, what: string): void {
    this.report(file, DiagnosticCode.DuplicateName, `Duplicate ${what} '${name.text}'`, name);
  }

  private declareRegion(
    decl: RegionDecl,
    file: SourceFile,
    parent: RegionInfo | undefined,
  ): RegionInfo | undefined {
    let info: RegionInfo | undefined;
    const id = decl.name.text;
    if (id !== '' && this.regions.has(id)) this.duplicate(file, decl.name, 'region');
    else if (id !== '') {
      info = {
        id,
        decl,
        file,
        kind: decl.kind,
        parent,
        children: [],
        qemuName: decl.label?.text ?? id,
        address: 0n,
        size: undefined,
        maxSize: undefined,
        priority: 0,
        enabled: true,
        readonly: false,
        nonvolatile: false,
        romdMode: true,
        target: undefined,
        targetOffset: 0n,
        owner: undefined,
        qomParent: undefined,
        device: undefined,
        registers: [],
        ioeventfds: [],
        coalescedWhole: false,
        coalesced: [],
      };
      this.regions.set(id, info);
      this.regionList.push(info);
      parent?.children.push(info);
      this.occur(file, decl.name, { kind: 'region', region: info }, true);
    }
    for (const m of decl.body?.members ?? []) {
      if (m.type !== 'region') continue;
      if (
        decl.kind === 'alias' ||
        (decl.kind === 'device' && !findDeviceModel(decl.model?.text ?? '')?.containsRegions)
      ) {
        this.report(
          file,
          DiagnosticCode.InvalidMember,
          `${decl.kind === 'alias' ? 'An alias' : 'A device'} cannot contain regions`,
          m.keyword,
        );
      }
      this.declareRegion(m, file, info);
    }
    return info;
  }

  private bindRegion(r: RegionInfo): void {
    const { decl, file } = r;
    if (decl.address) {
      const a = this.evalConst(file, decl.address);
      if (a !== undefined) {
        if (a < 0n || a >= SIZE_2_64) {
          this.report(
            file,
            DiagnosticCode.ValueOutOfRange,
            `Address ${hex(a)} is outside 0…2^64-1`,
            decl.address,
          );
        } else r.address = a;
      }
      if (!r.parent) {
        this.report(
          file,
          DiagnosticCode.InvalidMember,
          'A top-level region is not inside a container; its address has no meaning (map it inside a container, or name it as a space root)',
          decl.address,
          Severity.Warning,
        );
      }
    }
    if (decl.priority) {
      const p = this.evalConst(file, decl.priority);
      if (p !== undefined) {
        if (p < INT32_MIN || p > INT32_MAX) {
          this.report(
            file,
            DiagnosticCode.ValueOutOfRange,
            `Priority ${p} is not a signed 32-bit value`,
            decl.priority,
          );
        } else r.priority = Number(p);
      }
    }
    for (const f of decl.flags) {
      if (f.name === 'disabled') r.enabled = false;
      else if (f.name === 'readonly') r.readonly = true;
      else if (f.name === 'nonvolatile') r.nonvolatile = true;
      else if (f.name === 'mmio-mode') {
        if (r.kind !== 'romd') {
          this.report(
            file,
            DiagnosticCode.InvalidMember,
            "'mmio-mode' applies only to romd regions",
            f,
          );
        } else r.romdMode = false;
      }
    }
    if (decl.flags.some((f) => f.name === 'enabled') && !r.enabled) {
      const f = decl.flags.find((x) => x.name === 'enabled')!;
      this.report(file, DiagnosticCode.DuplicateAttribute, "Both 'enabled' and 'disabled'", f);
    }
    if (r.kind === 'rom') r.readonly = true;
    for (const [attr, text] of [
      ['owner', decl.owner],
      ['parent', decl.parentObject],
    ] as const) {
      if (!text) continue;
      const q = parseQomText(text.text);
      if (!q) {
        this.report(
          file,
          DiagnosticCode.InvalidExpression,
          `Expected "dev id=…", "dev path=…", "obj path=…" or "… type=…" as the ${attr}`,
          text,
        );
      } else if (attr === 'owner') r.owner = q;
      else r.qomParent = q;
    }
    if (r.kind === 'alias') {
      if (!decl.target) {
        this.report(
          file,
          DiagnosticCode.MissingAliasTarget,
          `Alias '${r.id}' needs a target: -> region`,
          decl.name,
        );
      } else r.target = this.lookupRegion(file, decl.target, 'alias target');
      const off = this.evalConst(file, decl.targetOffset);
      if (off !== undefined) {
        if (off < 0n || off >= SIZE_2_64) {
          this.report(
            file,
            DiagnosticCode.ValueOutOfRange,
            `Alias offset ${hex(off)} is outside 0…2^64-1`,
            decl.targetOffset!,
          );
        } else r.targetOffset = off;
      }
    } else {
      if (decl.target) {
        this.report(
          file,
          DiagnosticCode.InvalidMember,
          `Only an alias has a target ('->'); '${r.id}' is a ${r.kind}`,
          decl.target,
        );
      }
      if (decl.targetOffset) {
        this.report(
          file,
          DiagnosticCode.InvalidMember,
          "'offset' applies only to aliases",
          decl.targetOffset,
        );
      }
    }
    if (decl.size) r.size = this.evalSize(file, decl.size);
    if (
      decl.size &&
      r.size !== undefined &&
      r.size > MAX_RAM_BYTES &&
      (r.kind === 'ram' || r.kind === 'rom' || r.kind === 'romd' || r.kind === 'ramd')
    ) {
      // the engine allocates RAM-backed regions (lazily, but indexed by a JS number)
      this.report(
        file,
        DiagnosticCode.ValueOutOfRange,
        `A ${r.kind} region holds at most 2^53-1 bytes (it is backed by memory); ${hex(r.size)} is more`,
        decl.size,
      );
      r.size = undefined;
    }
    if (r.kind === 'device') bindDevice(this, r);
    else {
      if (decl.model) {
        this.report(file, DiagnosticCode.InvalidMember, 'Only a device has a model', decl.model);
      }
      if (!decl.size && r.kind !== 'alias') {
        this.report(file, DiagnosticCode.MissingSize, `Region '${r.id}' needs a size`, decl.name);
      }
    }
    bindRegisters(this, r);
    bindEngineFeatures(this, r);
  }

  evalSize(file: SourceFile, expr: Expr): bigint | undefined {
    const s = this.evalConst(file, expr);
    if (s === undefined) return undefined;
    if (s <= 0n) {
      this.report(file, DiagnosticCode.InvalidSize, `Size must be positive (got ${s})`, expr);
      return undefined;
    }
    if (s > SIZE_2_64) {
      this.report(file, DiagnosticCode.ValueOutOfRange, `Size ${hex(s)} exceeds 2^64`, expr);
      return undefined;
    }
    return s;
  }

  private aliasSize(r: RegionInfo, seen: Set<RegionInfo>): bigint | undefined {
    if (r.kind !== 'alias' || r.size !== undefined || r.decl.size) return r.size;
    if (seen.has(r) || !r.target) return undefined;
    seen.add(r);
    const t = this.aliasSize(r.target, seen);
    if (t !== undefined && t > r.targetOffset) r.size = t - r.targetOffset;
    return r.size;
  }

  private checkSize(r: RegionInfo): void {
    if (
      r.kind === 'alias' &&
      r.size === undefined &&
      !r.decl.size &&
      r.target?.size !== undefined
    ) {
      this.report(
        r.file,
        DiagnosticCode.InvalidSize,
        `Alias offset ${hex(r.targetOffset)} is at or beyond the end of '${r.target.id}'; give the alias a size`,
        r.decl.targetOffset ?? r.decl.name,
      );
    }
  }
}

export function bindProgram(program: Program): BoardModel {
  return new Binder(program).run();
}
