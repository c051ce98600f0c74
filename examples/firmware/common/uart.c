/* Console on an NS16550A UART at 0x1000_0000 (virt and remap boards) and exit through the
 * SiFive test finisher at 0x10_0000. */
#include "board-virt.h"
#include "fw.h"

#define UART_THR 0 /* transmit holding register (write) */
#define UART_LSR 5 /* line status register */
#define LSR_THRE 0x20 /* transmit holding register empty */

#define FINISHER_PASS 0x5555u
#define FINISHER_FAIL 0x3333u /* (code << 16) | FAIL: QEMU exits with status `code` */

void console_putc(char c) {
  volatile uint8_t *uart = (volatile uint8_t *)UART0_BASE;
  while ((uart[UART_LSR] & LSR_THRE) == 0) {
  }
  uart[UART_THR] = (uint8_t)c;
}

void board_exit(uint32_t status) {
  volatile uint32_t *finisher = (volatile uint32_t *)FINISHER_BASE;
  *finisher = status == 0 ? FINISHER_PASS : ((status << 16) | FINISHER_FAIL);
  for (;;) __asm__ volatile("wfi");
}
