/**
 * Scopes and variables: Registers (GPRs and pc, with memoryReference when the value points into
 * mapped memory), CSRs, Peripherals (register banks decoded into fields; other device registers
 * by their datasheet names, peeked without side effects) and the Memory map (one entry per flat
 * range, each with a memoryReference). setVariable writes registers directly and peripheral
 * registers/fields through the address space, so device callbacks run as for a store.
 */
import { AdapterError, AdapterErrorCode } from '../errors';
import type { DebugProtocol } from '@vscode/debugprotocol';
import {
  RegisterBank,
  type AddressSpace,
  type MemoryRegion,
  addressHex,
  humanSize,
} from '../../engine';
import type { RegisterInfo, Machine } from '../../machine';
import { memoryReference } from '../memory';
import { memoryVariableSizes, type SourceContainer, type SourceStop } from './sourceVariables';

export class VariableError extends AdapterError {
  constructor(message: string) {
    super(AdapterErrorCode.BadArgument, message);
  }
}

interface Container {
  /** All children, or (paged containers, arrays) those from `start`, at most `count`. */
  readonly children: (start: number, count: number) => DebugProtocol.Variable[];
  /** Whether children() honours start/count itself. */
  readonly paged?: boolean;
  readonly set?: (name: string, value: bigint) => DebugProtocol.Variable;
  /** Assigns a C expression (program variables). */
  readonly assign?: (name: string, text: string) => DebugProtocol.Variable;
}

/** How much of a device window the Peripherals scope scans for register names. */
const SCANNED_WINDOW = 0x1_0000n;

export const SCOPE_REGISTERS = 1;
export const SCOPE_CSRS = 2;
export const SCOPE_PERIPHERALS = 3;
export const SCOPE_MEMORY_MAP = 4;
const FIRST_DYNAMIC = 100;

/** One device register the Peripherals scope shows. */
interface PeripheralRegister {
  readonly name: string;
  readonly address: number;
  readonly width: number;
  readonly bank?: RegisterBank;
  readonly fields: readonly {
    name: string;
    lsb: number;
    width: number;
    access: string;
    enumValues?: Readonly<Record<number, string>>;
  }[];
  readonly readOnly: boolean;
}

interface Peripheral {
  readonly name: string;
  readonly registers: readonly PeripheralRegister[];
}

export class Variables {
  private containers = new Map<number, Container>();
  /** `reference/name` -> memory a data breakpoint on that variable watches. */
  private readonly watchable = new Map<string, { address: string; size: number }>();
  private next = FIRST_DYNAMIC;
  private peripheralsCache: Peripheral[] | undefined;
  /** The program's variables at this stop (an ELF with .debug_info). */
  private source: SourceStop | undefined;

  constructor(
    private readonly machine: Machine,
    private readonly spaceId: string,
    private readonly spaces: ReadonlyMap<string, AddressSpace>,
  ) {}

  /** Forget dynamic references (after a resume: VS Code asks again). */
  reset(source?: SourceStop): void {
    this.source = source;
    this.containers.clear();
    this.watchable.clear();
    this.next = FIRST_DYNAMIC;
  }

  /** Topology changed: peripheral addresses may have moved. */
  topologyChanged(): void {
    this.peripheralsCache = undefined;
  }

  /** The source view of this stop, if the program has DWARF. */
  get sourceStop(): SourceStop | undefined {
    return this.source;
  }

  /** A reference for a source container (variables, evaluate results). */
  readonly sourceHandle = (c: SourceContainer): number =>
    this.handle({ children: c.children, paged: true, ...(c.assign ? { assign: c.assign } : {}) });

  scopes(level = 0): DebugProtocol.Scope[] {
    const program: DebugProtocol.Scope[] = [];
    const source = this.source;
    if (source) {
      const frame = source.frameScopes(level, this.sourceHandle);
      if (frame) {
        program.push(
          {
            name: 'Arguments',
            variablesReference: frame.args,
            namedVariables: frame.counts[0],
            expensive: false,
            presentationHint: 'arguments',
          },
          {
            name: 'Locals',
            variablesReference: frame.locals,
            namedVariables: frame.counts[1],
            expensive: false,
            presentationHint: 'locals',
          },
        );
      }
      const globals = source.globalsScope(level, this.sourceHandle);
      if (globals !== undefined)
        program.push({ name: 'Globals', variablesReference: globals, expensive: false });
    }
    return [
      ...program,
      {
        name: 'Registers',
        variablesReference: SCOPE_REGISTERS,
        expensive: false,
        presentationHint: 'registers',
      },
      { name: 'CSRs', variablesReference: SCOPE_CSRS, expensive: false },
      { name: 'Peripherals', variablesReference: SCOPE_PERIPHERALS, expensive: false },
      { name: 'Memory map', variablesReference: SCOPE_MEMORY_MAP, expensive: false },
    ];
  }

