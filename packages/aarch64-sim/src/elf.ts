// Static AArch64 ELF64 executables: header and PT_LOAD segments, every read bounds-checked.
import { SimError } from "./errors.ts";

export const ElfConst = {
  ET_EXEC: 2,
  ET_DYN: 3,
  EM_AARCH64: 183,
  PT_LOAD: 1,
  PT_INTERP: 3,
  PF_X: 1,
  PF_W: 2,
  PF_R: 4,
} as const;

export interface ElfSegment {
  readonly vaddr: number;
  readonly memsz: number;
  readonly flags: number;
  /** file bytes of the segment (filesz long; the rest of memsz is zero) */
  readonly data: Uint8Array;
}

export interface ElfImage {
  readonly entry: number;
  readonly segments: readonly ElfSegment[];
  /** symbols from .symtab (name → address), for disassembly listings; empty when stripped */
  readonly symbols: ReadonlyMap<string, number>;
}

const fail = (code: string, msg: string, offset: number): never => {
  throw new SimError(`SIM_ELF_${code}`, `ELF: ${msg} (at byte offset ${offset})`, { offset });
};

/** Parses a static little-endian AArch64 ELF64 executable. Throws `SimError` (`SIM_ELF_*`) on bad input. */
export function parseElf(bytes: Uint8Array): ElfImage {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (off: number, len: number, what: string) => {
    if (off < 0 || off + len > bytes.length || !Number.isSafeInteger(off + len)) {
      fail("TRUNCATED", `${what} needs bytes ${off}..${off + len} but the file has ${bytes.length}`, off);
    }
  };
  const u64 = (off: number, what: string): number => {
    need(off, 8, what);
    const v = dv.getBigUint64(off, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER))
      fail("BAD_VALUE", `${what} 0x${v.toString(16)} is above 2^53`, off);
    return Number(v);
  };
  need(0, 64, "ELF header");
  if (dv.getUint32(0, false) !== 0x7f454c46)
    fail("BAD_MAGIC", "not an ELF file (magic is not 7f 45 4c 46)", 0);
  if (bytes[4] !== 2) fail("NOT_AARCH64", `class ${bytes[4]} is not ELFCLASS64`, 4);
  if (bytes[5] !== 1) fail("NOT_AARCH64", `data encoding ${bytes[5]} is not little-endian`, 5);
  const type = dv.getUint16(16, true);
  const machine = dv.getUint16(18, true);
  if (machine !== ElfConst.EM_AARCH64)
    fail("NOT_AARCH64", `e_machine ${machine} is not EM_AARCH64 (183)`, 18);
  if (type !== ElfConst.ET_EXEC)
    fail("NOT_STATIC", `e_type ${type} is not ET_EXEC (a static executable)`, 16);
  const entry = u64(24, "e_entry");
  const phoff = u64(32, "e_phoff");
  const shoff = u64(40, "e_shoff");
  const phentsize = dv.getUint16(54, true);
  const phnum = dv.getUint16(56, true);
  const shentsize = dv.getUint16(58, true);
  const shnum = dv.getUint16(60, true);
  if (phnum > 0 && phentsize < 56) fail("BAD_HEADER", `e_phentsize ${phentsize} is below 56`, 54);
  const segments: ElfSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    need(p, 56, `program header ${i}`);
    const ptype = dv.getUint32(p, true);
    if (ptype === ElfConst.PT_INTERP)
      fail("NOT_STATIC", `program header ${i} is PT_INTERP (dynamically linked)`, p);
    if (ptype !== ElfConst.PT_LOAD) continue;
    const flags = dv.getUint32(p + 4, true);
    const offset = u64(p + 8, "p_offset");
    const vaddr = u64(p + 16, "p_vaddr");
    const filesz = u64(p + 32, "p_filesz");
    const memsz = u64(p + 40, "p_memsz");
    if (filesz > memsz) fail("BAD_SEGMENT", `segment ${i}: p_filesz ${filesz} > p_memsz ${memsz}`, p + 32);
    if (vaddr + memsz > 2 ** 48) fail("BAD_SEGMENT", `segment ${i} ends above 2^48`, p + 16);
    if (memsz > 1 << 30) fail("BAD_SEGMENT", `segment ${i}: p_memsz ${memsz} is over 1 GiB`, p + 40);
    if (filesz > 0) need(offset, filesz, `segment ${i} data`);
    segments.push({ vaddr, memsz, flags, data: bytes.subarray(offset, offset + filesz) });
  }
  if (segments.length === 0) fail("BAD_SEGMENT", "no PT_LOAD segment", phoff);
  const symbols = new Map<string, number>();
  // .symtab: optional; a damaged one is ignored rather than fatal (symbols only label listings)
  if (shoff > 0 && shentsize >= 64 && shoff + shnum * shentsize <= bytes.length) {
    for (let i = 0; i < shnum; i++) {
      const sh = shoff + i * shentsize;
      if (dv.getUint32(sh + 4, true) !== 2) continue; // SHT_SYMTAB
      const off = Number(dv.getBigUint64(sh + 24, true));
      const size = Number(dv.getBigUint64(sh + 32, true));
      const link = dv.getUint32(sh + 40, true);
      const strSh = shoff + link * shentsize;
      if (link >= shnum || off + size > bytes.length) break;
      const strOff = Number(dv.getBigUint64(strSh + 24, true));
      const strSize = Number(dv.getBigUint64(strSh + 32, true));
      if (strOff + strSize > bytes.length) break;
      for (let s = off; s + 24 <= off + size; s += 24) {
        const nameOff = dv.getUint32(s, true);
        const info = bytes[s + 4] as number;
        const value = Number(dv.getBigUint64(s + 8, true));
        const kind = info & 0xf;
        if (nameOff === 0 || nameOff >= strSize || (kind !== 0 && kind !== 1 && kind !== 2)) continue;
        let e = strOff + nameOff;
        while (e < strOff + strSize && bytes[e] !== 0) e++;
        const name = new TextDecoder().decode(bytes.subarray(strOff + nameOff, e));
        if (name && !name.startsWith("$")) symbols.set(name, value);
      }
    }
  }
  return { entry, segments, symbols };
}
