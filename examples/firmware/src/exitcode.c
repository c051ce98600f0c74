/* exitcode.elf — exits with a non-zero status, for testing how runners report failure.
 *
 * Prints two lines and returns 3 from main; the start file hands that to board_exit, which
 * writes (3 << 16) | 0x3333 to the SiFive test finisher, so qemu-system-riscv32 (and
 * `boardmap run`) exit with status 3. */
#include "fw.h"

int main(void) {
  print_str("exitcode: reporting failure through the finisher\n");
  print_str("exitcode: status 3\n");
  return 3;
}
