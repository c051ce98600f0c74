// The .debug_info reader on hand-made DWARF: DWARF 4 forms and lists (.debug_loc, .debug_ranges,
// DW_AT_bit_offset bitfields), DWARF 5 forms (implicit_const, strx, addrx, rnglists, loclists),
// and faults (truncated units, unknown forms and opcodes) that must stay scoped to their unit or
// variable, with the section offset in the message.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DW_AT,
  DW_FORM,
  DW_TAG,
  type Die,
  DwarfProgram,
  type DwarfSections,
  TypeReader,
  formatValue,
  typeName,
} from '../../../src/machine/debuginfo';
import { FrameEvaluator, variableValue, scopeChainAt } from '../../../src/machine/debuginfo/scope';
import { Bytes, abbreviationTable, dieStart, unit } from './dwarfBuilder';

const T = DW_TAG;
const A = DW_AT;
const F = DW_FORM;

function find(root: Die | undefined, predicate: (d: Die) => boolean): Die {
  const stack = root ? [root] : [];
  while (stack.length) {
    const d = stack.pop()!;
    if (predicate(d)) return d;
    stack.push(...d.children);
  }
  throw new Error('DIE not found');
}

const named = (root: Die | undefined, name: string) =>
  find(root, (d) => {
    const a = d.attribute(A.name);
    return a !== undefined && d.unit.string(a) === name;
  });

const memory = (bytes: Record<number, number[]>) => (address: number, length: number) => {
  const data = new Uint8Array(length);
  const status = new Uint8Array(length).fill(1);
  for (const [base, values] of Object.entries(bytes)) {
    for (let i = 0; i < length; i++) {
      const off = address + i - Number(base);
      if (off >= 0 && off < values.length) {
        data[i] = values[off]!;
        status[i] = 0;
      }
    }
  }
  return { data, status };
};

/**
 * A DWARF 4 unit: int, unsigned char, a struct with DWARF 4 bitfields, a function with ranges in
 * .debug_ranges, and a variable whose location is a .debug_loc list.
 */
