import { AxebpfError } from "@axebpf/platform";

/**
 * Every failure of `@axebpf/symbols`, by stable code. Callers and tests match on these, never on
 * message text. Blob and ELF errors carry the byte `offset` of the bad field; text errors carry
 * `line`, `column` and `offset`.
 */
export const SymbolsErrorCodes = {
  /** An argument outside its domain (address not a u64, bad type character, ...). */
  INVALID_ARGUMENT: "SYMBOLS_INVALID_ARGUMENT",
  /** `KernelSymbols.init` after a successful init (a failed init leaves it uninitialised). */
  ALREADY_INITIALIZED: "SYMBOLS_ALREADY_INITIALIZED",
  /** A glob pattern that cannot be compiled (unterminated `[`, trailing `\`). */
  BAD_GLOB: "SYMBOLS_BAD_GLOB",
  /** A kallsyms blob ends before a field it announces (the field is named in the message). */
  BLOB_TRUNCATED: "SYMBOLS_BLOB_TRUNCATED",
  /** A symbol count or length that cannot be right (larger than the blob, above 2^32). */
  BLOB_BAD_LENGTH: "SYMBOLS_BLOB_BAD_LENGTH",
  /** A name record that lies outside the names array or overruns it. */
  BLOB_BAD_RECORD: "SYMBOLS_BLOB_BAD_RECORD",
  /** A token id past the token index, or a token index entry outside the token table. */
  BLOB_BAD_TOKEN: "SYMBOLS_BLOB_BAD_TOKEN",
  /** The name-order array is not a permutation in name order. */
  BLOB_BAD_SEQS: "SYMBOLS_BLOB_BAD_SEQS",
  /** Addresses that are not in ascending order. */
  BLOB_UNSORTED: "SYMBOLS_BLOB_UNSORTED",
  /** A name that does not decode as UTF-8. */
  BLOB_BAD_UTF8: "SYMBOLS_BLOB_BAD_UTF8",
  /** A name that cannot be written: its record would exceed the format's u16 length. */
  NAME_TOO_LONG: "SYMBOLS_NAME_TOO_LONG",
  /** A text line whose address is not 1–16 hex digits. */
  TEXT_BAD_ADDRESS: "SYMBOLS_TEXT_BAD_ADDRESS",
  /** A text line whose type field is not one character. */
  TEXT_BAD_TYPE: "SYMBOLS_TEXT_BAD_TYPE",
  /** A text line without a name, or with fields after the name. */
  TEXT_BAD_NAME: "SYMBOLS_TEXT_BAD_NAME",
  /** A /proc/kallsyms module field that is not `[name]`. */
  TEXT_BAD_MODULE: "SYMBOLS_TEXT_BAD_MODULE",
  /** Not an ELF file. */
  ELF_BAD_MAGIC: "SYMBOLS_ELF_BAD_MAGIC",
  /** An ELF file that is not ELF64 little-endian. */
  ELF_UNSUPPORTED: "SYMBOLS_ELF_UNSUPPORTED",
  /** An ELF header, section table, symbol table or string table that runs past the file. */
  ELF_TRUNCATED: "SYMBOLS_ELF_TRUNCATED",
  /** An ELF section header or link that does not make sense (entry size, link index). */
  ELF_BAD_SECTION: "SYMBOLS_ELF_BAD_SECTION",
  /** A symbol name offset outside its string table, or a name without its terminating NUL. */
  ELF_BAD_STRING: "SYMBOLS_ELF_BAD_STRING",
} as const;

/** Stable codes of every `SymbolsError`; callers and tests match on these, never on message text. */
export type SymbolsErrorCode = (typeof SymbolsErrorCodes)[keyof typeof SymbolsErrorCodes];

/** The one error class of `@axebpf/symbols`. */
export class SymbolsError extends AxebpfError<SymbolsErrorCode> {}
