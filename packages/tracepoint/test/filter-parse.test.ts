import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  compileFilter,
  formatFilterError,
  layoutFieldsForTest,
  MAX_FILTER_DEPTH,
  MAX_FILTER_LENGTH,
  parseFilter,
  printFilter,
  TokenKind,
  tokenize,
} from "./filter-fixtures.ts";
import { thrown } from "./helpers.ts";

const FIELDS = layoutFieldsForTest();

test("lexer: operators, numbers, identifiers, barewords, strings with spans", () => {
  const toks = tokenize(`(a&&b)||c & 0x10 == 16 != x <= 1 >= 2 < 3 > 4 ~ "q\\"s" 'x' bash* -5 -x`);
  assert.equal(
    toks.map((t) => [t.kind, t.text]),
    [
      ["(", "("],
      ["identifier", "a"],
      ["&&", "&&"],
      ["identifier", "b"],
      [")", ")"],
      ["||", "||"],
      ["identifier", "c"],
      ["&", "&"],
      ["number", "0x10"],
      ["==", "=="],
      ["number", "16"],
      ["!=", "!="],
      ["identifier", "x"],
      ["<=", "<="],
      ["number", "1"],
      [">=", ">="],
      ["number", "2"],
      ["<", "<"],
      ["number", "3"],
      [">", ">"],
      ["number", "4"],
      ["~", "~"],
      ["string", 'q"s'],
      ["string", "x"],
      ["identifier", "bash"],
      ["bareword", "*"],
      ["number", "-5"],
      ["bareword", "-x"],
      [TokenKind.Eof, ""],
    ],
  );
  assert.equal(tokenize("  ab ")[0], { kind: "identifier", text: "ab", start: 2, end: 4 });
  assert.is(tokenize("0xffffffffffffffff")[0]!.value, 0xffff_ffff_ffff_ffffn);
  assert.is(tokenize("-9223372036854775808")[0]!.value, -(1n << 63n));
  assert.equal(tokenize(String.raw`"\n\t\\\'\*"`)[0]!.text, "\n\t\\'\\*");
});

test("lexer: malformed numbers are barewords that remember why", () => {
  assert.equal(tokenize("12abc")[0]!.kind, "bareword");
  assert.is(tokenize("12abc")[0]!.numberError?.code, "TRACEPOINT_FILTER_BAD_NUMBER");
  assert.is(tokenize("0x")[0]!.numberError?.code, "TRACEPOINT_FILTER_BAD_NUMBER");
  assert.is(tokenize("18446744073709551616")[0]!.numberError?.code, "TRACEPOINT_FILTER_NUMBER_OVERFLOW");
  assert.is(tokenize("-9223372036854775809")[0]!.numberError?.code, "TRACEPOINT_FILTER_NUMBER_OVERFLOW");
});

test("parser: precedence is parentheses > comparison > && > ||, left-associative", () => {
  const p = (s: string): string => printFilter(parseFilter(s));
  assert.is(p("a == 1 || b == 2 && c == 3"), "(a == 1 || (b == 2 && c == 3))");
  assert.is(p("(a == 1 || b == 2) && c == 3"), "((a == 1 || b == 2) && c == 3)");
  assert.is(p("a == 1 && b == 2 && c == 3"), "((a == 1 && b == 2) && c == 3)");
  assert.is(p("a == 1 || b == 2 || c == 3"), "((a == 1 || b == 2) || c == 3)");
  assert.is(p("flags & 0x10 == 0x10"), "flags & 16 == 16");
  assert.is(p("comm ~ bash*"), 'comm ~ "bash*"');
  assert.is(p("comm == 'a b'"), 'comm == "a b"');
  assert.is(p("comm == vm-1"), 'comm == "vm-1"');
  assert.is(p("x >= -3"), "x >= -3");
  assert.is(p("((((a == 1))))"), "a == 1");
});