function dwarf4(): DwarfSections {
  const abbrev = abbreviationTable([
    {
      code: 1,
      tag: T.compile_unit,
      children: true,
      attributes: [
        [A.name, F.strp],
        [A.low_pc, F.addr],
        [A.high_pc, F.data4],
      ],
    },
    {
      code: 2,
      tag: T.base_type,
      children: false,
      attributes: [
        [A.name, F.string],
        [A.byte_size, F.data1],
        [A.encoding, F.data1],
      ],
    },
    {
      code: 3,
      tag: T.structure_type,
      children: true,
      attributes: [
        [A.name, F.string],
        [A.byte_size, F.data1],
      ],
    },
    {
      code: 4,
      tag: T.member,
      children: false,
      attributes: [
        [A.name, F.string],
        [A.type, F.ref4],
        [A.byte_size, F.data1],
        [A.bit_size, F.data1],
        [A.bit_offset, F.data1],
        [A.data_member_location, F.data1],
      ],
    },
    {
      code: 5,
      tag: T.subprogram,
      children: true,
      attributes: [
        [A.name, F.string],
        [A.ranges, F.sec_offset],
        [A.frame_base, F.exprloc],
      ],
    },
    {
      code: 6,
      tag: T.variable,
      children: false,
      attributes: [
        [A.name, F.string],
        [A.type, F.ref4],
        [A.location, F.sec_offset],
      ],
    },
    {
      code: 7,
      tag: T.variable,
      children: false,
      attributes: [
        [A.name, F.string],
        [A.type, F.ref_udata],
        [A.const_value, F.sdata],
      ],
    },
    {
      code: 8,
      tag: T.variable,
      children: false,
      attributes: [
        [A.name, F.string],
        [A.type, F.ref4],
        [A.location, F.block1],
      ],
    },
    {
      code: 9,
      tag: T.member,
      children: false,
      attributes: [
        [A.name, F.string],
        [A.type, F.ref4],
        [A.data_member_location, F.data1],
      ],
    },
    {
      code: 10,
      tag: T.variable,
      children: false,
      attributes: [
        [A.name, F.indirect],
        [A.type, F.ref4],
        [A.declaration, F.flag],
      ],
    },
  ]);
  const str = new Bytes().cstr('junk').cstr('unit4.c');
  const v = 4 as const;
  const d = new Bytes();
  const at = () => dieStart(v) + d.length; // unit-relative offsets (ref4)
  d.uleb(1).u32(5).u32(0x1000).u32(0x100); // CU "unit4.c" [0x1000, 0x1100)
  const intOffset = at();
  d.uleb(2).cstr('int').u8(4, 0x05);
  const ucharOffset = at();
  d.uleb(2).cstr('unsigned char').u8(1, 0x08);
  const structOffset = at();
  d.uleb(3).cstr('flags').u8(4);
  // DWARF 4 bitfields in a 4-byte unit: bit_offset counts from the MSB.
  d.uleb(4).cstr('low').u32(intOffset).u8(4, 3, 29, 0); // bits 0-2
  d.uleb(4).cstr('mid').u32(intOffset).u8(4, 5, 24, 0); // bits 3-7
  d.uleb(9).cstr('tail').u32(ucharOffset).u8(3); // byte 3
  d.u8(0);
  d.uleb(5).cstr('fn').u32(0).uleb(1).u8(0x9c); // ranges at .debug_ranges+0, frame base CFA
  d.uleb(6).cstr('counter').u32(intOffset).u32(0); // .debug_loc+0
  d.uleb(7).cstr('answer').uleb(intOffset).sleb(-42);
  d.uleb(8).cstr('shape').u32(structOffset).u8(5, 0x03).u32(0x2000); // DW_OP_addr 0x2000
  d.uleb(10).uleb(F.string).cstr('declared').u32(intOffset).u8(1);
  d.u8(0, 0);
  const ranges = new Bytes()
    .u32(0xffffffff)
    .u32(0x1000) // base address selection
    .u32(0x10)
    .u32(0x20)
    .u32(0x40)
    .u32(0x48)
    .u32(0)
    .u32(0);
  const loc = new Bytes()
    .u32(0x10)
    .u32(0x18)
    .u16(1)
    .u8(0x5a) // DW_OP_reg10 (a0) for [0x1010, 0x1018)
    .u32(0x18)
    .u32(0x20)
    .u16(2)
    .u8(0x91, 0x7c) // DW_OP_fbreg -4 for [0x1018, 0x1020)
    .u32(0)
    .u32(0);
  return {
    info: unit(v, d).toArray(),
    abbrev: abbrev.toArray(),
    str: str.toArray(),
    ranges: ranges.toArray(),
    loc: loc.toArray(),
  };
}

describe('DWARF 4 forms and lists', () => {
  const program = new DwarfProgram(dwarf4());
  const root = program.units[0]!.tree;

  test('the unit is indexed by its pc range and reads without problems', () => {
    assert.equal(program.units.length, 1);
    assert.deepEqual(program.problems, []);
    assert.equal(program.unitAt(0x1050), program.units[0]);
    assert.equal(program.unitAt(0x1100), undefined);
    assert.equal(program.units[0]!.name, 'unit4.c');
  });

  test('.debug_ranges with a base address selection entry', () => {
    const fn = named(root, 'fn');
    assert.deepEqual(program.units[0]!.ranges(fn), [
      [0x1010, 0x1020],
      [0x1040, 0x1048],
    ]);
    assert.equal(scopeChainAt(root!, 0x1044)[0], fn);
    assert.deepEqual(scopeChainAt(root!, 0x1030), []);
  });

  test('DW_AT_bit_offset bitfields (counted from the MSB) become LSB bit offsets', () => {
    const type = new TypeReader().typeOf(named(root, 'flags'));
    assert.equal(type.kind, 'struct');
    if (type.kind !== 'struct') return;
    assert.deepEqual(
      type.members.map((m) => [m.name, m.bitOffset, m.bitSize]),
      [
        ['low', 0, 3],
        ['mid', 3, 5],
        ['tail', 24, undefined],
      ],
    );
    const evaluator = new FrameEvaluator(undefined, undefined, {
      readMemory: memory({ 0x2000: [0b10101_110, 0, 0, 0x41] }),
      types: new TypeReader(),
    });
    assert.equal(
      formatValue(variableValue(named(root, 'shape'), evaluator)),
      "{low = -2, mid = -11, tail = 65 'A'}",
    );
  });

  test('.debug_loc entries are chosen by the frame pc; outside them the value is optimized out', () => {
    const fn = named(root, 'fn');
    const counter = named(root, 'counter');
    const registers = new Array<number | undefined>(32).fill(0);
    registers[10] = 1234;
    const read = memory({ 0x7ffc: [0x39, 0x30, 0, 0] });
    const at = (pc: number) =>
      formatValue(
        variableValue(
          counter,
          new FrameEvaluator({ level: 0, pc, registers, cfa: 0x8000 }, fn, {
            readMemory: read,
            types: new TypeReader(),
          }),
        ),
      );
    assert.equal(at(0x1012), '1234');
    assert.equal(at(0x101a), '12345'); // fbreg -4 from the CFA 0x8000
    assert.equal(at(0x1040), '<optimized out>');
  });

  test('sdata constants, ref_udata, DW_FORM_indirect and flags', () => {
    const evaluator = new FrameEvaluator(undefined, undefined, {
      readMemory: memory({}),
      types: new TypeReader(),
    });
    assert.equal(formatValue(variableValue(named(root, 'answer'), evaluator)), '-42');
    const declared = named(root, 'declared');
    assert.equal(declared.attribute(A.declaration)?.value, true);
    assert.equal(typeName(new TypeReader().typeOfEntity(declared)), 'int');
  });
});

