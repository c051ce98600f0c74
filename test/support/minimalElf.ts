/** Test fixture: the smallest ELF the loader accepts, for hand-assembled programs. */

/** A minimal ELF32 RISC-V executable: one PT_LOAD segment of @code at @address, entry there. */
export function minimalElf(code: Uint8Array, address: number): Uint8Array {
  const out = new Uint8Array(84 + code.length);
  const v = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
  v.setUint16(16, 2, true); // ET_EXEC
  v.setUint16(18, 0xf3, true); // EM_RISCV
  v.setUint32(20, 1, true);
  v.setUint32(24, address, true); // e_entry
  v.setUint32(28, 52, true); // e_phoff
  v.setUint16(40, 52, true); // e_ehsize
  v.setUint16(42, 32, true); // e_phentsize
  v.setUint16(44, 1, true); // e_phnum
  v.setUint16(46, 40, true); // e_shentsize
  v.setUint32(52, 1, true); // PT_LOAD
  v.setUint32(56, 84, true); // p_offset
  v.setUint32(60, address, true); // p_vaddr
  v.setUint32(64, address, true); // p_paddr
  v.setUint32(68, code.length, true); // p_filesz
  v.setUint32(72, code.length, true); // p_memsz
  v.setUint32(76, 5, true); // R+X
  v.setUint32(80, 4, true);
  out.set(code, 84);
  return out;
}
