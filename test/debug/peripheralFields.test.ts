/**
 * Built-in devices' registers carry their bit fields to the views, as board-declared registers
 * do: the Peripherals scope shows UART LSR.DR/THRE/TEMT, IER, LCR and MCR bits, PLIC priority,
 * pending, enable, threshold and claim fields, the ACLINT MSWI's MSIP; `boardmap/registerInfo`
 * (the hex editor's register overlay) gives the same fields. Values are peeked through the
 * address space (no side effects), stopped on entry of hello.elf on virt.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { launch, startClient } from './helpers';

async function children(dc: DebugClient, ref: number): Promise<DebugProtocol.Variable[]> {
  return (await dc.variablesRequest({ variablesReference: ref })).body.variables;
}

async function device(dc: DebugClient, name: string): Promise<DebugProtocol.Variable[]> {
  const { scopes } = (await dc.scopesRequest({ frameId: 1 })).body;
  const peripherals = await children(
    dc,
    scopes.find((s) => s.name === 'Peripherals')!.variablesReference,
  );
  const d = peripherals.find((p) => p.name === name);
  assert.ok(d, `no peripheral ${name}: ${peripherals.map((p) => p.name).join(', ')}`);
  return children(dc, d.variablesReference);
}

async function fields(
  dc: DebugClient,
  register: DebugProtocol.Variable | undefined,
): Promise<[string, string][]> {
  assert.ok(register, 'register listed');
  assert.ok(register.variablesReference > 0, `${register.name} has fields`);
  return (await children(dc, register.variablesReference)).map((f) => [f.name, f.value]);
}

describe('Peripherals: built-in devices show their registers with fields', () => {
  let dc: DebugClient;
  before(async () => {
    dc = await startClient();
    await launch(dc);
  });
  after(() => dc.stop());

  test('UART: LSR DR/THRE/TEMT, IER bits, LCR, MCR (OUT2 at reset), read-only LSR/MSR', async () => {
    const regs = await device(dc, 'uart0');
    assert.deepEqual(
      regs.map((r) => r.name),
      ['RBR/THR', 'IER', 'IIR/FCR', 'LCR', 'MCR', 'LSR', 'MSR', 'SCR'],
    );
    const lsr = regs.find((r) => r.name === 'LSR');
    assert.deepEqual(await fields(dc, lsr), [
      ['DR', '0'],
      ['OE', '0'],
      ['PE', '0'],
      ['FE', '0'],
      ['BI', '0'],
      ['THRE', '1'],
      ['TEMT', '1'],
      ['FIFOERR', '0'],
    ]);
    assert.deepEqual(lsr!.presentationHint?.attributes, ['readOnly']);
    assert.equal(lsr!.memoryReference, 'memory@0x10000005');
    assert.deepEqual(
      (
        await fields(
          dc,
          regs.find((r) => r.name === 'IER'),
        )
      ).map(([n]) => n),
      ['ERBFI', 'ETBEI', 'ELSI', 'EDSSI'],
    );
    assert.deepEqual(
      await fields(
        dc,
        regs.find((r) => r.name === 'MCR'),
      ),
      [
        ['DTR', '0'],
        ['RTS', '0'],
        ['OUT1', '0'],
        ['OUT2', '1'],
        ['LOOP', '0'],
      ],
    );
    const lcr = await fields(
      dc,
      regs.find((r) => r.name === 'LCR'),
    );
    assert.deepEqual(lcr[0], ['WLS', '0 (5 bits)']);
    assert.deepEqual(lcr[6], ['DLAB', '0']);
    assert.deepEqual(
      (
        await fields(
          dc,
          regs.find((r) => r.name === 'MSR'),
        )
      ).filter(([, v]) => v === '1'),
      [
        ['CTS', '1'],
        ['DSR', '1'],
        ['DCD', '1'],
      ],
    );
  });

  test('a field written through the scope reaches the device (IER.ETBEI)', async () => {
    const regs = await device(dc, 'uart0');
    const ier = regs.find((r) => r.name === 'IER')!;
    const set = await dc.setVariableRequest({
      variablesReference: ier.variablesReference,
      name: 'ETBEI',
      value: '1',
    });
    assert.equal(set.body.value, '1');
    const read = await dc.evaluateRequest({ expression: '*(u8*)0x10000001', context: 'watch' });
    assert.match(read.body.result, /^0x2\b/);
    await dc.setVariableRequest({
      variablesReference: ier.variablesReference,
      name: 'ETBEI',
      value: '0',
    });
  });

  test('PLIC: priority, pending, enable, threshold and claim fields; MSWI: msip0.MSIP', async () => {
    const plic = await device(dc, 'plic');
    assert.deepEqual(
      await fields(
        dc,
        plic.find((r) => r.name === 'priority10'),
      ),
      [['PRIORITY', '0']],
    );
    const pending = await fields(
      dc,
      plic.find((r) => r.name === 'pending0'),
    );
    assert.equal(pending.length, 31, 'sources 1..31 (source 0 is reserved)');
    // the previous test's IER.ETBEI raised the UART's THRE interrupt: source 10 pended (and
    // stays pending after the line drops, until claimed, as in QEMU's sifive_plic)
    assert.deepEqual(pending[9], ['S10', '1']);
    assert.deepEqual(pending[10], ['S11', '0']);
    assert.equal(
      (
        await fields(
          dc,
          plic.find((r) => r.name === 'enable0.2'),
        )
      ).length,
      32,
    );
    assert.deepEqual(
      await fields(
        dc,
        plic.find((r) => r.name === 'threshold1'),
      ),
      [['THRESHOLD', '0']],
    );
    assert.deepEqual(
      await fields(
        dc,
        plic.find((r) => r.name === 'claim0'),
      ),
      [['ID', '0']],
    );
    const mswi = await device(dc, 'mswi');
    assert.deepEqual(
      await fields(
        dc,
        mswi.find((r) => r.name === 'msip0'),
      ),
      [['MSIP', '0']],
    );
  });

  test('registerInfo (the hex editor overlay) gives the same fields', async () => {
    const r = (await dc.customRequest('boardmap/registerInfo', {
      memoryReference: 'memory@0x10000000',
      count: 8,
    })) as DebugProtocol.Response;
    const info = r.body as {
      registers: {
        name: string;
        address: string;
        fields?: { name: string; lsb: number; msb: number }[];
      }[];
    };
    const lsr = info.registers.find((x) => x.name === 'LSR')!;
    assert.equal(lsr.address, '0x10000005');
    assert.deepEqual(
      lsr.fields?.map((f) => [f.name, f.lsb, f.msb]),
      [
        ['DR', 0, 0],
        ['OE', 1, 1],
        ['PE', 2, 2],
        ['FE', 3, 3],
        ['BI', 4, 4],
        ['THRE', 5, 5],
        ['TEMT', 6, 6],
        ['FIFOERR', 7, 7],
      ],
    );
  });
});
