/** The TextMate grammar, tokenised with vscode-textmate + vscode-oniguruma as VS Code does. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';
import { EXAMPLES } from './helpers';

const ROOT = join(__dirname, '..', '..');
let grammar: vsctm.IGrammar;

before(async () => {
  const wasm = readFileSync(join(ROOT, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  await oniguruma.loadWASM(
    wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer,
  );
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (p: string[]) => new oniguruma.OnigScanner(p),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope) =>
      scope === 'source.boardmap'
        ? vsctm.parseRawGrammar(
            readFileSync(join(ROOT, 'syntaxes', 'boardmap.tmLanguage.json'), 'utf8'),
            'boardmap.tmLanguage.json',
          )
        : null,
  });
  grammar = (await registry.loadGrammar('source.boardmap'))!;
});

/** Scopes of every token of every line: [text, innermost scope][]. */
function tokenize(text: string): Array<[string, string]> {
  let state = vsctm.INITIAL;
  const out: Array<[string, string]> = [];
  for (const line of text.split('\n')) {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens)
      out.push([line.substring(t.startIndex, t.endIndex), t.scopes[t.scopes.length - 1]!]);
    state = r.ruleStack;
  }
  return out;
}

/** The innermost scope of the first token whose text is @text (after @after, if given). */
function scopeOf(tokens: Array<[string, string]>, text: string, nth = 0): string {
  const hits = tokens.filter(([t]) => t === text);
  assert.ok(hits[nth], `no token '${text}' #${nth}`);
  return hits[nth]![1];
}

