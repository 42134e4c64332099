import type { SymbolColumns } from "./columns.ts";
import {
  Elf64Size,
  ElfClass,
  ElfData,
  ElfMachine,
  ElfSectionFlags,
  ElfSectionType,
  ElfSpecialSection,
  ElfSymbolBind,
  ElfSymbolType,
} from "./elf-constants.ts";
import { SymbolsError, type SymbolsErrorCode } from "./errors.ts";
import { type SymbolTable, type SymbolTableOptions, tableFromColumns } from "./symbol-table.ts";

export interface ElfSection {
  readonly index: number;
  readonly name: string;
  readonly type: number;
  readonly flags: bigint;
  readonly address: bigint;
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly entrySize: number;
}

export interface ElfSymbol {
  /** Index in the symbol table (0 is the null symbol, which is skipped). */
  readonly index: number;
  readonly name: string;
  readonly value: bigint;
  readonly size: bigint;
  /** `ElfSymbolType` value. */
  readonly type: number;
  /** `ElfSymbolBind` value. */
  readonly bind: number;
  readonly visibility: number;
  /** Section index, or an `ElfSpecialSection` value. */
  readonly sectionIndex: number;
  /** Name of the defining section, `undefined` for undefined, absolute and common symbols. */
  readonly section: string | undefined;
}

export interface ElfSymbols {
  readonly fileType: number;
  readonly machine: number;
  readonly sections: readonly ElfSection[];
  /** Symbols in table order, without the null symbol. */
  readonly symbols: readonly ElfSymbol[];
}

export interface ElfReadOptions {
  /** Which table to read: `.symtab` (default) or the dynamic `.dynsym`. */
  readonly table?: "symtab" | "dynsym";
}

export interface ElfTableOptions extends SymbolTableOptions, ElfReadOptions {
  /** Whose type letters to use: binutils `nm` (default) or `llvm-nm`. */
  readonly nmFlavour?: "gnu" | "llvm";
}

function elfError(code: SymbolsErrorCode, offset: number, what: string): SymbolsError {
  return new SymbolsError(code, `ELF, offset ${offset}: ${what}`, { offset });
}

const utf8 = new TextDecoder("utf-8");

/** Every read of the file goes through one bounds check (offsets as numbers; files are < 2^53). */
class Reader {
  readonly dv: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  check(offset: number, size: number, what: string): void {
    if (!(offset >= 0 && size >= 0 && offset + size <= this.bytes.byteLength)) {
      throw elfError(
        "SYMBOLS_ELF_TRUNCATED",
        offset,
        `${what} (${size} bytes) runs past the end of the file (${this.bytes.byteLength} bytes)`,
      );
    }
  }
  u16(o: number): number {
    return this.dv.getUint16(o, true);
  }
  u32(o: number): number {
    return this.dv.getUint32(o, true);
  }
  u64(o: number): bigint {
    return this.dv.getBigUint64(o, true);
  }
  /** A u64 that must be a usable file offset or size. */
  offset(o: number, what: string): number {
    const v = this.u64(o);
    if (v > BigInt(this.bytes.byteLength))
      throw elfError("SYMBOLS_ELF_TRUNCATED", o, `${what} ${v} is past the end of the file`);
    return Number(v);
  }
  /** The NUL-terminated string at `table.offset + at`. */
  string(table: ElfSection, at: number, where: number): string {
    if (at >= table.size) {
      throw elfError(
        "SYMBOLS_ELF_BAD_STRING",
        where,
        `name offset ${at} is outside string table ${table.index} (${table.size} bytes)`,
      );
    }
    const start = table.offset + at;
    const end = this.bytes.indexOf(0, start);
    if (end < 0 || end >= table.offset + table.size) {
      throw elfError(
        "SYMBOLS_ELF_BAD_STRING",
        start,
        `string at ${at} in table ${table.index} has no terminating NUL`,
      );
    }
    return utf8.decode(this.bytes.subarray(start, end));
  }
}

