/**
 * Resizeable RAM, ioeventfds and coalesced MMIO in the editor: one test per new diagnostic code
 * (with its range), syntax errors with locations and recovery, formatting, hover, completion.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { formatMtree } from '../../src/engine/mtree';
import {
  analyze,
  compileBoard,
  DiagnosticCode,
  formatBoard,
  getBoardMapService,
  parseBoard,
  Severity,
  type Item,
  type Member,
  type Position,
  type RegionDecl,
} from '../../src/board';
import { isInvalid, isValid } from './helpers';

const C = DiagnosticCode;

function childRegions(item: Item | Member): RegionDecl[] {
  if (item.type !== 'region' || !item.body) return [];
  return item.body.members.filter((m): m is RegionDecl => m.type === 'region');
}

function rangeText(text: string, d: { offset: number; length: number }): string {
  return text.substring(d.offset, d.offset + d.length);
}

/** A container with @body inside an mmio region of 0x200 bytes. */
const inMmio = (body: string): string =>
  `container s size 4G {\n  mmio dev @ 0x1000 size 0x200 {\n${body}\n  }\n}\n`;

describe('diagnostic codes of the engine features', () => {
  test('BM321 max-size smaller than size', () => {
    const t = 'ram r size 64K max-size 32K\n';
    const [d] = isInvalid(t, C.MaxSize);
    assert.equal(rangeText(t, d!), '32K');
    assert.equal(d!.severity, Severity.Error);
    assert.match(d!.message, /max-size 0x8000 is smaller than size 0x10000/);
  });
  test('BM321 max-size beyond what a RAM block holds', () => {
    const t = 'ram r size 64K max-size 2^60\n';
    const [d] = isInvalid(t, C.MaxSize);
    assert.equal(rangeText(t, d!), '2^60');
  });
  test('BM322 ioeventfd on a region that is not MMIO (error), coalescing one (warning)', () => {
    const t = 'ram r size 4K coalesced {\n  ioeventfd kick @ 0 size 4\n}\n';
    const [flag, fd] = isInvalid(t, C.NotMmio, C.NotMmio);
    assert.equal(rangeText(t, flag!), 'coalesced');
    assert.equal(flag!.severity, Severity.Warning);
    assert.equal(rangeText(t, fd!), 'ioeventfd');
    assert.equal(fd!.severity, Severity.Error);
    assert.match(fd!.message, /never signalled/);
  });
  test('BM323 ioeventfd size, data width, data without size, alignment', () => {
    const t = inMmio(
      '    ioeventfd a @ 0x10 size 3\n' +
        '    ioeventfd b @ 0x20 size 2 data 0x1_0000\n' +
        '    ioeventfd c @ 0x30 data 1\n' +
        '    ioeventfd d @ 0x42 size 4',
    );
    const ds = isInvalid(
      t,
      C.IoeventfdAccess,
      C.IoeventfdAccess,
      C.IoeventfdAccess,
      C.IoeventfdAccess,
    );
    assert.deepEqual(
      ds.map((d) => [rangeText(t, d), d.severity]),
      [
        ['3', Severity.Error],
        ['0x1_0000', Severity.Error],
        ['1', Severity.Warning],
        ['0x42', Severity.Warning],
      ],
    );
  });
  test('BM324 ioeventfd or coalesced range outside the region (or a device window)', () => {
    const t = inMmio('    ioeventfd a @ 0x1fe size 4\n    coalesced @ 0x100 size 0x101');
    const ds = isInvalid(t, C.OutsideRegion, C.OutsideRegion);
    assert.deepEqual(
      ds.map((d) => rangeText(t, d)),
      ['0x1fe', '0x100'],
    );
    assert.match(ds[1]!.message, /0x100…0x200 lies outside the 0x200-byte region 'dev'/);
    // the clint's windows are 16K at 0 and 32K at 0x4000: 0xc000 is past both
    const dev =
      'container s size 4G {\n  device c : clint @ 0x200_0000 {\n    ioeventfd x @ 0xc000 size 4\n  }\n}\n';
    const [w] = isInvalid(dev, C.OutsideRegion);
    assert.match(w!.message, /windows of 'c' \(0x0…0x3fff, 0x4000…0xbfff\)/);
  });
  test('BM325 an ioeventfd that an earlier one always beats', () => {
    const t = inMmio(
      '    ioeventfd any @ 0x50 size 4\n    ioeventfd one @ 0x50 size 4 data 1\n    ioeventfd other @ 0x54 size 4 data 1',
    );
    const [d] = isInvalid(t, C.ShadowedIoeventfd);
    assert.equal(rangeText(t, d!), 'one');
    assert.match(d!.message, /'any' matches every write/);
    // a size-0 registration sorts first and matches everything at its offset
    const z = inMmio('    ioeventfd wide @ 0x50 size 4 data 1\n    ioeventfd catch-all @ 0x50');
    const [s] = isInvalid(z, C.ShadowedIoeventfd);
    assert.equal(rangeText(z, s!), 'wide');
  });
  test('existing codes on the new syntax: wrong kind, duplicates, missing size, zero size', () => {
    const t = 'rom r size 4K max-size 8K\n';
    assert.equal(rangeText(t, isInvalid(t, C.InvalidMember)[0]!), '8K');
    isInvalid(inMmio('    ioeventfd a @ 0\n    ioeventfd a @ 4'), C.DuplicateName);
    const z = inMmio('    coalesced @ 0 size 0');
    assert.equal(rangeText(z, isInvalid(z, C.InvalidSize)[0]!), '0');
    const w =
      'container s size 4G {\n  mmio m @ 0 size 4K coalesced {\n    coalesced @ 0 size 4\n  }\n}\n';
    assert.equal(isInvalid(w, C.InvalidMember)[0]!.severity, Severity.Warning);
  });
  test('BM315 resize of a region that is not resizeable RAM', () => {
    const t =
      'ram dram size 64K\nmmio ctl size 4K {\n  reg R @ 0 : u32 { on-write { resize dram = value } }\n}\n';
    const [d] = isInvalid(t, C.WrongKind);
    assert.equal(rangeText(t, d!), 'dram');
    assert.equal(d!.offset, t.lastIndexOf('dram'));
  });
  test('valid uses produce no diagnostics', () => {
    isValid(
      inMmio(
        '    ioeventfd q0 @ 0x50 size 4 data 0\n    ioeventfd q1 @ 0x50 size 4 data 1\n    coalesced @ 0 size 0x40',
      ) + 'ram r size 64K max-size 64K\n',
    );
  });
});

