export { TracepointError, type TracepointErrorCode } from "./errors.ts";
