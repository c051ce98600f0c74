/**
 * QEMU-monitor commands in the Debug Console: `info mtree [-f] [-o] [-D]` (the engine's printer,
 * the same text as `boardmap mtree`), `info registers`, `x/Nfu ADDR` and `xp/Nfu ADDR` (QEMU's
 * memory_dump format), `region enable|disable NAME`, `help`. Each returns the text to print.
 */
import { AdapterError, AdapterErrorCode } from '../errors';
import {
  debugRead,
  formatMtree,
  type AddressSpace,
  type MemorySystem,
  type MemoryRegion,
} from '../../engine';
import type { Cpu, SymbolLookup } from '../../machine';
import { evaluateExpression, type ExpressionContext } from '../expression';
import { HexCommandError, hexCommand, type HexLinker } from '../memory';

export interface MonitorContext {
  readonly system: MemorySystem;
  readonly space: AddressSpace;
  readonly cpu: Cpu | undefined;
  readonly expressions: ExpressionContext;
  readonly symbols?: SymbolLookup;
  /** Finds regions by name or board id (several regions may share a name). */
  findRegions(name: string): MemoryRegion[];
  /** What QEMU remembers between `x` commands (last format and size), per session. */
  readonly dumpDefaults?: { format: string; size: number };
  /** The address space's id in memory references. */
  readonly spaceId?: string;
  /** Makes hex editor links; absent when the client cannot open them (not VS Code). */
  readonly hexLink?: HexLinker;
}

export class MonitorError extends AdapterError {
  constructor(message: string) {
    super(AdapterErrorCode.BadExpression, message);
  }
}

export const MONITOR_HELP = [
  'Boardmap monitor commands (QEMU monitor syntax):',
  '  info mtree [-f] [-o] [-D]   show the memory tree (-f flat views, -o owners, -D disabled regions)',
  '  info registers              show the CPU registers',
  '  x/FMT ADDR                  dump memory at a CPU address (FMT = count, format x d u o c i, size b h w g)',
  '  xp/FMT ADDR                 dump physical memory (the same address space on this machine)',
  '  region enable|disable NAME  enable or disable a region (by name or board id)',
  '  hex [ADDR|REGION]           links that open the hex editor there (no argument: all RAM and ROM)',
  '  help                        this text',
  'Anything else is evaluated as an expression: registers ($pc, a0), symbols (main, &hello_counter),',
  'memory (*0x80000000, *(u8*)addr), C operators.',
].join('\n');

/** Whether `text` is a monitor command (the console treats everything else as an expression). */
export function isMonitorCommand(text: string): boolean {
  return /^\s*(info\b|x\/|x\s|xp\/|xp\s|region\b|hex\b|help\b|\?$)/.test(text);
}

export function runMonitorCommand(text: string, ctx: MonitorContext): string {
  const words = text.trim().split(/\s+/);
  const head = words[0]!;
  if (head === 'help' || head === '?') return MONITOR_HELP;
  if (head === 'info') return info(words.slice(1), ctx);
  if (head === 'region') return region(words.slice(1), ctx);
  if (head === 'hex') return hexLinks(words.slice(1).join(' '), ctx);
  const dump = /^(xp?)(?:\/(\d*)([a-z]*))?$/.exec(head);
  if (dump)
    return memoryDump(
      dump[1] === 'xp',
      dump[2] ?? '',
      dump[3] ?? '',
      words.slice(1).join(' '),
      ctx,
    );
  throw new MonitorError(`unknown command '${head}'; try 'help'`);
}

function hexLinks(argument: string, ctx: MonitorContext): string {
  if (!ctx.hexLink)
    throw new MonitorError(
      'hex: hex editor links need VS Code with the Boardmap extension; here, x/FMT ADDR dumps memory',
    );
  try {
    return hexCommand(argument, { ...ctx, spaceId: ctx.spaceId ?? ctx.space.name }, ctx.hexLink);
  } catch (e) {
    if (e instanceof HexCommandError) throw new MonitorError(e.message);
    throw e;
  }
}

function info(args: string[], ctx: MonitorContext): string {
  const what = args[0];
  if (what === 'mtree') {
    const flags = args.slice(1);
    const bad = flags.find((f) => !['-f', '-o', '-D'].includes(f));
    if (bad) throw new MonitorError(`info mtree: unknown option '${bad}' (use -f, -o, -D)`);
    return formatMtree(ctx.system, {
      flat: flags.includes('-f'),
      owner: flags.includes('-o'),
      disabled: flags.includes('-D'),
    }).replace(/\n$/, '');
  }
  if (what === 'registers') {
    if (!ctx.cpu) throw new MonitorError('info registers: this machine has no CPU');
    return infoRegisters(ctx.cpu);
  }
  throw new MonitorError(
    `info: unknown item '${what ?? ''}' (try 'info mtree' or 'info registers')`,
  );
}

/** CSRs QEMU 7.2's riscv_cpu_dump_state prints for an M-mode-only RV32 hart, in its order. */
const DUMP_CSRS = [
  'mhartid',
  'mstatus',
  'mstatush',
  'mip',
  'mie',
  'mideleg',
  'medeleg',
  'mtvec',
  'mepc',
  'mcause',
  'mtval',
  'mscratch',
];