describe('syntax errors with locations and recovery', () => {
  const codesAt = (t: string) =>
    parseBoard(t).diagnostics.map((d) => `${d.code} «${rangeText(t, d)}» ${d.message}`);

  test('ioeventfd without @, without a name, with unknown and duplicate attributes', () => {
    const t = inMmio(
      '    ioeventfd kick size 4\n    ioeventfd @ 0x10\n    ioeventfd k2 @ 0x20 width 4\n    ioeventfd k3 @ 0x30 size 4 size 2',
    );
    assert.deepEqual(codesAt(t), [
      "BM201 «4» Expected '@' and the offset of the ioeventfd",
      "BM202 «@» Expected an ioeventfd name but found '@'",
      "BM206 «width» Unknown attribute 'width'",
      "BM203 «size» Duplicate 'size'",
    ]);
    // recovery: every member after an error is still there
    const dev = childRegions(parseBoard(t).file.items[0]!)[0]!;
    assert.deepEqual(
      dev.body!.members.map((m) => (m.type === 'ioeventfd' ? m.name.text : m.type)),
      ['kick', '', 'k2', 'k3'],
    );
  });
  test('a bare coalesced in a body, members at the top level', () => {
    const t =
      inMmio('    coalesced\n    ioeventfd ok @ 0') +
      'ioeventfd stray @ 0\ncoalesced @ 0 size 4\nram r size 4K\n';
    assert.deepEqual(codesAt(t), [
      "BM201 «coalesced» A coalesced range needs '@ offset size n' (a bare 'coalesced' belongs on the region's line)",
      "BM205 «ioeventfd» 'ioeventfd' is only allowed inside a region body",
      "BM205 «coalesced» A 'coalesced' range is only allowed inside a region body",
    ]);
    assert.equal(parseBoard(t).file.items.length, 2, 'the container and the ram');
  });
  test('a coalesced line after a child region is a member, not a flag of the child', () => {
    const t =
      'container s size 4G {\n  mmio a @ 0 size 4K {\n    mmio b @ 0 size 16\n    coalesced @ 0x100 size 16\n  }\n}\n';
    const a = childRegions(parseBoard(t).file.items[0]!)[0]!;
    const members = a.body!.members;
    assert.deepEqual(
      members.map((m) => m.type),
      ['region', 'coalesced'],
    );
    const b = members[0]!;
    assert.ok(b.type === 'region');
    assert.deepEqual(b.flags, []);
    isValid(t);
  });
});

