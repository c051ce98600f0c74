/**
 * Hex editor links: whatever the space name and range, a link survives VS Code's Debug Console
 * (one whole link to its linkifier) and its query decoding, and parses back to the same target;
 * malformed queries get a message, never a throw.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { numRuns } from '../support/property';
import {
  formatHexLink,
  isHexLinkBase,
  parseHexLinkQuery,
  type HexLinkTarget,
} from '../../src/protocol';

const BASE = 'vscode://boardmap.boardmap/hex';
/** VS Code's Debug Console link pattern (linkDetector.ts, WEB_LINK_REGEX), as of VS Code 1.100. */
const CONSOLE_LINK =
  /(?:[a-zA-Z][a-zA-Z0-9+.-]{2,}:\/\/|data:|www\.)[^\s\u0000-\u0020\u007f-\u009f"]{2,}[^\s\u0000-\u0020\u007f-\u009f"')}\],:;.!?]/gu;

/** What the extension receives: VS Code's Uri percent-decodes the query once. */
function roundTrip(link: string) {
  const query = link.slice(link.indexOf('?') + 1);
  return parseHexLinkQuery(decodeURIComponent(query));
}

const targets = fc
  .record({
    space: fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' }),
    address: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    length: fc.option(fc.bigInt({ min: 1n, max: 1n << 40n }), { nil: undefined }),
  })
  .filter((t) => t.length === undefined || t.address + t.length <= 1n << 64n)
  .map(({ length, ...t }): HexLinkTarget => (length === undefined ? t : { ...t, length }));

describe('hex editor links', () => {
  test('round trip through the console linkifier and URI decoding, any space and range', () => {
    fc.assert(
      fc.property(targets, fc.string({ maxLength: 8 }), (target, trailing) => {
        const link = formatHexLink(BASE, target);
        const line = `fault at 0x4: ${link}${trailing.startsWith(' ') ? trailing : ` ${trailing}`}`;
        const found = [...line.matchAll(CONSOLE_LINK)].map((m) => m[0]);
        assert.equal(found[0], link, 'the console would cut or extend the link');
        const parsed = roundTrip(link);
        assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
        assert.deepEqual(parsed.value, target);
      }),
      { numRuns: numRuns(2000) },
    );
  });

  test('a space name with & = % and spaces stays one field', () => {
    const target = { space: 'I/O & more=100%', address: 0x3f8n, length: 8n };
    const link = formatHexLink(BASE, target);
    assert.equal(link.split('&').length, 2, link); // only the ref/length separator
    assert.doesNotMatch(link, /\s/);
    assert.deepEqual(roundTrip(link), { ok: true, value: target });
  });

  test('malformed queries are refused with a reason', () => {
    for (const [query, reason] of [
      ['', /no 'ref'/],
      ['ref=memory@0x10&ref=memory@0x20', /given twice/],
      ['ref=memory@0x10&size=4', /unknown field 'size'/],
      ['ref=memory', /expected '<space>@0x<hex address>'/],
      ['ref=memory@0x10&length=0', /length '0'/],
      ['ref=memory@0xffffffffffffffff&length=0x2', /ending by 2\^64/],
      ['ref=memory@0x10&length=12', /must be 0x<hex>/],
      ['garbage', /not name=value/],
    ] as const) {
      const parsed = parseHexLinkQuery(query);
      assert.equal(parsed.ok, false, query);
      if (!parsed.ok) assert.match(parsed.error, reason, query);
    }
  });

  test('only scheme://authority/hex is a link base', () => {
    assert.ok(isHexLinkBase(BASE));
    assert.ok(isHexLinkBase('code-oss://boardmap.boardmap/hex'));
    for (const bad of [
      'javascript:alert(1)//x/hex',
      'vscode://boardmap.boardmap/hex?x=1',
      'vscode://boardmap.boardmap/other',
      'vscode://a b/hex',
      42,
      undefined,
    ])
      assert.equal(isHexLinkBase(bad), false, String(bad));
  });
});
