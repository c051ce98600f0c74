/* Oracle program for the debug-info reader: globals and locals of every kind of C type. */
#include "fw.h"

/* Keeps every global in the ELF despite -Wl,--gc-sections, so gdb and our reader see them. */
#define KEEP __attribute__((used, retain))

typedef unsigned int u32_t;
typedef u32_t counter_t;

enum color { RED, GREEN = 5, BLUE };
enum flags { F_READ = 1, F_WRITE = 2, F_EXEC = 4 };

struct point {
  int x;
  int y;
};

struct reg_bits {
  unsigned int enable : 1;
  unsigned int mode : 3;
  signed int delta : 5;
  unsigned int : 3;
  unsigned int high : 20;
};

union word {
  uint32_t u;
  int16_t half[2];
  uint8_t bytes[4];
  float f;
};

struct shape {
  const char *name;
  enum color color;
  struct point corners[3];
  union word tag;
  struct reg_bits bits;
  int (*area)(const struct shape *);
  struct shape *next;
  char label[12];
  volatile unsigned char status;
  _Bool visible;
};

struct packet {
  uint16_t length;
  uint8_t payload[];
};

struct samples {
  uint32_t count;
  int16_t values[];
};

KEEP signed char g_schar = -5;
KEEP unsigned char g_uchar = 200;
KEEP char g_char = 'A';
KEEP short g_short = -1234;
KEEP unsigned short g_ushort = 54321;
KEEP int g_int = -123456;
KEEP unsigned int g_uint = 4000000000u;
KEEP long g_long = -7;
KEEP unsigned long g_ulong = 7;
KEEP long long g_llong = -1234567890123LL;
KEEP unsigned long long g_ullong = 0xfedcba9876543210ULL;
KEEP float g_float = 3.14159f;
KEEP double g_double = -2.718281828459045;
KEEP _Bool g_bool = 1;
KEEP const int g_const = 42;
KEEP volatile int g_volatile = 9;
KEEP counter_t g_counter = 17;
KEEP int *g_null;
KEEP int g_matrix[3][4] = {{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}};
KEEP char g_message[32] = "hello, \"world\"\n";
KEEP char g_tabs[6] = "a\tb\001";
KEEP uint8_t g_zeros[40];
KEEP int g_repeats[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 3, 3, 3};
KEEP enum color g_color = BLUE;
KEEP enum color g_bad_color = (enum color)3;
KEEP enum flags g_flags = F_READ | F_EXEC;
KEEP union word g_word = {.u = 0x3fc00000};
KEEP struct reg_bits g_bits = {.enable = 1, .mode = 5, .delta = -3, .high = 0xabcde};
KEEP static int s_file_static = 99;
KEEP const char *g_greeting = "hi there";
KEEP int *g_int_ptr = &g_matrix[1][2];
KEEP int (*g_row_ptr)[4] = &g_matrix[2];
KEEP uint32_t g_packet_storage[2] = {0x00020003, 0};
KEEP struct packet *g_packet = (struct packet *)g_packet_storage;
KEEP struct samples *g_samples = (struct samples *)g_packet_storage;
extern int g_table[];
KEEP int g_table[3] = {7, 8, 9};

__attribute__((noinline)) int triangle_area(const struct shape *s) {
  int ax = s->corners[1].x - s->corners[0].x;
  int ay = s->corners[1].y - s->corners[0].y;
  int bx = s->corners[2].x - s->corners[0].x;
  int by = s->corners[2].y - s->corners[0].y;
  int cross = ax * by - ay * bx;
  return cross < 0 ? -cross / 2 : cross / 2;
}

KEEP struct shape g_triangle = {
    .name = "triangle",
    .color = GREEN,
    .corners = {{0, 0}, {4, 0}, {0, 3}},
    .tag = {.u = 0x12345678},
    .bits = {.enable = 0, .mode = 7, .delta = 15, .high = 1},
    .area = triangle_area,
    .next = 0,
    .label = "tri",
    .status = 0x80,
    .visible = 1,
};
KEEP struct shape g_square = {
    .name = "square",
    .color = RED,
    .corners = {{-1, -1}, {1, -1}, {1, 1}},
    .area = 0,
    .next = &g_triangle,
    .label = "sq\0x",
};

__attribute__((noinline)) int inspect(struct shape *shape, int scale, char tag, double ratio) {
  struct point local_point = {shape->corners[1].x * scale, shape->corners[1].y * scale};
  int numbers[5] = {scale, scale * 2, scale * 3, -scale, 0};
  union word local_word;
  local_word.f = (float)ratio;
  char text[8] = "abc";
  unsigned long long big = (unsigned long long)scale << 40;
  const struct shape *other = shape->next;
  int area = shape->area ? shape->area(shape) : -1;
  g_int += area + local_point.x + numbers[2] + tag + (int)local_word.u + text[1] + (int)big +
           (other ? 1 : 0);
  return area;
}

__attribute__((noinline)) int nested_blocks(int limit) {
  static int calls;
  int outer = limit * 2;
  calls++;
  for (int i = 0; i < limit; i++) {
    int squared = i * i;
    if (squared > 3) {
      int inner = squared - outer;
      int twice = inner * 2;
      unsigned char low = (unsigned char)inner;
      short shifted = (short)(inner << 3);
      g_volatile = inner + calls + twice + low + shifted;
    }
  }
  return outer;
}

int main(void) {
  int total = nested_blocks(3);
  total += inspect(&g_triangle, 3, 't', 0.25);
  total += inspect(&g_square, -2, 's', 1.5);
  g_volatile = total + s_file_static + g_packet->length;
  print_str("types done\n");
  return 0;
}