describe('formatting', () => {
  const messy = `container s size 4G {
  ram   buf @0x1000  max-size 1M size 64K   # grows
  mmio ctl @ 0 size 4K { reg R @ 0 : u32 { on-write {resize buf=value*4K} } }
  mmio  dev @ 0x10_0000 size 0x200 coalesced{
    # notify register
    ioeventfd   kick  data 1 size 4 @ 0x50  // queue 1
    coalesced size 16 @0x100

    ioeventfd any@0x70
  }
}
`;
  const canonical = `container s size 4G {
  ram buf @ 0x1000 size 64K max-size 1M # grows
  mmio ctl @ 0 size 4K {
    reg R @ 0 : u32 {
      on-write { resize buf = value * 4K }
    }
  }
  mmio dev @ 0x10_0000 size 0x200 coalesced {
    # notify register
    ioeventfd kick @ 0x50 size 4 data 1 // queue 1
    coalesced @ 0x100 size 16

    ioeventfd any @ 0x70
  }
}
`;
  test('canonical order and spacing, comments kept', () => {
    assert.equal(formatBoard(messy), canonical);
  });
  test('idempotent, and the text means the same after formatting', () => {
    assert.equal(formatBoard(canonical), canonical);
    isValid(canonical);
  });
  test('a file with a syntax error in the new syntax is left alone', () => {
    assert.equal(formatBoard(inMmio('    ioeventfd kick size 4')), undefined);
  });
});

const DOC = `board demo
container system size 2^32 {
  ram vram @ 0x1000_0000 size 64K max-size 1M
  mmio virtio0 @ 0x2000_0000 size 0x200 {
    ioeventfd queue0 @ 0x50 size 4 data 0
    ioeventfd any @ 0x70
    coalesced @ 0x100 size 0x80
  }
  mmio rtc @ 0x70 size 2 coalesced
}
space memory = system
`;

function at(needle: string, delta = 1): Position {
  const i = DOC.indexOf(needle);
  assert.ok(i >= 0, needle);
  const before = DOC.substring(0, i + delta);
  return {
    line: before.split('\n').length - 1,
    character: i + delta - before.lastIndexOf('\n') - 1,
  };
}