/** A DWARF 5 unit using strx1, addrx, implicit_const, rnglistx and loclistx through the bases. */
function dwarf5(): DwarfSections {
  const abbrev = abbreviationTable([
    {
      code: 1,
      tag: T.compile_unit,
      children: true,
      attributes: [
        [A.name, F.strx1],
        [A.str_offsets_base, F.sec_offset],
        [A.addr_base, F.sec_offset],
        [A.rnglists_base, F.sec_offset],
        [A.loclists_base, F.sec_offset],
        [A.ranges, F.rnglistx],
      ],
    },
    {
      code: 2,
      tag: T.base_type,
      children: false,
      attributes: [
        [A.name, F.strx1],
        [A.byte_size, F.implicit_const, 2],
        [A.encoding, F.data1],
      ],
    },
    {
      code: 3,
      tag: T.variable,
      children: false,
      attributes: [
        [A.name, F.string],
        [A.type, F.ref4],
        [A.location, F.loclistx],
      ],
    },
    {
      code: 4,
      tag: T.variable,
      children: false,
      attributes: [
        [A.name, F.string],
        [A.type, F.ref4],
        [A.location, F.exprloc],
      ],
    },
  ]);
  const str = new Bytes().cstr('cu5.c').cstr('short int');
  const strOffsets = new Bytes().u32(12).u16(5).u16(0).u32(0).u32(6); // header + 2 offsets
  const addr = new Bytes().u32(12).u16(5).u8(4, 0).u32(0x4000).u32(0x4010).u32(0x5000);
  const rnglists = new Bytes().u32(0).u16(5).u8(4, 0).u32(1).u32(4); // 1 offset → list at +4 from base
  rnglists.u8(3).uleb(0).uleb(0x10).u8(0); // startx_length(addr 0, 0x10), end
  const loclists = new Bytes().u32(0).u16(5).u8(4, 0).u32(1).u32(4);
  loclists.u8(2).uleb(0).uleb(1).uleb(4).u8(0x0a).u16(0x1234).u8(0x9f); // startx_endx → const2u stack_value
  loclists.u8(0);
  const v = 5 as const;
  const d = new Bytes();
  d.uleb(1).u8(0).u32(8).u32(8).u32(12).u32(12).uleb(0);
  const shortOffset = dieStart(v) + d.length;
  d.uleb(2).u8(1).u8(0x05);
  d.uleb(3).cstr('listed').u32(shortOffset).uleb(0);
  d.uleb(4).cstr('fixed').u32(shortOffset).uleb(2).u8(0xa1, 2); // DW_OP_addrx 2
  d.u8(0);
  return {
    info: unit(v, d).toArray(),
    abbrev: abbrev.toArray(),
    str: str.toArray(),
    strOffsets: strOffsets.toArray(),
    addr: addr.toArray(),
    rnglists: rnglists.toArray(),
    loclists: loclists.toArray(),
  };
}

