import { AxebpfError, type AxebpfErrorOptions } from "@axebpf/platform";

/**
 * Stable codes of every `TracepointError`; callers and tests match on these, never on message text.
 * Filter codes carry `column` (1-based, where the offending token starts) and `endColumn` (one past it).
 */
export type TracepointErrorCode =
  // Registry and definitions
  | "TRACEPOINT_INVALID_NAME"
  | "TRACEPOINT_NOT_FOUND"
  | "TRACEPOINT_DUPLICATE"
  | "TRACEPOINT_INVALID_FIELD"
  | "TRACEPOINT_INVALID_FORMAT"
  | "TRACEPOINT_ID_SPACE_EXHAUSTED"
  | "TRACEPOINT_BAD_ARGUMENT"
  | "TRACEPOINT_INVALID_OPTION"
  | "TRACEPOINT_HANDLER_NOT_FOUND"
  // Event pipeline
  | "TRACEPOINT_EVENT_TOO_SHORT"
  | "TRACEPOINT_NAME_TABLE_FULL"
  | "TRACEPOINT_UNKNOWN_EVENT"
  // Filter language: lexer
  | "TRACEPOINT_FILTER_BAD_OPERATOR"
  | "TRACEPOINT_FILTER_UNTERMINATED_STRING"
  | "TRACEPOINT_FILTER_BAD_ESCAPE"
  // Filter language: parser
  | "TRACEPOINT_FILTER_EXPECTED_OPERAND"
  | "TRACEPOINT_FILTER_EXPECTED_OPERATOR"
  | "TRACEPOINT_FILTER_EXPECTED_NUMBER"
  | "TRACEPOINT_FILTER_BAD_NUMBER"
  | "TRACEPOINT_FILTER_NUMBER_OVERFLOW"
  | "TRACEPOINT_FILTER_EXPECTED_STRING"
  | "TRACEPOINT_FILTER_EXPECTED_RPAREN"
  | "TRACEPOINT_FILTER_EXTRANEOUS_INPUT"
  | "TRACEPOINT_FILTER_TOO_DEEP"
  | "TRACEPOINT_FILTER_TOO_LONG"
  // Filter language: validation against the tracepoint's fields
  | "TRACEPOINT_FILTER_UNKNOWN_FIELD"
  | "TRACEPOINT_FILTER_NOT_NUMERIC"
  | "TRACEPOINT_FILTER_NOT_STRING"
  | "TRACEPOINT_FILTER_BAD_MASK"
  | "TRACEPOINT_FILTER_BAD_GLOB";

export interface TracepointErrorOptions extends AxebpfErrorOptions {
  /** For filter errors: 1-based column one past the end of the offending token. */
  readonly endColumn?: number;
}

/** The one error class of `@axebpf/tracepoint`. */
export class TracepointError extends AxebpfError<TracepointErrorCode> {
  readonly endColumn?: number;

  constructor(code: TracepointErrorCode, message: string, options: TracepointErrorOptions = {}) {
    super(code, message, options);
    if (options.endColumn !== undefined) this.endColumn = options.endColumn;
  }
}
