export { RuntimeError, type RuntimeErrorCode } from "./errors.ts";