/**
 * Reads the sections and the symbol table of an ELF64 little-endian file (executables, shared
 * objects, relocatable objects such as clang `-target bpf` output). A file without the table
 * yields no symbols. Names are decoded as UTF-8 (invalid bytes become U+FFFD).
 */
export function readElfSymbols(bytes: Uint8Array, options: ElfReadOptions = {}): ElfSymbols {
  const r = new Reader(bytes);
  r.check(0, 16, "ELF identification");
  if (bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    throw elfError("SYMBOLS_ELF_BAD_MAGIC", 0, "not an ELF file (no \\x7fELF magic)");
  }
  if (bytes[4] !== ElfClass.ELF64)
    throw elfError("SYMBOLS_ELF_UNSUPPORTED", 4, `ELF class ${bytes[4]}; only ELF64 is read`);
  if (bytes[5] !== ElfData.LSB)
    throw elfError("SYMBOLS_ELF_UNSUPPORTED", 5, `ELF data encoding ${bytes[5]}; only little-endian is read`);
  r.check(0, Elf64Size.EHDR, "ELF header");
  const fileType = r.u16(16);
  const machine = r.u16(18);
  const shoff = r.offset(40, "section header offset");
  const shentsize = r.u16(58);
  let shnum = r.u16(60);
  let shstrndx = r.u16(62);
  if (shoff === 0) return { fileType, machine, sections: [], symbols: [] };
  if (shentsize !== Elf64Size.SHDR)
    throw elfError(
      "SYMBOLS_ELF_BAD_SECTION",
      58,
      `section header size ${shentsize}, expected ${Elf64Size.SHDR}`,
    );
  // Extended numbering: the real counts live in section 0.
  r.check(shoff, Elf64Size.SHDR, "section header 0");
  if (shnum === 0) shnum = r.offset(shoff + 32, "section count (sh_size of section 0)");
  if (shstrndx === ElfSpecialSection.XINDEX) shstrndx = r.u32(shoff + 40);
  r.check(shoff, shnum * Elf64Size.SHDR, "section header table");

  const raw: {
    name: number;
    type: number;
    flags: bigint;
    address: bigint;
    offset: number;
    size: number;
    link: number;
    entrySize: number;
  }[] = [];
  for (let i = 0; i < shnum; i++) {
    const h = shoff + i * Elf64Size.SHDR;
    const type = r.u32(h + 4);
    const offset = r.offset(h + 24, `offset of section ${i}`);
    const size =
      type === ElfSectionType.NOBITS
        ? Number(r.u64(h + 32) & 0xffff_ffff_ffffn)
        : r.offset(h + 32, `size of section ${i}`);
    if (type !== ElfSectionType.NOBITS && type !== ElfSectionType.NULL)
      r.check(offset, size, `contents of section ${i}`);
    raw.push({
      name: r.u32(h),
      type,
      flags: r.u64(h + 8),
      address: r.u64(h + 16),
      offset,
      size,
      link: r.u32(h + 40),
      entrySize: Number(r.u64(h + 56) & 0xffff_ffffn),
    });
  }
  const shstr = raw[shstrndx];
  if (shstrndx !== 0 && shstr === undefined)
    throw elfError("SYMBOLS_ELF_BAD_SECTION", 62, `section name table index ${shstrndx} of ${shnum}`);
  const sections: ElfSection[] = raw.map((s, index) => {
    const partial = {
      index,
      name: "",
      type: s.type,
      flags: s.flags,
      address: s.address,
      offset: s.offset,
      size: s.size,
      link: s.link,
      entrySize: s.entrySize,
    };
    if (shstr !== undefined && shstrndx !== 0) {
      partial.name = r.string(
        { ...partial, ...shstr, index: shstrndx, name: "", flags: shstr.flags },
        s.name,
        shoff + index * Elf64Size.SHDR,
      );
    }
    return partial;
  });

  const wanted = options.table === "dynsym" ? ElfSectionType.DYNSYM : ElfSectionType.SYMTAB;
  const symtab = sections.find((s) => s.type === wanted);
  if (symtab === undefined) return { fileType, machine, sections, symbols: [] };
  const headerAt = shoff + symtab.index * Elf64Size.SHDR;
  if (symtab.entrySize !== Elf64Size.SYM)
    throw elfError(
      "SYMBOLS_ELF_BAD_SECTION",
      headerAt + 56,
      `symbol entry size ${symtab.entrySize}, expected ${Elf64Size.SYM}`,
    );
  const strtab = sections[symtab.link];
  if (strtab === undefined || strtab.type !== ElfSectionType.STRTAB) {
    throw elfError(
      "SYMBOLS_ELF_BAD_SECTION",
      headerAt + 40,
      `symbol table links to section ${symtab.link}, which is not a string table`,
    );
  }
  const shndxTable = sections.find((s) => s.type === ElfSectionType.SYMTAB_SHNDX && s.link === symtab.index);
  const count = Math.floor(symtab.size / Elf64Size.SYM);
  const symbols: ElfSymbol[] = [];
  for (let i = 1; i < count; i++) {
    const o = symtab.offset + i * Elf64Size.SYM;
    const info = bytes[o + 4] as number;
    let sectionIndex = r.u16(o + 6);
    if (sectionIndex === ElfSpecialSection.XINDEX && shndxTable !== undefined) {
      r.check(shndxTable.offset + 4 * i, 4, `extended section index of symbol ${i}`);
      sectionIndex = r.u32(shndxTable.offset + 4 * i);
    }
    const special =
      sectionIndex === ElfSpecialSection.UNDEF || (sectionIndex >= 0xff00 && sectionIndex <= 0xffff);
    const section = special ? undefined : sections[sectionIndex];
    if (!special && section === undefined) {
      throw elfError(
        "SYMBOLS_ELF_BAD_SECTION",
        o + 6,
        `symbol ${i} is in section ${sectionIndex}, but there are ${shnum}`,
      );
    }
    symbols.push({
      index: i,
      name: r.string(strtab, r.u32(o), o),
      value: r.u64(o + 8),
      size: r.u64(o + 16),
      type: info & 0xf,
      bind: info >>> 4,
      visibility: (bytes[o + 5] as number) & 3,
      sectionIndex,
      section: section?.name,
    });
  }
  return { fileType, machine, sections, symbols };
}

