/**
 * evaluate: watch/hover/REPL expressions (expression.ts) with a memoryReference when the value
 * names an address, Debug Console monitor commands (monitor.ts), and console input for the
 * UART (`> text` sends `text` and a carriage return). Also dataBreakpointInfo's expression side.
 */
import { SIZE_2_64, type MemoryRegion, addressHex } from '../../engine';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Machine } from '../../machine';
import { formatDataId } from '../breakpoints';
import { evaluateExpression, type EvaluationResult, type ExpressionContext } from '../expression';
import { type HexLinker, memoryReference } from '../memory';
import { isMonitorCommand, runMonitorCommand } from './monitor';

export function expressionContext(machine: Machine): ExpressionContext {
  const cpu = machine.cpu;
  const byName = new Map<string, number>();
  for (const r of cpu.registers) {
    byName.set(r.name, r.id);
    for (const a of r.aliases) byName.set(a, r.id);
  }
  return {
    register(name) {
      const bare = name.startsWith('$') ? name.slice(1) : name;
      const id = byName.get(bare);
      return id === undefined ? undefined : cpu.readRegister(id);
    },
    symbol(name) {
      const s = machine.symbols?.byName(name);
      if (!s) return undefined;
      return {
        address: s.value,
        kind: s.kind === 'func' ? 'func' : s.kind === 'object' ? 'object' : 'other',
        size: s.size,
      };
    },
    read(address, size) {
      if (address + BigInt(size) > SIZE_2_64) return undefined;
      const { data, status } = machine.readMemory(address, size);
      if (status.some((s) => s !== 0)) return undefined;
      let v = 0n;
      for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(data[i]!);
      return v;
    },
  };
}

const dumpDefaults = new WeakMap<Machine, { format: string; size: number }>();

function dumpDefaultsOf(machine: Machine): { format: string; size: number } {
  let d = dumpDefaults.get(machine);
  if (!d) dumpDefaults.set(machine, (d = { format: 'x', size: 4 }));
  return d;
}

/** Formats a value as the console shows it: hex, and decimal when small. */
export function formatValue(result: EvaluationResult): string {
  const v = result.value;
  const dec = v < 1n << 32n ? ` (${v})` : '';
  return `${addressHex(v, 0)}${dec}`;
}

export interface EvaluateOutcome {
  readonly body: DebugProtocol.EvaluateResponse['body'];
  /** Whether the command may have changed the machine (a region toggled, input sent). */
  readonly changed: boolean;
}

export function evaluate(
  machine: Machine,
  spaceId: string,
  args: DebugProtocol.EvaluateArguments,
  context: ExpressionContext,
  findRegions: (name: string) => MemoryRegion[],
  hexLink?: HexLinker,
): EvaluateOutcome {
  const text = args.expression;
  if (args.context === 'repl' || args.context === undefined) {
    if (text.startsWith('>')) {
      const payload = text.slice(1).replace(/^ /, '') + '\r';
      machine.input(Array.from(Buffer.from(payload, 'utf8')));
      return {
        body: {
          result: `sent ${JSON.stringify(payload)} to the console input`,
          variablesReference: 0,
        },
        changed: true,
      };
    }
    if (isMonitorCommand(text)) {
      const output = runMonitorCommand(text, {
        system: machine.system,
        space: machine.space,
        cpu: machine.cpu,
        expressions: context,
        symbols: machine.symbolLookup,
        findRegions,
        dumpDefaults: dumpDefaultsOf(machine),
        spaceId,
        ...(hexLink ? { hexLink } : {}),
      });
      return {
        body: { result: output, variablesReference: 0 },
        changed: /^\s*region\b/.test(text),
      };
    }
  }
  const result = evaluateExpression(text, context);
  const body: DebugProtocol.EvaluateResponse['body'] = {
    result: formatValue(result),
    variablesReference: 0,
    type: 'u64',
  };
  const address = result.address ?? (result.value < SIZE_2_64 ? result.value : undefined);
  // An unmapped address is still an address: a read there reports unreadable bytes.
  if (address !== undefined) body.memoryReference = memoryReference(spaceId, address);
  return { body, changed: false };
}

/** dataBreakpointInfo for an expression or (asAddress) an address with `bytes`. */
export function dataInfoForExpression(
  context: ExpressionContext,
  machine: Machine,
  name: string,
  asAddress: boolean,
  bytes: number | undefined,
): DebugProtocol.DataBreakpointInfoResponse['body'] {
  const none = (description: string) => ({ dataId: null, description });
  let address: bigint;
  let size: number;
  try {
    if (asAddress) {
      address = evaluateExpression(name, context).value;
      size = bytes ?? 4;
    } else {
      const symbol = machine.symbols?.byName(name.replace(/^&/, ''));
      if (symbol && symbol.kind === 'object') {
        address = BigInt(symbol.value);
        size = bytes ?? Math.max(1, symbol.size);
      } else {
        const r = evaluateExpression(name, context);
        if (r.address === undefined)
          return none(`'${name}' is not in memory (a register or a plain value cannot be watched)`);
        address = r.address;
        size = bytes ?? 4;
      }
    }
  } catch (e) {
    return none((e as Error).message);
  }
  if (!Number.isSafeInteger(size) || size < 1 || size > 1 << 30)
    return none(`bytes: ${bytes} is not a size to watch`);
  if (address + BigInt(size) > 1n << 32n)
    return none(`${addressHex(address)} is outside the hart's 32-bit address space`);
  return {
    dataId: formatDataId(Number(address), size),
    description: `${size} byte(s) at ${addressHex(address)}${asAddress ? '' : ` (${name})`}`,
    accessTypes: ['read', 'write', 'readWrite'],
    canPersist: true,
  };
}
