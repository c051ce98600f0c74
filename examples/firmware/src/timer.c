/* timer.elf — machine timer interrupts from the CLINT on the `virt` board.
 *
 * Programs mtimecmp 1 ms (10,000 ticks of virt's 10 MHz mtime) ahead, enables MTIE and MIE and
 * sleeps in wfi. The trap handler (reached through common/start.S's trap_entry) counts the
 * interrupt and re-arms mtimecmp; after TICKS interrupts it masks the timer. main prints one
 * line per tick, so the output does not depend on how fast the host runs. Exits with 0. */
#include "board-virt.h"
#include "fw.h"

#define TICKS 5
#define INTERVAL 10000u /* mtime ticks between interrupts (1 ms at 10 MHz) */
#define MCAUSE_MACHINE_TIMER 0x80000007u
#define MIP_MTIP (1u << 7)
#define MSTATUS_MIE (1u << 3)

volatile uint32_t timer_ticks;      /* incremented by the interrupt handler */
volatile uint32_t timer_last_cause; /* mcause of the last interrupt */

static uint64_t read_mtime(void) {
  volatile uint32_t *mtime = (volatile uint32_t *)CLINT_MTIME;
  uint32_t hi, lo;
  do { /* re-read if the low word carried into the high word between the two loads */
    hi = mtime[1];
    lo = mtime[0];
  } while (mtime[1] != hi);
  return ((uint64_t)hi << 32) | lo;
}

static void write_mtimecmp(uint64_t when) {
  volatile uint32_t *cmp = (volatile uint32_t *)CLINT_MTIMECMP;
  cmp[1] = 0xffffffffu; /* no spurious interrupt while the two halves disagree */
  cmp[0] = (uint32_t)when;
  cmp[1] = (uint32_t)(when >> 32);
}

uint32_t trap_handler(uint32_t mcause, uint32_t mepc, uint32_t mtval) {
  if (mcause != MCAUSE_MACHINE_TIMER) {
    print_str("unexpected trap: mcause=");
    print_hex(mcause);
    print_str(" mtval=");
    print_hex(mtval);
    print_nl();
    board_exit(0x7e);
  }
  timer_last_cause = mcause;
  timer_ticks++;
  if (timer_ticks < TICKS) {
    write_mtimecmp(read_mtime() + INTERVAL);
  } else {
    __asm__ volatile("csrc mie, %0" ::"r"(MIP_MTIP)); /* done: mask the timer */
  }
  return mepc; /* an interrupt resumes at the interrupted instruction */
}

int main(void) {
  print_str("timer: arming CLINT mtimecmp\n");
  write_mtimecmp(read_mtime() + INTERVAL);
  __asm__ volatile("csrs mie, %0" ::"r"(MIP_MTIP));
  __asm__ volatile("csrs mstatus, %0" ::"r"(MSTATUS_MIE));

  uint32_t printed = 0;
  while (printed < TICKS) {
    /* Check-then-sleep with MIE clear, so a tick arriving between the check and wfi cannot be
     * missed: wfi still wakes for a pending enabled interrupt, which is taken once MIE is set. */
    __asm__ volatile("csrc mstatus, %0" ::"r"(MSTATUS_MIE));
    if (printed == timer_ticks) __asm__ volatile("wfi");
    __asm__ volatile("csrs mstatus, %0" ::"r"(MSTATUS_MIE));
    while (printed < timer_ticks) {
      printed++;
      print_str("tick ");
      print_udec(printed);
      print_nl();
    }
  }
  __asm__ volatile("csrc mstatus, %0" ::"r"(MSTATUS_MIE));
  print_str("mcause = ");
  print_hex(timer_last_cause);
  print_nl();
  print_str("timer: done\n");
  return timer_ticks == TICKS ? 0 : 1;
}