describe('language service', () => {
  const svc = getBoardMapService();
  test('hover on a region shows max-size, coalesced ranges and ioeventfds', () => {
    const vram = svc.hover('d.board', DOC, at('vram'))!.markdown;
    assert.match(vram, /\*\*ram\*\* `vram` — 64 KiB \(0x10000\)/);
    assert.match(
      vram,
      /Resizeable RAM: max-size 1 MiB \(0x100000\); `info mtree` shows the used size/,
    );
    const virtio = svc.hover('d.board', DOC, at('virtio0'))!.markdown;
    assert.match(virtio, /Coalesced MMIO: \+0x100–0x17f/);
    assert.match(virtio, /- ioeventfd `queue0` at \+0x50: 4-byte writes of 0x0/);
    assert.match(virtio, /- ioeventfd `any` at \+0x70: writes of any width/);
    assert.match(
      svc.hover('d.board', DOC, at('rtc'))!.markdown,
      /Coalesced MMIO: the whole region/,
    );
  });
  test('hover on an ioeventfd name: what it matches and where', () => {
    const h = svc.hover('d.board', DOC, at('queue0'))!;
    assert.match(
      h.markdown,
      /\*\*ioeventfd\*\* `queue0` at \+0x50 of `virtio0` — 4-byte writes of 0x0/,
    );
    assert.match(h.markdown, /absolute 0x2000_0050 in `memory`/);
  });
  test('completion offers the new keywords where they belong', () => {
    const labels = (text: string, offset = text.length) => {
      const before = text.substring(0, offset);
      const pos = {
        line: before.split('\n').length - 1,
        character: offset - before.lastIndexOf('\n') - 1,
      };
      return svc.completion('c.board', text, pos).map((c) => c.label);
    };
    const ram = labels('ram r size 4K ');
    assert.ok(ram.includes('max-size'));
    assert.ok(!ram.includes('coalesced'));
    const mmio = labels('mmio m size 4K ');
    assert.ok(mmio.includes('coalesced'));
    assert.ok(!mmio.includes('max-size'));
    const body = 'mmio m size 4K {\n  \n}\n';
    const inBody = labels(body, body.indexOf('\n  ') + 3);
    assert.ok(
      inBody.includes('ioeventfd') && inBody.includes('coalesced') && inBody.includes('reg'),
    );
    const ramBody = 'ram r size 4K {\n  \n}\n';
    assert.ok(!labels(ramBody, ramBody.indexOf('\n  ') + 3).includes('ioeventfd'));
    const fdLine = 'const Q = 0x50\nmmio m size 4K {\n  ioeventfd q @ Q ';
    assert.deepEqual(labels(fdLine), ['@', 'size', 'data']);
    assert.deepEqual(labels(fdLine + 'size '), ['Q']);
    assert.deepEqual(labels('mmio m size 4K {\n  coalesced @ 0 '), ['@', 'size']);
    const actions = (inside: string) =>
      `ram grow size 4K max-size 8K\nram fixed size 4K\nmmio m size 4K {\n  reg R @ 0 : u32 {\n    on-write { ${inside} }\n  }\n}\n`;
    const cursor = (text: string) => text.indexOf(' }\n  }');
    assert.ok(labels(actions(''), cursor(actions(''))).includes('resize'));
    assert.deepEqual(labels(actions('resize '), cursor(actions('resize ')) + 1), ['grow']);
  });
});

describe('docs/board-map.md', () => {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'board-map.md'), 'utf8');
  const examples = [...doc.matchAll(/```\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .filter((b) => !/<[a-z]/.test(b) && /max-size|ioeventfd|coalesced/.test(b));

  test('an example for each feature, each checking without errors or warnings', () => {
    for (const word of ['max-size', 'ioeventfd', 'coalesced @', ' coalesced\n']) {
      assert.ok(
        examples.some((b) => b.includes(word)),
        `no example with '${word}'`,
      );
    }
    for (const b of examples) {
      assert.deepEqual(
        analyze('doc.board', b).diagnostics.map((d) => `${d.code} ${d.message}`),
        [],
      );
    }
  });
  test('the mtree line quoted for resizeable RAM is what the builder prints', () => {
    const quoted = /`info mtree` shows `([^`]+)`/.exec(doc)![1]!;
    const b = examples.find((x) => x.includes('max-size'))!;
    const built = compileBoard('doc.board', b + 'space memory = system\n').built!;
    assert.ok(formatMtree(built.system, {}).includes(`    ${quoted}\n`));
  });
  test('every diagnostic code is in the table', () => {
    const documented = new Set<number>();
    for (const m of doc.matchAll(/^\| BM(\d{3})(?:–BM(\d{3}))? /gm)) {
      for (let n = Number(m[1]); n <= Number(m[2] ?? m[1]); n++) documented.add(n);
    }
    const missing = Object.values(DiagnosticCode).filter(
      (c) => !documented.has(Number(c.slice(2))),
    );
    assert.deepEqual(missing, []);
  });
});
