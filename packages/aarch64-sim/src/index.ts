export { SimError, type SimErrorCode } from "./errors.ts";
