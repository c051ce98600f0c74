// Access-path table: every valid/impl combination × sizes 1/2/4/8 × aligned and unaligned
// offsets × device endianness (little, big, native on both target byte orders) × read/write,
// checked against a small byte-level model of QEMU's rules written here independently of the
// engine: validation (spec §6.5 steps 1–4) and access_with_adjusted_size + adjust_endianness
// expressed as "each callback piece lays its bytes out in the device's byte order; the CPU
// sees the bytes in the target's byte order".
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AccessValue,
  MemorySystem,
  createIo,
  dispatchRead,
  dispatchWrite,
  setGuestErrorSink,
  MEMTX_DECODE_ERROR,
  MEMTX_OK,
  type Endianness,
  type MemoryRegionOps,
} from '../../src/engine/index';

const SIZES = [0, 1, 2, 4, 8];
const ACCESS_SIZES = [1, 2, 4, 8];
const OFFSETS = [0x10, 0x11, 0x12, 0x14];

interface Cfg {
  validMin: number;
  validMax: number;
  validUnaligned: boolean;
  implMin: number;
  implMax: number;
  implUnaligned: boolean;
  endianness: Endianness;
  rejectWritesAt: number | null;
}

/** Deterministic callback value for (offset, size), as a bigint of size*8 bits. */
function pieceValue(offset: number, size: number): bigint {
  let v = 0n;
  for (let k = 0; k < size; k++)
    v = (v << 8n) | BigInt((offset * 37 + size * 11 + k * 101 + 7) & 0xff);
  return v;
}

/** Bytes of @v (size bytes) in the given order. */
function bytesOf(v: bigint, size: number, big: boolean): number[] {
  const out: number[] = [];
  for (let k = 0; k < size; k++) {
    const shift = big ? (size - 1 - k) * 8 : k * 8;
    out.push(Number((v >> BigInt(shift)) & 0xffn));
  }
  return out;
}

function valueOf(bytes: number[], big: boolean): bigint {
  let v = 0n;
  for (let k = 0; k < bytes.length; k++) {
    const shift = big ? (bytes.length - 1 - k) * 8 : k * 8;
    v |= BigInt(bytes[k]!) << BigInt(shift);
  }
  return v;
}

interface ModelResult {
  result: number;
  value: bigint;
  calls: Array<[number, number, bigint]>;
  reason: string | null;
}

function model(
  cfg: Cfg,
  targetBig: boolean,
  offset: number,
  size: number,
  isWrite: boolean,
  wvalue: bigint,
): ModelResult {
  // Validation: accepts, then alignment (region offset), then sizes (max 0 = anything).
  let reason: string | null = null;
  if (isWrite && cfg.rejectWritesAt === offset) reason = 'rejected';
  else if (!cfg.validUnaligned && offset % size !== 0) reason = 'unaligned';
  else if (cfg.validMax !== 0 && (size > cfg.validMax || size < cfg.validMin)) {
    reason = `invalid size (min:${cfg.validMin} max:${cfg.validMax})`;
  }
  if (reason) return { result: MEMTX_DECODE_ERROR, value: 0n, calls: [], reason };
  const lo = cfg.implMin === 0 ? 1 : cfg.implMin;
  const hi = cfg.implMax === 0 ? 4 : cfg.implMax;
  const piece = Math.max(Math.min(size, hi), lo);
  const devBig = cfg.endianness === 'native' ? targetBig : cfg.endianness === 'big';
  const calls: Array<[number, number, bigint]> = [];
  if (!isWrite) {
    const bytes: number[] = [];
    for (let i = 0; i < size; i += piece) {
      const v = pieceValue(offset + i, piece);
      calls.push([offset + i, piece, v]);
      bytes.push(...bytesOf(v, piece, devBig));
    }
    return { result: MEMTX_OK, value: valueOf(bytes.slice(0, size), targetBig), calls, reason };
  }
  const bytes = bytesOf(wvalue, size, targetBig);
  while (bytes.length < Math.ceil(size / piece) * piece) bytes.push(0);
  for (let i = 0; i < size; i += piece)
    calls.push([offset + i, piece, valueOf(bytes.slice(i, i + piece), devBig)]);
  return { result: MEMTX_OK, value: 0n, calls, reason };
}

