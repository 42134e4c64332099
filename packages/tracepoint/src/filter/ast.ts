import type { Span } from "./lexer.ts";

/** Comparison operators of the filter language. */
export const CompareOp = {
  Eq: "==",
  Ne: "!=",
  Lt: "<",
  Le: "<=",
  Gt: ">",
  Ge: ">=",
  Glob: "~",
} as const;
export type CompareOp = (typeof CompareOp)[keyof typeof CompareOp];

/** A literal on the right of a comparison: a number (which can also be read as text) or text. */
export interface Literal {
  readonly span: Span;
  /** The text as written (strings unescaped; adjacent barewords concatenated, e.g. `bash*`). */
  readonly text: string;
  /** Set when the literal is a valid number. */
  readonly value?: bigint;
  /** Set when the literal was written in quotes: then it is text even if it looks like a number. */
  readonly quoted: boolean;
  /** Why the literal is not a number when a number is needed (`12abc`, `0x`, overflow). */
  readonly numberError?: { readonly code: string; readonly message: string };
}

export interface CompareNode {
  readonly type: "compare";
  readonly field: string;
  readonly fieldSpan: Span;
  readonly op: CompareOp;
  readonly opSpan: Span;
  /** `field & mask OP value`. */
  readonly mask?: Literal;
  readonly literal: Literal;
}

export interface LogicalNode {
  readonly type: "and" | "or";
  readonly left: FilterNode;
  readonly right: FilterNode;
}

export type FilterNode = CompareNode | LogicalNode;

/** Renders an AST back to a canonical, fully parenthesised filter (used by tests and `trace filter`). */
export function printFilter(node: FilterNode): string {
  if (node.type === "compare") {
    const lit = node.literal;
    const rhs = lit.quoted || lit.value === undefined ? JSON.stringify(lit.text) : lit.value.toString();
    const mask = node.mask === undefined ? "" : ` & ${node.mask.value ?? node.mask.text}`;
    return `${node.field}${mask} ${node.op} ${rhs}`;
  }
  return `(${printFilter(node.left)} ${node.type === "and" ? "&&" : "||"} ${printFilter(node.right)})`;
}
