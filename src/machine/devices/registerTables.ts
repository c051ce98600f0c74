/**
 * Register descriptions of the built-in device models — names, offsets, widths, access and
 * bit fields — for the views (the debugger's Peripherals scope, the hex editor's register
 * overlay), the same way a board's declared registers reach them: as a RegisterBank exposed as
 * the device's `bank`. These banks are descriptions only: they are never mapped, and every view
 * reads and writes the registers through the address space (device peeks, device callbacks), so
 * the device models keep their own state. Bit layouts follow the datasheets QEMU models
 * (PC16550D; RISC-V PLIC and ACLINT specifications).
 */
import { RegisterBank, type FieldSpec, type RegisterSpec } from '../../engine';

const bit = (name: string, lsb: number, description: string, access?: 'ro'): FieldSpec => ({
  name,
  lsb,
  description,
  ...(access ? { access } : {}),
});

/** NS16550A: 8 registers, `1 << regShift` bytes apart, `width` bytes wide (reg-io-width). */
export function ns16550aRegisters(name: string, regShift: number, width: 1 | 2 | 4): RegisterBank {
  const at = (index: number) => index << regShift;
  const reg = (
    index: number,
    regName: string,
    fields: FieldSpec[],
    description: string,
    access: 'rw' | 'ro' = 'rw',
  ): RegisterSpec => ({ name: regName, offset: at(index), width, access, fields, description });
  return new RegisterBank(name, [
    reg(
      0,
      'RBR/THR',
      [{ name: 'DATA', lsb: 0, width: 8, description: 'received / transmitted byte' }],
      'Receiver buffer (read) / transmitter holding (write); DLL while LCR.DLAB = 1',
    ),
    reg(
      1,
      'IER',
      [
        bit('ERBFI', 0, 'received data available interrupt'),
        bit('ETBEI', 1, 'transmitter holding register empty interrupt'),
        bit('ELSI', 2, 'receiver line status interrupt'),
        bit('EDSSI', 3, 'modem status interrupt'),
      ],
      'Interrupt enable; DLM while LCR.DLAB = 1',
    ),
    reg(
      2,
      'IIR/FCR',
      [
        bit('NOINT', 0, 'IIR: 1 = no interrupt pending'),
        {
          name: 'INTID',
          lsb: 1,
          width: 3,
          description: 'IIR: highest-priority pending interrupt',
          enumValues: {
            0: 'modem status',
            1: 'THR empty',
            2: 'received data',
            3: 'line status',
            6: 'character timeout',
          },
        },
        { name: 'FIFOS', lsb: 6, width: 2, description: 'IIR: FIFOs enabled (3)' },
      ],
      'Interrupt identification (read) / FIFO control (write)',
    ),
    reg(
      3,
      'LCR',
      [
        {
          name: 'WLS',
          lsb: 0,
          width: 2,
          description: 'word length',
          enumValues: { 0: '5 bits', 1: '6 bits', 2: '7 bits', 3: '8 bits' },
        },
        bit('STB', 2, 'stop bits (1: 1.5 or 2)'),
        bit('PEN', 3, 'parity enable'),
        bit('EPS', 4, 'even parity select'),
        bit('SP', 5, 'stick parity'),
        bit('BC', 6, 'break control'),
        bit('DLAB', 7, 'divisor latch access'),
      ],
      'Line control',
    ),
    reg(
      4,
      'MCR',
      [
        bit('DTR', 0, 'data terminal ready'),
        bit('RTS', 1, 'request to send'),
        bit('OUT1', 2, 'output 1'),
        bit('OUT2', 3, 'output 2 (set at reset, as QEMU)'),
        bit('LOOP', 4, 'loopback'),
      ],
      'Modem control',
    ),
    reg(
      5,
      'LSR',
      [
        bit('DR', 0, 'data ready', 'ro'),
        bit('OE', 1, 'overrun error', 'ro'),
        bit('PE', 2, 'parity error', 'ro'),
        bit('FE', 3, 'framing error', 'ro'),
        bit('BI', 4, 'break interrupt', 'ro'),
        bit('THRE', 5, 'transmitter holding register empty', 'ro'),
        bit('TEMT', 6, 'transmitter empty', 'ro'),
        bit('FIFOERR', 7, 'error in receiver FIFO', 'ro'),
      ],
      'Line status',
      'ro',
    ),
    reg(
      6,
      'MSR',
      [
        bit('DCTS', 0, 'delta clear to send', 'ro'),
        bit('DDSR', 1, 'delta data set ready', 'ro'),
        bit('TERI', 2, 'trailing edge ring indicator', 'ro'),
        bit('DDCD', 3, 'delta data carrier detect', 'ro'),
        bit('CTS', 4, 'clear to send', 'ro'),
        bit('DSR', 5, 'data set ready', 'ro'),
        bit('RI', 6, 'ring indicator', 'ro'),
        bit('DCD', 7, 'data carrier detect', 'ro'),
      ],
      'Modem status',
      'ro',
    ),
    reg(7, 'SCR', [{ name: 'SCR', lsb: 0, width: 8, description: 'scratch byte' }], 'Scratch'),
  ]);
}

