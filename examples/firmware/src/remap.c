/* remap.elf — the memory-remap demo for the `remap` board (a small MCU; see README.md):
 *   boot ROM 64 KiB at 0x0000_0000, SRAM 64 KiB at 0x2000_0000, NS16550A UART at 0x1000_0000,
 *   SiFive test finisher at 0x0010_0000, system controller at 0x4000_0000 whose REMAP register
 *   (offset 0x04) maps, while bit 0 is 1, an alias of SRAM over address 0 with priority 1,
 *   hiding the boot ROM; writing 0 removes the alias again.
 *
 * Linked to run from ROM; common/remap-start.S copies the payload to SRAM and runs main there.
 * main reads address 0 before and after REMAP=1 (ROM's first instruction, then the SRAM
 * signature), writes through the alias and reads the write back from SRAM, restores REMAP=0,
 * and exits through the finisher: 0 if every observation matched, else the failing step. */
#include "fw.h"

#define SYSCTL_BASE 0x40000000u
#define SYSCTL_REMAP (SYSCTL_BASE + 0x04u)
#define SRAM_BASE 0x20000000u
#define SRAM_SIGNATURE 0x5352414du /* first word of SRAM, put there by common/remap.ld */

/* Plain pointer reads of address 0 are undefined in C; inline asm says exactly "lw from here". */
static uint32_t read_word(uint32_t address) {
  uint32_t value;
  __asm__ volatile("lw %0, 0(%1)" : "=r"(value) : "r"(address) : "memory");
  return value;
}

static void write_word(uint32_t address, uint32_t value) {
  __asm__ volatile("sw %0, 0(%1)" ::"r"(value), "r"(address) : "memory");
}

static void show(const char *label, uint32_t address, uint32_t value) {
  print_str(label);
  print_str("[");
  print_hex(address);
  print_str("] = ");
  print_hex(value);
  print_nl();
}

static void expect(int ok, uint32_t step) {
  if (!ok) {
    print_str("remap: FAIL at step ");
    print_udec(step);
    print_nl();
    board_exit(step);
  }
}

int main(void) {
  print_str("remap: payload copied from boot ROM, running in SRAM\n");
  uint32_t rom_word = read_word(0);
  show("before REMAP: ", 0, rom_word);
  expect(rom_word != SRAM_SIGNATURE, 1);

  write_word(SYSCTL_REMAP, 1);
  print_str("REMAP <- 1, reads back ");
  print_hex(read_word(SYSCTL_REMAP));
  print_nl();
  expect(read_word(SYSCTL_REMAP) == 1, 2);

  uint32_t alias_word = read_word(0);
  show("after REMAP:  ", 0, alias_word);
  expect(alias_word == SRAM_SIGNATURE, 3);

  write_word(4, 0xcafef00du); /* through the alias: lands in SRAM's scratch word */
  show("alias write:  ", SRAM_BASE + 4, read_word(SRAM_BASE + 4));
  expect(read_word(SRAM_BASE + 4) == 0xcafef00du, 4);

  write_word(SYSCTL_REMAP, 0);
  uint32_t restored = read_word(0);
  show("REMAP <- 0:   ", 0, restored);
  expect(restored == rom_word, 5);

  print_str("remap: OK\n");
  return 0;
}