// binutils' section-name table (bfd/syms.c, the PE sections only in current binutils): a name
// matches when the prefix is followed by NUL, '.', '$' or a digit. Checked against
// aarch64-linux-gnu-nm with test/fixtures/src/sections.s (.sdata is `d`, .idata is `i`).
const GNU_SECTION_NAMES: readonly (readonly [string, string])[] = [
  [".drectve", "i"],
  [".edata", "e"],
  [".idata", "i"],
  [".pdata", "p"],
];

function gnuSectionNameType(name: string): string | undefined {
  for (const [prefix, c] of GNU_SECTION_NAMES) {
    if (name.startsWith(prefix)) {
      const next = name.charAt(prefix.length);
      if (next === "" || next === "." || next === "$" || (next >= "0" && next <= "9")) return c;
    }
  }
  return undefined;
}

function isGnuDebugSection(name: string): boolean {
  return /^(\.debug|\.zdebug|\.gnu\.linkonce\.wi\.|\.gnu\.debuglto_\.debug_|\.line$|\.stab)/.test(name);
}

function sectionLetter(s: ElfSection, flavour: "gnu" | "llvm"): string {
  const exec = (s.flags & BigInt(ElfSectionFlags.EXECINSTR)) !== 0n;
  const alloc = (s.flags & BigInt(ElfSectionFlags.ALLOC)) !== 0n;
  const write = (s.flags & BigInt(ElfSectionFlags.WRITE)) !== 0n;
  const nobits = s.type === ElfSectionType.NOBITS;
  if (flavour === "llvm") {
    if (exec) return "t";
    if (nobits) return "b";
    if (alloc) return write ? "d" : "r";
    if (s.name.startsWith(".debug")) return "N";
    return write ? "?" : "n";
  }
  const named = gnuSectionNameType(s.name);
  if (named !== undefined) return named;
  if (exec) return "t";
  if (alloc && !nobits) return write ? "d" : "r";
  if (nobits) return "b";
  if (isGnuDebugSection(s.name)) return "N";
  return write ? "?" : "n";
}

