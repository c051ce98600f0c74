/*
 * RamBlock: the host storage behind RAM, ROM, ROM-device and RAM-device regions (QEMU
 * physmem.c RAMBlock). Ordinary sizes get one contiguous Uint8Array, which the access half can
 * wrap in a DataView for its fast path; huge sizes (a 2^40-byte RAM is a legal board) get
 * lazily allocated pages, zero until first written. Resizeable blocks reserve their maximum
 * and change only `usedLength`.
 */

/** Blocks up to this many bytes (of max length) are stored contiguously. */
export const RAM_CONTIGUOUS_LIMIT = 256 * 1024 * 1024;
/** Page size of sparse blocks (bytes). */
export const RAM_SPARSE_PAGE_SIZE = 64 * 1024;

const SPARSE_PAGE_SHIFT = 16;

/** Options of a RamBlock. */
export interface RamBlockOptions {
  /** Largest size the block may be resized to (resizeable blocks only). */
  readonly maxLength?: number;
  /** Whether `resize` is allowed. */
  readonly resizeable?: boolean;
  /** Force sparse storage even for small sizes (tests, very large maps). */
  readonly sparse?: boolean;
}

/**
 * RamBlock: byte storage with a used length. Offsets are numbers (RAM blocks are below 2^53
 * bytes); every accessor checks bounds against `usedLength` and throws a RangeError on misuse
 * (guest accesses never reach here out of range: the flat view clips them).
 */
export class RamBlock {
  /** Name of the block (the region name; QEMU uses it as the migration id). */
  readonly name: string;
  /** Bytes currently in use (the region's size rounded as the caller chose). */
  usedLength: number;
  /** Bytes reserved; equal to usedLength unless resizeable. */
  readonly maxLength: number;
  /** Whether `resize` is allowed. */
  readonly resizeable: boolean;
  /**
   * The whole block when stored contiguously (length maxLength), else null. The access half's
   * fast path reads and writes this directly.
   */
  readonly contiguous: Uint8Array | null;
  private readonly pages: Map<number, Uint8Array> | null;

  constructor(name: string, length: number, options: RamBlockOptions = {}) {
    const maxLength = options.maxLength ?? length;
    if (!Number.isSafeInteger(length) || length < 0) {
      throw new RangeError(`RAM block '${name}': length must be a safe integer (got ${length})`);
    }
    if (!Number.isSafeInteger(maxLength) || maxLength < length) {
      throw new RangeError(
        `RAM block '${name}': max length ${maxLength} is smaller than length ${length}`,
      );
    }
    this.name = name;
    this.usedLength = length;
    this.maxLength = maxLength;
    this.resizeable = options.resizeable ?? false;
    const sparse = options.sparse === true || maxLength > RAM_CONTIGUOUS_LIMIT;
    this.contiguous = sparse ? null : new Uint8Array(maxLength);
    this.pages = sparse ? new Map() : null;
  }

  /** True when the block is stored as lazily allocated pages. */
  get isSparse(): boolean {
    return this.contiguous === null;
  }

  /** Number of pages actually allocated (sparse blocks; 0 for contiguous ones). */
  get allocatedPages(): number {
    return this.pages?.size ?? 0;
  }

  /**
   * Changes the used length (qemu_ram_resize without the dirty/region parts, which the caller
   * handles). Throws if the block is not resizeable or @newLength exceeds maxLength. Bytes
   * beyond the new length are cleared so that growing again exposes zeroes.
   */
  resize(newLength: number): void {
    if (!this.resizeable) throw new Error(`RAM block '${this.name}' is not resizeable`);
    if (!Number.isSafeInteger(newLength) || newLength < 0 || newLength > this.maxLength) {
      throw new RangeError(
        `RAM block '${this.name}': new length ${newLength} exceeds max length ${this.maxLength}`,
      );
    }
    if (newLength < this.usedLength) this.fill(newLength, this.usedLength - newLength, 0, true);
    this.usedLength = newLength;
  }

  /** Copies @target.length bytes starting at @offset into @target. */
  read(offset: number, target: Uint8Array): void {
    this.check(offset, target.length);
    if (this.contiguous) {
      target.set(this.contiguous.subarray(offset, offset + target.length));
      return;
    }
    let done = 0;
    while (done < target.length) {
      const at = offset + done;
      const inPage = at & (RAM_SPARSE_PAGE_SIZE - 1);
      const n = Math.min(RAM_SPARSE_PAGE_SIZE - inPage, target.length - done);
      const page = this.pages!.get(Math.floor(at / RAM_SPARSE_PAGE_SIZE));
      if (page) target.set(page.subarray(inPage, inPage + n), done);
      else target.fill(0, done, done + n);
      done += n;
    }
  }

  /** Copies @source into the block at @offset. */
  write(offset: number, source: Uint8Array): void {
    this.check(offset, source.length);
    if (this.contiguous) {
      this.contiguous.set(source, offset);
      return;
    }
    let done = 0;
    while (done < source.length) {
      const at = offset + done;
      const inPage = at & (RAM_SPARSE_PAGE_SIZE - 1);
      const n = Math.min(RAM_SPARSE_PAGE_SIZE - inPage, source.length - done);
      this.page(at, true)!.set(source.subarray(done, done + n), inPage);
      done += n;
    }
  }

  /** Fills @length bytes at @offset with @value. */
  fill(offset: number, length: number, value: number, beyondUsed = false): void {
    if (!beyondUsed) this.check(offset, length);
    if (this.contiguous) {
      this.contiguous.fill(value, offset, offset + length);
      return;
    }
    let done = 0;
    while (done < length) {
      const at = offset + done;
      const inPage = at & (RAM_SPARSE_PAGE_SIZE - 1);
      const n = Math.min(RAM_SPARSE_PAGE_SIZE - inPage, length - done);
      const page = this.page(at, value !== 0);
      if (page) page.fill(value, inPage, inPage + n);
      done += n;
    }
  }

  /**
   * The sparse page holding @offset (RAM_SPARSE_PAGE_SIZE bytes, page-aligned), allocating it
   * when @allocate; null if absent and not allocated. Contiguous blocks return null.
   */
  page(offset: number, allocate: boolean): Uint8Array | null {
    if (!this.pages) return null;
    const index =
      offset >= 2 ** 31 ? Math.floor(offset / RAM_SPARSE_PAGE_SIZE) : offset >> SPARSE_PAGE_SHIFT;
    let page = this.pages.get(index);
    if (!page && allocate) {
      page = new Uint8Array(RAM_SPARSE_PAGE_SIZE);
      this.pages.set(index, page);
    }
    return page ?? null;
  }

  private check(offset: number, length: number): void {
    if (
      !Number.isSafeInteger(offset) ||
      offset < 0 ||
      !Number.isSafeInteger(length) ||
      length < 0 ||
      offset + length > this.usedLength
    ) {
      throw new RangeError(
        `RAM block '${this.name}': access [${offset}, +${length}) outside used length ${this.usedLength}`,
      );
    }
  }
}
