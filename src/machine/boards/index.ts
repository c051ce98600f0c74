/**
 * Built-in boards: `virt` (QEMU's riscv32 virt map) and `spike` (RAM plus HTIF). Each is board
 * text (the same as examples/<name>.board) plus a boot hook keyed by the board's `board` name,
 * so the example file and the built-in behave the same: on boards whose CPU resets into QEMU's
 * reset ROM at 0x1000, the ROM gets QEMU's reset vector jumping to the program's entry.
 */
import { SPIKE_BOARD } from './spikeText';
import { VIRT_BOARD } from './virtText';

import { FDT_ADDRESS_128M } from './resetVector';

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

/**
 * Boot ROM hooks by `board` name: where QEMU's reset vector goes on that board (`region` at
 * `address`), where it jumps (`start`: the start of DRAM, as `-bios none` sets it whatever the
 * program's entry), and the ROM blobs QEMU registers besides the program's — a program segment
 * overlapping one of them makes QEMU refuse to start ("Some ROM regions are overlapping"):
 * mrom.reset (the vector), mrom.finfo (fw_dynamic_info, 24 bytes on RV32) and the device tree
 * (`fdt`, FDT_MAX_SIZE = 1 MiB at the address riscv_load_fdt picks for 128 MiB of DRAM).
 */
export interface ResetRom {
  readonly region: string;
  readonly address: number;
  readonly start: number;
  readonly blobs: readonly {
    readonly name: string;
    readonly address: number;
    readonly size: number;
  }[];
}

const QEMU_ROM_BLOBS = [
  { name: 'mrom.reset', address: 0x1000, size: 0x28 },
  { name: 'mrom.finfo', address: 0x1028, size: 0x18 },
  { name: 'fdt', address: FDT_ADDRESS_128M, size: 0x10_0000 },
];

export const RESET_ROMS: ReadonlyMap<string, ResetRom> = new Map([
  [
    'virt',
    {
      region: 'riscv_virt_board.mrom',
      address: 0x1000,
      start: 0x8000_0000,
      blobs: QEMU_ROM_BLOBS,
    },
  ],
  [
    'spike',
    { region: 'riscv.spike.mrom', address: 0x1000, start: 0x8000_0000, blobs: QEMU_ROM_BLOBS },
  ],
]);
