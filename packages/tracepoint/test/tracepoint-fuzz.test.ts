import { ManualPlatform } from "@axebpf/platform/testing";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type FieldSpec, type TraceArg, TracepointError, TracepointManager } from "../src/index.ts";
import { fuzzIters, fuzzSeed, rng } from "./helpers.ts";

const ITERS = fuzzIters(1500);
const TYPES = [
  "u8",
  "u16",
  "u32",
  "u64",
  "i8",
  "i16",
  "i32",
  "i64",
  "bool",
  "char[1]",
  "char[5]",
  "char[16]",
  "char[0]",
  "u128",
  "f32",
  "",
  "char[300]",
];
const RANGE: Record<string, [bigint, bigint]> = {
  u8: [0n, 255n],
  u16: [0n, 65535n],
  u32: [0n, 2n ** 32n - 1n],
  u64: [0n, 2n ** 64n - 1n],
  i8: [-128n, 127n],
  i16: [-32768n, 32767n],
  i32: [-(2n ** 31n), 2n ** 31n - 1n],
  i64: [-(2n ** 63n), 2n ** 63n - 1n],
  bool: [0n, 1n],
};

function typed<T>(fn: () => T): T | TracepointError {
  try {
    return fn();
  } catch (e) {
    if (e instanceof TracepointError) return e;
    throw e;
  }
}

test(`fuzz: ${ITERS} random definitions and arguments give records that decode to the arguments, or typed errors (seed 21)`, () => {
  const r = rng(fuzzSeed(21));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  let fired = 0;
  for (let i = 0; i < ITERS; i++) {
    const m = new TracepointManager(new ManualPlatform(), { builtins: false, pipeCapacity: 4 });
    const fields: FieldSpec[] = Array.from({ length: Math.floor(r() * 6) }, (_, k) => ({
      name: r() < 0.05 ? "9bad" : `f${k}`,
      type: pick(TYPES) as FieldSpec["type"],
    }));
    const tp = typed(() => m.define({ system: "fz", name: `t${i}`, fields }));
    if (tp instanceof TracepointError) continue;
    m.enable(`fz:t${i}`);
    const args: unknown[] = fields.map((f) => {
      const t = String(f.type);
      const k = r();
      if (t.startsWith("char")) return k < 0.9 ? "x".repeat(Math.floor(r() * 20)) : 7;
      if (t === "bool") return k < 0.45 ? true : k < 0.9 ? 0 : 2;
      const [lo, hi] = RANGE[t]!;
      const v = k < 0.3 ? lo : k < 0.6 ? hi : k < 0.95 ? BigInt(Math.floor(r() * 1000)) : hi + 1n;
      return r() < 0.5 && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(v)
        : v;
    });
    if (r() < 0.05) args.pop();
    const ok = typed(() => tp.fire(...(args as TraceArg[])));
    if (ok instanceof TracepointError) continue;
    fired++;
    const [rec] = m.pipe.readRecords();
    const got = tp.decode(rec!.record);
    fields.forEach((f, k) => {
      const a = args[k];
      const want =
        typeof a === "string"
          ? a.slice(0, Number(/\d+/.exec(String(f.type))?.[0]))
          : BigInt(a === true ? 1 : a === false ? 0 : (a as number | bigint));
      assert.is(got[f.name], want, `${f.name}: ${f.type}`);
    });
    assert.type(tp.formatPayload(rec!.record), "string");
  }
  assert.ok(fired > ITERS / 10, `only ${fired} fired`);
});

test.run();
