import { test } from "uvu";
import * as assert from "uvu/assert";
import { compileFilter, testTracepoint } from "./filter-fixtures.ts";

const tp = testTracepoint();
const rec = (sig: number, flags: number, comm: string, big: bigint = 0n, neg: bigint = 0n): Uint8Array =>
  tp.encode(sig, flags, comm, big, neg);
const f = (s: string) => compileFilter(s, tp.fields);

test("spec examples (tp-lexer tests) on records", () => {
  const sigs = f("((sig >= 10 && sig < 15) || sig == 17) && comm != bash");
  assert.ok(sigs.matches(rec(12, 0, "sh")));
  assert.not.ok(sigs.matches(rec(12, 0, "bash")));
  assert.ok(sigs.matches(rec(17, 0, "zsh")));
  assert.not.ok(sigs.matches(rec(15, 0, "zsh")));
  const mask = f("flags & 0x10 == 0x10");
  assert.ok(mask.matches(rec(0, 0x30, "")));
  assert.not.ok(mask.matches(rec(0, 0x20, "")));
  // `bash*` with == is literal equality, not a glob.
  assert.not.ok(f("comm == bash*").matches(rec(0, 0, "bashful")));
  assert.ok(f("comm == bash*").matches(rec(0, 0, "bash*")));
  const prec = f("sig == 1 || sig == 2 && comm == bash");
  assert.not.ok(prec.matches(rec(2, 0, "sh")));
  assert.ok(prec.matches(rec(1, 0, "sh")));
});

test("u64 fields compare as unsigned across the whole range (weak spot 11)", () => {
  const top = 0xffff_ffff_ffff_ffffn;
  assert.ok(f("big == 0xffffffffffffffff").matches(rec(0, 0, "", top)));
  assert.ok(f("big > 0x7fffffffffffffff").matches(rec(0, 0, "", 1n << 63n)));
  assert.not.ok(f("big < 5").matches(rec(0, 0, "", 1n << 63n)));
  assert.ok(f("big >= 18446744073709551615").matches(rec(0, 0, "", top)));
  assert.ok(f("big > 4294967295").matches(rec(0, 0, "", 0x1_0000_0000n)));
  assert.not.ok(f("big > 4294967296").matches(rec(0, 0, "", 0x1_0000_0000n)));
  // A negative literal is below every unsigned value.
  assert.ok(f("big > -1").matches(rec(0, 0, "", 0n)));
  assert.not.ok(f("big == -1").matches(rec(0, 0, "", top)));
});

test("signed fields compare as signed; literals beyond i64 are above every value", () => {
  assert.ok(f("neg < 0").matches(rec(0, 0, "", 0n, -5n)));
  assert.ok(f("neg == -5").matches(rec(0, 0, "", 0n, -5n)));
  assert.ok(f("neg < -4294967296").matches(rec(0, 0, "", 0n, -(1n << 40n))));
  assert.ok(f("neg < 0x8000000000000000").matches(rec(0, 0, "", 0n, (1n << 63n) - 1n)));
  assert.ok(f("sig < 0 && sig > -3").matches(rec(-2, 0, "")));
  assert.not.ok(f("sig > 0").matches(rec(-1, 0, "")));
  // Masking works on the 64-bit pattern and compares unsigned.
  assert.ok(f("sig & 0xff == 255").matches(rec(-1, 0, "")));
  assert.ok(f("neg & 0xffffffff00000000 == 0xffffffff00000000").matches(rec(0, 0, "", 0n, -1n)));
});

test("strings: equality, globs with *, ?, classes, negation, escapes; UTF-8 is kept", () => {
  const r = rec(0, 0, "vcpu-3");
  assert.ok(f("comm ~ vcpu*").matches(r));
  assert.ok(f("comm ~ 'vcpu-?'").matches(r));
  assert.ok(f("comm ~ 'vcpu-[0-4]'").matches(r));
  assert.not.ok(f("comm ~ 'vcpu-[!0-4]'").matches(r));
  assert.ok(f("comm ~ 'vcpu-[^a-z]'").matches(r));
  assert.ok(f("comm ~ '*-*'").matches(r));
  assert.not.ok(f("comm ~ 'vcpu'").matches(r));
  assert.ok(f("comm ~ '***3'").matches(r));
  assert.ok(f("comm ~ 'a\\*'").matches(rec(0, 0, "a*")));
  assert.not.ok(f("comm ~ 'a\\*'").matches(rec(0, 0, "ab")));
  assert.ok(f("comm == 'héllo'").matches(rec(0, 0, "héllo")));
  assert.ok(f("comm ~ 'h?llo'").matches(rec(0, 0, "héllo")));
  assert.ok(f("comm ~ '[é]*'").matches(rec(0, 0, "éa")));
  assert.ok(f("comm == ''").matches(rec(0, 0, "")));
  assert.ok(f("comm == 123").matches(rec(0, 0, "123")));
  assert.ok(f("comm != bash").matches(rec(0, 0, "")));
  // A 16-byte field with no NUL is read up to its end.
  assert.ok(f("comm == abcdefghijklmnop").matches(rec(0, 0, "abcdefghijklmnopqrs")));
});

test("tri-state: missing values are Unknown, neutral under && and ||, fail-open at the top", () => {
  const g = f("sig == 1 && comm == bash");
  assert.is(g.evaluateValues({ sig: 1 }), "true");
  assert.is(g.evaluateValues({ sig: 2 }), "false");
  assert.is(g.evaluateValues({}), "unknown");
  const o = f("sig == 1 || comm == bash");
  assert.is(o.evaluateValues({ sig: 2 }), "false");
  assert.is(o.evaluateValues({ comm: "bash" }), "true");
  assert.is(o.evaluateValues({ comm: "sh" }), "false");
  assert.is(o.evaluateValues({}), "unknown");
  assert.is(f("sig == 1").evaluateValues({ sig: "one" }), "unknown");
  assert.is(f("comm == x").evaluateValues({ comm: 5 }), "unknown");
  assert.is(f("big == 18446744073709551615").evaluateValues({ big: 0xffff_ffff_ffff_ffffn }), "true");
  // On a record that is too short the fields past its end are Unknown; Unknown passes.
  const short = rec(1, 0, "bash").subarray(0, 12);
  assert.is(f("sig == 1 && comm == zsh").evaluate(short), "true");
  assert.is(f("comm == zsh").evaluate(short), "unknown");
  assert.ok(f("comm == zsh").matches(short));
  assert.is(f("sig == 2").evaluate(short), "false");
});

test("compile keeps the source, AST and fields", () => {
  const c = f("sig == 1");
  assert.is(c.source, "sig == 1");
  assert.is(c.ast.type, "compare");
  assert.is(c.fields, tp.fields);
});

test.run();
