/* selftest.elf — a self-checking test for the `virt` board.
 *
 * Runs a series of checks with known answers (base ALU, M extension including the
 * division corner cases, A extension AMOs and LR/SC, misaligned loads and stores, 64-bit
 * arithmetic through libgcc, CSRs, ecall/ebreak/illegal-instruction traps). It prints
 * "ok <n> <name>" per check and exits through the finisher with 0 when all pass; on the first
 * failure it prints "FAIL <n> <name>" and exits with status n (QEMU's exit status is then n). */
#include "fw.h"

static uint32_t checks_run;

/* `volatile` inputs keep GCC from folding the operations at compile time. */
static volatile int32_t v_neg7 = -7, v_pos3 = 3, v_zero = 0, v_min = INT32_MIN, v_m1 = -1;
static volatile uint32_t v_big = 0xfedcba98u, v_small = 0x12345678u;

static void check(const char *name, int ok) {
  checks_run++;
  if (!ok) {
    print_str("FAIL ");
    print_udec(checks_run);
    print_str(" ");
    print_str(name);
    print_nl();
    board_exit(checks_run);
  }
  print_str("ok ");
  print_udec(checks_run);
  print_str(" ");
  print_str(name);
  print_nl();
}

static void test_base(void) {
  check("add/sub", v_neg7 + v_pos3 == -4 && v_pos3 - v_neg7 == 10);
  check("shifts", (v_neg7 >> 1) == -4 && ((uint32_t)v_neg7 >> 28) == 0xf && (v_pos3 << 30) == (int32_t)0xc0000000);
  check("slt/sltu", (v_neg7 < v_pos3) && ((uint32_t)v_neg7 > (uint32_t)v_pos3));
  check("logic", (v_big & v_small) == 0x12141218u && (v_big | v_small) == 0xfefcfef8u && (v_big ^ v_small) == 0xece8ece0u);
}

static void test_m(void) {
  check("mul", v_neg7 * v_pos3 == -21 && v_big * v_small == 0x35068740u);
  int32_t mulh, mulhu, mulhsu;
  __asm__("mulh %0, %1, %2" : "=r"(mulh) : "r"(v_big), "r"(v_small));
  __asm__("mulhu %0, %1, %2" : "=r"(mulhu) : "r"(v_big), "r"(v_small));
  __asm__("mulhsu %0, %1, %2" : "=r"(mulhsu) : "r"(v_big), "r"(v_small));
  check("mulh/mulhu/mulhsu", mulh == (int32_t)0xffeb4992 && mulhu == 0x121fa00a && mulhsu == (int32_t)0xffeb4992);
  check("div/rem", v_neg7 / v_pos3 == -2 && v_neg7 % v_pos3 == -1);
  check("divu/remu", v_big / v_small == 14 && v_big % v_small == 0x08);
  int32_t q, r;
  uint32_t qu, ru;
  __asm__("div %0, %1, %2" : "=r"(q) : "r"(v_neg7), "r"(v_zero));
  __asm__("rem %0, %1, %2" : "=r"(r) : "r"(v_neg7), "r"(v_zero));
  __asm__("divu %0, %1, %2" : "=r"(qu) : "r"(v_big), "r"(v_zero));
  __asm__("remu %0, %1, %2" : "=r"(ru) : "r"(v_big), "r"(v_zero));
  check("divide by zero", q == -1 && r == -7 && qu == 0xffffffffu && ru == v_big);
  __asm__("div %0, %1, %2" : "=r"(q) : "r"(v_min), "r"(v_m1));
  __asm__("rem %0, %1, %2" : "=r"(r) : "r"(v_min), "r"(v_m1));
  check("signed overflow", q == INT32_MIN && r == 0);
}

static void test_64bit(void) {
  volatile uint64_t a = 0x0123456789abcdefull, b = 0x00000000fedcba98ull;
  check("64-bit divide (libgcc)", a / b == 0x01249249ull && a % b == 0x24efe897ull);
  check("64-bit multiply", a * b == 0xacf13578ad05ebe8ull);
}

static void test_a(void) {
  static volatile uint32_t word = 100;
  uint32_t old;
  __asm__ volatile("amoadd.w %0, %2, (%1)" : "=r"(old) : "r"(&word), "r"(5) : "memory");
  check("amoadd.w", old == 100 && word == 105);
  __asm__ volatile("amoswap.w %0, %2, (%1)" : "=r"(old) : "r"(&word), "r"(0xf0f0) : "memory");
  check("amoswap.w", old == 105 && word == 0xf0f0);
  __asm__ volatile("amoand.w %0, %2, (%1)" : "=r"(old) : "r"(&word), "r"(0xff00) : "memory");
  __asm__ volatile("amoor.w %0, %2, (%1)" : "=r"(old) : "r"(&word), "r"(0x000f) : "memory");
  __asm__ volatile("amoxor.w %0, %2, (%1)" : "=r"(old) : "r"(&word), "r"(0x0101) : "memory");
  check("amoand/amoor/amoxor", old == 0xf00f && word == 0xf10e);
  word = 0xfffffff0u; /* -16 signed */
  __asm__ volatile("amomax.w %0, %2, (%1)" : "=r"(old) : "r"(&word), "r"(3) : "memory");
  check("amomax.w", word == 3);
  __asm__ volatile("amominu.w %0, %2, (%1)" : "=r"(old) : "r"(&word), "r"(0xffffffffu) : "memory");
  __asm__ volatile("amomaxu.w %0, %2, (%1)" : "=r"(old) : "r"(&word), "r"(0x80000000u) : "memory");
  __asm__ volatile("amomin.w %0, %2, (%1)" : "=r"(old) : "r"(&word), "r"(-1) : "memory");
  check("amomin/amominu/amomaxu", word == 0x80000000u && old == 0x80000000u);
  uint32_t value, failed;
  word = 41;
  __asm__ volatile("1: lr.w %0, (%2)\n addi %0, %0, 1\n sc.w %1, %0, (%2)\n bnez %1, 1b"
                   : "=&r"(value), "=&r"(failed) : "r"(&word) : "memory");
  check("lr.w/sc.w", word == 42 && failed == 0);
}