/** ACLINT MSWI: `msip<h>` per hart, bit 0 = MSIP. */
export function aclintSwiRegisters(name: string, harts: number): RegisterBank {
  return new RegisterBank(
    name,
    Array.from({ length: harts }, (_, h) => ({
      name: `msip${h}`,
      offset: 4 * h,
      width: 4 as const,
      fields: [bit('MSIP', 0, `machine software interrupt pending of hart ${h}`)],
      description: `Machine software interrupt of hart ${h}`,
    })),
  );
}

const PENDING_BASE = 0x1000;
const ENABLE_BASE = 0x2000;
const ENABLE_STRIDE = 0x80;
const CONTEXT_BASE = 0x20_0000;
const CONTEXT_STRIDE = 0x1000;

/** PLIC: priorities, pending and enable words (one field per source), threshold and claim. */
export function plicRegisters(
  name: string,
  sources: number,
  contexts: number,
  priorityBits: number,
): RegisterBank {
  const specs: RegisterSpec[] = [];
  for (let s = 1; s < sources; s++) {
    specs.push({
      name: `priority${s}`,
      offset: 4 * s,
      fields: [
        {
          name: 'PRIORITY',
          lsb: 0,
          width: priorityBits,
          description: `priority of source ${s} (0 = never)`,
        },
      ],
    });
  }
  const words = Math.ceil(sources / 32);
  const sourceBits = (word: number, access?: 'ro'): FieldSpec[] => {
    const out: FieldSpec[] = [];
    for (let b = 0; b < 32; b++) {
      const s = word * 32 + b;
      if (s === 0 || s >= sources) continue;
      out.push(bit(`S${s}`, b, `source ${s}`, access));
    }
    return out;
  };
  for (let w = 0; w < words; w++) {
    specs.push({
      name: `pending${w}`,
      offset: PENDING_BASE + 4 * w,
      access: 'ro',
      fields: sourceBits(w, 'ro'),
      description: `Pending bits of sources ${w * 32}..${w * 32 + 31}`,
    });
  }
  for (let c = 0; c < contexts; c++) {
    for (let w = 0; w < words; w++) {
      specs.push({
        name: `enable${c}.${w}`,
        offset: ENABLE_BASE + ENABLE_STRIDE * c + 4 * w,
        fields: sourceBits(w),
        description: `Context ${c}: enable bits of sources ${w * 32}..${w * 32 + 31}`,
      });
    }
  }
  const idBits = Math.max(1, Math.ceil(Math.log2(sources)));
  for (let c = 0; c < contexts; c++) {
    specs.push(
      {
        name: `threshold${c}`,
        offset: CONTEXT_BASE + CONTEXT_STRIDE * c,
        fields: [
          { name: 'THRESHOLD', lsb: 0, width: priorityBits, description: 'priority threshold' },
        ],
        description: `Context ${c}: priority threshold`,
      },
      {
        name: `claim${c}`,
        offset: CONTEXT_BASE + CONTEXT_STRIDE * c + 4,
        fields: [
          {
            name: 'ID',
            lsb: 0,
            width: idBits,
            description: 'claimed source (read) / completed source (write)',
          },
        ],
        description: `Context ${c}: claim (read) / complete (write)`,
      },
    );
  }
  return new RegisterBank(name, specs);
}
