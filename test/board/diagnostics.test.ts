/** One test per diagnostic code: the smallest text that produces it, with its exact range. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DiagnosticCode,
  loadProgram,
  bindProgram,
  Severity,
  type BoardHost,
} from '../../src/board';
import { isInvalid, isValid } from './helpers';

const C = DiagnosticCode;

function rangeText(text: string, d: { offset: number; length: number }): string {
  return text.substring(d.offset, d.offset + d.length);
}

describe('diagnostic codes', () => {
  test('BM101 invalid character', () => {
    const t = 'ram a size 4K $\n';
    const [d] = isInvalid(t, C.InvalidCharacter);
    assert.equal(rangeText(t, d!), '$');
  });
  test('BM102 unterminated string', () => {
    const t = 'ram a "lab\n';
    const [d] = isInvalid(t, C.MissingSize, C.UnterminatedString);
    void d;
  });
  test('BM103 unterminated comment', () => {
    isInvalid('ram a size 4K /* no end', C.UnterminatedComment);
  });
  test('BM104 invalid number', () => {
    const t = 'ram a size 4Q\n';
    const ds = isInvalid(t, C.InvalidNumber);
    assert.equal(rangeText(t, ds[0]!), '4Q');
  });
  test('BM105 invalid escape', () => {
    isInvalid('ram a "x\\n" size 4K\n', C.InvalidEscape);
  });
  test('BM201 unexpected token', () => {
    const t = 'ram a size 4K\n42\n';
    const ds = isInvalid(t, C.UnexpectedToken);
    assert.equal(rangeText(t, ds[0]!), '42');
  });
  test('BM202 missing name is reported as an expectation at the name', () => {
    const t = 'ram\n';
    const ds = isInvalid(t, C.MissingName);
    assert.match(ds[0]!.message, /Expected a ram name/);
  });
  test('BM203 duplicate attribute', () => {
    const t = 'ram a size 4K size 8K\n';
    const ds = isInvalid(t, C.DuplicateAttribute);
    assert.equal(rangeText(t, ds[0]!), 'size');
    assert.equal(ds[0]!.offset, t.lastIndexOf('size'));
  });
  test('BM204 unclosed block', () => {
    const t = 'container c size 4K {\n  ram a @ 0 size 1K\n';
    const ds = isInvalid(t, C.UnclosedBlock);
    assert.equal(rangeText(t, ds[0]!), '{');
  });
  test('BM205 misplaced declaration', () => {
    isInvalid('reg X @ 0 : u32\n', C.MisplacedDeclaration);
  });
  test('BM206 unknown attribute', () => {
    const t = 'ram a size 4K colour red\n';
    const ds = isInvalid(t, C.UnknownAttribute, C.UnknownAttribute);
    assert.equal(rangeText(t, ds[0]!), 'colour');
  });
  test('BM207 missing value (space without root)', () => {
    isInvalid('ram r size 4K\nspace s\n', C.UnexpectedToken, C.MissingValue);
  });
  test('BM301 unknown name', () => {
    const t = 'alias a -> nowhere size 4K\n';
    const ds = isInvalid(t, C.UnknownName);
    assert.equal(rangeText(t, ds[0]!), 'nowhere');
  });
  test('BM302 duplicate name', () => {
    const t = 'ram a size 4K\nrom a size 4K\n';
    const ds = isInvalid(t, C.DuplicateName);
    assert.equal(ds[0]!.offset, t.lastIndexOf('a size'));
  });
  test('BM303 region outside its container (warning)', () => {
    const ds = isInvalid('container c size 4K {\n  ram a @ 0x800 size 4K\n}\n', C.OutsideContainer);
    assert.equal(ds[0]!.severity, Severity.Warning);
    assert.match(ds[0]!.message, /clips it at 0xfff/);
  });
  test('BM304 alias window outside its target (warning)', () => {
    const ds = isInvalid(
      'ram m size 4K\nalias a -> m offset 0x800 size 4K\n',
      C.AliasOutsideTarget,
    );
    assert.equal(ds[0]!.severity, Severity.Warning);
  });
  test('BM305 alias cycle', () => {
    const t = 'alias a -> b size 4K\nalias b -> a size 4K\n';
    const ds = isInvalid(t, C.AliasCycle, C.AliasCycle);
    assert.match(ds[0]!.message, /a → b → a/);
  });
  test('BM305 alias showing its own ancestor', () => {
    isInvalid('container c size 4K {\n  alias loop @ 0 -> c size 1K\n}\n', C.AliasCycle);
  });
  test('BM306 zero or negative size', () => {
    const t = 'ram a size 0\nrom b size 4K - 8K\n';
    const ds = isInvalid(t, C.InvalidSize, C.InvalidSize);
    assert.equal(rangeText(t, ds[1]!), '4K - 8K');
  });
  test('BM307 unknown device model', () => {
    const t = 'container c size 4K {\n  device u : uart9000 @ 0\n}\n';
    const ds = isInvalid(t, C.UnknownDeviceModel);
    assert.equal(rangeText(t, ds[0]!), 'uart9000');
  });
  test('BM308 unknown parameter', () => {
    const t = 'container c size 64K {\n  device u : ns16550a @ 0 { baud = 9600 }\n}\n';
    const ds = isInvalid(t, C.UnknownParameter);
    assert.equal(rangeText(t, ds[0]!), 'baud');
  });
  test('BM309 equal-priority overlap explains the tie-break', () => {
    const t = 'container c size 64K {\n  ram x @ 0 size 8K\n  ram y @ 4K size 8K\n}\n';
    const ds = isInvalid(t, C.EqualPriorityOverlap);
    const overlap = ds.find((d) => d.code === C.EqualPriorityOverlap)!;
    assert.equal(rangeText(t, overlap), 'y');
    assert.match(overlap.message, /later-declared 'y'/);
  });
  test('BM310 unreachable region (information)', () => {
    const t =
      'container c size 64K {\n  ram low @ 0 size 4K\n  ram high @ 0 size 4K prio 1\n}\nspace memory = c\n';
    const ds = isInvalid(t, C.UnreachableRegion);
    assert.equal(ds[0]!.severity, Severity.Information);
    assert.equal(rangeText(t, ds[0]!), 'low');
    assert.match(ds[0]!.message, /'high'/);
  });
  test('BM311 missing size', () => {
    isInvalid('ram a\n', C.MissingSize);
  });
  test('BM312 alias without target', () => {
    isInvalid('alias a size 4K\n', C.MissingAliasTarget);
  });
  test('BM313 value out of range', () => {
    isInvalid(
      'container c size 4K {\n  ram a @ 0 size 1K prio 0x8000_0000\n}\n',
      C.ValueOutOfRange,
    );
  });
  test('BM314 constant cycle', () => {
    // each constant of the cycle is reported where it is used
    const ds = isInvalid('const A = B + 1\nconst B = A\n', C.ConstantCycle, C.ConstantCycle);
    assert.match(ds[1]!.message, /'A' depends on itself/);
  });
  test('BM315 wrong kind (alias-offset on a ram)', () => {
    isInvalid(
      'container c size 64K {\n  ram r @ 0 size 4K\n  device m : memctl @ 0x8000 {\n    reg R @ 0 : u32 { on-write { alias-offset r = value } }\n  }\n}\n',
      C.WrongKind,
    );
  });
  test('BM316 missing parameter (cpu without a space)', () => {
    isInvalid('container c size 4K\nspace io = c\ncpu h : rv32imac\n', C.MissingParameter);
  });
  test('BM317 invalid member (children inside an alias)', () => {
    isInvalid('ram m size 4K\nalias a -> m {\n  ram x size 1K\n}\n', C.InvalidMember);
  });
  test('BM318 register layout (outside the window, overlap)', () => {
    isInvalid(
      'mmio m size 8 {\n  reg A @ 0 : u32\n  reg B @ 2 : u16\n  reg C @ 8 : u32\n}\n',
      C.RegisterLayout,
      C.RegisterLayout,
    );
  });
  test('BM319 invalid expression (division by zero)', () => {
    isInvalid('const A = 4 / (2 - 2)\n', C.InvalidExpression);
  });
  test('BM320 parameter type', () => {
    isInvalid(
      'container c size 64K {\n  device u : ns16550a @ 0 { clock = "fast" }\n}\n',
      C.ParameterType,
    );
  });
  test('BM401 include cycle and BM402 include not found', () => {
    const files: Record<string, string> = {
      'a.board': 'include "b.board"\nram a size 4K\n',
      'b.board': 'include "a.board"\ninclude "missing.board"\nram b size 4K\n',
    };
    const host: BoardHost = { readFile: (u) => files[u], resolveInclude: (_f, p) => p };
    const model = bindProgram(loadProgram('a.board', files['a.board']!, host));
    const codes = model.diagnostics.map((d) => `${d.uri}:${d.code}`).sort();
    assert.deepEqual(codes, ['b.board:BM401', 'b.board:BM402']);
    assert.ok(model.regions.has('a') && model.regions.has('b'));
  });
});

describe('names that are Object.prototype keys', () => {
  test('are plain names, never keywords or widths', () => {
    isInvalid('toString x size 4K\n', C.UnexpectedToken);
    isInvalid('mmio m size 4K {\n  reg A @ 0 : constructor\n}\n', C.InvalidExpression);
    isValid('ram __proto__ size 4K\nram toString size 4K\nalias hasOwnProperty -> __proto__\n');
  });
});

describe('valid boards', () => {
  test('every construct of the spec example is accepted', () => {
    isValid(`board x
const BASE = 0x8000_0000
ram dram size 128M
container system size 2^32 {
  ram r @ BASE size 64K
  alias mirror @ 0xc000_0000 -> dram offset 0 size 64M prio 1 disabled
  device plic : plic @ 0x0c00_0000 { sources = 32 }
  device uart : ns16550a @ 0x1000_0000 { irq = plic:10, reg-shift = 2 }
  device ctl : memctl @ 0x4000_0000 {
    reg REMAP @ 4 : u32 rw { field EN [0] on-write { enable mirror = EN } }
  }
}
space memory = system
cpu hart0 : rv32imac { space = memory, reset = 0x1000 }
`);
  });
  test('irq line outside the controller is an error', () => {
    isInvalid(
      'container c size 2^32 {\n  device p : plic @ 0 { sources = 8 }\n  device u : ns16550a @ 0x1000_0000 { irq = p:9 }\n}\n',
      C.ValueOutOfRange,
    );
  });
});

describe('diagnostics golden', () => {
  test('a board with many problems', async () => {
    const { describeDiagnostics, diagnosticsOf, golden } = await import('./helpers');
    const text = `board broken
const SIZE = 64K
const LOOP = LOOP + 1
ram main size SIZE
ram main size 4K
container system size 1M {
  ram a @ 0 size 8K
  ram b @ 4K size 8K
  ram huge @ 0xf_0000 size 128K
  alias w @ 0x2_0000 -> main offset 60K size 8K
  alias bad @ 0x3_0000 -> nothing
  mmio regs @ 0x4_0000 size 8 {
    reg A @ 0 : u32 rw reset 0x1_0000_0000
    reg B @ 2 : u16
  }
  device u : ns16550a @ 0x5_0000 { irq = a:1, speed = 9600 }
  device q : quantum @ 0x6_0000
  rom hidden @ 0x7_0000 size 4K
  ram cover @ 0x7_0000 size 4K prio 1
}
space memory = system
cpu c : rv64gc { space = memory }
`;
    golden('broken.diagnostics.txt', describeDiagnostics(text, diagnosticsOf(text)));
  });
});
