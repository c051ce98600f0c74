import { ATTENTION_RELOAD, Cause, ENTRY_LONG } from './constants';
import { decode } from './decode';
import type { BlockTable, CompiledBlock, HartCode, HartCore } from './hart-core';
import { compileBlock } from './jit';
import { Op } from './ops';

/**
 * The decoded-instruction cache. Code is cached per 4 KiB page in an Int32Array with two slots
 * per halfword address: `[pc & 0xffe]` holds the packed entry (op | rd<<8 | rs1<<13 | rs2<<18 |
 * long<<23, 0 = not decoded) and `[(pc & 0xffe) + 1]` the immediate.
 *
 * Exactness: every store the hart makes checks `marked[page]` and, on a page holding decoded
 * code, clears the slots the written bytes can belong to (a 32-bit instruction starting 2 bytes
 * earlier included, across a page boundary too). fence.i and invalidateAll() clear everything;
 * the memory system calls invalidate()/invalidateAll() for writes the hart does not make itself
 * and for topology changes. Pages the bus reports as not cacheable (MMIO) are decoded on every
 * fetch. Breakpoints are decoded as Op.BREAKPOINT, so arming them costs nothing per instruction.
 *
 * Each cached page also has a BlockTable of compiled blocks (jit.ts); any invalidation touching
 * a page drops all of its blocks, since a block may span the written slot.
 */
export const PAGE_SLOTS = 4096;
export { ENTRY_LONG };

const newBlockTable = (fill: null | undefined): BlockTable => ({
  blocks: new Array<CompiledBlock | null | undefined>(PAGE_SLOTS / 2).fill(fill),
  heat: new Uint8Array(PAGE_SLOTS / 2),
  used: false,
});

export class CodeCache implements HartCode {
  private readonly pages = new Map<number, Int32Array>();
  /** 1 for every page number that holds (part of) a decoded instruction. */
  readonly marked = new Uint8Array(1 << 20);
  /** Where uncacheable fetches are decoded; the loop clears the slot after reading it. */
  readonly scratch = new Int32Array(PAGE_SLOTS);
  private readonly breakpoints = new Set<number>();
  private maskedBreakpoint = -1;
  /** Pages whose cacheability must be asked again (see externalWrite). */
  private readonly recheck = new Set<number>();
  private readonly blockTables = new Map<number, BlockTable>();
  /** The table of pages that get no blocks (uncacheable, or the JIT is off): all null. */
  readonly noBlocks: BlockTable = newBlockTable(null);

  constructor(
    private readonly hart: HartCore,
    /** Visits of a slot before its block is compiled; Infinity turns the compiler off. */
    public jitThreshold: number,
  ) {}

  /** The block table for the page of `pc` (call after pageFor). */
  blocksFor(pc: number): BlockTable {
    const pn = pc >>> 12;
    if (this.jitThreshold === Infinity || !this.pages.has(pn)) return this.noBlocks;
    let table = this.blockTables.get(pn);
    if (table === undefined) {
      table = newBlockTable(undefined);
      this.blockTables.set(pn, table);
    }
    return table;
  }

  /** How many compiled blocks exist now (diagnostics and tests). */
  compiledBlockCount(): number {
    let count = 0;
    for (const table of this.blockTables.values()) {
      for (const block of table.blocks) if (block) count++;
    }
    return count;
  }

  /**
   * Compiles (or marks as not compilable) the block at `pc` of `page` into `table`. If the host
   * forbids generating code (`new Function` under a strict Content-Security-Policy), the compiler
   * turns itself off and the interpreter carries on.
   */
  compile(table: BlockTable, page: Int32Array, pc: number, alignMask: number): void {
    const slot = (pc & 0xffe) >>> 1;
    let block: CompiledBlock | null | undefined = null;
    try {
      block = compileBlock(page, pc, alignMask, this);
    } catch {
      this.jitThreshold = Infinity;
    }
    if (block === undefined) {
      table.heat[slot] = 0; // too little decoded yet: try again after more visits
      return;
    }
    table.blocks[slot] = block;
    table.used = true;
  }

  /** The page array to fetch decoded entries of `pc` from (the scratch page when uncacheable). */
  pageFor(pc: number): Int32Array {
    const pn = pc >>> 12;
    let page = this.pages.get(pn);
    if (page === undefined) {
      if (!this.hart.bus.isCodeCacheable(pc >>> 0)) return this.scratch;
      page = new Int32Array(PAGE_SLOTS);
      this.pages.set(pn, page);
    }
    return page;
  }

