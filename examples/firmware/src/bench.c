/* bench.elf / bench-small.elf — a CPU-bound benchmark for the `virt` board.
 *
 * Each iteration runs six integer kernels: bitwise CRC-32 over 1 KiB, a sieve of Eratosthenes
 * to 8192, a 16x16 integer matrix multiply, insertion sort of 256 values, recursive fib(15)
 * and a 4 KiB byte copy/compare. Every kernel's result is folded into a checksum, printed at the
 * end (so the same number on QEMU and on our machine means the same computation). The inputs
 * change per iteration so no kernel can be hoisted out of the loop.
 * BENCH_ITERATIONS is set by the Makefile: 1000 for bench.elf, 20 for bench-small.elf.
 * BENCH_PRINT_INSTRET (only for `make count`, never in the committed ELFs) also prints minstret,
 * which is an exact instruction count under QEMU's -icount shift=0. */
#include "fw.h"

#ifndef BENCH_ITERATIONS
#define BENCH_ITERATIONS 1000
#endif

#define CRC_BYTES 1024
#define SIEVE_LIMIT 8192
#define MAT_N 16
#define SORT_N 256
#define COPY_BYTES 4096

static uint8_t crc_data[CRC_BYTES];
static uint8_t sieve_flags[SIEVE_LIMIT];
static int32_t mat_a[MAT_N][MAT_N], mat_b[MAT_N][MAT_N], mat_c[MAT_N][MAT_N];
static int32_t sort_data[SORT_N];
static uint8_t copy_src[COPY_BYTES], copy_dst[COPY_BYTES];

static uint32_t lcg_state = 12345;
static uint32_t next_random(void) {
  lcg_state = lcg_state * 1103515245u + 12345u;
  return lcg_state >> 8;
}

__attribute__((noinline)) static uint32_t crc32(const uint8_t *data, uint32_t length) {
  uint32_t crc = 0xffffffffu;
  for (uint32_t i = 0; i < length; i++) {
    crc ^= data[i];
    for (int bit = 0; bit < 8; bit++) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

__attribute__((noinline)) static uint32_t sieve(void) {
  uint32_t primes = 0;
  for (uint32_t i = 0; i < SIEVE_LIMIT; i++) sieve_flags[i] = 1;
  for (uint32_t i = 2; i < SIEVE_LIMIT; i++) {
    if (!sieve_flags[i]) continue;
    primes++;
    for (uint32_t j = i + i; j < SIEVE_LIMIT; j += i) sieve_flags[j] = 0;
  }
  return primes;
}

__attribute__((noinline)) static uint32_t matrix_multiply(void) {
  uint32_t trace = 0;
  for (int i = 0; i < MAT_N; i++)
    for (int j = 0; j < MAT_N; j++) {
      int32_t sum = 0;
      for (int k = 0; k < MAT_N; k++) sum += mat_a[i][k] * mat_b[k][j];
      mat_c[i][j] = sum;
    }
  for (int i = 0; i < MAT_N; i++) trace += (uint32_t)mat_c[i][i] ^ (uint32_t)mat_c[i][MAT_N - 1 - i];
  return trace;
}

__attribute__((noinline)) static uint32_t insertion_sort(void) {
  for (int i = 1; i < SORT_N; i++) {
    int32_t key = sort_data[i];
    int j = i - 1;
    while (j >= 0 && sort_data[j] > key) {
      sort_data[j + 1] = sort_data[j];
      j--;
    }
    sort_data[j + 1] = key;
  }
  return (uint32_t)sort_data[0] + (uint32_t)sort_data[SORT_N / 2] * 3u + (uint32_t)sort_data[SORT_N - 1] * 7u;
}

__attribute__((noinline)) static uint32_t fib(uint32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

__attribute__((noinline)) static uint32_t copy_compare(uint32_t seed) {
  for (uint32_t i = 0; i < COPY_BYTES; i++) copy_src[i] = (uint8_t)(i * 7u + seed);
  for (uint32_t i = 0; i < COPY_BYTES; i++) copy_dst[i] = copy_src[i];
  uint32_t same = 0;
  for (uint32_t i = 0; i < COPY_BYTES; i++) same += copy_dst[i] == copy_src[i];
  return same + copy_dst[seed % COPY_BYTES];
}

static uint32_t rotate_mix(uint32_t checksum, uint32_t value) {
  return ((checksum << 5) | (checksum >> 27)) ^ value;
}

int main(void) {
  uint32_t checksum = 0;
  print_str("bench: ");
  print_udec(BENCH_ITERATIONS);
  print_str(" iterations\n");
  for (uint32_t iter = 0; iter < BENCH_ITERATIONS; iter++) {
    for (uint32_t i = 0; i < CRC_BYTES; i++) crc_data[i] = (uint8_t)next_random();
    for (int i = 0; i < MAT_N; i++)
      for (int j = 0; j < MAT_N; j++) {
        mat_a[i][j] = (int32_t)(next_random() & 0xff) - 128;
        mat_b[i][j] = (int32_t)(next_random() & 0xff) - 128;
      }
    for (int i = 0; i < SORT_N; i++) sort_data[i] = (int32_t)next_random() - 0x400000;
    checksum = rotate_mix(checksum, crc32(crc_data, CRC_BYTES));
    checksum = rotate_mix(checksum, sieve());
    checksum = rotate_mix(checksum, matrix_multiply());
    checksum = rotate_mix(checksum, insertion_sort());
    checksum = rotate_mix(checksum, fib(15));
    checksum = rotate_mix(checksum, copy_compare(iter));
  }
  print_str("bench: checksum ");
  print_hex(checksum);
  print_nl();
#ifdef BENCH_PRINT_INSTRET
  uint32_t lo, hi;
  __asm__ volatile("csrr %0, minstret\n csrr %1, minstreth" : "=r"(lo), "=r"(hi));
  print_str("bench: minstret ");
  print_hex(hi);
  print_str(" ");
  print_hex(lo);
  print_nl();
#endif
  return 0;
}