  variables(reference: number, start?: number, count?: number): DebugProtocol.Variable[] {
    const c = this.container(reference);
    const s = start ?? 0;
    const n = count !== undefined && count > 0 ? count : Infinity;
    if (c.paged) {
      // Program variables in memory can be watched (Break on Value Change): their bytes.
      const children = c.children(s, n);
      for (const v of children) {
        const size = memoryVariableSizes.get(v);
        if (size !== undefined && v.memoryReference)
          this.watchable.set(`${reference}/${v.name}`, {
            address: v.memoryReference.slice(v.memoryReference.lastIndexOf('@') + 1),
            size,
          });
      }
      return children;
    }
    let children = c.children(0, Infinity);
    if (start !== undefined || count !== undefined)
      children = children.slice(s, n === Infinity ? undefined : s + n);
    for (const v of children) {
      const size = /^u(\d+) @/.exec(v.type ?? '') ?? undefined;
      const range = /^(0x[0-9a-f]+)–(0x[0-9a-f]+)/.exec(v.value);
      if (size && v.memoryReference) {
        this.watchable.set(`${reference}/${v.name}`, {
          address: v.type!.split('@ ')[1]!,
          size: Number(size[1]) / 8,
        });
      } else if (range && v.memoryReference) {
        const bytes = Number(BigInt(range[2]!) - BigInt(range[1]!) + 1n);
        this.watchable.set(`${reference}/${v.name}`, {
          address: range[1]!,
          size: Math.min(bytes, 2 ** 30),
        });
      }
    }
    return children;
  }

  /** The memory behind a variable shown earlier (peripheral register, memory-map range). */
  watchTarget(reference: number, name: string): { address: string; size: number } | undefined {
    if (
      !this.watchable.has(`${reference}/${name}`) &&
      (reference === SCOPE_MEMORY_MAP || this.containers.has(reference))
    ) {
      this.variables(reference);
    }
    return this.watchable.get(`${reference}/${name}`);
  }

  /** setVariable on a program variable (a C expression); undefined for other containers. */
  assignVariable(
    reference: number,
    name: string,
    text: string,
  ): DebugProtocol.Variable | undefined {
    const c = this.container(reference);
    return c.assign ? c.assign(name, text) : undefined;
  }

  setVariable(reference: number, name: string, value: bigint): DebugProtocol.Variable {
    const c = this.container(reference);
    if (!c.set) throw new VariableError(`variables of this scope cannot be changed`);
    return c.set(name, value);
  }

  private container(reference: number): Container {
    switch (reference) {
      case SCOPE_REGISTERS:
        return {
          children: () => this.registerVariables('general'),
          set: (n, v) => this.setRegister(n, v),
        };
      case SCOPE_CSRS:
        return {
          children: () => this.registerVariables('csr'),
          set: (n, v) => this.setRegister(n, v),
        };
      case SCOPE_PERIPHERALS:
        return { children: () => this.peripheralVariables() };
      case SCOPE_MEMORY_MAP:
        return { children: () => this.memoryMapVariables() };
    }
    const c = this.containers.get(reference);
    if (!c)
      throw new VariableError(
        `variablesReference ${reference} is not valid (it may be from before the last stop)`,
      );
    return c;
  }

  private handle(c: Container): number {
    const id = this.next++;
    this.containers.set(id, c);
    return id;
  }

  // ---- registers ----------------------------------------------------------------------------

  private registerInfos(group: 'general' | 'csr'): RegisterInfo[] {
    const cpu = this.machine.cpu;
    return cpu.registers.filter((r) =>
      group === 'general' ? r.group !== 'csr' : r.group === 'csr',
    );
  }

  private registerVariables(group: 'general' | 'csr'): DebugProtocol.Variable[] {
    const out: DebugProtocol.Variable[] = [];
    for (const info of this.registerInfos(group)) {
      const value = this.machine.cpu.readRegister(info.id);
      if (value === undefined) continue;
      out.push(this.registerVariable(info, value));
    }
    return out;
  }

