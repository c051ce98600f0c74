// One truth for MMIO (issue 14): every register of every built-in device on `virt` reads the same
// through each path a user has — the Peripherals scope, DAP readMemory (one register, and the
// device's whole window in one read), the hex editor's boardmap/readMemoryEx, Watch
// (`evaluate` of the register's evaluateName) and the monitor's `xp`. A wide read used to take
// the device's widest access at each step, so a UART's LSR read 0 inside an 8-byte read.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { launch, startClient } from './helpers';

interface Register {
  device: string;
  name: string;
  address: number;
  width: number;
  value: number;
}

let dc: DebugClient;
const registers: Register[] = [];

before(async () => {
  dc = await startClient();
  await launch(dc); // virt + hello.elf, stopped at entry (the UART has reset values: LSR 0x60)
  const scopes = (await dc.scopesRequest({ frameId: 1 })).body.scopes;
  const peripherals = scopes.find((s) => s.name === 'Peripherals')!;
  const devices = (
    await dc.variablesRequest({ variablesReference: peripherals.variablesReference })
  ).body.variables;
  for (const device of devices) {
    const vars = (await dc.variablesRequest({ variablesReference: device.variablesReference })).body
      .variables;
    for (const v of vars) {
      const m = /^u(8|16|32) @ 0x([0-9a-f]+)$/.exec(v.type ?? '');
      if (!m || !/^0x[0-9a-f]+$/.test(v.value)) continue; // not peekable: shown as such
      registers.push({
        device: device.name,
        name: v.name,
        address: parseInt(m[2]!, 16),
        width: Number(m[1]) / 8,
        value: parseInt(v.value, 16),
      });
    }
  }
});
after(() => dc?.stop());

const le = (bytes: Uint8Array, at: number, width: number): number => {
  let v = 0;
  for (let i = width - 1; i >= 0; i--) v = v * 256 + bytes[at + i]!;
  return v;
};
const hex = (n: number) => `0x${n.toString(16)}`;

test('the Peripherals scope lists the UART, PLIC and CLINT registers with their values', () => {
  const devices = new Set(registers.map((r) => r.device));
  for (const d of ['uart0', 'plic', 'mtimer']) assert.ok(devices.has(d), `${d} in ${[...devices]}`);
  const lsr = registers.find((r) => r.device === 'uart0' && r.name === 'LSR');
  assert.equal(lsr?.value, 0x60, 'LSR: THRE | TEMT after reset');
  assert.ok(registers.length >= 20, `${registers.length} registers`);
});

test('readMemory of each register alone gives the Peripherals value', async () => {
  for (const r of registers) {
    const body = (
      await dc.customRequest('readMemory', {
        memoryReference: `memory@${hex(r.address)}`,
        count: r.width,
      })
    ).body as { data: string };
    const bytes = Buffer.from(body.data, 'base64');
    assert.equal(le(bytes, 0, r.width), r.value, `${r.device}.${r.name} @ ${hex(r.address)}`);
  }
});

test("one read of a device's whole window gives every register's value", async () => {
  const byDevice = new Map<string, Register[]>();
  for (const r of registers) byDevice.set(r.device, [...(byDevice.get(r.device) ?? []), r]);
  // One request per device, except (a) where its registers span more than a request may ask for
  // (the PLIC's context registers sit 2 MiB above its priorities): consecutive reads of the most
  // each request answers (readMemory 1 MiB, readMemoryEx 64 KiB); (b) for DAP readMemory, which
  // ends at the first unreadable byte, where the span has bytes that cannot be read (fw_cfg: a
  // write-only selector and a hole between its windows): one read per readable run.
  const chunks = async (command: string, start: number, end: number) => {
    const limit = command === 'readMemory' ? 1 << 20 : 1 << 16;
    const out: { data: Buffer; ok: boolean[] }[] = [];
    for (let at = start; at < end; at += limit) {
      const count = Math.min(limit, end - at);
      const body = (
        await dc.customRequest(command, { memoryReference: `memory@${hex(at)}`, count })
      ).body as { data: string; status?: { offset: number; length: number; status: string }[] };
      const ok = new Array<boolean>(count).fill(command === 'readMemory');
      for (const s of body.status ?? []) ok.fill(s.status === 'ok', s.offset, s.offset + s.length);
      out.push({ data: Buffer.from(body.data, 'base64'), ok });
    }
    return { data: Buffer.concat(out.map((c) => c.data)), ok: out.flatMap((c) => c.ok) };
  };
  for (const [device, regs] of byDevice) {
    const start = Math.min(...regs.map((r) => r.address));
    const end = Math.max(...regs.map((r) => r.address + r.width));
    const ex = await chunks('boardmap/readMemoryEx', start, end);
    const dap = Buffer.alloc(end - start);
    for (let at = 0; at < end - start;) {
      if (!ex.ok[at]) {
        at++;
        continue;
      }
      let runEnd = at;
      while (runEnd < end - start && ex.ok[runEnd]) runEnd++;
      (await chunks('readMemory', start + at, start + runEnd)).data.copy(dap, at);
      at = runEnd;
    }
    for (const r of regs) {
      const at = r.address - start;
      assert.equal(le(dap, at, r.width), r.value, `readMemory: ${device}.${r.name}`);
      assert.equal(le(ex.data, at, r.width), r.value, `readMemoryEx: ${device}.${r.name}`);
    }
  }
});

test('Watch (evaluate) and the monitor (xp) agree with the Peripherals value', async () => {
  const unit = { 1: 'b', 2: 'h', 4: 'w' } as const;
  for (const r of registers) {
    const cast = `*(u${r.width * 8}*)${hex(r.address)}`;
    const watch = (await dc.evaluateRequest({ expression: cast, context: 'watch' })).body.result;
    assert.equal(Number(/^0x[0-9a-f]+/.exec(watch)?.[0]), r.value, `watch ${cast} = ${watch}`);
    const xp = (
      await dc.evaluateRequest({
        expression: `xp/1x${unit[r.width as 1 | 2 | 4]} ${hex(r.address)}`,
        context: 'repl',
      })
    ).body.result;
    const shown = /:\s+(0x[0-9a-f]+)/.exec(xp)?.[1];
    assert.equal(Number(shown), r.value, `xp ${hex(r.address)}: ${xp}`);
  }
});
