/* spike-hello.elf — hello world for the `spike` board (RAM at 0x8000_0000 plus HTIF).
 *
 * Console output goes through HTIF device 1 (console), command 1 (putchar); the exit goes
 * through device 0 with payload (status << 1) | 1, the same `tohost` protocol the riscv-tests
 * use (see common/htif.c). Exits with status 0 after printing. */
#include "fw.h"

volatile uint32_t spike_counter; /* a global the firmware stores to, like hello_counter */

int main(void) {
  print_str("Hello from Boardmap on spike!\n");
  for (uint32_t i = 1; i <= 3; i++) {
    spike_counter = i * i;
    print_str("square ");
    print_udec(i);
    print_str(" = ");
    print_udec(spike_counter);
    print_nl();
  }
  print_str("spike: exiting through tohost\n");
  return 0;
}
