import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decode, INSTRUCTIONS, Op } from '../../../src/machine/riscv';
import * as A from './asm';

describe('the instruction table', () => {
  test('every match lies inside its mask and carries the right length bits', () => {
    for (const s of INSTRUCTIONS) {
      assert.equal((s.match & ~s.mask) >>> 0, 0, s.name);
      assert.equal((s.match & 3) === 3, s.length === 4, `${s.name} length`);
    }
  });

  test('names are unique', () => {
    const names = INSTRUCTIONS.map((s) => s.name);
    assert.equal(new Set(names).size, names.length);
  });

  test('overlapping entries are ordered most specific first', () => {
    // With first-match-wins, an entry that overlaps a later one must be the narrower one.
    for (let i = 0; i < INSTRUCTIONS.length; i++) {
      for (let j = i + 1; j < INSTRUCTIONS.length; j++) {
        const a = INSTRUCTIONS[i];
        const b = INSTRUCTIONS[j];
        if (a.length !== b.length) continue;
        const common = (a.mask & b.mask) >>> 0;
        if (((a.match ^ b.match) & common) !== 0) continue; // disjoint
        assert.equal(
          (a.mask & b.mask) >>> 0,
          b.mask >>> 0,
          `${a.name} overlaps the later ${b.name} but is not narrower`,
        );
      }
    }
  });

  test('random encodings of each entry decode to that entry (or to a narrower one before it)', () => {
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0);
    for (const spec of INSTRUCTIONS) {
      let hits = 0;
      for (let i = 0; i < 200; i++) {
        const free = spec.length === 4 ? ~spec.mask >>> 0 : ~spec.mask & 0xffff;
        const raw = ((next() & free) | spec.match) >>> 0;
        const d = decode(raw);
        if (d.spec === spec) hits++;
        else if (d.op !== Op.ILLEGAL) {
          const idx = INSTRUCTIONS.indexOf(d.spec!);
          assert.ok(
            idx < INSTRUCTIONS.indexOf(spec),
            `${spec.name} decoded as later ${d.spec!.name}`,
          );
        }
      }
      assert.ok(hits > 0, `${spec.name} never decoded`);
    }
  });

  test('the assembler and the decoder agree on every 32-bit instruction', () => {
    const cases: [string, number][] = [
      ['lui', A.lui(5, 0x12345)], ['auipc', A.auipc(5, 1)], ['jal', A.jal(1, -2048)],
      ['jalr', A.jalr(1, 2, -4)], ['beq', A.beq(1, 2, 8)], ['bne', A.bne(1, 2, -8)],
      ['blt', A.blt(1, 2, 4094)], ['bge', A.bge(1, 2, -4096)], ['bltu', A.bltu(1, 2, 2)],
      ['bgeu', A.bgeu(1, 2, 2)], ['lb', A.lb(1, 2, -1)], ['lh', A.lh(1, 2, 2)], ['lw', A.lw(1, 2, 4)],
      ['lbu', A.lbu(1, 2, 0)], ['lhu', A.lhu(1, 2, 0)], ['sb', A.sb(1, 2, -2048)],
      ['sh', A.sh(1, 2, 2047)], ['sw', A.sw(1, 2, 0)], ['addi', A.addi(1, 2, 3)],
      ['slti', A.slti(1, 2, 3)], ['sltiu', A.sltiu(1, 2, 3)], ['xori', A.xori(1, 2, 3)],
      ['ori', A.ori(1, 2, 3)], ['andi', A.andi(1, 2, 3)], ['slli', A.slli(1, 2, 31)],
      ['srli', A.srli(1, 2, 31)], ['srai', A.srai(1, 2, 31)], ['add', A.add(1, 2, 3)],
      ['sub', A.sub(1, 2, 3)], ['sll', A.sll(1, 2, 3)], ['slt', A.slt(1, 2, 3)],
      ['sltu', A.sltu(1, 2, 3)], ['xor', A.xor(1, 2, 3)], ['srl', A.srl(1, 2, 3)],
      ['sra', A.sra(1, 2, 3)], ['or', A.or(1, 2, 3)], ['and', A.and(1, 2, 3)],
      ['fence', A.fence()], ['fence.i', A.fence_i()], ['ecall', A.ecall()], ['ebreak', A.ebreak()],
      ['mret', A.mret()], ['wfi', A.wfi()], ['mul', A.mul(1, 2, 3)], ['mulh', A.mulh(1, 2, 3)],
      ['mulhsu', A.mulhsu(1, 2, 3)], ['mulhu', A.mulhu(1, 2, 3)], ['div', A.div(1, 2, 3)],
      ['divu', A.divu(1, 2, 3)], ['rem', A.rem(1, 2, 3)], ['remu', A.remu(1, 2, 3)],
      ['lr.w', A.lr_w(1, 2)], ['sc.w', A.sc_w(1, 2, 3)], ['amoswap.w', A.amoswap_w(1, 2, 3)],
      ['amoadd.w', A.amoadd_w(1, 2, 3)], ['amoxor.w', A.amoxor_w(1, 2, 3)],
      ['amoand.w', A.amoand_w(1, 2, 3)], ['amoor.w', A.amoor_w(1, 2, 3)],
      ['amomin.w', A.amomin_w(1, 2, 3)], ['amomax.w', A.amomax_w(1, 2, 3)],
      ['amominu.w', A.amominu_w(1, 2, 3)], ['amomaxu.w', A.amomaxu_w(1, 2, 3)],
      ['csrrw', A.csrrw(1, 0x340, 2)], ['csrrs', A.csrrs(1, 0x340, 2)],
      ['csrrc', A.csrrc(1, 0x340, 2)], ['csrrwi', A.csrrwi(1, 0x340, 2)],
      ['csrrsi', A.csrrsi(1, 0x340, 2)], ['csrrci', A.csrrci(1, 0x340, 2)],
    ]; // prettier-ignore
    const all32 = INSTRUCTIONS.filter((s) => s.length === 4).map((s) => s.name);
    assert.deepEqual(cases.map(([n]) => n).sort(), [...all32].sort(), 'every entry has a case');
    for (const [name, raw] of cases) assert.equal(decode(raw).spec?.name, name, name);
  });

  test('decoded immediates: branch, jump and store offsets at their extremes', () => {
    assert.equal(decode(A.beq(1, 2, -4096)).imm, -4096);
    assert.equal(decode(A.bne(1, 2, 4094)).imm, 4094);
    assert.equal(decode(A.jal(0, -(1 << 20))).imm, -(1 << 20));
    assert.equal(decode(A.jal(0, (1 << 20) - 2)).imm, (1 << 20) - 2);
    assert.equal(decode(A.sw(1, 2, -2048)).imm, -2048);
    assert.equal(decode(A.sw(1, 2, 2047)).imm, 2047);
    assert.equal(decode(A.lui(1, 0xfffff)).imm, 0xfffff000 | 0);
    assert.equal(decode(A.c_j(-2048)).imm, -2048);
    assert.equal(decode(A.c_j(2046)).imm, 2046);
    assert.equal(decode(A.c_beqz(8, -256)).imm, -256);
  });
});
