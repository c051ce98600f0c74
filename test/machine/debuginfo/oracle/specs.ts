// The oracle's stops: where gdb and Boardmap stop each oracle ELF, which frames' `info args` /
// `info locals` are compared, and which expressions are printed. Goldens (golden/*.json) hold
// gdb's answers; oracle.test.ts compares ours with them.

export interface OracleStop {
  /** Stable name of the stop (golden key). */
  readonly id: string;
  /** A gdb breakpoint location: a function name or file:line. */
  readonly location: string;
  /** Which hit of the breakpoint to stop at (1 = the first). */
  readonly hit?: number;
  /** gdb frame levels (inline frames count) whose args and locals are compared. */
  readonly frames: readonly number[];
  /** Expressions printed in frame 0, compared with gdb's `print`. */
  readonly prints?: readonly string[];
}

export interface OracleProgram {
  readonly program: 'types' | 'ring';
  readonly stops: readonly OracleStop[];
}

const TYPES_GLOBALS = [
  'g_schar',
  'g_uchar',
  'g_char',
  'g_short',
  'g_ushort',
  'g_int',
  'g_uint',
  'g_long',
  'g_ulong',
  'g_llong',
  'g_ullong',
  'g_float',
  'g_double',
  'g_bool',
  'g_const',
  'g_volatile',
  'g_counter',
  'g_null',
  'g_matrix',
  'g_message',
  'g_tabs',
  'g_zeros',
  'g_repeats',
  'g_color',
  'g_bad_color',
  'g_flags',
  'g_word',
  'g_bits',
  's_file_static',
  'g_greeting',
  'g_int_ptr',
  'g_row_ptr',
  'g_packet_storage',
  'g_packet',
  'g_samples',
  'g_table',
  'g_triangle',
  'g_square',
];

const TYPES_EXPRESSIONS = [
  '*g_packet',
  '*g_samples',
  'g_triangle.corners[1]',
  'g_triangle.corners[1].x * 3 + 1',
  'g_square.next->name',
  '*g_square.next',
  'g_square.next->corners[2].y',
  '&g_triangle',
  '&g_triangle.corners[1]',
  '&g_matrix[1]',
  '&g_matrix',
  '&g_const',
  '&g_greeting',
  'g_matrix[1]',
  'g_matrix[2][3]',
  '*g_row_ptr',
  '(*g_row_ptr)[1]',
  '*g_int_ptr',
  'g_int_ptr[1]',
  'g_int_ptr + 2',
  'g_int_ptr - g_matrix[0]',
  'g_greeting[1]',
  '*g_greeting',
  'g_message[0]',
  'triangle_area',
  '&triangle_area',
  'g_triangle.area',
  'g_bits.delta',
  'g_bits.high + 1',
  'g_word.bytes[3]',
  'g_word.f * 2',
  'g_float * 2',
  'g_double / 2',
  'g_llong / 3',
  'g_ullong >> 4',
  '-g_uint',
  'g_uint + 1',
  'g_int < 0 && g_uint > 5',
  '!g_bool',
  'g_int | 0xff',
  '~g_int',
  'g_short * g_ushort',
  'g_schar + g_uchar',
  '10/3.0',
  '10/3',
  '-7 % 3',
  '5 > 3 ? 1 : 2',
  "'a'",
  "'\\n'",
  '0x10',
  '-1U',
  '1.0f',
  '1.5e3',
  'sizeof(struct shape)',
  'sizeof g_triangle',
  'sizeof(int)',
  'sizeof(g_matrix) / sizeof(g_matrix[0])',
  '(char)66',
  '(unsigned char)g_int',
  '(short)g_uint',
  '(long long)g_int * 1000000',
  '(float)g_int',
  '(int)g_double',
  '(enum color)5',
  '(enum flags)3',
  '(enum flags)8',
  '(struct point *)&g_triangle.corners[2]',
  '*(struct point *)&g_triangle.corners[2]',
  '((struct point *)&g_triangle.corners[0])[1]',
  '(uint32_t *)g_packet_storage',
  '*(union word *)&g_word',
  '(void *)0x80000000',
  '(counter_t)3',
  'g_color == BLUE',
  'GREEN',
  'BLUE + 1',
  'g_triangle.color',
  'g_tabs[1]',
  'g_square.label',
  'g_square.corners',
  'g_zeros[3]',
  '$pc',
  '$sp',
  '$a0 == $x10',
  'no_such_symbol',
  'g_int +',
  'g_triangle.nothing',
  '*g_int',
  'g_int[0]',
  '1 +* 2',
  '(struct nothing *)0',
  // Assignments last (they change what later prints see, the same way on both sides).
  'g_int = 5',
  'g_int',
  'g_int += 10',
  'g_bits.mode = 2',
  'g_bits.delta = -9',
  'g_bits',
  'g_triangle.corners[1].y = -7',
  'g_triangle.corners[1]',
  'g_uchar = 300',
  'g_float = 2.5',
  'g_float',
  'g_word.half[1] = -1',
  'g_word',
  '$t0 = 0x1234',
  '$t0',
  'g_const = 1',
];

