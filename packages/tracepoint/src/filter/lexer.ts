import { TracepointError, type TracepointErrorCode } from "../errors.ts";

/** Token kinds of the ftrace-style filter language. */
export const TokenKind = {
  LParen: "(",
  RParen: ")",
  AndAnd: "&&",
  OrOr: "||",
  Amp: "&",
  EqEq: "==",
  NotEq: "!=",
  Lt: "<",
  Le: "<=",
  Gt: ">",
  Ge: ">=",
  Tilde: "~",
  Str: "string",
  Int: "number",
  Ident: "identifier",
  Bareword: "bareword",
  Eof: "end of input",
} as const;
export type TokenKind = (typeof TokenKind)[keyof typeof TokenKind];

/** A half-open span of UTF-16 code units into the filter text (column = start + 1). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface Token extends Span {
  readonly kind: TokenKind;
  /** The source text of the token (for strings: the text between the quotes, unescaped). */
  readonly text: string;
  /** Int tokens: the value, in [-2^63, 2^64). */
  readonly value?: bigint;
  /**
   * A bareword that starts like a number but is not a valid one (`12abc`, `0x`, too large): why, so
   * that a numeric context can report it precisely. As a string pattern it is just text.
   */
  readonly numberError?: { readonly code: TracepointErrorCode; readonly message: string };
}

const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);

/** Characters that end a bareword (besides whitespace). */
const STOP = new Set(["&", "|", "=", "!", "<", ">", "~", "(", ")"]);

function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f" || c === "\v";
}
function isIdentStart(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_";
}
function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}

export function filterError(code: TracepointErrorCode, message: string, span: Span): TracepointError {
  const column = span.start + 1;
  return new TracepointError(code, `${message} at column ${column}`, {
    column,
    endColumn: Math.max(span.end, span.start + 1) + 1,
    offset: span.start,
  });
}

/** Classifies a bareword run that starts with a digit or `-digit`: a valid Int, or why not. */
function numberToken(text: string, start: number, end: number): Token {
  const neg = text.startsWith("-");
  const body = neg ? text.slice(1) : text;
  let ok: boolean;
  let value = 0n;
  if (/^0[xX]/.test(body)) {
    ok = /^0[xX][0-9a-fA-F]+$/.test(body);
    if (!ok && body.length === 2) {
      return {
        kind: TokenKind.Bareword,
        text,
        start,
        end,
        numberError: { code: "TRACEPOINT_FILTER_BAD_NUMBER", message: "hex literal missing digits" },
      };
    }
  } else {
    ok = /^[0-9]+$/.test(body);
  }
  if (!ok) {
    return {
      kind: TokenKind.Bareword,
      text,
      start,
      end,
      numberError: { code: "TRACEPOINT_FILTER_BAD_NUMBER", message: `invalid numeric literal '${text}'` },
    };
  }
  value = BigInt(body);
  if (neg) value = -value;
  if (value > U64_MAX || value < I64_MIN) {
    return {
      kind: TokenKind.Bareword,
      text,
      start,
      end,
      numberError: {
        code: "TRACEPOINT_FILTER_NUMBER_OVERFLOW",
        message: `numeric literal '${text}' out of range (allowed: -2^63 .. 2^64-1)`,
      },
    };
  }
  return { kind: TokenKind.Int, text, start, end, value };
}

/**
 * Splits a filter into tokens. Whitespace separates tokens; a run of non-operator characters is a
 * number, an identifier or a bareword (glob text such as `bash*`). Throws `TracepointError` with
 * the column of the bad character.
 */
export function tokenize(input: string): Token[] {
  const out: Token[] = [];
  const n = input.length;
  let i = 0;
  while (i < n) {
    const c = input[i]!;
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    const next = input[i + 1];
    const op = (kind: TokenKind, len: number): void => {
      out.push({ kind, text: input.slice(start, start + len), start, end: start + len });
      i += len;
    };
    switch (c) {
      case "(":
        op(TokenKind.LParen, 1);
        continue;
      case ")":
        op(TokenKind.RParen, 1);
        continue;
      case "&":
        if (next === "&") op(TokenKind.AndAnd, 2);
        else op(TokenKind.Amp, 1);
        continue;
      case "|":
        if (next === "|") {
          op(TokenKind.OrOr, 2);
          continue;
        }
        throw filterError("TRACEPOINT_FILTER_BAD_OPERATOR", "single '|' is invalid; did you mean '||'?", {
          start,
          end: start + 1,
        });
      case "=":
        if (next === "=") {
          op(TokenKind.EqEq, 2);
          continue;
        }
        throw filterError("TRACEPOINT_FILTER_BAD_OPERATOR", "single '=' is invalid; did you mean '=='?", {
          start,
          end: start + 1,
        });
      case "!":
        if (next === "=") {
          op(TokenKind.NotEq, 2);
          continue;
        }
        throw filterError("TRACEPOINT_FILTER_BAD_OPERATOR", "'!' is only supported as '!='", {
          start,
          end: start + 1,
        });
      case "<":
        if (next === "=") op(TokenKind.Le, 2);
        else op(TokenKind.Lt, 1);
        continue;
      case ">":
        if (next === "=") op(TokenKind.Ge, 2);
        else op(TokenKind.Gt, 1);
        continue;
      case "~":
        op(TokenKind.Tilde, 1);
        continue;
      case '"':
      case "'":
        out.push(readString(input, start));
        i = out[out.length - 1]!.end;
        continue;
      default:
        break;
    }
    // A run up to whitespace or an operator character.
    let j = i + 1;
    while (j < n && !isSpace(input[j]!) && !STOP.has(input[j]!)) j++;
    if (isIdentStart(c)) {
      // Identifiers stop at the first non-identifier character; the rest (e.g. `*`) is a bareword.
      let k = i + 1;
      while (k < j && (isIdentStart(input[k]!) || isDigit(input[k]!))) k++;
      out.push({ kind: TokenKind.Ident, text: input.slice(i, k), start: i, end: k });
      i = k;
      continue;
    }
    const text = input.slice(i, j);
    if (isDigit(c) || (c === "-" && next !== undefined && isDigit(next))) {
      out.push(numberToken(text, i, j));
    } else {
      out.push({ kind: TokenKind.Bareword, text, start: i, end: j });
    }
    i = j;
  }
  out.push({ kind: TokenKind.Eof, text: "", start: n, end: n });
  return out;
}

function readString(input: string, start: number): Token {
  const quote = input[start]!;
  let i = start + 1;
  let text = "";
  while (i < input.length) {
    const c = input[i]!;
    if (c === quote) {
      return { kind: TokenKind.Str, text, start, end: i + 1 };
    }
    if (c === "\\") {
      const e = input[i + 1];
      if (e === undefined) {
        throw filterError("TRACEPOINT_FILTER_BAD_ESCAPE", "incomplete string escape", {
          start: i,
          end: i + 1,
        });
      }
      if (e === "n") text += "\n";
      else if (e === "t") text += "\t";
      else if (e === "\\" || e === '"' || e === "'") text += e;
      // Any other escape is kept with its backslash, so that glob escapes such as `\*` survive.
      else text += `\\${e}`;
      i += 2;
      continue;
    }
    text += c;
    i++;
  }
  throw filterError("TRACEPOINT_FILTER_UNTERMINATED_STRING", "unterminated string", {
    start,
    end: input.length,
  });
}