static void test_misaligned(void) {
  static uint8_t bytes[16] __attribute__((aligned(4)));
  for (uint32_t i = 0; i < sizeof bytes; i++) bytes[i] = (uint8_t)(0x10 + i);
  volatile uint32_t *w = (volatile uint32_t *)(bytes + 1);
  volatile uint16_t *h = (volatile uint16_t *)(bytes + 3);
  volatile int16_t *sh = (volatile int16_t *)(bytes + 5);
  check("misaligned lw", *w == 0x14131211u);
  check("misaligned lhu", *h == 0x1413);
  bytes[6] = 0x80;
  check("misaligned lh (sign)", *sh == (int16_t)0x8015);
  *(volatile uint32_t *)(bytes + 7) = 0xa1b2c3d4u;
  check("misaligned sw", bytes[7] == 0xd4 && bytes[8] == 0xc3 && bytes[9] == 0xb2 && bytes[10] == 0xa1 && bytes[11] == 0x1b);
  *(volatile uint16_t *)(bytes + 13) = 0xbeef;
  check("misaligned sh", bytes[12] == 0x1c && bytes[13] == 0xef && bytes[14] == 0xbe && bytes[15] == 0x1f);
}

/* Expected traps: the handler records the cause and skips the trapping instruction
 * (2 or 4 bytes, from the low bits of its first halfword). */
static volatile uint32_t last_mcause, trap_count;

uint32_t trap_handler(uint32_t mcause, uint32_t mepc, uint32_t mtval) {
  (void)mtval;
  last_mcause = mcause;
  trap_count++;
  if (mcause & 0x80000000u) board_exit(0x7d); /* no interrupts are enabled in this test */
  uint16_t first = *(volatile uint16_t *)mepc;
  return mepc + ((first & 3) == 3 ? 4 : 2);
}

static void test_csr_and_traps(void) {
  uint32_t v;
  __asm__ volatile("csrw mscratch, %1\n csrr %0, mscratch" : "=r"(v) : "r"(0x5a5aa5a5u));
  check("mscratch", v == 0x5a5aa5a5u);
  __asm__ volatile("csrrw %0, mscratch, zero" : "=r"(v));
  check("csrrw old value", v == 0x5a5aa5a5u);
  __asm__ volatile("csrr %0, mhartid" : "=r"(v));
  check("mhartid", v == 0);
  uint32_t before, after;
  __asm__ volatile("csrr %0, minstret" : "=r"(before));
  for (volatile int i = 0; i < 10; i++) {
  }
  __asm__ volatile("csrr %0, minstret" : "=r"(after));
  check("minstret counts", after != before);
  __asm__ volatile("ecall");
  check("ecall -> mcause 11", last_mcause == 11 && trap_count == 1);
  __asm__ volatile("ebreak");
  check("ebreak -> mcause 3", last_mcause == 3 && trap_count == 2);
  __asm__ volatile(".half 0x0000"); /* c.unimp: the all-zero halfword is defined illegal */
  check("illegal (16-bit) -> mcause 2", last_mcause == 2 && trap_count == 3);
  __asm__ volatile(".word 0xc0001073"); /* csrrw x0, cycle, x0: write to a read-only CSR */
  check("illegal (32-bit) -> mcause 2", last_mcause == 2 && trap_count == 4);
  __asm__ volatile("csrr %0, 0x7ff" : "=r"(v)); /* unassigned custom CSR number */
  check("unknown CSR -> mcause 2", last_mcause == 2 && trap_count == 5);
}

static void test_fence_i(void) {
  /* Rewrite an instruction in RAM (li a0, 1 -> li a0, 2), fence.i, call it. */
  static uint32_t code[2] __attribute__((aligned(4))) = {0x00100513u /* li a0,1 */, 0x00008067u /* ret */};
  uint32_t (*fn)(void) = (uint32_t (*)(void))code;
  uint32_t first = fn();
  code[0] = 0x00200513u; /* li a0,2 */
  __asm__ volatile("fence.i" ::: "memory");
  check("fence.i self-modifying code", first == 1 && fn() == 2);
}

int main(void) {
  print_str("selftest: start\n");
  test_base();
  test_m();
  test_64bit();
  test_a();
  test_misaligned();
  test_csr_and_traps();
  test_fence_i();
  print_str("selftest: ");
  print_udec(checks_run);
  print_str(" checks passed\n");
  return 0;
}
