/**
 * DAP disassemble: any address (canonical memory reference or plain `0x…`), byte and instruction
 * offsets (negative ones too: RISC-V with compressed instructions has no fixed length, so
 * decoding restarts from a known instruction boundary — the enclosing function's symbol, else a
 * few candidate starts before the address — and keeps the alignment that lands on it), the
 * instruction bytes, `<symbol>` names and the source line of each instruction.
 */
import { AdapterError, AdapterErrorCode } from '../errors';
import { basename } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DisassembledInstruction, DebugInfo, Machine } from '../../machine';
import { parseMemoryReference } from '../../protocol';
import { addressHex } from '../../engine';

export class DisassembleError extends AdapterError {
  constructor(message: string, code = AdapterErrorCode.BadArgument) {
    super(code, message);
  }
}

export const MAX_DISASSEMBLE = 10_000;
/**
 * Largest |instructionOffset|: the work is proportional to it (decoding forward to the window,
 * or back from a known boundary), so a client asking for ±2^32 gets an error, not a hang.
 * VS Code's Disassembly view asks for a few hundred at most.
 */
export const MAX_INSTRUCTION_OFFSET = 65_536;

/** A memory reference as a 32-bit address: canonical `space@0x…`, or `0x…` / decimal. */
export function referenceAddress(reference: unknown, spaceId: string): number {
  if (typeof reference !== 'string')
    throw new DisassembleError('memoryReference: expected a string');
  let value: bigint | undefined;
  const parsed = parseMemoryReference(reference);
  if (parsed.ok) {
    if (parsed.value.space !== spaceId) {
      throw new DisassembleError(
        `memoryReference '${reference}': the hart fetches from '${spaceId}', not '${parsed.value.space}'`,
        AdapterErrorCode.BadAddress,
      );
    }
    value = parsed.value.address;
  } else if (/^(0x[0-9a-f]+|\d+)$/i.test(reference.trim())) value = BigInt(reference.trim());
  if (value === undefined)
    throw new DisassembleError(
      `memoryReference '${reference}' is not an address`,
      AdapterErrorCode.BadAddress,
    );
  if (value >= 1n << 32n)
    throw new DisassembleError(
      `memoryReference '${reference}' is outside the 32-bit address space`,
      AdapterErrorCode.BadAddress,
    );
  return Number(value);
}

export function disassemble(
  machine: Machine,
  spaceId: string,
  debugInfo: DebugInfo | undefined,
  args: DebugProtocol.DisassembleArguments,
): DebugProtocol.DisassembledInstruction[] {
  const base = referenceAddress(args.memoryReference, spaceId);
  for (const [name, v] of [
    ['offset', args.offset],
    ['instructionOffset', args.instructionOffset],
  ] as const) {
    if (v !== undefined && !Number.isSafeInteger(v))
      throw new DisassembleError(`${name}: expected an integer`);
  }
  const count = args.instructionCount;
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new DisassembleError(`instructionCount: expected a non-negative integer`);
  }
  if (count > MAX_DISASSEMBLE) {
    throw new DisassembleError(
      `instructionCount: ${count} is more than the ${MAX_DISASSEMBLE} instructions answered at once`,
      AdapterErrorCode.TooLarge,
    );
  }
  const requested = args.instructionOffset ?? 0;
  if (Math.abs(requested) > MAX_INSTRUCTION_OFFSET) {
    throw new DisassembleError(
      `instructionOffset: ${requested} is beyond ±${MAX_INSTRUCTION_OFFSET} instructions from the reference; ask from a nearer memoryReference`,
      AdapterErrorCode.TooLarge,
    );
  }
  const address = base + (args.offset ?? 0);
  let instructionOffset = args.instructionOffset ?? 0;
  const out: DisassembledInstruction[] = [];
  let start = address;
  if (instructionOffset < 0) {
    const before = instructionsBefore(machine, address, -instructionOffset);
    // Not enough decodable code before the address: pad with invalid entries (DAP wants the count).
    const missing = -instructionOffset - before.length;
    for (let i = missing; i > 0; i--)
      out.push(placeholder((before[0]?.address ?? address) - 2 * i));
    out.push(...before);
    instructionOffset = 0;
  }
  if (out.length < count) {
    const skip = instructionOffset;
    if (start < 0 || start >= 2 ** 32) {
      while (out.length < count) out.push(placeholder(start + 2 * out.length));
    } else {
      const forward = machine.disassemble(start >>> 0, skip + count - out.length);
      out.push(...forward.slice(skip));
    }
  }
  start = 0;
  let lastSymbol: string | undefined;
  return out.slice(0, count).map((d) => {
    const valid = d.length > 0 && d.address >= 0 && d.address < 2 ** 32;
    const symbol = valid ? machine.symbols?.lookupCode(d.address) : undefined;
    const loc = valid ? debugInfo?.lines.lineForAddress(d.address) : undefined;
    const result: DebugProtocol.DisassembledInstruction = {
      address: addressHex(Math.max(0, d.address)),
      instruction: valid ? d.text.replace('\t', ' ') : '??',
      ...(valid ? { instructionBytes: bytesOf(d.hex) } : { presentationHint: 'invalid' as const }),
    };
    if (symbol && symbol.symbol.name !== lastSymbol) {
      result.symbol =
        symbol.offset === 0
          ? symbol.symbol.name
          : `${symbol.symbol.name}+${addressHex(symbol.offset, 0)}`;
      lastSymbol = symbol.symbol.name;
    }
    if (loc) {
      result.location = { name: basename(loc.path), path: loc.path };
      result.line = loc.line;
      if (loc.column > 0) result.column = loc.column;
    }
    return result;
  });
}

/** objdump prints the encoding as one number; DAP wants the bytes in memory order. */
function bytesOf(hexText: string): string {
  const pairs = hexText.match(/../g) ?? [];
  return pairs.reverse().join(' ');
}

function placeholder(address: number): DisassembledInstruction {
  return { address, length: 0, hex: '', text: '??' };
}

/** Up to `n` instructions ending just before `address`, decoded from a boundary. */
function instructionsBefore(
  machine: Machine,
  address: number,
  n: number,
): DisassembledInstruction[] {
  if (address <= 0) return [];
  const candidates: number[] = [];
  const symbol = machine.symbols?.lookupCode(address - 1);
  if (symbol && symbol.offset < 65536) candidates.push(symbol.symbol.value);
  const span = 4 * n + 16;
  for (let back = span; back <= span + 6; back += 2) candidates.push(Math.max(0, address - back));
  for (const from of candidates) {
    if (from >= address || address - from > 65536 + 4 * n) continue;
    const decoded: DisassembledInstruction[] = [];
    let at = from;
    // Decode until the address; the alignment is right if some instruction starts exactly there.
    while (at < address) {
      const [d] = machine.disassemble(at >>> 0, 1);
      if (!d) break;
      decoded.push(d);
      at += d.length || 2;
    }
    if (at === address) return decoded.slice(-n);
  }
  return [];
}
