// ELF numbers used by the symbol reader, with their values from the ELF gABI and psABIs.

export const ElfClass = { ELF32: 1, ELF64: 2 } as const;
export const ElfData = { LSB: 1, MSB: 2 } as const;

export const ElfFileType = { NONE: 0, REL: 1, EXEC: 2, DYN: 3, CORE: 4 } as const;

export const ElfMachine = { X86_64: 62, AARCH64: 183, BPF: 247 } as const;

export const ElfSectionType = {
  NULL: 0,
  PROGBITS: 1,
  SYMTAB: 2,
  STRTAB: 3,
  RELA: 4,
  NOBITS: 8,
  DYNSYM: 11,
  SYMTAB_SHNDX: 18,
} as const;

export const ElfSectionFlags = { WRITE: 0x1, ALLOC: 0x2, EXECINSTR: 0x4 } as const;

/** Reserved `st_shndx` values. */
export const ElfSpecialSection = { UNDEF: 0, ABS: 0xfff1, COMMON: 0xfff2, XINDEX: 0xffff } as const;

/** `ELF64_ST_TYPE(st_info)`. */
export const ElfSymbolType = {
  NOTYPE: 0,
  OBJECT: 1,
  FUNC: 2,
  SECTION: 3,
  FILE: 4,
  COMMON: 5,
  TLS: 6,
  GNU_IFUNC: 10,
} as const;

/** `ELF64_ST_BIND(st_info)`. */
export const ElfSymbolBind = { LOCAL: 0, GLOBAL: 1, WEAK: 2, GNU_UNIQUE: 10 } as const;

/** Sizes of ELF64 structures. */
export const Elf64Size = { EHDR: 64, SHDR: 64, SYM: 24 } as const;
