/** Formatter: canonical output (golden), idempotence, comments kept, refusal on syntax errors. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { formatBoard, parseBoard } from '../../src/board';
import { EXAMPLES, golden } from './helpers';

const MESSY = `# header comment
board   virt-mini

const RAM_BASE=0x8000_0000   # base
io  x "the x" size 4K
ram  dram size 128M
container system size 2^32 {   # sys
  # the mirror
  alias dram-mirror prio 1 disabled size 64M offset 0 -> dram @ 0xC000_0000
  device uart0 : ns16550a @ 0x1000_0000 { irq = plic:10, clock = 3_686_400 }
  device plic : plic @ 0xc00_0000
  mmio sysctl @ 0x4000_0000 size 4K {
    reg CTRL   @ 0x00 : u32 rw reset 0


    reg REMAP  @ 0x04 : u32 rw {
      field EN [0] rw   # enable
      on-write { enable dram-mirror = value & 1 }
      on-read { if (value&1) { disable dram-mirror } else { enable dram-mirror
      move dram-mirror @ 4 } }
    }
  }
}
/* block
   comment */
space memory = system
cpu hart0 : rv32imac { space = memory, reset = 0x1000 }
`;

function commentTexts(text: string): string[] {
  const r = parseBoard(text);
  return r.file.comments.map((c) => text.substring(c.offset, c.offset + c.length).trimEnd());
}

describe('formatter', () => {
  test('canonical form (golden)', () => {
    const out = formatBoard(MESSY)!;
    golden('messy.formatted.board', out);
  });

  test('idempotent, keeps every comment, keeps the meaning', () => {
    const once = formatBoard(MESSY)!;
    assert.equal(formatBoard(once), once);
    assert.deepEqual(commentTexts(once), commentTexts(MESSY));
    const strip = (t: string) =>
      JSON.stringify(parseBoard(t).file.items, (k, v) =>
        k === 'offset' || k === 'length' || k === 'keyword'
          ? undefined
          : typeof v === 'bigint'
            ? String(v)
            : v,
      );
    assert.equal(strip(once), strip(MESSY.replace('io  x', 'mmio x')));
  });

  test('every example is already canonical', () => {
    for (const f of readdirSync(EXAMPLES).filter((f) => f.endsWith('.board'))) {
      const text = readFileSync(join(EXAMPLES, f), 'utf8');
      assert.equal(formatBoard(text), text, f);
    }
  });

  test('refuses text with syntax errors', () => {
    assert.equal(formatBoard('ram a size 4K {\n'), undefined);
  });

  test('quotes names that need it and drops quotes that do not', () => {
    assert.equal(
      formatBoard('ram "pc.ram" size 4K\nram "a b" size 4K\n'),
      'ram pc.ram size 4K\nram "a b" size 4K\n',
    );
  });
});
