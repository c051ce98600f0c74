/**
 * setExpression: "Set Value" on a Watch expression. The expression must name a place — a register
 * (`a0`, `$pc`, `mstatus`), a data symbol of 1, 2, 4 or 8 bytes (`hello_counter`) or a
 * dereference (`*(u8*)0x80000000`, `*addr` for 4 bytes); the value is any expression. Memory is
 * written as DAP writeMemory writes it (through the address space as a store, MMIO callbacks run,
 * ROM and holes refused before anything is written), little-endian like the hart.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { formatValue } from './evaluate';
import { evaluateExpression, type ExpressionContext, type LValue } from '../expression';
import { memoryReference, writeMemory, type MemoryWriter, type SpaceLookup } from '../memory';
import { AdapterError, AdapterErrorCode } from '../errors';
import { SCOPE_REGISTERS, type Variables } from './variables';

export interface SetExpressionOutcome {
  readonly body: DebugProtocol.SetExpressionResponse['body'];
  /** The bytes written, for memory events and the decode cache (absent for a register). */
  readonly written?: { readonly address: bigint; readonly length: number };
}

export function setExpression(
  variables: Pick<Variables, 'setVariable'>,
  spaceId: string,
  lookup: SpaceLookup,
  writer: MemoryWriter,
  context: ExpressionContext,
  args: DebugProtocol.SetExpressionArguments,
): SetExpressionOutcome {
  if (typeof args?.expression !== 'string' || typeof args.value !== 'string')
    throw new AdapterError(
      AdapterErrorCode.BadArgument,
      'setExpression: expression and value must be strings',
    );
  const place = evaluateExpression(args.expression, context, { placeOnly: true }).lvalue;
  if (!place)
    throw new AdapterError(
      AdapterErrorCode.BadExpression,
      `'${args.expression}' cannot be assigned: name a register, a data symbol or *(type*)address`,
    );
  const value = evaluateExpression(args.value, context).value;
  const written = assign(variables, spaceId, lookup, writer, place, value);
  // Read back what the place holds now (a write-only register reads back as unknown).
  let shown: string;
  try {
    shown = formatValue(evaluateExpression(args.expression, context));
  } catch {
    shown = 'written (cannot be read back)';
  }
  const address = place.kind === 'memory' ? place.address : undefined;
  return {
    body: {
      value: shown,
      type: place.kind === 'memory' ? `u${place.size * 8}` : 'u32',
      variablesReference: 0,
      ...(address !== undefined ? { memoryReference: memoryReference(spaceId, address) } : {}),
    },
    ...(written ? { written } : {}),
  };
}

function assign(
  variables: Pick<Variables, 'setVariable'>,
  spaceId: string,
  lookup: SpaceLookup,
  writer: MemoryWriter,
  place: LValue,
  value: bigint,
): SetExpressionOutcome['written'] {
  if (place.kind === 'register') {
    // The Registers scope's setter finds CSRs too, by name or alias, and refuses read-only ones.
    variables.setVariable(SCOPE_REGISTERS, place.name, value);
    return undefined;
  }
  const bytes = new Uint8Array(place.size);
  for (let i = 0; i < place.size; i++) bytes[i] = Number((value >> BigInt(8 * i)) & 0xffn);
  const outcome = writeMemory(lookup, writer, {
    memoryReference: memoryReference(spaceId, place.address),
    data: Buffer.from(bytes).toString('base64'),
  });
  return outcome.written
    ? { address: outcome.written.address, length: outcome.written.length }
    : undefined;
}
