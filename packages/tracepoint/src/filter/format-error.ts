import type { TracepointError } from "../errors.ts";

/**
 * Draws a filter error under its input: the message, the filter, and carets under the offending
 * token. Errors without a column are returned as their message.
 */
export function formatFilterError(error: TracepointError, input: string): string {
  if (error.column === undefined) return error.message;
  const start = error.column - 1;
  const end = Math.max((error.endColumn ?? error.column + 1) - 1, start + 1);
  const carets =
    " ".repeat(Math.min(start, input.length)) +
    "^".repeat(Math.max(1, Math.min(end, input.length + 1) - start));
  return `${error.message}\n  ${input}\n  ${carets}`;
}
