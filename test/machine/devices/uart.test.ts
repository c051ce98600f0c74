import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Ns16550a } from '../../../src/machine/devices';
import { Bench } from './harness';

const RBR = 0,
  THR = 0,
  IER = 1,
  IIR = 2,
  FCR = 2,
  LCR = 3,
  MCR = 4,
  LSR = 5,
  MSR = 6,
  SCR = 7;

function uart(regShift = 0): { b: Bench; dev: Ns16550a; levels: boolean[] } {
  const levels: boolean[] = [];
  let dev!: Ns16550a;
  const b = new Bench(
    (system, env) =>
      (dev = new Ns16550a(system, env, {
        id: 'uart0',
        name: 'serial',
        regShift,
        ioWidth: 1,
        setIrq: (l) => levels.push(l),
      })),
  );
  return { b, dev, levels };
}

describe('NS16550A UART', () => {
  test('reset values: LSR THRE|TEMT, IIR no interrupt, MSR DCD|DSR|CTS', () => {
    const { b } = uart();
    assert.equal(b.load(LSR), 0x60);
    assert.equal(b.load(IIR), 0x01);
    assert.equal(b.load(MSR), 0xb0);
    assert.equal(b.load(IER), 0);
    assert.equal(b.load(LCR), 0);
  });

  test('THR writes go to the output sink; DLAB switches offsets 0/1 to DLL/DLM', () => {
    const { b } = uart();
    b.store(THR, 0x48);
    b.store(THR, 0x69);
    assert.equal(b.env.output_, 'Hi');
    b.store(LCR, 0x83);
    b.store(0, 0x01); // DLL
    b.store(1, 0x02); // DLM
    assert.equal(b.env.output_, 'Hi', 'divisor latch writes do not transmit');
    assert.equal(b.load(0), 0x01);
    assert.equal(b.load(1), 0x02);
    b.store(LCR, 0x03);
    assert.equal(b.load(IER), 0, 'IER unchanged by DLM writes');
    b.store(SCR, 0x5a);
    assert.equal(b.load(SCR), 0x5a);
  });

  test('receive: host input sets LSR.DR, RBR pops in order, RDA interrupt follows IER', () => {
    const { b, dev, levels } = uart();
    dev.input([0x61, 0x62]);
    assert.equal(b.load(LSR) & 1, 1);
    assert.deepEqual(levels, [], 'no interrupt while IER is 0');
    b.store(IER, 0x01);
    assert.deepEqual(levels, [true]);
    assert.equal(b.load(IIR) & 0x0f, 0x04, 'received data available');
    assert.equal(b.peek(RBR), 0x61, 'a peek does not consume');
    assert.equal(b.load(RBR), 0x61);
    assert.equal(b.load(RBR), 0x62);
    assert.equal(b.load(LSR) & 1, 0);
    assert.deepEqual(levels, [true, false]);
    assert.equal(b.load(IIR), 0x01);
  });

  test('THR-empty interrupt: raised by enabling ETBEI and by a transmit, cleared by reading IIR', () => {
    const { b, levels } = uart();
    b.store(IER, 0x02);
    assert.deepEqual(levels, [true]);
    assert.equal(b.peek(IIR) & 0x0f, 0x02, 'a peek of IIR does not clear it');
    assert.equal(b.load(IIR) & 0x0f, 0x02);
    assert.deepEqual(levels, [true, false]);
    b.store(THR, 0x41);
    assert.deepEqual(levels, [true, false, true]);
    b.store(IER, 0);
    assert.deepEqual(levels, [true, false, true, false]);
  });

  test('interrupt priority: receive line status over received data over THR empty', () => {
    const { b, dev } = uart();
    b.store(IER, 0x07);
    assert.equal(b.load(IIR) & 0x0f, 0x02);
    b.store(THR, 0x41); // THRE pending again
    dev.input([1]);
    assert.equal(b.load(IIR) & 0x0f, 0x04, 'RDA before THRE');
    dev.input([2]); // no FIFO: depth 1, so this overruns
    assert.equal(b.load(IIR) & 0x0f, 0x06, 'line status first');
    assert.equal(b.load(LSR) & 0x02, 0x02, 'overrun error bit');
    assert.equal(b.load(LSR) & 0x02, 0, 'reading LSR clears it');
  });

  test('FCR enables the FIFO (IIR bits 7:6) and clears the receive queue', () => {
    const { b, dev } = uart();
    b.store(FCR, 0x01);
    assert.equal(b.load(IIR) & 0xc0, 0xc0);
    dev.input([1, 2, 3]);
    assert.equal(dev.pendingInput, 3);
    b.store(FCR, 0x03);
    assert.equal(dev.pendingInput, 0);
    assert.equal(b.load(LSR) & 1, 0);
  });

  test('loopback (MCR bit 4) returns transmitted bytes to the receiver', () => {
    const { b } = uart();
    b.store(MCR, 0x10);
    b.store(THR, 0x7a);
    assert.equal(b.env.output_, '');
    assert.equal(b.load(RBR), 0x7a);
  });

  test('reg-shift 2 spreads registers 4 bytes apart; trace names registers', () => {
    const { b } = uart(2);
    b.env.traced = [];
    b.store(0, 0x41, 4);
    assert.equal(b.load(LSR * 4, 4), 0x60);
    assert.equal(b.env.output_, 'A');
    assert.deepEqual(
      b.env.traced.map((t) => [t.register, t.isWrite, t.value, t.region]),
      [
        ['RBR/THR', true, 0x41, 'serial'],
        ['LSR', false, 0x60, 'serial'],
      ],
    );
  });
});