describe('TextMate grammar', () => {
  test('remap.board', () => {
    const tokens = tokenize(readFileSync(join(EXAMPLES, 'remap.board'), 'utf8'));
    assert.equal(
      scopeOf(
        tokens,
        '# A small MCU whose boot ROM at 0 is replaced by SRAM when firmware writes the memory',
      ),
      'comment.line.number-sign.boardmap',
    );
    assert.equal(scopeOf(tokens, 'board'), 'keyword.other.board.boardmap');
    assert.equal(scopeOf(tokens, 'remap-mcu'), 'entity.name.type.board.boardmap');
    assert.equal(scopeOf(tokens, 'const'), 'storage.type.const.boardmap');
    assert.equal(scopeOf(tokens, 'ROM_BASE'), 'entity.name.constant.boardmap');
    assert.equal(scopeOf(tokens, '0x0000_0000'), 'constant.numeric.hex.boardmap');
    assert.equal(scopeOf(tokens, 'container'), 'storage.type.region.boardmap');
    assert.equal(scopeOf(tokens, 'boot-rom'), 'entity.name.type.region.boardmap');
    assert.equal(scopeOf(tokens, '64'), 'constant.numeric.decimal.boardmap');
    assert.equal(scopeOf(tokens, 'K'), 'keyword.other.unit.boardmap');
    assert.equal(scopeOf(tokens, 'alias'), 'storage.type.region.boardmap');
    assert.equal(scopeOf(tokens, '->'), 'keyword.operator.arrow.boardmap');
    assert.equal(scopeOf(tokens, 'sram', 1), 'variable.other.region.boardmap');
    assert.equal(scopeOf(tokens, 'prio'), 'keyword.other.attribute.boardmap');
    assert.equal(scopeOf(tokens, 'disabled'), 'storage.modifier.flag.boardmap');
    assert.equal(scopeOf(tokens, 'device'), 'storage.type.device.boardmap');
    assert.equal(scopeOf(tokens, 'sifive_test'), 'support.class.device-model.boardmap');
    assert.equal(scopeOf(tokens, 'clock'), 'variable.parameter.boardmap');
    assert.equal(scopeOf(tokens, 'reg'), 'storage.type.register.boardmap');
    assert.equal(scopeOf(tokens, 'REMAP'), 'entity.name.variable.register.boardmap');
    assert.equal(scopeOf(tokens, 'u32'), 'support.type.width.boardmap');
    assert.equal(scopeOf(tokens, 'ro'), 'storage.modifier.access.boardmap');
    assert.equal(scopeOf(tokens, 'reset'), 'keyword.other.reset.boardmap');
    assert.equal(scopeOf(tokens, 'field'), 'storage.type.field.boardmap');
    assert.equal(scopeOf(tokens, 'on-write'), 'keyword.control.hook.boardmap');
    assert.equal(scopeOf(tokens, 'enable'), 'keyword.control.action.boardmap');
    assert.equal(scopeOf(tokens, 'sram-remap', 1), 'variable.other.region.boardmap');
    assert.equal(scopeOf(tokens, 'space'), 'storage.type.space.boardmap');
    assert.equal(scopeOf(tokens, 'cpu'), 'storage.type.cpu.boardmap');
    assert.equal(scopeOf(tokens, 'rv32imac'), 'support.class.cpu-model.boardmap');
  });

  test('imported pc-x86_64.board: quoted labels, owners, negative priorities', () => {
    const tokens = tokenize(readFileSync(join(EXAMPLES, 'pc-x86_64.board'), 'utf8'));
    assert.equal(scopeOf(tokens, 'bus-master-container'), 'entity.name.type.region.boardmap');
    assert.equal(scopeOf(tokens, 'owner'), 'keyword.other.attribute.boardmap');
    assert.equal(scopeOf(tokens, 'mmio'), 'storage.type.region.boardmap');
    assert.equal(scopeOf(tokens, '^'), 'keyword.operator.arithmetic.boardmap');
    assert.ok(
      tokens.some(([t, s]) => t.startsWith('dev path=') && s === 'string.quoted.double.boardmap'),
    );
  });

  test('names that contain keywords stay names; expressions and block comments', () => {
    const tokens = tokenize(
      'ram ram-size size 4K /* c\n still */ # x\nconst A = (1 << 4) + B\nalias "odd name" -> pc.ram offset 1M\n',
    );
    assert.equal(scopeOf(tokens, 'ram-size'), 'entity.name.type.region.boardmap');
    assert.equal(scopeOf(tokens, ' still '), 'comment.block.boardmap');
    assert.equal(scopeOf(tokens, '<<'), 'keyword.operator.bitwise.shift.boardmap');
    assert.equal(scopeOf(tokens, 'pc.ram'), 'variable.other.region.boardmap');
    assert.equal(scopeOf(tokens, 'offset'), 'keyword.other.attribute.boardmap');
  });

  test('max-size, the coalesced flag and members, ioeventfd lines', () => {
    const tokens = tokenize(
      [
        'ram vram size 64K max-size 1M',
        'mmio rtc size 2 coalesced',
        'mmio virtio size 0x200 {',
        '  ioeventfd queue0 @ 0x50 size 4 data QUEUE # kick',
        '  coalesced @ 0x100 size 16',
        '  reg data @ 0 : u32 { on-write { resize vram = value } }',
        '}',
        '',
      ].join('\n'),
    );
    assert.equal(scopeOf(tokens, 'max-size'), 'keyword.other.attribute.boardmap');
    assert.equal(scopeOf(tokens, 'coalesced'), 'storage.modifier.flag.boardmap');
    assert.equal(scopeOf(tokens, 'ioeventfd'), 'storage.type.ioeventfd.boardmap');
    assert.equal(scopeOf(tokens, 'queue0'), 'entity.name.variable.ioeventfd.boardmap');
    assert.equal(scopeOf(tokens, '@'), 'keyword.operator.at.boardmap');
    assert.equal(scopeOf(tokens, '0x50'), 'constant.numeric.hex.boardmap');
    assert.equal(scopeOf(tokens, 'size', 2), 'keyword.other.attribute.boardmap');
    assert.equal(scopeOf(tokens, 'data'), 'keyword.other.attribute.boardmap');
    assert.equal(scopeOf(tokens, 'QUEUE'), 'variable.other.boardmap');
    assert.equal(scopeOf(tokens, '# kick'), 'comment.line.number-sign.boardmap');
    assert.equal(scopeOf(tokens, 'coalesced', 1), 'storage.type.coalesced.boardmap');
    // 'data' is a keyword only on an ioeventfd line: a register may be called data
    assert.equal(scopeOf(tokens, 'data', 1), 'entity.name.variable.register.boardmap');
    assert.equal(scopeOf(tokens, 'resize'), 'keyword.control.action.boardmap');
    assert.equal(scopeOf(tokens, 'vram', 1), 'variable.other.region.boardmap');
  });
});
