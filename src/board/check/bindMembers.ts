/**
 * Binding of what lives inside declarations: device models and their parameters, registers and
 * fields, memory-controller actions, and CPU declarations.
 */
import {
  type Access,
  type ActionBlock,
  type Name,
  type Param,
  type Value,
  DiagnosticCode,
  Severity,
} from '../syntax';
import type { BindContext } from './bindContext';
import { hex, UINT64_MAX } from '../../engine';
import {
  CPU_MODELS,
  DEVICE_MODELS,
  deviceExtent,
  findCpuModel,
  findDeviceModel,
  withDefaults,
  type ParamSpec,
} from './deviceCatalog';
import type { NameLookup } from './evaluate';
import type { CpuInfo, FieldInfo, ParamValue, RegionInfo, RegisterInfo, SymbolRef } from './model';
import type { SourceFile } from './program';

const WIDTHS: Record<string, number> = { u8: 1, u16: 2, u32: 4 };

export function bindDevice(b: BindContext, r: RegionInfo): void {
  const { decl, file } = r;
  const modelName = decl.model;
  const model = modelName ? findDeviceModel(modelName.text) : undefined;
  if (modelName && modelName.text !== '') {
    if (!model) {
      b.report(
        file,
        DiagnosticCode.UnknownDeviceModel,
        `Unknown device model '${modelName.text}'; known models: ${DEVICE_MODELS.map((m) => m.name).join(', ')}`,
        modelName,
      );
    } else b.occur(file, modelName, { kind: 'device-model', model });
  }
  const params = bindParams(
    b,
    file,
    r,
    model?.params,
    decl.body?.members.filter(isParam) ?? [],
    model !== undefined,
    modelName,
  );
  const given = new Map<string, bigint>();
  for (const [k, v] of params) if (v.type === 'int') given.set(k, v.value);
  const intParams = model ? withDefaults(model.params, given) : given;
  r.device = { model, params, intParams };
  if (!model) return;
  if (model.windows.length > 0) {
    if (decl.size) {
      b.report(
        file,
        DiagnosticCode.InvalidMember,
        `The size of a ${model.name} is fixed by the model`,
        decl.size,
        Severity.Warning,
      );
    }
    r.size = deviceExtent(model, intParams, undefined);
    if (!decl.label) r.qemuName = model.windows[0]!.name;
  } else r.size = r.size ?? model.defaultSize;
  if (!decl.address && r.parent && !model.symbolPlaced) {
    b.report(
      file,
      DiagnosticCode.MissingValue,
      `Device '${r.id}' needs an address: @ expr`,
      decl.name,
      Severity.Warning,
    );
  }
}

function isParam(m: { type: string }): m is Param {
  return m.type === 'param';
}

function bindParams(
  b: BindContext,
  file: SourceFile,
  owner: RegionInfo | CpuInfo,
  specs: readonly ParamSpec[] | undefined,
  written: readonly Param[],
  known: boolean,
  modelName: Name | undefined,
): Map<string, ParamValue> {
  const out = new Map<string, ParamValue>();
  for (const p of written) {
    const spec = specs?.find((s) => s.name === p.name.text);
    if (known && !spec) {
      b.report(
        file,
        DiagnosticCode.UnknownParameter,
        `Unknown parameter '${p.name.text}' of ${modelName?.text}; it has: ${specs!.map((s) => s.name).join(', ') || 'no parameters'}`,
        p.name,
      );
      continue;
    }
    if (out.has(p.name.text)) {
      b.report(
        file,
        DiagnosticCode.DuplicateAttribute,
        `Duplicate parameter '${p.name.text}'`,
        p.name,
      );
      continue;
    }
    if (spec) b.occur(file, p.name, { kind: 'param', owner, param: spec.name });
    // without a known model the parameter's type is unknown: do not guess (no cascades)
    if (!p.value || !known) continue;
    const v = bindValue(b, file, p.value, spec);
    if (v) out.set(p.name.text, v);
  }
  for (const s of specs ?? []) {
    if (s.required && !out.has(s.name) && known) {
      b.report(
        file,
        DiagnosticCode.MissingParameter,
        `Missing required parameter '${s.name}'`,
        modelName!,
      );
    }
  }
  return out;
}

