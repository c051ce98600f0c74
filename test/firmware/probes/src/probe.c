#include "probe.h"

volatile uint32_t trap_count, trap_cause, trap_tval;

uint32_t trap_handler(uint32_t mcause, uint32_t mepc, uint32_t mtval) {
  trap_count++;
  trap_cause = mcause;
  trap_tval = mtval;
  if (mcause & 0x80000000u) {
    /* An interrupt: mask every source and resume where it hit. */
    __asm__ volatile("csrw mie, zero");
    return mepc;
  }
  uint16_t parcel = *(volatile uint16_t *)mepc;
  return mepc + ((parcel & 3u) == 3u ? 4u : 2u);
}

void show(const char *name, uint32_t value) {
  print_str(name);
  print_str(": ");
  print_hex(value);
  print_nl();
}

void report(const char *name, uint32_t value) {
  print_str(name);
  if (trap_count != 0) {
    print_str(": trap ");
    print_udec(trap_cause);
    print_str(" ");
    print_hex(trap_tval);
  } else {
    print_str(": ok ");
    print_hex(value);
  }
  print_nl();
}

void report_at(const char *insn, uint32_t addr, uint32_t value) {
  print_str(insn);
  print_str(" ");
  print_hex(addr);
  report("", value);
}
