import { AxebpfError } from "@axebpf/platform";

/** Stable codes of every `SymbolsError`; callers and tests match on these, never on message text. */
export type SymbolsErrorCode = `SYMBOLS_${string}`;

/** The one error class of `@axebpf/symbols`. */
export class SymbolsError extends AxebpfError<SymbolsErrorCode> {}