function* configs(): Generator<Cfg> {
  for (const validMin of SIZES)
    for (const validMax of SIZES)
      for (const validUnaligned of [false, true])
        for (const implMin of SIZES)
          for (const implMax of SIZES) {
            if ((implMin || 1) > (implMax || 4)) continue;
            for (const implUnaligned of validUnaligned ? [false, true] : [false])
              for (const endianness of ['little', 'big', 'native'] as const)
                yield {
                  validMin,
                  validMax,
                  validUnaligned,
                  implMin,
                  implMax,
                  implUnaligned,
                  endianness,
                  rejectWritesAt: validMin === 2 ? 0x14 : null,
                };
          }
}

function runTable(targetBig: boolean): { cases: number; failures: string[] } {
  const sys = new MemorySystem({ targetBigEndian: targetBig });
  const logs: string[] = [];
  setGuestErrorSink(sys, (_kind, msg) => logs.push(msg));
  const out = new AccessValue();
  const failures: string[] = [];
  let cases = 0;
  for (const cfg of configs()) {
    const calls: Array<[number, number, bigint]> = [];
    const ops: MemoryRegionOps = {
      read: (_r, o, s) => {
        const v = pieceValue(o, s);
        calls.push([o, s, v]);
        return Number(v);
      },
      read64: (_r, o, _a, slot) => {
        const v = pieceValue(o, 8);
        calls.push([o, 8, v]);
        slot.value64 = v;
      },
      write: (_r, o, v, s) => void calls.push([o, s, BigInt(v)]),
      write64: (_r, o, v) => void calls.push([o, 8, v]),
      endianness: cfg.endianness,
      valid: {
        minAccessSize: cfg.validMin,
        maxAccessSize: cfg.validMax,
        unaligned: cfg.validUnaligned,
        ...(cfg.rejectWritesAt !== null
          ? { accepts: (_r, o, _s, w) => !(w && o === cfg.rejectWritesAt) }
          : {}),
      },
      impl: {
        minAccessSize: cfg.implMin,
        maxAccessSize: cfg.implMax,
        unaligned: cfg.implUnaligned,
      },
    };
    const mr = createIo(sys, 'dut', 0x100, ops);
    for (const size of ACCESS_SIZES)
      for (const offset of OFFSETS)
        for (const isWrite of [false, true]) {
          cases++;
          calls.length = 0;
          logs.length = 0;
          const wvalue =
            size === 8 ? 0x8877665544332211n : BigInt(0x44332211 & (2 ** (size * 8) - 1));
          const want = model(cfg, targetBig, offset, size, isWrite, wvalue);
          const r = isWrite
            ? dispatchWrite(mr, offset, size, Number(wvalue & 0xffffffffn), wvalue, {})
            : dispatchRead(mr, offset, size, {}, out);
          const got = size === 8 ? out.value64 : BigInt(out.value);
          const gotReason = logs.length ? /reason: (.*)$/.exec(logs[0]!)![1]! : null;
          const same =
            r === want.result &&
            (isWrite || got === want.value) &&
            JSON.stringify(calls.map((c) => [c[0], c[1], c[2].toString(16)])) ===
              JSON.stringify(want.calls.map((c) => [c[0], c[1], c[2].toString(16)])) &&
            gotReason === want.reason;
          if (!same && failures.length < 10) {
            failures.push(
              `${JSON.stringify(cfg)} ${isWrite ? 'write' : 'read'} size ${size} @0x${offset.toString(16)}: ` +
                `got r=${r} v=${got.toString(16)} calls=${JSON.stringify(calls.map((c) => [c[0], c[1], c[2].toString(16)]))} reason=${gotReason}; ` +
                `want r=${want.result} v=${want.value.toString(16)} calls=${JSON.stringify(want.calls.map((c) => [c[0], c[1], c[2].toString(16)]))} reason=${want.reason}`,
            );
          }
        }
  }
  return { cases, failures };
}

describe('access table: memory_region_dispatch_read/write vs a byte-level model of QEMU rules', () => {
  test('little-endian target (little, big and native devices)', () => {
    const { cases, failures } = runTable(false);
    assert.ok(cases > 20000, `expected a full table, ran ${cases} cases`);
    assert.deepEqual(failures, []);
  });

  test('big-endian target (native devices are big-endian there)', () => {
    const { cases, failures } = runTable(true);
    assert.ok(cases > 20000);
    assert.deepEqual(failures, []);
  });
});
