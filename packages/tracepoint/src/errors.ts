import { AxebpfError } from "@axebpf/platform";

/** Stable codes of every `TracepointError`; callers and tests match on these, never on message text. */
export type TracepointErrorCode = `TRACEPOINT_${string}`;

/** The one error class of `@axebpf/tracepoint`. */
export class TracepointError extends AxebpfError<TracepointErrorCode> {}
