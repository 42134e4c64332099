// ELF64 images for the machine: loaded as `qemu-system-aarch64 -kernel` does, by physical address
// (p_paddr), so a kernel linked in the TTBR1 high half loads at its load address. Every read is
// bounds-checked; addresses stay bigint at this boundary (high-half symbols are above 2^53).
import { SimError } from "../errors.ts";

export interface MachineSegment {
  /** load (physical) address */
  readonly paddr: bigint;
  readonly vaddr: bigint;
  readonly memsz: number;
  readonly flags: number;
  readonly data: Uint8Array;
}

export interface MachineImage {
  readonly entry: bigint;
  readonly segments: readonly MachineSegment[];
  /** FUNC/OBJECT/NOTYPE symbols of .symtab by name (mapping symbols `$x`/`$d` left out) */
  readonly symbols: ReadonlyMap<string, bigint>;
}

const fail = (code: string, msg: string, offset: number): never => {
  throw new SimError(`SIM_ELF_${code}`, `ELF: ${msg} (at byte offset ${offset})`, { offset });
};

/** Parses an AArch64 ELF64 executable for loading into a machine. Throws `SimError` (`SIM_ELF_*`). */
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
      fail("BAD_VALUE", `${what} 0x${v.toString(16)} is too large`, off);
    return Number(v);
  };
  need(0, 64, "ELF header");
  if (dv.getUint32(0, false) !== 0x7f454c46)
    fail("BAD_MAGIC", "not an ELF file (magic is not 7f 45 4c 46)", 0);
  if (bytes[4] !== 2) fail("NOT_AARCH64", `class ${bytes[4]} is not ELFCLASS64`, 4);
  if (bytes[5] !== 1) fail("NOT_AARCH64", `data encoding ${bytes[5]} is not little-endian`, 5);
  const machine = dv.getUint16(18, true);
  if (machine !== 183) fail("NOT_AARCH64", `e_machine ${machine} is not EM_AARCH64 (183)`, 18);
  const type = dv.getUint16(16, true);
  if (type !== 2) fail("NOT_STATIC", `e_type ${type} is not ET_EXEC`, 16);
  const entry = big(24);
  const phoff = num(32, "e_phoff");
  const shoff = num(40, "e_shoff");
  const phentsize = dv.getUint16(54, true);
  const phnum = dv.getUint16(56, true);
  const shentsize = dv.getUint16(58, true);
  const shnum = dv.getUint16(60, true);
  if (phnum > 0 && phentsize < 56) fail("BAD_HEADER", `e_phentsize ${phentsize} is below 56`, 54);
  const segments: MachineSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    need(p, 56, `program header ${i}`);
    if (dv.getUint32(p, true) !== 1) continue; // PT_LOAD
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
    });
  }
  if (segments.length === 0) fail("BAD_SEGMENT", "no PT_LOAD segment", phoff);
  const symbols = new Map<string, bigint>();
  // .symtab is optional and only labels code: a damaged one is skipped, not fatal
  if (shoff > 0 && shentsize >= 64 && shoff + shnum * shentsize <= bytes.length) {
    const dec = new TextDecoder();
    for (let i = 0; i < shnum; i++) {
      const sh = shoff + i * shentsize;
      if (dv.getUint32(sh + 4, true) !== 2) continue; // SHT_SYMTAB
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
        const kind = (bytes[s + 4] as number) & 0xf;
        if (nameOff === 0 || nameOff >= strSize || kind > 2) continue;
        let e = strOff + nameOff;
        while (e < strOff + strSize && bytes[e] !== 0) e++;
        const name = dec.decode(bytes.subarray(strOff + nameOff, e));
        if (name && !name.startsWith("$")) symbols.set(name, big(s + 8));
      }
    }
  }
  return { entry, segments, symbols };
}