  private registerVariable(info: RegisterInfo, value: number): DebugProtocol.Variable {
    const v: DebugProtocol.Variable = {
      name: info.name,
      value: addressHex(value >>> 0),
      type: `u${info.bits}`,
      variablesReference: 0,
      evaluateName: `$${info.name}`,
      ...(info.readOnly ? { presentationHint: { attributes: ['readOnly'] } } : {}),
    };
    if (info.group !== 'csr' && this.machine.space.flatView.lookup(value >>> 0)) {
      v.memoryReference = memoryReference(this.spaceId, value >>> 0);
    }
    return v;
  }

  private setRegister(name: string, value: bigint): DebugProtocol.Variable {
    const info = this.machine.cpu.registers.find(
      (r) => r.name === name || r.aliases.includes(name),
    );
    if (!info) throw new VariableError(`no register '${name}'`);
    if (info.readOnly || !this.machine.cpu.writeRegister(info.id, Number(value & 0xffffffffn))) {
      throw new VariableError(`register '${name}' is read-only`);
    }
    return this.registerVariable(info, this.machine.cpu.readRegister(info.id) ?? 0);
  }

  // ---- peripherals ----------------------------------------------------------------------------

  private regionAddress(region: MemoryRegion): number | undefined {
    const fr = this.machine.space.flatView.ranges.find((r) => r.mr === region);
    return fr ? Number(fr.start - fr.offsetInRegion) : undefined;
  }

  /** Register banks of the board and device models that name their registers. */
  peripherals(): Peripheral[] {
    if (this.peripheralsCache) return this.peripheralsCache;
    const out: Peripheral[] = [];
    const bankRegions = new Set<MemoryRegion>();
    for (const { id, bank, region } of registerBanks(this.machine)) {
      bankRegions.add(region);
      const base = this.regionAddress(region);
      if (base === undefined) continue;
      out.push({
        name: id,
        registers: bank.describe().map((r) => ({
          name: r.name,
          address: base + r.offset,
          width: r.width,
          bank,
          fields: r.fields.map((f) => ({
            name: f.name,
            lsb: f.lsb,
            width: f.width,
            access: f.access,
            ...(f.enumValues ? { enumValues: f.enumValues } : {}),
          })),
          readOnly: r.access === 'ro',
        })),
      });
    }
    for (const device of this.machine.devices.values()) {
      if (!device.registerName) continue;
      const registers: PeripheralRegister[] = [];
      for (const { region } of device.regions) {
        if (bankRegions.has(region)) continue;
        const base = this.regionAddress(region);
        if (base === undefined) continue;
        // The first 64 KiB: enough for the ACLINT MTIMER's mtime at +0x7ff8 (cached per map).
        const size = Number(region.size > SCANNED_WINDOW ? SCANNED_WINDOW : region.size);
        const step = size <= 16 ? 1 : 4;
        let last: string | undefined;
        for (let offset = 0; offset < size && registers.length < 64; offset += step) {
          const name = device.registerName(region, offset);
          if (!name || name === last) continue;
          last = name;
          registers.push({
            name,
            address: base + offset,
            width: step,
            fields: [],
            readOnly: false,
          });
        }
      }
      if (registers.length > 0) out.push({ name: device.id, registers });
    }
    this.peripheralsCache = out;
    return out;
  }

  private peripheralVariables(): DebugProtocol.Variable[] {
    return this.peripherals().map((p) => ({
      name: p.name,
      value: `${p.registers.length} register(s) at ${addressHex(p.registers[0]?.address ?? 0)}`,
      variablesReference: this.handle({
        children: () => p.registers.map((r) => this.peripheralRegisterVariable(r)),
        set: (name, value) => {
          const r = p.registers.find((x) => x.name === name);
          if (!r) throw new VariableError(`no register '${name}' in ${p.name}`);
          this.writeRegister(r, value);
          return this.peripheralRegisterVariable(r);
        },
      }),
    }));
  }

  private peek(r: PeripheralRegister): number | undefined {
    const { data, status } = this.machine.readMemory(r.address, r.width);
    if (status.some((s) => s !== 0)) return undefined;
    let v = 0;
    for (let i = r.width - 1; i >= 0; i--) v = (v << 8) | data[i]!;
    return v >>> 0;
  }