function bindValue(
  b: BindContext,
  file: SourceFile,
  v: Value,
  spec: ParamSpec | undefined,
): ParamValue | undefined {
  const mismatch = (want: string): undefined => {
    b.report(file, DiagnosticCode.ParameterType, `Parameter '${spec!.name}' expects ${want}`, v);
    return undefined;
  };
  switch (v.type) {
    case 'list': {
      const items: ParamValue[] = [];
      for (const i of v.items) {
        const x = bindValue(b, file, i, spec);
        if (x) items.push(x);
      }
      return { type: 'list', items };
    }
    case 'string':
      if (spec && spec.type !== 'string' && spec.type !== 'address-or-symbol') {
        return mismatch(describe(spec));
      }
      return { type: 'string', value: v.value };
    case 'irq': {
      if (spec && spec.type !== 'irq') return mismatch(describe(spec));
      const target = b.lookupRegion(file, v.controller, 'interrupt controller');
      const line = b.evalConst(file, v.line);
      if (target) {
        const inputs = target.device?.model?.irqInputs;
        if (target.kind !== 'device' || (target.device?.model && !inputs)) {
          b.report(
            file,
            DiagnosticCode.WrongKind,
            `'${target.id}' is not an interrupt controller`,
            v.controller,
          );
        } else if (inputs && line !== undefined) {
          const n = inputs(target.device?.intParams ?? new Map());
          if (line < 1n || line >= n) {
            b.report(
              file,
              DiagnosticCode.ValueOutOfRange,
              `Interrupt line ${line} is outside 1…${n - 1n} of '${target.id}'`,
              v.line,
            );
          }
        }
      }
      return { type: 'irq', controller: v.controller.text, target, line: line ?? 0n };
    }
    case 'expr': {
      if (spec?.type === 'space') {
        if (v.expr.type !== 'ref') return mismatch('the name of an address space');
        const s = b.lookupSpace(file, v.expr.name);
        return s ? { type: 'string', value: s.name } : undefined;
      }
      if (spec && spec.type !== 'int' && spec.type !== 'address-or-symbol')
        return mismatch(describe(spec));
      const n = b.evalConst(file, v.expr);
      if (n === undefined) return undefined;
      // Out of range: reported, and the model's default stands (a value the model cannot take
      // must not reach the window sizes or the machine: `reg-shift = 2^40`).
      if (spec?.allowed && !spec.allowed.includes(n)) {
        b.report(
          file,
          DiagnosticCode.ValueOutOfRange,
          `Parameter '${spec.name}' must be one of ${spec.allowed.join(', ')}`,
          v,
        );
        return undefined;
      }
      const min = spec?.min ?? 0n;
      const max = spec?.max ?? UINT64_MAX;
      if (spec && (n < min || n > max)) {
        b.report(
          file,
          DiagnosticCode.ValueOutOfRange,
          `Parameter '${spec.name}' must be in ${min}…${max}, not ${n}`,
          v,
        );
        return undefined;
      }
      return { type: 'int', value: n };
    }
  }
}

function describe(spec: ParamSpec): string {
  switch (spec.type) {
    case 'int':
      return 'an integer';
    case 'irq':
      return 'an interrupt line such as plic:10';
    case 'address-or-symbol':
      return 'an address or a quoted symbol name';
    case 'space':
      return 'the name of an address space';
    case 'string':
      return 'a quoted string';
  }
}