/** Every filter error: code and the 1-based column of the token it points at. */
const ERRORS: [string, string, number][] = [
  ["a | b", "TRACEPOINT_FILTER_BAD_OPERATOR", 3],
  ["a = 1", "TRACEPOINT_FILTER_BAD_OPERATOR", 3],
  ["a ! 1", "TRACEPOINT_FILTER_BAD_OPERATOR", 3],
  ["comm == 'abc", "TRACEPOINT_FILTER_UNTERMINATED_STRING", 9],
  ['comm == "ab\\', "TRACEPOINT_FILTER_BAD_ESCAPE", 12],
  ["", "TRACEPOINT_FILTER_EXPECTED_OPERAND", 1],
  ["== 1", "TRACEPOINT_FILTER_EXPECTED_OPERAND", 1],
  ["5 == sig", "TRACEPOINT_FILTER_EXPECTED_OPERAND", 1],
  ["sig == 1 && ", "TRACEPOINT_FILTER_EXPECTED_OPERAND", 13],
  ["sig", "TRACEPOINT_FILTER_EXPECTED_OPERATOR", 4],
  ["sig sig", "TRACEPOINT_FILTER_EXPECTED_OPERATOR", 5],
  ["sig & 1 ~ 2", "TRACEPOINT_FILTER_EXPECTED_OPERATOR", 9],
  ["sig < abc", "TRACEPOINT_FILTER_EXPECTED_NUMBER", 7],
  ["sig & x == 1", "TRACEPOINT_FILTER_EXPECTED_NUMBER", 7],
  ["sig < 12abc", "TRACEPOINT_FILTER_BAD_NUMBER", 7],
  ["sig == 0x", "TRACEPOINT_FILTER_BAD_NUMBER", 8],
  ["sig == 12abc", "TRACEPOINT_FILTER_BAD_NUMBER", 8],
  ["sig > 18446744073709551616", "TRACEPOINT_FILTER_NUMBER_OVERFLOW", 7],
  ["comm ~ ", "TRACEPOINT_FILTER_EXPECTED_STRING", 8],
  ["comm == (", "TRACEPOINT_FILTER_EXPECTED_STRING", 9],
  ["(sig == 1", "TRACEPOINT_FILTER_EXPECTED_RPAREN", 10],
  ["(sig == 1 sig", "TRACEPOINT_FILTER_EXPECTED_RPAREN", 11],
  ["sig == 1)", "TRACEPOINT_FILTER_EXTRANEOUS_INPUT", 9],
  ["sig == 1 sig == 2", "TRACEPOINT_FILTER_EXTRANEOUS_INPUT", 10],
  [
    `${"(".repeat(MAX_FILTER_DEPTH + 1)}sig == 1${")".repeat(MAX_FILTER_DEPTH + 1)}`,
    "TRACEPOINT_FILTER_TOO_DEEP",
    MAX_FILTER_DEPTH + 1,
  ],
  [`sig == 1${" ".repeat(MAX_FILTER_LENGTH)}`, "TRACEPOINT_FILTER_TOO_LONG", MAX_FILTER_LENGTH + 1],
  // Validation against the fields: the column points at the field (or the literal at fault).
  ["nosuch == 1", "TRACEPOINT_FILTER_UNKNOWN_FIELD", 1],
  ["sig == 1 && nosuch == 1", "TRACEPOINT_FILTER_UNKNOWN_FIELD", 13],
  ["comm < 5", "TRACEPOINT_FILTER_NOT_NUMERIC", 1],
  ["comm & 1 == 1", "TRACEPOINT_FILTER_NOT_NUMERIC", 1],
  ["sig ~ bash*", "TRACEPOINT_FILTER_NOT_STRING", 1],
  ['sig == "17"', "TRACEPOINT_FILTER_NOT_STRING", 1],
  ["sig == bash", "TRACEPOINT_FILTER_NOT_STRING", 1],
  ["  sig & -1 == 1", "TRACEPOINT_FILTER_BAD_MASK", 9],
  ["comm ~ 'ab[c'", "TRACEPOINT_FILTER_BAD_GLOB", 11],
  ["comm ~ ab[c", "TRACEPOINT_FILTER_BAD_GLOB", 10],
];

for (const [input, code, column] of ERRORS) {
  test(`error ${code} at column ${column}: ${JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input)}`, () => {
    const e = thrown(() => compileFilter(input, FIELDS));
    assert.is(e.code, code);
    assert.is(e.column, column, e.message);
    assert.ok(e.message.includes(`at column ${column}`), e.message);
    assert.ok((e.endColumn ?? 0) > column);
  });
}

test("every filter error code of the language is covered above", () => {
  const covered = new Set(ERRORS.map((e) => e[1]));
  for (const c of [
    "BAD_OPERATOR",
    "UNTERMINATED_STRING",
    "BAD_ESCAPE",
    "EXPECTED_OPERAND",
    "EXPECTED_OPERATOR",
    "EXPECTED_NUMBER",
    "BAD_NUMBER",
    "NUMBER_OVERFLOW",
    "EXPECTED_STRING",
    "EXPECTED_RPAREN",
    "EXTRANEOUS_INPUT",
    "TOO_DEEP",
    "TOO_LONG",
    "UNKNOWN_FIELD",
    "NOT_NUMERIC",
    "NOT_STRING",
    "BAD_MASK",
    "BAD_GLOB",
  ]) {
    assert.ok(covered.has(`TRACEPOINT_FILTER_${c}`), c);
  }
});

test("a filter that is not a string is a typed error", () => {
  assert.is(thrown(() => parseFilter(42 as never)).code, "TRACEPOINT_BAD_ARGUMENT");
});

test("formatFilterError draws carets under the offending token", () => {
  const input = "sig == 1 && nosuch == 2";
  const e = thrown(() => compileFilter(input, FIELDS));
  assert.is(
    formatFilterError(e, input),
    [
      "unknown field 'nosuch' (fields: common_type, common_flags, common_preempt_count, common_pid, sig, flags, comm, big, neg) at column 13",
      "  sig == 1 && nosuch == 2",
      "              ^^^^^^",
    ].join("\n"),
  );
  const u = thrown(() => compileFilter("a = 1", FIELDS));
  assert.is(formatFilterError(u, "a = 1").split("\n")[2], "    ^");
});

test.run();