  private peripheralRegisterVariable(r: PeripheralRegister): DebugProtocol.Variable {
    const value = this.peek(r);
    const text =
      value === undefined
        ? '<not peekable: reading has side effects>'
        : addressHex(value, r.width * 2);
    const v: DebugProtocol.Variable = {
      name: r.name,
      value: text,
      type: `u${r.width * 8} @ ${addressHex(r.address)}`,
      variablesReference: 0,
      memoryReference: memoryReference(this.spaceId, r.address),
      evaluateName: `*(u${r.width * 8}*)${addressHex(r.address)}`,
      ...(r.readOnly ? { presentationHint: { attributes: ['readOnly'] } } : {}),
    };
    if (r.fields.length > 0 && value !== undefined) {
      v.variablesReference = this.handle({
        children: () => {
          const current = this.peek(r) ?? 0;
          return r.fields.map((f) => {
            const fv = Number((BigInt(current) >> BigInt(f.lsb)) & ((1n << BigInt(f.width)) - 1n));
            const named = f.enumValues?.[fv];
            return {
              name: f.name,
              value: `${fv}${named ? ` (${named})` : ''}`,
              type: `[${f.width > 1 ? `${f.lsb + f.width - 1}:` : ''}${f.lsb}] ${f.access}`,
              variablesReference: 0,
              ...(f.access === 'ro' ? { presentationHint: { attributes: ['readOnly'] } } : {}),
            };
          });
        },
        set: (name, value) => {
          const f = r.fields.find((x) => x.name === name);
          if (!f) throw new VariableError(`no field '${name}' in ${r.name}`);
          if (f.access === 'ro') throw new VariableError(`field ${r.name}.${name} is read-only`);
          if (value >= 1n << BigInt(f.width))
            throw new VariableError(
              `${value} does not fit in the ${f.width}-bit field ${r.name}.${name}`,
            );
          const current = this.peek(r);
          if (current === undefined)
            throw new VariableError(
              `${r.name} cannot be read without side effects, so a field cannot be changed alone`,
            );
          const mask = ((1 << f.width) - 1) << f.lsb;
          this.writeRegister(r, BigInt(((current & ~mask) | (Number(value) << f.lsb)) >>> 0));
          const fv = ((this.peek(r) ?? 0) & mask) >>> f.lsb;
          return { name, value: String(fv), variablesReference: 0 };
        },
      });
    }
    return v;
  }

  private writeRegister(r: PeripheralRegister, value: bigint): void {
    if (r.readOnly) throw new VariableError(`register ${r.name} is read-only`);
    if (value >= 1n << BigInt(r.width * 8))
      throw new VariableError(`${value} does not fit in the ${r.width * 8}-bit register ${r.name}`);
    const bytes = new Uint8Array(r.width);
    for (let i = 0; i < r.width; i++) bytes[i] = Number((value >> BigInt(8 * i)) & 0xffn);
    const { status } = this.machine.writeMemory(r.address, bytes);
    if (status.some((s) => s !== 0))
      throw new VariableError(`the device refused the write to ${r.name}`);
  }

  // ---- memory map -------------------------------------------------------------------------

  private memoryMapVariables(): DebugProtocol.Variable[] {
    const list = (id: string, space: AddressSpace): DebugProtocol.Variable[] =>
      space.flatView.ranges.map((fr) => ({
        name: fr.mr.name,
        value: `${addressHex(fr.start)}–${addressHex(fr.end - 1n)} ${fr.mr.typeLabel()}${fr.readonly ? ' readonly' : ''} (${humanSize(fr.end - fr.start)})`,
        type: fr.mr.kind,
        variablesReference: 0,
        memoryReference: memoryReference(id, fr.start),
        presentationHint: { kind: 'data', attributes: ['readOnly'] },
      }));
    if (this.spaces.size <= 1) return list(this.spaceId, this.machine.space);
    return [...this.spaces].map(([id, space]) => ({
      name: id,
      value: `${space.flatView.ranges.length} range(s)`,
      variablesReference: this.handle({ children: () => list(id, space) }),
    }));
  }
}

/**
 * Register banks of the machine: the board's (mmio regions with registers) and those of device
 * models built on a RegisterBank (regbank, memctl), each with the region it answers in.
 */
export function registerBanks(
  machine: Machine,
): { id: string; bank: RegisterBank; region: MemoryRegion }[] {
  const out: { id: string; bank: RegisterBank; region: MemoryRegion }[] = [];
  const board = machine.board;
  for (const [id, bank] of board.banks) {
    const region = board.regions.get(id);
    if (region) out.push({ id, bank, region });
  }
  for (const device of machine.devices.values()) {
    const bank = (device as { bank?: unknown }).bank;
    if (!(bank instanceof RegisterBank)) continue;
    const region = device.regions[0]?.region;
    if (region && !out.some((b) => b.region === region)) out.push({ id: device.id, bank, region });
  }
  return out;
}