export function bindRegisters(b: BindContext, r: RegionInfo): void {
  const { file } = r;
  const model = r.device?.model;
  const regsAllowed =
    r.kind === 'mmio' || (r.kind === 'device' && (model?.inlineRegisters ?? true));
  const actionsAllowed = r.kind === 'mmio' || (r.kind === 'device' && (model?.actions ?? true));
  const names = new Map<string, RegisterInfo>();
  /** The first register (in declaration order) covering each byte of the window. */
  const bytes = new Map<bigint, { reg: RegisterInfo; index: number }>();
  for (const m of r.decl.body?.members ?? []) {
    if (m.type === 'param' && r.kind !== 'device') {
      b.report(file, DiagnosticCode.InvalidMember, 'Parameters belong to devices and cpus', m.name);
      continue;
    }
    if (m.type !== 'reg') continue;
    if (!regsAllowed) {
      b.report(
        file,
        DiagnosticCode.InvalidMember,
        r.kind === 'device'
          ? `A ${model?.name} declares its own registers`
          : `Registers can be declared in mmio regions and regbank/memctl devices, not in a ${r.kind}`,
        m.name,
      );
      continue;
    }
    const width = !m.width
      ? 4
      : Object.hasOwn(WIDTHS, m.width.text)
        ? WIDTHS[m.width.text]
        : undefined;
    if (width === undefined) {
      b.report(
        file,
        DiagnosticCode.InvalidExpression,
        `Unknown register width '${m.width!.text}'; use u8, u16 or u32`,
        m.width!,
      );
    }
    const w = width ?? 4;
    const offset = b.evalConst(file, m.address) ?? 0n;
    const access = (m.access?.name ?? 'rw') as Access;
    const reset = b.evalConst(file, m.reset) ?? 0n;
    if (reset < 0n || reset >= 1n << BigInt(w * 8)) {
      b.report(
        file,
        DiagnosticCode.ValueOutOfRange,
        `Reset value ${hex(reset)} does not fit in ${w * 8} bits`,
        m.reset ?? m.name,
      );
    }
    const fields = bindFields(b, file, m.fields, w, access);
    const reg: RegisterInfo = {
      name: m.name.text,
      decl: m,
      offset,
      width: w,
      access,
      reset,
      fields,
      onWrite: m.onWrite,
      onRead: m.onRead,
    };
    if (m.name.text !== '') {
      if (names.has(reg.name)) {
        b.report(file, DiagnosticCode.DuplicateName, `Duplicate register '${reg.name}'`, m.name);
        continue;
      }
      names.set(reg.name, reg);
      b.occur(file, m.name, { kind: 'register', region: r, register: reg }, true);
      for (const f of fields)
        b.occur(file, f.decl.name, { kind: 'field', region: r, register: reg, field: f }, true);
    }
    if (offset < 0n || offset % BigInt(w) !== 0n) {
      b.report(
        file,
        DiagnosticCode.RegisterLayout,
        `Register offset ${hex(offset)} is not aligned to its width (${w} bytes)`,
        m.address ?? m.name,
      );
    } else if (r.size !== undefined && offset + BigInt(w) > r.size) {
      b.report(
        file,
        DiagnosticCode.RegisterLayout,
        `Register '${reg.name}' (${hex(offset)}…${hex(offset + BigInt(w) - 1n)}) lies outside the ${hex(r.size)}-byte window`,
        m.address ?? m.name,
      );
    } else {
      // the earliest-declared register covering one of its (at most 4) bytes: constant time
      let first: { reg: RegisterInfo; index: number } | undefined;
      for (let i = 0n; i < BigInt(w); i++) {
        const o = bytes.get(offset + i);
        if (o && (!first || o.index < first.index)) first = o;
      }
      const clash = first?.reg;
      if (clash)
        b.report(
          file,
          DiagnosticCode.RegisterLayout,
          `Register '${reg.name}' overlaps '${clash.name}'`,
          m.address ?? m.name,
        );
    }
    for (let i = 0n; i < BigInt(w); i++) {
      if (!bytes.has(offset + i)) bytes.set(offset + i, { reg, index: r.registers.length });
    }
    r.registers.push(reg);
    for (const block of [m.onWrite, m.onRead]) {
      if (!block) continue;
      if (!actionsAllowed) {
        b.report(
          file,
          DiagnosticCode.InvalidMember,
          `Actions need a memctl device or an mmio region; ${model?.name ?? r.kind} has none`,
          block.keyword,
        );
        continue;
      }
      bindActions(b, file, r, reg, block);
    }
  }
}

function bindFields(
  b: BindContext,
  file: SourceFile,
  decls: RegisterInfo['decl']['fields'],
  width: number,
  regAccess: Access,
): FieldInfo[] {
  const out: FieldInfo[] = [];
  const bits = width * 8;
  for (const f of decls) {
    const msbV = b.evalConst(file, f.msb);
    const lsbV = f.lsb ? b.evalConst(file, f.lsb) : msbV;
    if (msbV === undefined || lsbV === undefined) continue;
    if (msbV < lsbV) {
      b.report(
        file,
        DiagnosticCode.RegisterLayout,
        `Field bits are written [msb:lsb]; ${msbV} < ${lsbV}`,
        f.msb ?? f.name,
      );
      continue;
    }
    if (lsbV < 0n || msbV >= BigInt(bits)) {
      b.report(
        file,
        DiagnosticCode.RegisterLayout,
        `Field '${f.name.text}' lies outside the ${bits}-bit register`,
        f.msb ?? f.name,
      );
      continue;
    }
    const info: FieldInfo = {
      name: f.name.text,
      decl: f,
      lsb: Number(lsbV),
      msb: Number(msbV),
      access: (f.access?.name ?? regAccess) as Access,
      reset: b.evalConst(file, f.reset),
    };
    const clash = out.find((o) => o.lsb <= info.msb && info.lsb <= o.msb);
    if (clash)
      b.report(
        file,
        DiagnosticCode.RegisterLayout,
        `Field '${info.name}' overlaps '${clash.name}'`,
        f.name,
      );
    else if (out.some((o) => o.name === info.name))
      b.report(file, DiagnosticCode.DuplicateName, `Duplicate field '${info.name}'`, f.name);
    if (
      info.reset !== undefined &&
      (info.reset < 0n || info.reset >= 1n << BigInt(info.msb - info.lsb + 1))
    ) {
      b.report(
        file,
        DiagnosticCode.ValueOutOfRange,
        `Reset value does not fit in field '${info.name}'`,
        f.reset!,
      );
    }
    out.push(info);
  }
  return out;
}

