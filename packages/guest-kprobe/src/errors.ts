import { AxebpfError } from "@axebpf/platform";

/** Stable codes of every `GuestKprobeError`; callers and tests match on these, never on message text. */
export type GuestKprobeErrorCode = `GKPROBE_${string}`;

/** The one error class of `@axebpf/guest-kprobe`. */
export class GuestKprobeError extends AxebpfError<GuestKprobeErrorCode> {}
