/* Oracle program for the debug-info reader: a ring buffer, recursion, statics and inlining. */
#include "fw.h"

#define RING_SIZE 8

struct ring {
  uint8_t buf[RING_SIZE];
  volatile uint32_t head;
  volatile uint32_t tail;
  uint32_t dropped;
};

static struct ring rx_ring;
static uint32_t push_calls;
uint32_t checksum;

static inline uint32_t ring_next(uint32_t index) { return (index + 1) % RING_SIZE; }

static inline int ring_push(struct ring *r, uint8_t byte) {
  uint32_t next = ring_next(r->head);
  if (next == r->tail) {
    r->dropped++;
    return 0;
  }
  r->buf[r->head] = byte;
  r->head = next;
  push_calls++;
  return 1;
}

__attribute__((noinline)) int ring_pop(struct ring *r, uint8_t *out) {
  if (r->head == r->tail) return 0;
  *out = r->buf[r->tail];
  r->tail = ring_next(r->tail);
  return 1;
}

__attribute__((noinline)) uint32_t factorial(uint32_t n) {
  static uint32_t depth;
  depth++;
  if (n <= 1) {
    checksum += depth;
    return 1;
  }
  uint32_t below = factorial(n - 1);
  return n * below;
}

__attribute__((noinline)) void fill(struct ring *r, const char *text) {
  for (const char *p = text; *p; p++) {
    uint8_t byte = (uint8_t)*p;
    if (!ring_push(r, byte)) break;
  }
}

__attribute__((noinline)) uint32_t drain(struct ring *r) {
  uint32_t sum = 0;
  uint8_t byte;
  while (ring_pop(r, &byte)) {
    uint32_t weighted = byte * (sum + 1);
    sum += weighted & 0xff;
  }
  return sum;
}

/* Inlined with a pointer to the caller's local: at -O2 `counter` becomes DW_OP_implicit_pointer
 * (gdb: <synthetic pointer>), and *counter is the caller's variable. */
static inline void bump(uint32_t *counter, uint32_t by) {
  *counter += by;
  checksum ^= *counter;
}

/* At -O2, `seed` is dead after the call: its location becomes DW_OP_entry_value(a0), which a
 * debugger answers from the caller's DW_TAG_call_site parameter. */
__attribute__((noipa)) uint32_t mix(uint32_t seed, uint32_t salt) {
  uint32_t first = factorial(seed & 3);
  checksum += salt;
  uint32_t local = salt * 3;
  bump(&local, seed);
  return first + local;
}

int main(void) {
  fill(&rx_ring, "boardmap!");
  checksum += drain(&rx_ring);
  checksum += mix(5, checksum & 0xf);
  for (uint32_t i = 0; i < 3; i++) {
    uint32_t f = factorial(4 + i);
    checksum ^= f;
  }
  print_str("ring done\n");
  return checksum == 0;
}
