/**
 * Built-in boards: `virt` (QEMU's riscv32 virt map) and `spike` (RAM plus HTIF). Each is board
 * text (the same as examples/<name>.board) plus a boot hook keyed by the board's `board` name,
 * so the example file and the built-in behave the same: on boards whose CPU resets into QEMU's
 * reset ROM at 0x1000, the ROM gets QEMU's reset vector jumping to the program's entry.
 */
import { SPIKE_BOARD } from './spikeText';
import { VIRT_BOARD } from './virtText';

export { resetVectorBytes, resetVectorWords, FDT_ADDRESS_128M } from './resetVector';

export interface BuiltinBoard {
  readonly name: string;
  /** Pseudo-uri for diagnostics (`builtin:virt.board`). */
  readonly uri: string;
  readonly text: string;
  readonly summary: string;
}

export const BUILTIN_BOARDS: readonly BuiltinBoard[] = [
  {
    name: 'virt',
    uri: 'builtin:virt.board',
    text: VIRT_BOARD,
    summary: 'QEMU riscv32 virt (-bios none): UART, CLINT, PLIC, finisher, DRAM at 0x8000_0000',
  },
  {
    name: 'spike',
    uri: 'builtin:spike.board',
    text: SPIKE_BOARD,
    summary: 'spike: DRAM at 0x8000_0000, HTIF tohost/fromhost from the ELF symbols',
  },
];

export function findBuiltinBoard(name: string): BuiltinBoard | undefined {
  return BUILTIN_BOARDS.find((b) => b.name === name);
}

/** Boot ROM hooks by `board` name: where QEMU's reset vector goes on that board. */
export const RESET_ROMS: ReadonlyMap<
  string,
  { readonly region: string; readonly address: number }
> = new Map([
  ['virt', { region: 'riscv_virt_board.mrom', address: 0x1000 }],
  ['spike', { region: 'riscv.spike.mrom', address: 0x1000 }],
]);
