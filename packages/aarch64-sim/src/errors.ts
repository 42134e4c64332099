import { AxebpfError } from "@axebpf/platform";

/** Stable codes of every `SimError`; callers and tests match on these, never on message text. */
export type SimErrorCode = `SIM_${string}`;

/** The one error class of `@axebpf/aarch64-sim`. */
export class SimError extends AxebpfError<SimErrorCode> {}
