/**
 * QEMU's RISC-V reset vector (hw/riscv/boot.c riscv_setup_rom_reset_vec, QEMU 7.2, RV32), as
 * `-M virt -bios none` and `-M spike -bios none` put it at 0x1000: a0 = mhartid, a1 = the device
 * tree address, a2 = the fw_dynamic_info block, then a jump to the program's entry. Captured
 * from QEMU with `xp /16wx 0x1000`. We have no device tree: a1 still holds QEMU's address for
 * it (0x87e0_0000 with 128 MiB of DRAM), but nothing is there.
 */
export const FDT_ADDRESS_128M = 0x87e0_0000;
const FW_DYNAMIC_INFO_MAGIC = 0x4942_534f; // "OSBI"
const FW_DYNAMIC_INFO_VERSION = 2;
const FW_DYNAMIC_NEXT_MODE_S = 1;

/**
 * The vector words: it jumps to `start` (QEMU with `-bios none`: the start of DRAM, whatever the
 * program's entry) and passes `nextAddress` in fw_dynamic_info (QEMU: the lowest address the
 * program loads at, riscv_load_kernel's kernel_load_base; 0 without a program).
 */
export function resetVectorWords(
  start: number,
  nextAddress = start,
  fdtAddress = FDT_ADDRESS_128M,
): Uint32Array {
  return Uint32Array.of(
    0x0000_0297, // 1: auipc t0, %pcrel_hi(fw_dyn)
    0x0282_8613, //    addi  a2, t0, %pcrel_lo(1b)
    0xf140_2573, //    csrr  a0, mhartid
    0x0202_a583, //    lw    a1, 32(t0)
    0x0182_a283, //    lw    t0, 24(t0)
    0x0002_8067, //    jr    t0
    start >>> 0, // start: .dword
    0,
    fdtAddress >>> 0, // fdt_laddr: .dword
    0,
    FW_DYNAMIC_INFO_MAGIC, // fw_dyn: struct fw_dynamic_info
    FW_DYNAMIC_INFO_VERSION,
    nextAddress >>> 0, // next_addr
    FW_DYNAMIC_NEXT_MODE_S, // next_mode
    0, // options
    0, // boot_hart
  );
}

/** The vector as little-endian bytes. */
export function resetVectorBytes(
  start: number,
  nextAddress = start,
  fdtAddress?: number,
): Uint8Array {
  const words = resetVectorWords(start, nextAddress, fdtAddress);
  const bytes = new Uint8Array(words.length * 4);
  const view = new DataView(bytes.buffer);
  words.forEach((w, i) => view.setUint32(i * 4, w, true));
  return bytes;
}
