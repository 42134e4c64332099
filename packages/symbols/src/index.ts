export { SymbolsError, type SymbolsErrorCode } from "./errors.ts";
