export { GuestKprobeError, type GuestKprobeErrorCode } from "./errors.ts";
