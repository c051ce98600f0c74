import { Op } from './ops';

/**
 * The one declarative description of the instruction set this core implements. It feeds the
 * decoder (decode.ts), the disassembler (disasm.ts), the tests' assembler and the golden-file
 * generator. An encoding matches an entry when `(bits & mask) === match`; the first matching
 * entry in table order wins (so specific entries such as `c.addi16sp` precede general ones).
 */
export type Extension = 'I' | 'M' | 'A' | 'C' | 'Zicsr' | 'Zifencei';

/** Operand layout of a 32-bit instruction. */
export type Format32 =
  | 'R' // rd, rs1, rs2
  | 'I' // rd, rs1, imm[11:0]
  | 'Ishift' // rd, rs1, shamt[4:0] (shamt[5] set is illegal on RV32)
  | 'load' // rd, imm(rs1)
  | 'S' // rs2, imm(rs1)
  | 'B' // rs1, rs2, pc-relative target
  | 'U' // rd, imm[31:12]
  | 'J' // rd, pc-relative target
  | 'jalr' // rd, imm(rs1)
  | 'csr' // rd, csr, rs1
  | 'csri' // rd, csr, uimm[4:0]
  | 'amo' // rd, rs2, (rs1) with aq/rl
  | 'lr' // rd, (rs1) with aq/rl
  | 'fence' // pred, succ (fm, rs1, rd ignored as the spec requires)
  | 'none'; // no operands

/**
 * Operand layout of a compressed instruction; each names the field and immediate scrambling of
 * its encoding (RISC-V unprivileged spec, chapter "C" tables 16.5/16.6).
 */
export type FormatC =
  | 'CIW' // c.addi4spn: rd', nzuimm (x2 implied)
  | 'CL' // c.lw: rd', uimm(rs1')
  | 'CS' // c.sw: rs2', uimm(rs1')
  | 'CI' // c.addi/c.li: rd, imm[5:0]
  | 'CI16sp' // c.addi16sp: nzimm[9:4]
  | 'CIlui' // c.lui: rd, nzimm[17:12]
  | 'CIshift' // c.slli: rd, shamt
  | 'CIlwsp' // c.lwsp: rd, uimm(x2)
  | 'CBshift' // c.srli/c.srai: rd', shamt
  | 'CBandi' // c.andi: rd', imm[5:0]
  | 'CA' // c.sub/xor/or/and: rd', rs2'
  | 'CJ' // c.j/c.jal: target
  | 'CB' // c.beqz/c.bnez: rs1', target
  | 'CR' // c.mv/c.add/c.jr/c.jalr: rd/rs1, rs2
  | 'CSS' // c.swsp: rs2, uimm(x2)
  | 'Cnone'; // c.ebreak

export interface InstructionSpec {
  /** Mnemonic as `objdump -M no-aliases` prints it. */
  readonly name: string;
  readonly ext: Extension;
  readonly length: 2 | 4;
  readonly format: Format32 | FormatC;
  readonly match: number;
  readonly mask: number;
  /** The operation executed (for compressed entries: that of the 32-bit expansion). */
  readonly op: Op;
}

const MASK_OPCODE = 0x7f;
const MASK_F3 = 0x707f;
const MASK_F7 = 0xfe00707f;

function i32(name: string, ext: Extension, format: Format32, op: Op, match: number, mask: number) {
  return { name, ext, length: 4, format, match: match >>> 0, mask: mask >>> 0, op } as const;
}
/** An entry identified by opcode only. */
const opc = (n: string, e: Extension, f: Format32, op: Op, opcode: number) =>
  i32(n, e, f, op, opcode, MASK_OPCODE);
/** An entry identified by opcode and funct3. */
const f3 = (n: string, e: Extension, f: Format32, op: Op, opcode: number, funct3: number) =>
  i32(n, e, f, op, opcode | (funct3 << 12), MASK_F3);
/** An entry identified by opcode, funct3 and funct7. */
const f7 = (
  n: string,
  e: Extension,
  f: Format32,
  op: Op,
  opcode: number,
  funct3: number,
  funct7: number,
) => i32(n, e, f, op, opcode | (funct3 << 12) | (funct7 << 25), MASK_F7);
/** An AMO: funct5 in bits 31:27, aq/rl free; LR additionally requires rs2 = 0. */
const amo = (n: string, op: Op, funct5: number, isLr = false) =>
  i32(
    n,
    'A',
    isLr ? 'lr' : 'amo',
    op,
    0x2f | (2 << 12) | (funct5 << 27),
    isLr ? 0xf9f0707f : 0xf800707f,
  );
function c16(name: string, format: FormatC, op: Op, match: number, mask: number) {
  return { name, ext: 'C', length: 2, format, match, mask, op } as const;
}