describe('DWARF 5 index forms through the unit bases', () => {
  const program = new DwarfProgram(dwarf5());
  const root = program.units[0]!.tree;

  test('strx, implicit_const and rnglistx', () => {
    assert.deepEqual(program.problems, []);
    assert.equal(program.units[0]!.name, 'cu5.c');
    assert.equal(program.unitAt(0x4008), program.units[0]);
    assert.equal(program.unitAt(0x4010), undefined);
    const type = new TypeReader().typeOf(named(root, 'short int'));
    assert.deepEqual(type, { kind: 'base', name: 'short int', size: 2, encoding: 'signed' });
  });

  test('loclistx with startx_endx, and DW_OP_addrx', () => {
    const registers = new Array<number | undefined>(32).fill(0);
    const env = { readMemory: memory({ 0x5000: [0xfe, 0xff] }), types: new TypeReader() };
    const at = (pc: number, name: string) =>
      formatValue(
        variableValue(
          named(root, name),
          new FrameEvaluator({ level: 0, pc, registers }, undefined, env),
        ),
      );
    assert.equal(at(0x4004, 'listed'), '4660');
    assert.equal(at(0x4010, 'listed'), '<optimized out>');
    assert.equal(at(0x4004, 'fixed'), '-2');
  });
});

describe('faults stay scoped to their unit or variable', () => {
  test('a truncated unit keeps the DIEs before the cut; the next unit is unaffected', () => {
    const good = dwarf4();
    const info = good.info;
    // Two copies of the unit; the first one's last bytes claim a DIE that runs past its end.
    const broken = Uint8Array.from(info);
    const view = new DataView(broken.buffer);
    view.setUint32(0, view.getUint32(0, true) - 6, true); // cut the unit 6 bytes short
    const both = new Uint8Array(info.length * 2 - 6);
    both.set(broken.subarray(0, info.length - 6));
    both.set(info, info.length - 6);
    const program = new DwarfProgram({ ...good, info: both });
    assert.equal(program.units.length, 2);
    const first = program.units[0]!;
    assert.ok(first.tree);
    assert.ok(first.error, 'the first unit reports its fault');
    assert.equal(first.error!.section, '.debug_info');
    assert.match(first.error!.message, /truncated.*\(at \.debug_info offset 0x[0-9a-f]+\)$/);
    assert.ok(named(first.tree, 'fn'), 'DIEs before the cut are there');
    assert.equal(program.units[1]!.error, undefined);
    assert.ok(named(program.units[1]!.tree, 'declared'));
  });

  test('an unknown form ends its unit with an unsupported-form error naming the offset', () => {
    const s = dwarf4();
    const abbrev = Uint8Array.from(s.abbrev);
    // Abbreviation 2 (base_type): its DW_AT_name form DW_FORM_string → 0x7f.
    const index = abbrev.findIndex(
      (b, i) => b === 0x03 && abbrev[i + 1] === 0x08 && abbrev[i - 1] === 0,
    );
    abbrev[index + 1] = 0x7f;
    const program = new DwarfProgram({ ...s, abbrev });
    const u = program.units[0]!;
    void u.tree;
    assert.equal(u.error?.code, 'unsupported-form');
    assert.match(u.error!.message, /unknown form 0x7f \(at \.debug_info offset 0x[0-9a-f]+\)/);
  });

  test('an impossible unit length is a problem, not an exception', () => {
    const s = dwarf4();
    const info = Uint8Array.from(s.info);
    new DataView(info.buffer).setUint32(0, 0x7fff0000, true);
    const program = new DwarfProgram({ ...s, info });
    assert.equal(program.units.length, 0);
    assert.equal(program.problems.length, 1);
    assert.equal(program.problems[0]!.code, 'truncated');
  });

  test('an unknown DW_OP makes that variable an error value; the others still read', () => {
    const s = dwarf4();
    const info = Uint8Array.from(s.info);
    const at = info.findIndex(
      (b, i) => b === 5 && info[i + 1] === 0x03 && info[i + 2] === 0x00 && info[i + 3] === 0x20,
    );
    info[at + 1] = 0xe5; // DW_OP 0xe5: not assigned
    const program = new DwarfProgram({ ...s, info });
    const root = program.units[0]!.tree;
    const evaluator = new FrameEvaluator(undefined, undefined, {
      readMemory: memory({}),
      types: new TypeReader(),
    });
    const shape = formatValue(variableValue(named(root, 'shape'), evaluator));
    assert.match(
      shape,
      /^<error: DWARF: DW_OP 0xe5 is not supported \(at \.debug_info offset 0x[0-9a-f]+\)>$/,
    );
    assert.equal(formatValue(variableValue(named(root, 'answer'), evaluator)), '-42');
  });
});