export const ORACLE_PROGRAMS: readonly OracleProgram[] = [
  {
    program: 'types',
    stops: [
      {
        id: 'inspect-entry',
        location: 'inspect',
        frames: [0, 1],
        prints: [...TYPES_GLOBALS, ...TYPES_EXPRESSIONS],
      },
      {
        id: 'inspect-body-triangle',
        location: 'types.c:133',
        frames: [0, 1],
        prints: [
          'local_point',
          'numbers',
          'numbers[1] + numbers[2]',
          'text',
          'local_word',
          'big',
          'other',
          'shape->name',
          'shape->corners[1]',
          '*shape',
          'shape->bits',
          'scale * 2',
          'tag',
          'ratio',
          'ratio * 2',
          'area',
          '&local_point',
          'sizeof(numbers)',
          // No arithmetic on local_point's members: gdb 13.1 aborts on it at -O2, where the struct
          // is partly optimized out (internal-error in dwarf2/expr.c: "Should not be able to
          // create a lazy value with an enclosing type").
          'local_point.x',
          'scale = 4',
          'scale',
          'numbers[4] = 77',
          'numbers',
        ],
      },
      {
        id: 'inspect-body-square',
        location: 'types.c:133',
        hit: 2,
        frames: [0, 1],
        prints: ['other', '*other', 'other->name', 'other->corners[1].x', 'shape->area', 'area'],
      },
      { id: 'triangle-area', location: 'triangle_area', frames: [0, 1, 2] },
      {
        id: 'nested-blocks-inner',
        location: 'types.c:149',
        hit: 1,
        frames: [0, 1],
        prints: ['inner', 'twice', 'low', 'shifted', 'outer', 'limit', 'calls', 'i'],
      },
    ],
  },
  {
    program: 'ring',
    stops: [
      {
        id: 'push-second',
        location: 'ring.c:25',
        hit: 2,
        frames: [0, 1, 2],
        prints: ['rx_ring', 'push_calls', 'checksum', 'rx_ring.buf', 'rx_ring.head'],
      },
      {
        id: 'pop-third',
        location: 'ring_pop',
        hit: 3,
        frames: [0, 1, 2],
        prints: ['*r', 'r->buf[r->tail]', 'r->head - r->tail', 'rx_ring', '&rx_ring.buf[2]'],
      },
      { id: 'drain-sum', location: 'ring.c:61', hit: 4, frames: [0, 1] },
      { id: 'factorial-deep', location: 'factorial', hit: 3, frames: [0, 1, 2, 3] },
      {
        id: 'main-loop',
        location: 'ring.c:71',
        hit: 2,
        frames: [0],
        prints: ['i', 'f', 'checksum'],
      },
    ],
  },
];

export const ORACLE_VARIANTS = ['O0', 'Og', 'O2', 'O0-dwarf4', 'O2-dwarf4'] as const;

/** The oracle ELFs that exist for a program (the DWARF 4 builds are one per program). */
export function oracleElfs(program: OracleProgram['program']): string[] {
  const variants =
    program === 'types' ? ['O0', 'Og', 'O2', 'O0-dwarf4'] : ['O0', 'Og', 'O2', 'O2-dwarf4'];
  return variants.map((v) => `${program}-${v}`);
}