const OP_LUI = 0x37,
  OP_AUIPC = 0x17,
  OP_JAL = 0x6f,
  OP_JALR = 0x67,
  OP_BRANCH = 0x63,
  OP_LOAD = 0x03,
  OP_STORE = 0x23,
  OP_IMM = 0x13,
  OP_REG = 0x33,
  OP_MISC_MEM = 0x0f,
  OP_SYSTEM = 0x73;

export const INSTRUCTIONS: readonly InstructionSpec[] = [
  // RV32I
  opc('lui', 'I', 'U', Op.LUI, OP_LUI),
  opc('auipc', 'I', 'U', Op.AUIPC, OP_AUIPC),
  opc('jal', 'I', 'J', Op.JAL, OP_JAL),
  f3('jalr', 'I', 'jalr', Op.JALR, OP_JALR, 0),
  f3('beq', 'I', 'B', Op.BEQ, OP_BRANCH, 0),
  f3('bne', 'I', 'B', Op.BNE, OP_BRANCH, 1),
  f3('blt', 'I', 'B', Op.BLT, OP_BRANCH, 4),
  f3('bge', 'I', 'B', Op.BGE, OP_BRANCH, 5),
  f3('bltu', 'I', 'B', Op.BLTU, OP_BRANCH, 6),
  f3('bgeu', 'I', 'B', Op.BGEU, OP_BRANCH, 7),
  f3('lb', 'I', 'load', Op.LB, OP_LOAD, 0),
  f3('lh', 'I', 'load', Op.LH, OP_LOAD, 1),
  f3('lw', 'I', 'load', Op.LW, OP_LOAD, 2),
  f3('lbu', 'I', 'load', Op.LBU, OP_LOAD, 4),
  f3('lhu', 'I', 'load', Op.LHU, OP_LOAD, 5),
  f3('sb', 'I', 'S', Op.SB, OP_STORE, 0),
  f3('sh', 'I', 'S', Op.SH, OP_STORE, 1),
  f3('sw', 'I', 'S', Op.SW, OP_STORE, 2),
  f3('addi', 'I', 'I', Op.ADDI, OP_IMM, 0),
  f3('slti', 'I', 'I', Op.SLTI, OP_IMM, 2),
  f3('sltiu', 'I', 'I', Op.SLTIU, OP_IMM, 3),
  f3('xori', 'I', 'I', Op.XORI, OP_IMM, 4),
  f3('ori', 'I', 'I', Op.ORI, OP_IMM, 6),
  f3('andi', 'I', 'I', Op.ANDI, OP_IMM, 7),
  f7('slli', 'I', 'Ishift', Op.SLLI, OP_IMM, 1, 0x00),
  f7('srli', 'I', 'Ishift', Op.SRLI, OP_IMM, 5, 0x00),
  f7('srai', 'I', 'Ishift', Op.SRAI, OP_IMM, 5, 0x20),
  f7('add', 'I', 'R', Op.ADD, OP_REG, 0, 0x00),
  f7('sub', 'I', 'R', Op.SUB, OP_REG, 0, 0x20),
  f7('sll', 'I', 'R', Op.SLL, OP_REG, 1, 0x00),
  f7('slt', 'I', 'R', Op.SLT, OP_REG, 2, 0x00),
  f7('sltu', 'I', 'R', Op.SLTU, OP_REG, 3, 0x00),
  f7('xor', 'I', 'R', Op.XOR, OP_REG, 4, 0x00),
  f7('srl', 'I', 'R', Op.SRL, OP_REG, 5, 0x00),
  f7('sra', 'I', 'R', Op.SRA, OP_REG, 5, 0x20),
  f7('or', 'I', 'R', Op.OR, OP_REG, 6, 0x00),
  f7('and', 'I', 'R', Op.AND, OP_REG, 7, 0x00),
  // FENCE ignores fm, rs1 and rd (the spec reserves them for future use; cores must ignore).
  f3('fence', 'I', 'fence', Op.FENCE, OP_MISC_MEM, 0),
  i32('ecall', 'I', 'none', Op.ECALL, 0x00000073, 0xffffffff),
  i32('ebreak', 'I', 'none', Op.EBREAK, 0x00100073, 0xffffffff),
  i32('mret', 'I', 'none', Op.MRET, 0x30200073, 0xffffffff),
  i32('wfi', 'I', 'none', Op.WFI, 0x10500073, 0xffffffff),
  // Zifencei: imm and registers are reserved and ignored.
  f3('fence.i', 'Zifencei', 'none', Op.FENCE_I, OP_MISC_MEM, 1),
  // M
  f7('mul', 'M', 'R', Op.MUL, OP_REG, 0, 0x01),
  f7('mulh', 'M', 'R', Op.MULH, OP_REG, 1, 0x01),
  f7('mulhsu', 'M', 'R', Op.MULHSU, OP_REG, 2, 0x01),
  f7('mulhu', 'M', 'R', Op.MULHU, OP_REG, 3, 0x01),
  f7('div', 'M', 'R', Op.DIV, OP_REG, 4, 0x01),
  f7('divu', 'M', 'R', Op.DIVU, OP_REG, 5, 0x01),
  f7('rem', 'M', 'R', Op.REM, OP_REG, 6, 0x01),
  f7('remu', 'M', 'R', Op.REMU, OP_REG, 7, 0x01),
  // A
  amo('lr.w', Op.LR_W, 0x02, true),
  amo('sc.w', Op.SC_W, 0x03),
  amo('amoswap.w', Op.AMOSWAP_W, 0x01),
  amo('amoadd.w', Op.AMOADD_W, 0x00),
  amo('amoxor.w', Op.AMOXOR_W, 0x04),
  amo('amoand.w', Op.AMOAND_W, 0x0c),
  amo('amoor.w', Op.AMOOR_W, 0x08),
  amo('amomin.w', Op.AMOMIN_W, 0x10),
  amo('amomax.w', Op.AMOMAX_W, 0x14),
  amo('amominu.w', Op.AMOMINU_W, 0x18),
  amo('amomaxu.w', Op.AMOMAXU_W, 0x1c),
  // Zicsr
  f3('csrrw', 'Zicsr', 'csr', Op.CSRRW, OP_SYSTEM, 1),
  f3('csrrs', 'Zicsr', 'csr', Op.CSRRS, OP_SYSTEM, 2),
  f3('csrrc', 'Zicsr', 'csr', Op.CSRRC, OP_SYSTEM, 3),
  f3('csrrwi', 'Zicsr', 'csri', Op.CSRRWI, OP_SYSTEM, 5),
  f3('csrrsi', 'Zicsr', 'csri', Op.CSRRSI, OP_SYSTEM, 6),
  f3('csrrci', 'Zicsr', 'csri', Op.CSRRCI, OP_SYSTEM, 7),
  // C, quadrant 0 (c.fld/c.flw/c.fsd/c.fsw need F/D and are illegal here)
  c16('c.addi4spn', 'CIW', Op.ADDI, 0x0000, 0xe003),
  c16('c.lw', 'CL', Op.LW, 0x4000, 0xe003),
  c16('c.sw', 'CS', Op.SW, 0xc000, 0xe003),
  // C, quadrant 1
  c16('c.addi', 'CI', Op.ADDI, 0x0001, 0xe003),
  c16('c.jal', 'CJ', Op.JAL, 0x2001, 0xe003),
  c16('c.li', 'CI', Op.ADDI, 0x4001, 0xe003),
  c16('c.addi16sp', 'CI16sp', Op.ADDI, 0x6101, 0xef83),
  c16('c.lui', 'CIlui', Op.LUI, 0x6001, 0xe003),
  c16('c.srli', 'CBshift', Op.SRLI, 0x8001, 0xec03),
  c16('c.srai', 'CBshift', Op.SRAI, 0x8401, 0xec03),
  c16('c.andi', 'CBandi', Op.ANDI, 0x8801, 0xec03),
  c16('c.sub', 'CA', Op.SUB, 0x8c01, 0xfc63),
  c16('c.xor', 'CA', Op.XOR, 0x8c21, 0xfc63),
  c16('c.or', 'CA', Op.OR, 0x8c41, 0xfc63),
  c16('c.and', 'CA', Op.AND, 0x8c61, 0xfc63),
  c16('c.j', 'CJ', Op.JAL, 0xa001, 0xe003),
  c16('c.beqz', 'CB', Op.BEQ, 0xc001, 0xe003),
  c16('c.bnez', 'CB', Op.BNE, 0xe001, 0xe003),
  // C, quadrant 2
  c16('c.slli', 'CIshift', Op.SLLI, 0x0002, 0xe003),
  c16('c.lwsp', 'CIlwsp', Op.LW, 0x4002, 0xe003),
  c16('c.jr', 'CR', Op.JALR, 0x8002, 0xf07f),
  c16('c.mv', 'CR', Op.ADD, 0x8002, 0xf003),
  c16('c.ebreak', 'Cnone', Op.EBREAK, 0x9002, 0xffff),
  c16('c.jalr', 'CR', Op.JALR, 0x9002, 0xf07f),
  c16('c.add', 'CR', Op.ADD, 0x9002, 0xf003),
  c16('c.swsp', 'CSS', Op.SW, 0xc002, 0xe003),
];

/** ABI register names, indexed by register number, as objdump prints them. */
export const ABI_NAMES: readonly string[] = [
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
]; // prettier-ignore
