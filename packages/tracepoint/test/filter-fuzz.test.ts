import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { TracepointError } from "../src/index.ts";
import { compileFilter, testTracepoint } from "./filter-fixtures.ts";
import { fuzzIters, fuzzSeed, rng } from "./helpers.ts";

const tp = testTracepoint();
const ITERS = fuzzIters(3000);

/** Compiles and returns undefined, or the TracepointError; anything else fails the test. */
function tryCompile(input: string): TracepointError | undefined {
  try {
    compileFilter(input, tp.fields);
    return undefined;
  } catch (e) {
    if (!(e instanceof TracepointError)) throw new Error(`${JSON.stringify(input)} threw ${String(e)}`);
    assert.ok(e.code.startsWith("TRACEPOINT_FILTER_"), `${JSON.stringify(input)}: ${e.code}`);
    assert.ok(
      e.column !== undefined && e.column >= 1 && e.column <= input.length + 1,
      `${JSON.stringify(input)} column ${e.column}`,
    );
    return e;
  }
}

const ALPHABET = [
  ..."()&|=!<>~\"'\\ *?[]^-_0123456789abcxABCX",
  "sig",
  "comm",
  "big",
  "neg",
  "flags",
  "0x",
  "é",
  "\t",
];

test(`fuzz: ${ITERS} random inputs give a filter or a positioned TracepointError (seed 1)`, () => {
  const r = rng(fuzzSeed(1));
  for (let i = 0; i < ITERS; i++) {
    const len = Math.floor(r() * 24);
    let s = "";
    for (let k = 0; k < len; k++) s += ALPHABET[Math.floor(r() * ALPHABET.length)];
    tryCompile(s);
  }
});

// A generator of well-formed filters over the test fields, with edge-case literals.
const INT_FIELDS = ["sig", "flags", "big", "neg", "common_type", "common_pid"] as const;
const EDGE = [
  0n,
  1n,
  -1n,
  2n ** 31n - 1n,
  -(2n ** 31n),
  2n ** 32n - 1n,
  2n ** 32n,
  2n ** 63n - 1n,
  2n ** 63n,
  2n ** 64n - 1n,
  -(2n ** 63n),
  17n,
  255n,
];
const WORDS = ["bash", "sh", "vcpu-1", "", "a*", "*", "?h", "[a-c]*", "[!b]ash", "héllo", "ba?h", "\\*"];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function genExpr(r: () => number, depth: number): string {
  const k = r();
  if (depth < 4 && k < 0.3) {
    return `${genExpr(r, depth + 1)} ${r() < 0.5 ? "&&" : "||"} ${genExpr(r, depth + 1)}`;
  }
  if (depth < 4 && k < 0.4) return `(${genExpr(r, depth + 1)})`;
  if (r() < 0.3) {
    const op = pick(r, ["==", "!=", "~"]);
    return `comm ${op} '${pick(r, WORDS).replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  }
  const field = pick(r, INT_FIELDS);
  const lit = pick(r, EDGE) + BigInt(Math.floor(r() * 3) - 1);
  const clamp = lit > 2n ** 64n - 1n ? 2n ** 64n - 1n : lit < -(2n ** 63n) ? -(2n ** 63n) : lit;
  const op = pick(r, ["==", "!=", "<", "<=", ">", ">="]);
  const mask =
    r() < 0.2
      ? ` & 0x${pick(r, [0xffn, 0xffff_ffff_0000_0000n, 0x8000_0000_0000_0001n, 0n]).toString(16)}`
      : "";
  const text = r() < 0.3 && clamp >= 0n ? `0x${clamp.toString(16)}` : clamp.toString();
  return `${field}${mask} ${op} ${text}`;
}

function genRecord(r: () => number): Uint8Array {
  const sig = pick(r, [0, 1, -1, 17, 2 ** 31 - 1, -(2 ** 31), 12]);
  const flags = pick(r, [0, 1, 0x30, 0xffff_ffff, 0x8000_0000]);
  const big = pick(
    r,
    EDGE.filter((x) => x >= 0n),
  );
  const neg = pick(
    r,
    EDGE.filter((x) => x >= -(2n ** 63n) && x < 2n ** 63n),
  );
  return tp.encode(sig, flags, pick(r, ["bash", "sh", "vcpu-1", "", "a*", "héllo", "cash", "abc"]), big, neg);
}

test(`fuzz: ${ITERS} generated filters agree with the exact bigint reference on random records (seed 2)`, () => {
  const r = rng(fuzzSeed(2));
  for (let i = 0; i < ITERS; i++) {
    const src = genExpr(r, 0);
    const c = compileFilter(src, tp.fields);
    for (let j = 0; j < 4; j++) {
      const record = genRecord(r);
      const values = tp.decode(record);
      assert.is(
        c.evaluate(record),
        c.evaluateValues(values),
        `${src} on ${JSON.stringify(values, (_k, v) => (typeof v === "bigint" ? `${v}n` : v))}`,
      );
    }
  }
});

test(`fuzz: ${ITERS} single-character mutations of valid filters never crash (seed 3)`, () => {
  const r = rng(fuzzSeed(3));
  for (let i = 0; i < ITERS; i++) {
    const src = genExpr(r, 0);
    const at = Math.floor(r() * (src.length + 1));
    const m = r();
    const ch = pick(r, ALPHABET);
    const mutated =
      m < 0.33
        ? src.slice(0, at) + src.slice(at + 1)
        : m < 0.66
          ? src.slice(0, at) + ch + src.slice(at)
          : src.slice(0, at) + ch + src.slice(at + 1);
    tryCompile(mutated);
  }
});

test("regression corpus: inputs that once misbehaved stay handled", () => {
  const lines = readFileSync(new URL("./fixtures/filter-corpus.txt", import.meta.url), "utf8").split("\n");
  let n = 0;
  for (const line of lines) {
    if (line === "" || line.startsWith("#")) continue;
    const [expect, input] = [
      line.slice(0, line.indexOf(" ")),
      JSON.parse(line.slice(line.indexOf(" ") + 1)) as string,
    ];
    const e = tryCompile(input);
    assert.is(e?.code ?? "OK", expect, input);
    n++;
  }
  assert.ok(n > 5);
});

test.run();
