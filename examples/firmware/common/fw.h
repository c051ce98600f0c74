/* Small freestanding runtime shared by the example firmware: console output over a UART (or
 * HTIF on spike), number printing and the exit path. No libc: every firmware links only
 * the common C files, its own source and libgcc. */
#ifndef FW_H
#define FW_H

#include <stdint.h>

/* Provided by the board's console file (uart.c for virt/remap, htif.c for spike). */
void console_putc(char c);
/* Never returns: reports `status` (0 = pass) to the board's exit device. */
void __attribute__((noreturn)) board_exit(uint32_t status);

void print_str(const char *s);
void print_dec(int32_t value);
void print_udec(uint32_t value);
void print_hex(uint32_t value); /* always "0x" + 8 digits */
void print_nl(void);

/* Trap hook: called by the start file's trap entry with the trap CSRs; returns the mepc to
 * resume at. The default (weak) one prints the trap and exits with status 0x7f. */
uint32_t trap_handler(uint32_t mcause, uint32_t mepc, uint32_t mtval);

static inline uint32_t read_csr_mcycle(void) {
  uint32_t v;
  __asm__ volatile("csrr %0, mcycle" : "=r"(v));
  return v;
}

#endif
