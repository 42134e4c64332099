import { TracepointError, type TracepointErrorCode } from "../errors.ts";
import { CompareOp, type FilterNode, type Literal } from "./ast.ts";
import { filterError, type Token, TokenKind, tokenize } from "./lexer.ts";

/** Longest filter accepted, in UTF-16 code units (ftrace itself caps a filter at a page). */
export const MAX_FILTER_LENGTH = 4096;
/** Deepest parenthesis nesting accepted; keeps the recursive-descent parser off the stack limit. */
export const MAX_FILTER_DEPTH = 64;

const NUMERIC_OPS: Partial<Record<TokenKind, CompareOp>> = {
  [TokenKind.EqEq]: CompareOp.Eq,
  [TokenKind.NotEq]: CompareOp.Ne,
  [TokenKind.Lt]: CompareOp.Lt,
  [TokenKind.Le]: CompareOp.Le,
  [TokenKind.Gt]: CompareOp.Gt,
  [TokenKind.Ge]: CompareOp.Ge,
};

function describe(t: Token): string {
  return t.kind === TokenKind.Eof ? "end of input" : `'${t.text}'`;
}

/**
 * Parses a filter into an AST. Grammar (precedence: parentheses > comparison > `&&` > `||`, all
 * left-associative):
 *
 *   expr := and ('||' and)*        and := cmp ('&&' cmp)*        cmp := '(' expr ')' | field_cmp
 *   field_cmp := Ident '&' NUMBER NUMOP NUMBER | Ident NUMOP NUMBER | Ident ('=='|'!=') PATTERN
 *              | Ident '~' PATTERN
 *
 * A PATTERN is a quoted string or a run of adjacent (unspaced) words such as `bash*` or `vm-1`.
 */
export function parseFilter(input: string): FilterNode {
  if (typeof input !== "string") {
    throw new TracepointError("TRACEPOINT_BAD_ARGUMENT", `a filter must be a string, got ${typeof input}`);
  }
  if (input.length > MAX_FILTER_LENGTH) {
    throw filterError(
      "TRACEPOINT_FILTER_TOO_LONG",
      `filter is ${input.length} characters long (limit ${MAX_FILTER_LENGTH})`,
      { start: MAX_FILTER_LENGTH, end: input.length },
    );
  }
  const p = new Parser(tokenize(input));
  const node = p.expr(0);
  const t = p.peek();
  if (t.kind !== TokenKind.Eof) {
    throw filterError("TRACEPOINT_FILTER_EXTRANEOUS_INPUT", `extraneous input ${describe(t)}`, t);
  }
  return node;
}

class Parser {
  #pos = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  peek(): Token {
    return this.tokens[this.#pos]!;
  }
  next(): Token {
    const t = this.tokens[this.#pos]!;
    if (t.kind !== TokenKind.Eof) this.#pos++;
    return t;
  }

  expr(depth: number): FilterNode {
    let left = this.and(depth);
    while (this.peek().kind === TokenKind.OrOr) {
      this.next();
      left = { type: "or", left, right: this.and(depth) };
    }
    return left;
  }

  and(depth: number): FilterNode {
    let left = this.cmp(depth);
    while (this.peek().kind === TokenKind.AndAnd) {
      this.next();
      left = { type: "and", left, right: this.cmp(depth) };
    }
    return left;
  }

  cmp(depth: number): FilterNode {
    const t = this.next();
    if (t.kind === TokenKind.LParen) {
      if (depth >= MAX_FILTER_DEPTH) {
        throw filterError(
          "TRACEPOINT_FILTER_TOO_DEEP",
          `parentheses nested deeper than ${MAX_FILTER_DEPTH}`,
          t,
        );
      }
      const inner = this.expr(depth + 1);
      const close = this.next();
      if (close.kind !== TokenKind.RParen) {
        throw filterError(
          "TRACEPOINT_FILTER_EXPECTED_RPAREN",
          `expected ')' to close the '(' at column ${t.start + 1}, found ${describe(close)}`,
          close,
        );
      }
      return inner;
    }
    if (t.kind !== TokenKind.Ident) {
      throw filterError(
        "TRACEPOINT_FILTER_EXPECTED_OPERAND",
        `expected '(' or field name, found ${describe(t)}`,
        t,
      );
    }
    const fieldSpan = { start: t.start, end: t.end };
    let opTok = this.next();
    let mask: Literal | undefined;
    if (opTok.kind === TokenKind.Amp) {
      mask = this.number();
      opTok = this.next();
      if (NUMERIC_OPS[opTok.kind] === undefined) {
        throw filterError(
          "TRACEPOINT_FILTER_EXPECTED_OPERATOR",
          `numeric comparison operator required after the mask, found ${describe(opTok)}`,
          opTok,
        );
      }
    }
    const opSpan = { start: opTok.start, end: opTok.end };
    if (opTok.kind === TokenKind.Tilde) {
      return {
        type: "compare",
        field: t.text,
        fieldSpan,
        op: CompareOp.Glob,
        opSpan,
        literal: this.pattern(),
      };
    }
    const op = NUMERIC_OPS[opTok.kind];
    if (op === undefined) {
      throw filterError(
        "TRACEPOINT_FILTER_EXPECTED_OPERATOR",
        `comparison operator required after '${t.text}', found ${describe(opTok)}`,
        opTok,
      );
    }
    const literal =
      mask !== undefined || (op !== CompareOp.Eq && op !== CompareOp.Ne) ? this.number() : this.pattern();
    const node = { type: "compare" as const, field: t.text, fieldSpan, op, opSpan, literal };
    return mask === undefined ? node : { ...node, mask };
  }

  /** A numeric literal, or a precise error saying why the token is not one. */
  number(): Literal {
    const t = this.next();
    if (t.kind === TokenKind.Int) {
      return { span: t, text: t.text, value: t.value!, quoted: false };
    }
    if (t.numberError !== undefined) {
      throw filterError(t.numberError.code as TracepointErrorCode, t.numberError.message, t);
    }
    throw filterError(
      "TRACEPOINT_FILTER_EXPECTED_NUMBER",
      `numeric literal required, found ${describe(t)}`,
      t,
    );
  }

  /** A quoted string, or adjacent words glued together (`bash*`, `a-1`, `123`). */
  pattern(): Literal {
    const t = this.next();
    if (t.kind === TokenKind.Eof) {
      throw filterError(
        "TRACEPOINT_FILTER_EXPECTED_STRING",
        "value required (a number or a string) at end of input",
        t,
      );
    }
    if (t.kind === TokenKind.Str) {
      return { span: t, text: t.text, quoted: true };
    }
    if (t.kind !== TokenKind.Ident && t.kind !== TokenKind.Bareword && t.kind !== TokenKind.Int) {
      throw filterError(
        "TRACEPOINT_FILTER_EXPECTED_STRING",
        `string literal required (quotes optional), found ${describe(t)}`,
        t,
      );
    }
    let text = t.text;
    let end = t.end;
    let single = true;
    for (;;) {
      const u = this.peek();
      if (
        u.start !== end ||
        (u.kind !== TokenKind.Ident && u.kind !== TokenKind.Bareword && u.kind !== TokenKind.Int)
      ) {
        break;
      }
      this.next();
      text += u.text;
      end = u.end;
      single = false;
    }
    const lit: Literal = { span: { start: t.start, end }, text, quoted: false };
    if (single && t.kind === TokenKind.Int) return { ...lit, value: t.value! };
    if (single && t.numberError !== undefined) return { ...lit, numberError: t.numberError };
    return lit;
  }
}
