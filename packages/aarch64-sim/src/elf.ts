// Static AArch64 ELF64 executables: header, PT_LOAD segments and .symtab, every read bounds-checked.
// `parseMachineElf` is the one reader (addresses as bigint, as the virt machine loads kernels linked in the
// TTBR1 high half); `parseElf` is the user-mode view of it (numbers below 2^48, no interpreter).
import { SimError } from "./errors.ts";

export const ElfConst = {
  ET_EXEC: 2,
  ET_DYN: 3,
  EM_AARCH64: 183,
  PT_LOAD: 1,
  PT_INTERP: 3,
  SHT_SYMTAB: 2,
  PF_X: 1,
  PF_W: 2,
  PF_R: 4,
} as const;

export interface MachineSegment {
  /** load (physical) address */
  readonly paddr: bigint;
  readonly vaddr: bigint;
  readonly memsz: number;
  readonly flags: number;
  /** file bytes of the segment (filesz long; the rest of memsz is zero) */
  readonly data: Uint8Array;
  /** byte offset of its program header, for error messages */
  readonly header: number;
}

export interface MachineImage {
  readonly entry: bigint;
  readonly segments: readonly MachineSegment[];
  /** FUNC/OBJECT/NOTYPE symbols of .symtab by name (mapping symbols `$x`/`$d` left out) */
  readonly symbols: ReadonlyMap<string, bigint>;
  /** byte offset of a PT_INTERP program header (a dynamically linked file), if any */
  readonly interp: number | undefined;
}

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

/** Parses a little-endian AArch64 ELF64 executable. Throws `SimError` (`SIM_ELF_*`) on bad input. */
export function parseMachineElf(bytes: Uint8Array): MachineImage {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (off: number, len: number, what: string) => {
    if (off < 0 || !Number.isSafeInteger(off + len) || off + len > bytes.length)
      fail("TRUNCATED", `${what} needs bytes ${off}..${off + len} but the file has ${bytes.length}`, off);
  };
  const big = (off: number): bigint => dv.getBigUint64(off, true);
  const num = (off: number, what: string): number => {
    const v = big(off);
    if (v > BigInt(Number.MAX_SAFE_INTEGER))
      fail("BAD_VALUE", `${what} 0x${v.toString(16)} is above 2^53`, off);
    return Number(v);
  };
  need(0, 64, "ELF header");
  if (dv.getUint32(0, false) !== 0x7f454c46)
    fail("BAD_MAGIC", "not an ELF file (magic is not 7f 45 4c 46)", 0);
  if (bytes[4] !== 2) fail("NOT_AARCH64", `class ${bytes[4]} is not ELFCLASS64`, 4);
  if (bytes[5] !== 1) fail("NOT_AARCH64", `data encoding ${bytes[5]} is not little-endian`, 5);
  const machine = dv.getUint16(18, true);
  if (machine !== ElfConst.EM_AARCH64)
    fail("NOT_AARCH64", `e_machine ${machine} is not EM_AARCH64 (183)`, 18);
  const type = dv.getUint16(16, true);
  if (type !== ElfConst.ET_EXEC)
    fail("NOT_STATIC", `e_type ${type} is not ET_EXEC (a static executable)`, 16);
  const entry = big(24);
  const phoff = num(32, "e_phoff");
  const shoff = num(40, "e_shoff");
  const phentsize = dv.getUint16(54, true);
  const phnum = dv.getUint16(56, true);
  const shentsize = dv.getUint16(58, true);
  const shnum = dv.getUint16(60, true);
  if (phnum > 0 && phentsize < 56) fail("BAD_HEADER", `e_phentsize ${phentsize} is below 56`, 54);
  const segments: MachineSegment[] = [];
  let interp: number | undefined;
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    need(p, 56, `program header ${i}`);
    const ptype = dv.getUint32(p, true);
    if (ptype === ElfConst.PT_INTERP) interp ??= p;
    if (ptype !== ElfConst.PT_LOAD) continue;
    const offset = num(p + 8, "p_offset");
    const filesz = num(p + 32, "p_filesz");
    const memsz = num(p + 40, "p_memsz");
    if (filesz > memsz) fail("BAD_SEGMENT", `segment ${i}: p_filesz ${filesz} > p_memsz ${memsz}`, p + 32);
    if (memsz > 1 << 30) fail("BAD_SEGMENT", `segment ${i}: p_memsz ${memsz} is over 1 GiB`, p + 40);
    if (filesz > 0) need(offset, filesz, `segment ${i} data`);
    segments.push({
      paddr: big(p + 24),
      vaddr: big(p + 16),
      memsz,
      flags: dv.getUint32(p + 4, true),
      data: bytes.subarray(offset, offset + filesz),
      header: p,
    });
  }
  if (segments.length === 0) fail("BAD_SEGMENT", "no PT_LOAD segment", phoff);
  const symbols = new Map<string, bigint>();
  // .symtab is optional and only labels code: a damaged one is skipped, not fatal
  if (shoff > 0 && shentsize >= 64 && shoff + shnum * shentsize <= bytes.length) {
    const dec = new TextDecoder();
    for (let i = 0; i < shnum; i++) {
      const sh = shoff + i * shentsize;
      if (dv.getUint32(sh + 4, true) !== ElfConst.SHT_SYMTAB) continue;
      const off = Number(big(sh + 24));
      const size = Number(big(sh + 32));
      const link = dv.getUint32(sh + 40, true);
      if (link >= shnum || off + size > bytes.length) break;
      const strSh = shoff + link * shentsize;
      const strOff = Number(big(strSh + 24));
      const strSize = Number(big(strSh + 32));
      if (strOff + strSize > bytes.length) break;
      for (let s = off; s + 24 <= off + size; s += 24) {
        const nameOff = dv.getUint32(s, true);
        const kind = (bytes[s + 4] as number) & 0xf; // NOTYPE, OBJECT, FUNC
        if (nameOff === 0 || nameOff >= strSize || kind > 2) continue;
        let e = strOff + nameOff;
        while (e < strOff + strSize && bytes[e] !== 0) e++;
        const name = dec.decode(bytes.subarray(strOff + nameOff, e));
        if (name && !name.startsWith("$")) symbols.set(name, big(s + 8));
      }
    }
  }
  return { entry, segments, symbols, interp };
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Parses a static AArch64 Linux executable for the user-mode runner (addresses below 2^48). */
export function parseElf(bytes: Uint8Array): ElfImage {
  const img = parseMachineElf(bytes);
  if (img.interp !== undefined)
    fail("NOT_STATIC", "a PT_INTERP program header (dynamically linked)", img.interp);
  if (img.entry > SAFE) fail("BAD_VALUE", `e_entry 0x${img.entry.toString(16)} is above 2^53`, 24);
  const segments = img.segments.map((s) => {
    if (s.vaddr > SAFE) fail("BAD_VALUE", `p_vaddr 0x${s.vaddr.toString(16)} is above 2^53`, s.header + 16);
    const vaddr = Number(s.vaddr);
    if (vaddr + s.memsz > 2 ** 48) fail("BAD_SEGMENT", "a segment ends above 2^48", s.header + 16);
    return { vaddr, memsz: s.memsz, flags: s.flags, data: s.data };
  });
  const symbols = new Map<string, number>();
  for (const [name, value] of img.symbols) if (value <= SAFE) symbols.set(name, Number(value));
  return { entry: Number(img.entry), segments, symbols };
}
