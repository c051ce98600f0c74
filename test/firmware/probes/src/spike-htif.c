/* spike-htif-*.elf — HTIF mailboxes in the layouts QEMU 7.2's `-M spike` accepts besides the
 * riscv-tests one (tohost, fromhost 64 bytes later): HTIF_LAYOUT 1 puts both in one 16-byte
 * window (tohost, then fromhost), 2 puts fromhost 64 bytes below tohost, 3 fromhost 8 bytes
 * below tohost. QEMU maps one window from the lower to the end of the higher (htif_mm_init).
 * The firmware prints through HTIF console putchar, reads back what the host answered in
 * fromhost, and exits through tohost with status 5 (so a silent spin or a wrong exit shows). */
#include <stdint.h>

#if HTIF_LAYOUT == 1
#define MAILBOXES "tohost: .dword 0\n.size tohost, 8\nfromhost: .dword 0\n.size fromhost, 8\n"
#elif HTIF_LAYOUT == 2
#define MAILBOXES "fromhost: .dword 0\n.size fromhost, 8\n.balign 64\ntohost: .dword 0\n.size tohost, 8\n"
#else
#define MAILBOXES "fromhost: .dword 0\n.size fromhost, 8\ntohost: .dword 0\n.size tohost, 8\n"
#endif

__asm__(".pushsection .htif,\"aw\",@progbits\n"
        ".balign 64\n"
        ".global tohost\n.global fromhost\n"
        ".type tohost, @object\n.type fromhost, @object\n" MAILBOXES
        ".popsection\n");

extern volatile uint64_t tohost, fromhost;

static void send(uint32_t device, uint32_t command, uint32_t payload) {
  volatile uint32_t *to = (volatile uint32_t *)&tohost;
  while (to[0] != 0 || to[1] != 0) {
  }
  to[0] = payload;
  to[1] = (device << 24) | (command << 16);
}

static uint32_t last_answer_lo, last_answer_hi;

static void putc_(char c) {
  send(1, 1, (uint8_t)c);
  volatile uint32_t *from = (volatile uint32_t *)&fromhost;
  last_answer_lo = from[0];
  last_answer_hi = from[1];
  from[0] = 0;
  from[1] = 0;
}

static void puts_(const char *s) {
  while (*s) putc_(*s++);
}

static void hex(uint32_t v) {
  puts_("0x");
  for (int shift = 28; shift >= 0; shift -= 4) putc_("0123456789abcdef"[(v >> shift) & 15]);
}

int main(void) {
  puts_("htif layout " HTIF_NAME "\n");
  puts_("tohost ");
  hex((uint32_t)&tohost);
  puts_(" fromhost ");
  hex((uint32_t)&fromhost);
  puts_("\n");
  uint32_t lo = last_answer_lo, hi = last_answer_hi;
  puts_("answer to the last putchar: ");
  hex(hi);
  puts_(" ");
  hex(lo);
  puts_("\n");
  send(0, 0, (5u << 1) | 1u);
  for (;;) {
  }
}
