/* Console and exit over HTIF (Berkeley Host-Target Interface), for the `spike` board.
 *
 * `tohost` and `fromhost` are 64-bit mailboxes found by the host through their ELF symbols
 * (tohost then fromhost, each 64-byte aligned, as in riscv-tests). A command is
 *   device << 56 | command << 48 | payload.
 *   - device 0, payload bit 0 set: exit with status payload >> 1 (so 1 = pass);
 *   - device 1, command 1: console putchar (payload low byte).
 * On RV32 the command is written low word first, then the high word: hosts (QEMU's htif.c)
 * act on the write of the high half. The host clears tohost when it has taken a command, and
 * may answer in fromhost, which we acknowledge by clearing it. */
#include "fw.h"

volatile uint64_t tohost __attribute__((section(".tohost"), aligned(64)));
volatile uint64_t fromhost __attribute__((section(".fromhost"), aligned(64)));

static void htif_send(uint32_t device, uint32_t command, uint32_t payload) {
  volatile uint32_t *to = (volatile uint32_t *)&tohost;
  volatile uint32_t *from = (volatile uint32_t *)&fromhost;
  while (to[0] != 0 || to[1] != 0) { /* previous command not yet taken */
    if (from[0] != 0 || from[1] != 0) {
      from[0] = 0;
      from[1] = 0;
    }
  }
  to[0] = payload;
  to[1] = (device << 24) | (command << 16);
}

void console_putc(char c) { htif_send(1, 1, (uint8_t)c); }

void board_exit(uint32_t status) {
  htif_send(0, 0, (status << 1) | 1u);
  for (;;) {
  }
}
