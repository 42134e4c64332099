import { AxebpfError } from "@axebpf/platform";

/** Stable codes of every `HprobeError`; callers and tests match on these, never on message text. */
export type HprobeErrorCode = `HPROBE_${string}`;

/** The one error class of `@axebpf/hprobe`. */
export class HprobeError extends AxebpfError<HprobeErrorCode> {}