describe('references across units and names without trees', () => {
  // Unit A defines `struct pair`; unit B's variable points at it with DW_FORM_ref_addr and is
  // the definition (DW_AT_specification) of a declaration in the same unit.
  const abbrev = abbreviationTable([
    { code: 1, tag: T.compile_unit, children: true, attributes: [[A.name, F.string]] },
    {
      code: 2,
      tag: T.structure_type,
      children: true,
      attributes: [
        [A.name, F.string],
        [A.byte_size, F.data1],
        [A.sibling, F.ref4],
      ],
    },
    {
      code: 3,
      tag: T.member,
      children: false,
      attributes: [
        [A.name, F.string],
        [A.type, F.ref4],
        [A.data_member_location, F.data1],
      ],
    },
    {
      code: 4,
      tag: T.base_type,
      children: false,
      attributes: [
        [A.name, F.string],
        [A.byte_size, F.data1],
        [A.encoding, F.data1],
      ],
    },
    {
      code: 5,
      tag: T.variable,
      children: false,
      attributes: [
        [A.name, F.string],
        [A.type, F.ref_addr],
        [A.declaration, F.flag_present],
        [A.external, F.flag_present],
      ],
    },
    {
      code: 6,
      tag: T.variable,
      children: false,
      attributes: [
        [A.specification, F.ref4],
        [A.location, F.exprloc],
      ],
    },
  ]);
  const a = new Bytes();
  const start = dieStart(5);
  a.uleb(1).cstr('a.c');
  const shortAt = start + a.length;
  a.uleb(4).cstr('short').u8(2, 0x05);
  const pairAt = start + a.length;
  const pairSize = 1 + 5 + 1 + 4; // code, "pair\0", byte_size, sibling
  const membersSize = (1 + 6 + 4 + 1) * 2 + 1; // two members + terminator
  a.uleb(2)
    .cstr('pair')
    .u8(4)
    .u32(pairAt + pairSize + membersSize);
  a.uleb(3).cstr('left').u32(shortAt).u8(0);
  a.uleb(3).cstr('right').u32(shortAt).u8(2);
  a.u8(0);
  a.u8(0);
  const unitA = unit(5, a);
  const b = new Bytes();
  b.uleb(1).cstr('b.c');
  const declAt = dieStart(5) + b.length;
  b.uleb(5).cstr('shared').u32(pairAt); // ref_addr: a .debug_info offset (unit A starts at 0)
  b.uleb(6).u32(declAt).uleb(5).u8(0x03).u32(0x3000);
  b.u8(0);
  const unitB = unit(5, b);
  const info = Uint8Array.from([...unitA.out, ...unitB.out]);
  const program = new DwarfProgram({ info, abbrev: abbrev.toArray() });

  test("the name index finds both units' top-level names, skipping subtrees by DW_AT_sibling", () => {
    assert.deepEqual(program.problems, []);
    assert.deepEqual(
      program.topLevelNamed('pair').map((d) => d.tag),
      [T.structure_type],
    );
    assert.deepEqual(program.topLevelNamed('left'), [], 'members are not top-level');
    assert.equal(program.topLevelNamed('shared').length, 1);
  });

  test('a definition through DW_AT_specification reads its type from another unit', () => {
    const definition = find(
      program.units[1]!.tree,
      (d) => d.tag === T.variable && d.has(A.specification),
    );
    const evaluator = new FrameEvaluator(undefined, undefined, {
      readMemory: memory({ 0x3000: [0xff, 0xff, 7, 0] }),
      types: new TypeReader(),
    });
    const value = variableValue(definition, evaluator);
    assert.equal(typeName(value.type), 'struct pair');
    assert.equal(formatValue(value), '{left = -1, right = 7}');
    assert.equal(value.address, 0x3000);
  });
});
