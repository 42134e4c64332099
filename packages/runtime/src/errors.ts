import { AxebpfError } from "@axebpf/platform";

/** Stable codes of every `RuntimeError`; callers and tests match on these, never on message text. */
export type RuntimeErrorCode = `EBPF_${string}`;

/** The one error class of `@axebpf/runtime`. */
export class RuntimeError extends AxebpfError<RuntimeErrorCode> {}
