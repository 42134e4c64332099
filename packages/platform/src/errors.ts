const MARKER = Symbol.for("@axebpf/error");

/** Where in the input an error was found. Every field is optional; set the ones that apply. */
export interface ErrorLocation {
  /** Byte offset into a blob or file. */
  readonly offset?: number;
  /** Instruction index (eBPF) or program counter. */
  readonly pc?: number | bigint;
  /** Guest or host address. */
  readonly address?: bigint;
  /** 1-based column in a line of text (filters, assembler). */
  readonly column?: number;
  /** 1-based line in a text input. */
  readonly line?: number;
}

export interface AxebpfErrorOptions extends ErrorLocation {
  readonly cause?: unknown;
}

/**
 * The base of every error thrown by an `@axebpf/*` package. Each package subclasses it once and
 * gives every failure a stable `code` (tests and callers match on the code, never the text).
 *
 * `isInstance` works across duplicate installs of the package (it checks a `Symbol.for` marker, not
 * the prototype chain).
 */
export class AxebpfError<Code extends string = string> extends Error implements ErrorLocation {
  readonly code: Code;
  readonly offset?: number;
  readonly pc?: number | bigint;
  readonly address?: bigint;
  readonly column?: number;
  readonly line?: number;
  readonly [MARKER] = true;

  constructor(code: Code, message: string, options: AxebpfErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    if (options.offset !== undefined) this.offset = options.offset;
    if (options.pc !== undefined) this.pc = options.pc;
    if (options.address !== undefined) this.address = options.address;
    if (options.column !== undefined) this.column = options.column;
    if (options.line !== undefined) this.line = options.line;
  }

  static isInstance(value: unknown): value is AxebpfError {
    return typeof value === "object" && value !== null && (value as { [MARKER]?: unknown })[MARKER] === true;
  }
}

export type PlatformErrorCode = "PLATFORM_INVALID_ARGUMENT" | "PLATFORM_MEMORY_FAULT";

/** Errors raised by `@axebpf/platform` itself. */
export class PlatformError extends AxebpfError<PlatformErrorCode> {}
