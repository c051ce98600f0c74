/* hello.elf — the demo firmware for the `virt` board.
 *
 * Prints a greeting and a few computed lines over the NS16550A UART, then returns 0 from main,
 * which the start file turns into a "pass" write to the SiFive test finisher.
 *
 * For debugger tests:
 *   - `main` is below; each statement in it is on its own line and calls a non-inlined
 *     function, so "step over line" moves one line at a time even at -O2.
 *   - `hello_counter` is a global the firmware stores to (once per loop iteration in main):
 *     a write data breakpoint on it fires 5 times, with values 1..5.
 */
#include "fw.h"

volatile uint32_t hello_counter; /* data-breakpoint target: written 5 times, ends at 5 */

static const char greeting[] = "Hello from Boardmap!\n";

__attribute__((noinline)) uint32_t fibonacci(uint32_t n) {
  uint32_t a = 0, b = 1;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t next = a + b;
    a = b;
    b = next;
  }
  return a;
}

__attribute__((noinline)) uint32_t sum_of_squares(uint32_t n) {
  uint32_t sum = 0;
  for (uint32_t i = 1; i <= n; i++) sum += i * i;
  return sum;
}

__attribute__((noinline)) void print_line(const char *label, uint32_t value) {
  print_str(label);
  print_udec(value);
  print_nl();
}

int main(void) {
  print_str(greeting);
  print_line("fibonacci(20) = ", fibonacci(20));
  print_line("sum of squares 1..10 = ", sum_of_squares(10));
  for (uint32_t i = 1; i <= 5; i++) {
    hello_counter = i;
    print_line("counter = ", hello_counter);
  }
  print_str("Goodbye.\n");
  return 0;
}