  /**
   * Fetches and decodes the instruction at `pc` into `page`, returning the packed entry; 0 when
   * the fetch failed (the access-fault trap has then been entered).
   */
  fill(pc: number, page: Int32Array, idx: number): number {
    const bus = this.hart.bus;
    const compressed = this.hart.csr.compressedEnabled;
    const lo = bus.fetch16(pc >>> 0);
    if (bus.status !== 0) {
      this.hart.raiseException(Cause.InstructionAccessFault, pc, pc);
      return 0;
    }
    let raw = lo;
    let long = false;
    if ((lo & 3) === 3) {
      const hi = bus.fetch16((pc + 2) >>> 0);
      if (bus.status !== 0) {
        this.hart.raiseException(Cause.InstructionAccessFault, pc + 2, pc);
        return 0;
      }
      raw = (lo | (hi << 16)) >>> 0;
      long = true;
    }
    const d = decode(raw, compressed);
    let op: Op = d.op;
    if (d.rd === 0 && writesRdOnly(op)) op = Op.NOP;
    if (pc >>> 0 !== this.maskedBreakpoint && this.breakpoints.has(pc >>> 0)) op = Op.BREAKPOINT;
    const entry = op | (d.rd << 8) | (d.rs1 << 13) | (d.rs2 << 18) | (long ? ENTRY_LONG : 0);
    page[idx] = entry;
    page[idx + 1] = d.imm;
    this.marked[pc >>> 12] = 1;
    if (long && idx === 0xffe) {
      // The instruction's upper half lies on the next page: that page must be cacheable too
      // (which also has the memory system watch it for writes), or the slot stays uncached.
      if (bus.isCodeCacheable((pc + 2) >>> 0)) this.marked[((pc + 2) >>> 12) & 0xfffff] = 1;
      else page[idx] = 0; // the caller still reads the immediate from page[idx + 1]
    }
    return entry;
  }

  /**
   * Forgets decoded instructions that overlap bytes [address, address + size) and the compiled
   * blocks of their pages. Returns whether anything decoded was there (a data store into a page
   * that also holds code returns false and costs nothing more).
   */
  invalidate(address: number, size: number): boolean {
    // An instruction starting up to 2 bytes before the write can contain written bytes.
    const first = (address - 2) & ~1;
    const slots = ((((address + size - 1) & ~1) - first) >>> 1) + 1;
    let hit = false;
    for (let i = 0, a = first; i < slots; i++, a = (a + 2) | 0) {
      const page = this.pages.get(a >>> 12);
      if (page === undefined || page[a & 0xffe] === 0) continue;
      page[a & 0xffe] = 0;
      hit = true;
      // Blocks are built only from decoded slots, so only a decoded slot can lie in one; a
      // block may span it: drop every block of the page.
      const table = this.blockTables.get(a >>> 12);
      if (table !== undefined && table.used) {
        table.blocks.fill(undefined);
        table.heat.fill(0);
        table.used = false;
      }
    }
    return hit;
  }

  /**
   * A write the hart did not make (debugger, DMA, loader, or the memory engine's code-write
   * hook): forgets the overlapping decoded slots and, before the next instruction, asks the bus
   * again whether the pages may stay cached (which re-arms the engine's code protection, as
   * QEMU's tlb_protect_code does when a new translation block is made).
   */
  externalWrite(address: number, size: number): void {
    this.invalidate(address, size);
    const first = (address - 2) >>> 12;
    const last = (address + size - 1) >>> 12;
    for (let p = first; ; p = (p + 1) & 0xfffff) {
      if (this.pages.has(p)) this.recheck.add(p);
      if (p === last) break;
    }
    if (this.recheck.size > 0) this.hart.attention |= ATTENTION_RELOAD;
  }

  /** Re-asks cacheability for pages queued by externalWrite (called by the loop on reload). */
  revalidate(): void {
    for (const p of this.recheck) {
      const page = this.pages.get(p);
      if (page !== undefined && !this.hart.bus.isCodeCacheable(p * 4096)) {
        page.fill(0);
        this.pages.delete(p);
        this.blockTables.delete(p);
        this.marked[p] = 0;
      }
    }
    this.recheck.clear();
  }

  /**
   * Drops every page, so cacheability is asked again (a memory-map change may have turned RAM
   * into MMIO). The old arrays are zeroed too, and the loop is told to look its page up again.
   */
  invalidateAll(): void {
    for (const page of this.pages.values()) page.fill(0);
    this.pages.clear();
    this.blockTables.clear();
    this.recheck.clear();
    this.marked.fill(0);
    this.hart.attention |= ATTENTION_RELOAD;
  }

  addBreakpoint(address: number): void {
    this.breakpoints.add(address);
    this.invalidate(address, 2);
  }

  removeBreakpoint(address: number): void {
    if (this.breakpoints.delete(address)) this.invalidate(address, 2);
  }

  clearBreakpoints(): void {
    for (const a of this.breakpoints) this.invalidate(a, 2);
    this.breakpoints.clear();
  }

  hasBreakpoint(address: number): boolean {
    return this.breakpoints.has(address);
  }

  /** Disarms the breakpoint at `address` (-1: none) until called again; re-decodes its slot. */
  maskBreakpoint(address: number): void {
    this.maskedBreakpoint = address;
    if (address >= 0) this.invalidate(address, 2);
  }
}

/** Operations whose only effect is writing rd: with rd = x0 they are no-ops. */
function writesRdOnly(op: Op): boolean {
  return (
    (op >= Op.LUI && op <= Op.AUIPC) ||
    (op >= Op.ADDI && op <= Op.AND) ||
    (op >= Op.MUL && op <= Op.REMU)
  );
}
