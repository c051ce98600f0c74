/* Number and string output on top of console_putc; no libc, no stdio. */
#include "fw.h"

void print_str(const char *s) {
  while (*s) {
    if (*s == '\n') console_putc('\r');
    console_putc(*s++);
  }
}

void print_nl(void) { print_str("\n"); }

void print_udec(uint32_t value) {
  char buf[11];
  int i = 0;
  do {
    buf[i++] = (char)('0' + value % 10u);
    value /= 10u;
  } while (value != 0);
  while (i > 0) console_putc(buf[--i]);
}

void print_dec(int32_t value) {
  if (value < 0) {
    console_putc('-');
    print_udec(0u - (uint32_t)value);
  } else {
    print_udec((uint32_t)value);
  }
}

void print_hex(uint32_t value) {
  static const char digits[] = "0123456789abcdef";
  console_putc('0');
  console_putc('x');
  for (int shift = 28; shift >= 0; shift -= 4) console_putc(digits[(value >> shift) & 0xf]);
}

/* Default trap handler: any trap a firmware did not expect is a failure. */
uint32_t __attribute__((weak)) trap_handler(uint32_t mcause, uint32_t mepc, uint32_t mtval) {
  print_str("unexpected trap: mcause=");
  print_hex(mcause);
  print_str(" mepc=");
  print_hex(mepc);
  print_str(" mtval=");
  print_hex(mtval);
  print_nl();
  board_exit(0x7f);
}
