export {
  ElfMachine,
  ElfSectionFlags,
  ElfSectionType,
  ElfSpecialSection,
  ElfSymbolBind,
  ElfSymbolType,
} from "./elf-constants.ts";
export {
  type ElfReadOptions,
  type ElfSymbol,
  type ElfSymbols,
  type ElfTableOptions,
  elfSymbolTable,
  nmListed,
  nmType,
  readElfSymbols,
} from "./elf-symtab.ts";
export { SymbolsError, type SymbolsErrorCode, SymbolsErrorCodes } from "./errors.ts";
export { MAX_TOKENS, TOKEN_MARKER } from "./kallsyms-format.ts";
export { EXPANSION_LIMIT, type KallsymsBlobOptions, readKallsymsBlob } from "./kallsyms-reader.ts";
export { chooseTokens, writeKallsymsBlob } from "./kallsyms-writer.ts";
export { type KernelSymbol, KernelSymbols } from "./kernel-symbols.ts";
export {
  type AddressRange,
  type SearchOptions,
  type SymbolEntry,
  type SymbolInput,
  type SymbolLookup,
  SymbolTable,
  type SymbolTableOptions,
} from "./symbol-table.ts";
export { parseProcKallsyms, parseSystemMap, type SymbolTextFormat } from "./text-formats.ts";
