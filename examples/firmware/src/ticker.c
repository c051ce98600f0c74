/* ticker.elf — a firmware that never exits, for watching memory change while the machine runs.
 *
 * main increments the global `ticker_count` forever, with a busy delay of about 100,000
 * instructions between increments: 1 ms of emulated time on Boardmap's virt board (mtime is
 * derived from the instruction count at 100 MIPS), so about 1,000 increments per emulated second.
 * Every TICKS_PER_LINE increments it prints `ticker: <count>` over the UART, so the console stays
 * quiet. It never returns: `make run-qemu` and `make expected` leave it out. */
#include "fw.h"

#define DELAY_ITERATIONS 50000u /* two instructions each (addi + bne) */
#define TICKS_PER_LINE 10000u

volatile uint32_t ticker_count; /* the live counter: incremented once per delay */

__attribute__((noinline)) static void busy_delay(uint32_t iterations) {
  /* The empty asm keeps GCC from deleting the loop. */
  for (uint32_t i = 0; i < iterations; i++) __asm__ volatile("");
}

int main(void) {
  print_str("ticker: counting in ticker_count\n");
  for (;;) {
    busy_delay(DELAY_ITERATIONS);
    uint32_t count = ticker_count + 1;
    ticker_count = count;
    if (count % TICKS_PER_LINE == 0) {
      print_str("ticker: ");
      print_udec(count);
      print_nl();
    }
  }
}