/** Names usable inside an action: `value`, `old` and the register's field names. */
export function actionLookup(
  b: BindContext,
  file: SourceFile,
  r: RegionInfo,
  reg: RegisterInfo,
): NameLookup {
  return (name) => {
    if (name.text === 'value' || name.text === 'old') return null;
    const f = reg.fields.find((x) => x.name === name.text);
    if (!f) return undefined;
    const sym: SymbolRef = { kind: 'field', region: r, register: reg, field: f };
    b.occur(file, name, sym);
    return null;
  };
}

function bindActions(
  b: BindContext,
  file: SourceFile,
  r: RegionInfo,
  reg: RegisterInfo,
  block: ActionBlock,
): void {
  const lookup = actionLookup(b, file, r, reg);
  for (const a of block.actions) {
    if (a.type === 'if') {
      b.evalConst(file, a.condition, lookup);
      if (a.then) bindActions(b, file, r, reg, a.then);
      if (a.otherwise) bindActions(b, file, r, reg, a.otherwise);
      continue;
    }
    const target = b.lookupRegion(file, a.region, 'region');
    if (a.type === 'alias-offset') {
      if (target && target.kind !== 'alias') {
        b.report(
          file,
          DiagnosticCode.WrongKind,
          `'${target.id}' is a ${target.kind}, not an alias`,
          a.region,
        );
      }
      b.evalConst(file, a.value, lookup);
    } else if (a.type === 'resize') {
      if (target && (target.kind !== 'ram' || !target.decl.maxSize)) {
        b.report(
          file,
          DiagnosticCode.WrongKind,
          `'${target.id}' is not resizeable RAM; give the ram region a max-size`,
          a.region,
        );
      }
      b.evalConst(file, a.value, lookup);
    } else if (a.type === 'move') {
      if (target && !target.parent) {
        b.report(
          file,
          DiagnosticCode.WrongKind,
          `'${target.id}' is not inside a container; it cannot move`,
          a.region,
        );
      }
      b.evalConst(file, a.address, lookup);
    } else b.evalConst(file, a.condition, lookup);
  }
}

export function bindCpu(b: BindContext, c: CpuInfo): void {
  const { decl, file } = c;
  const model = decl.model && decl.model.text !== '' ? findCpuModel(decl.model.text) : undefined;
  if (decl.model && decl.model.text !== '') {
    if (!model) {
      b.report(
        file,
        DiagnosticCode.UnknownDeviceModel,
        `Unknown cpu model '${decl.model.text}'; known models: ${CPU_MODELS.map((m) => m.name).join(', ')}`,
        decl.model,
      );
    } else b.occur(file, decl.model, { kind: 'cpu-model', model });
  }
  (c as { model: typeof model }).model = model;
  const params = bindParams(
    b,
    file,
    c,
    model?.params,
    decl.params,
    model !== undefined,
    decl.model,
  );
  const num = (k: string, d: bigint): bigint => {
    const v = params.get(k);
    return v?.type === 'int' ? v.value : d;
  };
  c.reset = num('reset', 0x1000n);
  c.hartId = num('hartid', 0n);
  const boot = params.get('boot');
  c.boot = boot?.type === 'string' ? boot.value : undefined;
  const space = params.get('space');
  const spaceName = space?.type === 'string' ? space.value : 'memory';
  c.space = b.spaces.find((s) => s.name === spaceName);
  if (!space && !c.space && b.spaces.length > 0) {
    b.report(
      file,
      DiagnosticCode.MissingParameter,
      "No address space named 'memory'; say which one the cpu uses: space = name",
      decl.name,
    );
  }
}