/**
 * The `nm` type letter of a symbol: `gnu` as binutils `nm` prints it (section-name table first),
 * `llvm` as `llvm-nm` does (section flags only). Lower case is local, upper case global.
 */
export function nmType(elf: ElfSymbols, sym: ElfSymbol, flavour: "gnu" | "llvm" = "gnu"): string {
  const object = sym.type === ElfSymbolType.OBJECT;
  if (sym.sectionIndex === ElfSpecialSection.UNDEF) {
    return sym.bind === ElfSymbolBind.WEAK ? (object ? "v" : "w") : "U";
  }
  if (sym.sectionIndex === ElfSpecialSection.COMMON) return "C";
  if (sym.type === ElfSymbolType.GNU_IFUNC) return "i";
  if (sym.bind === ElfSymbolBind.WEAK) return object ? "V" : "W";
  if (sym.bind === ElfSymbolBind.GNU_UNIQUE) return "u";
  if (sym.bind !== ElfSymbolBind.LOCAL && sym.bind !== ElfSymbolBind.GLOBAL) return "?";
  const section = elf.sections[sym.sectionIndex];
  const c =
    sym.sectionIndex === ElfSpecialSection.ABS ? "a" : section ? sectionLetter(section, flavour) : "?";
  return sym.bind === ElfSymbolBind.GLOBAL ? c.toUpperCase() : c;
}

/**
 * Whether `nm` lists the symbol by default: not section or file symbols, not AArch64 mapping
 * symbols (`$x`, `$d`, `$x.<n>`, ...).
 */
export function nmListed(elf: ElfSymbols, sym: ElfSymbol): boolean {
  if (sym.type === ElfSymbolType.SECTION || sym.type === ElfSymbolType.FILE) return false;
  if (elf.machine === ElfMachine.AARCH64 && /^\$[xd](\.|$)/.test(sym.name)) return false;
  return true;
}

/**
 * A `SymbolTable` of the defined symbols `nm` lists, with their ELF sizes (a symbol with a
 * non-zero size covers only `[value, value + size)`) and nm type letters (`nmFlavour`, default
 * `gnu`). In relocatable
 * objects (`.o`) values are section offsets, so symbols of different sections may share addresses.
 */
export function elfSymbolTable(bytes: Uint8Array, options: ElfTableOptions = {}): SymbolTable {
  const elf = readElfSymbols(bytes, options);
  const list = elf.symbols.filter(
    (s) =>
      nmListed(elf, s) &&
      s.sectionIndex !== ElfSpecialSection.UNDEF &&
      s.sectionIndex !== ElfSpecialSection.COMMON,
  );
  const n = list.length;
  const addrHi = new Uint32Array(n);
  const addrLo = new Uint32Array(n);
  const nameStart = new Uint32Array(n);
  const nameEnd = new Uint32Array(n);
  const types = new Uint8Array(n);
  const sizes = new Float64Array(n);
  const names: string[] = [];
  let pos = 0;
  list.forEach((s, i) => {
    addrHi[i] = Number(s.value >> 32n);
    addrLo[i] = Number(s.value & 0xffff_ffffn);
    names.push(s.name);
    nameStart[i] = pos;
    pos += s.name.length;
    nameEnd[i] = pos;
    types[i] = nmType(elf, s, options.nmFlavour ?? "gnu").charCodeAt(0);
    sizes[i] = Number(s.size);
  });
  const columns: SymbolColumns = {
    count: n,
    addrHi,
    addrLo,
    strings: names.join(""),
    nameStart,
    nameEnd,
    types,
    sizes,
    moduleIndex: undefined,
    modules: [""],
  };
  const tableOptions: SymbolTableOptions = {
    ...(options.range ? { range: options.range } : {}),
    ...(options.text ? { text: options.text } : {}),
  };
  return tableFromColumns(columns, tableOptions);
}
