/* Oracle program for the debug-info reader: anonymous members, arrays of function pointers,
 * 2-D char arrays, repeated structs, negative enums, 64-bit integers and soft-float doubles
 * (rv32imac has no FPU: doubles live in register pairs and memory). */
#include "fw.h"

#define KEEP __attribute__((used, retain))

struct vec {
  double x;
  double y;
};

struct tagged {
  int kind;
  union {
    struct {
      short lo;
      short hi;
    };
    unsigned int word;
  };
  struct {
    unsigned char r, g, b;
  } color;
};

typedef int (*op_fn)(int, int);
enum sign { NEG = -1, ZERO, POS };

__attribute__((noinline)) static int add(int a, int b) { return a + b; }
__attribute__((noinline)) static int sub(int a, int b) { return a - b; }

KEEP op_fn g_ops[3] = {add, sub, 0};
KEEP char g_names[3][8] = {"alpha", "be", ""};
KEEP struct vec g_path[12];
KEEP struct tagged g_tag = {.kind = 2, .lo = -3, .hi = 4, .color = {1, 2, 3}};
KEEP signed char g_deltas[5] = {-1, 2, -3, 4, 0};
KEEP long long g_wide[2] = {-1LL, 0x123456789abcdefLL};
KEEP enum sign g_sign = NEG;
KEEP float g_half = 0.5f;

__attribute__((noinline)) double length2(struct vec v, double scale) {
  double sq = v.x * v.x + v.y * v.y;
  long long big = (long long)(sq * 1000);
  g_wide[0] += big;
  return sq * scale;
}

int main(void) {
  struct vec v = {3.0, 4.0};
  double r = length2(v, 0.5);
  g_path[3].x = r;
  int acc = 0;
  for (int i = 0; i < 2; i++) acc += g_ops[i](acc + 5, i);
  g_tag.word ^= (unsigned)acc;
  print_str("extras done\n");
  return 0;
}