/** QEMU's `info registers` layout for RISC-V (` pc       80000088`, four GPRs per line). */
export function infoRegisters(cpu: Cpu): string {
  const hex = (v: number) => (v >>> 0).toString(16).padStart(8, '0');
  const lines: string[] = ['CPU#0'];
  const pc = cpu.registers.find((r) => r.group === 'pc');
  if (pc) lines.push(` ${'pc'.padEnd(8)} ${hex(cpu.readRegister(pc.id) ?? 0)}`);
  for (const name of DUMP_CSRS) {
    const info = cpu.registers.find((r) => r.name === name);
    if (!info) continue;
    const value = cpu.readRegister(info.id);
    if (value !== undefined) lines.push(` ${name.padEnd(8)} ${hex(value)}`);
  }
  const gprs = cpu.registers.filter((r) => r.group === 'general');
  let line = '';
  gprs.forEach((r, i) => {
    const label = `${r.aliases[0] ?? r.name}/${r.name}`;
    line += ` ${label.padEnd(8)} ${hex(cpu.readRegister(r.id) ?? 0)}`;
    if ((i & 3) === 3) {
      lines.push(line);
      line = '';
    }
  });
  if (line) lines.push(line);
  return lines.join('\n');
}

function memoryDump(
  physical: boolean,
  countText: string,
  letters: string,
  addressText: string,
  ctx: MonitorContext,
): string {
  const cmd = physical ? 'xp' : 'x';
  const lastFormat = ctx.dumpDefaults ?? { format: 'x', size: 4 };
  let format = lastFormat.format;
  let size = lastFormat.size;
  for (const ch of letters) {
    if ('xduoci'.includes(ch)) format = ch;
    else if (ch === 'b') size = 1;
    else if (ch === 'h') size = 2;
    else if (ch === 'w') size = 4;
    else if (ch === 'g') size = 8;
    else
      throw new MonitorError(
        `${cmd}: invalid format or size letter '${ch}' (formats x d u o c i, sizes b h w g)`,
      );
  }
  const count = countText === '' ? 1 : Number(countText);
  if (!Number.isSafeInteger(count) || count < 1 || count > 65536) {
    throw new MonitorError(`${cmd}: count must be 1 … 65536 (got ${countText})`);
  }
  if (addressText.trim() === '')
    throw new MonitorError(`${cmd}: missing address; usage: ${cmd}/FMT ADDR`);
  let address: bigint;
  try {
    address = evaluateExpression(addressText, ctx.expressions).value;
  } catch (e) {
    throw new MonitorError(`${cmd}: ${(e as Error).message}`);
  }
  lastFormat.format = format;
  if (format !== 'c' && format !== 'i') lastFormat.size = size;
  if (format === 'i') {
    if (!ctx.cpu) throw new MonitorError(`${cmd}/i: this machine has no CPU`);
    return ctx.cpu
      .disassemble(Number(address & 0xffffffffn), count, ctx.symbols)
      .map((d) => `0x${d.address.toString(16).padStart(8, '0')}:  ${d.text.replace('\t', ' ')}`)
      .join('\n');
  }
  if (format === 'c') size = 1;
  return formatMemoryDump(ctx.space, address, count, format, size, physical);
}

/** QEMU's memory_dump: 8 bytes per line for bytes, else 16; `Cannot access memory` stops it. */
export function formatMemoryDump(
  space: AddressSpace,
  start: bigint,
  count: number,
  format: string,
  size: number,
  physical: boolean,
): string {
  const lineSize = size === 1 ? 8 : 16;
  const digits =
    format === 'o'
      ? Math.ceil((size * 8) / 3)
      : format === 'u' || format === 'd'
        ? Math.ceil((size * 80) / 33)
        : (size * 8) / 4;
  const lines: string[] = [];
  let address = start;
  let remaining = count * size;
  while (remaining > 0) {
    let line = physical
      ? address.toString(16).padStart(16, '0') + ':'
      : (address & 0xffffffffn).toString(16).padStart(8, '0') + ':';
    const l = Math.min(remaining, lineSize);
    const { data, status } = debugRead(space, address, l);
    if (status.some((s) => s !== 0)) {
      lines.push(`${line} Cannot access memory`);
      break;
    }
    for (let i = 0; i < l; i += size) {
      let v = 0n;
      for (let k = size - 1; k >= 0; k--) v = (v << 8n) | BigInt(data[i + k] ?? 0);
      line += ' ';
      if (format === 'x') line += `0x${v.toString(16).padStart(digits, '0')}`;
      else if (format === 'o') line += (v === 0n ? '0' : `0${v.toString(8)}`).padStart(digits, ' ');
      else if (format === 'u' || format === 'd') line += v.toString().padStart(digits, ' ');
      else line += printChar(Number(v));
    }
    lines.push(line);
    address += BigInt(l);
    remaining -= l;
  }
  return lines.join('\n');
}

function printChar(c: number): string {
  const inner =
    c === 39
      ? "\\'"
      : c === 92
        ? '\\\\'
        : c === 10
          ? '\\n'
          : c === 13
            ? '\\r'
            : c >= 32 && c <= 126
              ? String.fromCharCode(c)
              : `\\x${c.toString(16).padStart(2, '0')}`;
  return `'${inner}'`;
}

function region(args: string[], ctx: MonitorContext): string {
  const [action, ...rest] = args;
  const name = rest.join(' ');
  if ((action !== 'enable' && action !== 'disable') || name === '') {
    throw new MonitorError('usage: region enable|disable NAME');
  }
  const found = ctx.findRegions(name);
  if (found.length === 0) throw new MonitorError(`region: no region named '${name}'`);
  if (found.length > 1)
    throw new MonitorError(`region: ${found.length} regions are named '${name}'; use the board id`);
  const mr = found[0]!;
  const enable = action === 'enable';
  if (mr.enabled === enable)
    return `region '${mr.name}' is already ${enable ? 'enabled' : 'disabled'}`;
  mr.setEnabled(enable);
  return `region '${mr.name}' ${enable ? 'enabled' : 'disabled'}`;
}
