export { HprobeError, type HprobeErrorCode } from "./errors.ts";
