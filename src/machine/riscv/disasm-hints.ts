import type { Decoded } from './decode';

/**
 * objdump's address hints: after `lui`/`auipc` (or `c.lui`) loads a register, the next
 * instruction that uses it as a base (`addi` with a non-zero base, a load, a store or `jalr`)
 * (also `c.addi`) gets ` # <address> <sym+off>` with the address it forms. Bases `zero` and `tp` also print
 * their plain offset. This follows binutils 2.40 riscv-dis.c (maybe_print_address and the `d`,
 * `o`, `j`, `q` and `s` operand cases) so a listing matches `objdump -d` line for line; state
 * carries from one instruction to the next, as in one objdump run.
 */
export class DisassemblyContext {
  /** Upper address per register set by lui/auipc, consumed by its first use as a base. */
  private readonly hi: (number | undefined)[] = new Array<number | undefined>(32);

  /** @param globalPointer the `__global_pointer$` value when known (gp-relative hints). */
  constructor(readonly globalPointer?: number) {}

  /** The hint text (` # 80001234 <sym>`) for `d` at `address`, updating the state. */
  hint(d: Decoded, address: number, format: (target: number) => string): string {
    const spec = d.spec;
    if (!spec) return '';
    const { rd, rs1, imm } = d;
    let target: number | undefined;
    const maybe = (base: number, offset: number) => {
      const hi = this.hi[base];
      if (hi !== undefined) {
        target = (base !== 0 ? hi : 0) + offset;
        this.hi[base] = undefined;
      } else if (base === 3 && this.globalPointer !== undefined) {
        target = this.globalPointer + offset;
      } else if (base === 4 || base === 0) {
        target = offset;
      }
    };
    switch (spec.format) {
      case 'U':
        this.hi[rd] = spec.name === 'auipc' ? (address + imm) | 0 : imm;
        break;
      case 'CIlui':
        this.hi[rd] = imm;
        break;
      case 'load':
        maybe(rs1, imm);
        break;
      case 'S':
        maybe(rs1, imm);
        break;
      case 'jalr':
        if (imm === 0 && rd === 0 && rs1 === 1) break; // `ret` prints no operands
        // `jr rs`/`jalr rs` (imm 0, the `s` operand) check once; the `o(s)` forms fall through
        // from `o` to `j` in objdump and check twice.
        maybe(rs1, imm);
        if (!(imm === 0 && (rd === 0 || rd === 1))) maybe(rs1, imm);
        break;
      case 'I':
        // Only `addi` printed with its immediate operand (not `li`, `mv` or `nop`).
        if (spec.name === 'addi' && rs1 !== 0 && imm !== 0) maybe(rs1, imm);
        break;
      case 'CI':
        // c.addi (`add rd,rd,imm`): its `Cj` operand checks rd as the base.
        if (spec.name === 'c.addi' && rd !== 0) maybe(rd, imm);
        break;
      default:
        break;
    }
    return target === undefined ? '' : ` # ${format(target >>> 0)}`;
  }
}
