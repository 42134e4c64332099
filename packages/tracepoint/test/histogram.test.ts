import { test } from "uvu";
import * as assert from "uvu/assert";
import { EventStats, HIST_BAR_WIDTH, LinearHistogram, Log2Histogram } from "../src/index.ts";
import { codeOf, rng } from "./helpers.ts";

test("log2 buckets: (..., 0), [0], [1], [2, 4), … with bpftrace labels", () => {
  const h = new Log2Histogram();
  for (const v of [-5, 0, 1, 2, 3, 4, 1023, 1024, 2 ** 20, 2 ** 32, 2 ** 63]) h.record(v);
  const nonEmpty = h
    .buckets()
    .filter((b) => b.count > 0)
    .map((b) => [b.label, b.count]);
  assert.equal(nonEmpty, [
    ["(..., 0)", 1],
    ["[0]", 1],
    ["[1]", 1],
    ["[2, 4)", 2],
    ["[4, 8)", 1],
    ["[512, 1K)", 1],
    ["[1K, 2K)", 1],
    ["[1M, 2M)", 1],
    ["[4G, 8G)", 1],
    ["[8E, 16E)", 1],
  ]);
  assert.equal([h.total, h.min, h.max], [11, -5, 2 ** 63]);
});

test("render matches bpftrace hist(): first to last non-empty bucket, 52-column bars", () => {
  const h = new Log2Histogram();
  assert.is(h.render(), "");
  for (let i = 0; i < 8; i++) h.record(9);
  for (let i = 0; i < 2; i++) h.record(40);
  h.record(1);
  assert.is(
    h.render(),
    [
      "[1]                    1 |@@@@@@                                              |",
      "[2, 4)                 0 |                                                    |",
      "[4, 8)                 0 |                                                    |",
      "[8, 16)                8 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|",
      "[16, 32)               0 |                                                    |",
      "[32, 64)               2 |@@@@@@@@@@@@@                                       |",
      "",
    ].join("\n"),
  );
  assert.is(HIST_BAR_WIDTH, 52);
});

test("linear buckets like lhist(): underflow, fixed steps, overflow", () => {
  const h = new LinearHistogram(0, 100, 25);
  for (const v of [-1, 0, 24, 25, 99, 100, 1000]) h.record(v);
  assert.equal(
    h.buckets().map((b) => [b.label, b.count]),
    [
      ["(..., 0)", 1],
      ["[0, 25)", 2],
      ["[25, 50)", 1],
      ["[50, 75)", 0],
      ["[75, 100)", 1],
      ["[100, ...)", 2],
    ],
  );
  assert.is(h.render().split("\n")[0], `(..., 0)${" ".repeat(8)}       1 |${"@".repeat(26).padEnd(52)}|`);
  // A last step shorter than `step` ends at max.
  assert.equal(
    new LinearHistogram(0, 10, 4).buckets().map((b) => b.label),
    ["(..., 0)", "[0, 4)", "[4, 8)", "[8, 10)", "[10, ...)"],
  );
  for (const bad of [
    [0, 0, 1],
    [0, 10, 0],
    [0, 10, -1],
    [0.5, 10, 1],
    [0, 1e9, 1],
  ] as const) {
    assert.is(
      codeOf(() => new LinearHistogram(bad[0], bad[1], bad[2])),
      "TRACEPOINT_INVALID_OPTION",
      String(bad),
    );
  }
});

test("percentiles: empty → undefined, exact for single values, never below the true value (weak spot 13)", () => {
  const h = new Log2Histogram();
  assert.is(h.percentile(0.5), undefined);
  h.record(5_000);
  // The original reported bucket 0's bound here; a single sample is its own percentile.
  assert.equal([h.percentile(0.5), h.percentile(0.9), h.percentile(0.99)], [5_000, 5_000, 5_000]);
  const big = new Log2Histogram();
  for (let i = 0; i < 100; i++) big.record(2_000_000_000);
  // The original's p99 for >1 s samples was u64::MAX.
  assert.is(big.percentile(0.99), 2_000_000_000);
  assert.is(
    codeOf(() => h.percentile(0)),
    "TRACEPOINT_INVALID_OPTION",
  );
  assert.is(
    codeOf(() => h.percentile(1.5)),
    "TRACEPOINT_INVALID_OPTION",
  );
});

test("percentiles against the exact order statistic on random data (seeded)", () => {
  const r = rng(7);
  for (let round = 0; round < 50; round++) {
    const n = 1 + Math.floor(r() * 200);
    const xs = Array.from({ length: n }, () => Math.floor(r() ** 3 * 1e9));
    const log = new Log2Histogram();
    const lin = new LinearHistogram(0, 1_000_000_000, 50_000_000);
    for (const x of xs) {
      log.record(x);
      lin.record(x);
    }
    const sorted = [...xs].sort((a, b) => a - b);
    for (const p of [0.01, 0.5, 0.9, 0.99, 1]) {
      const exact = sorted[Math.ceil(p * n) - 1]!;
      for (const h of [log, lin]) {
        const est = h.percentile(p)!;
        const bucket = h.buckets().find((b) => exact >= b.low && exact <= b.high)!;
        assert.ok(est >= exact, `p${p} est ${est} < exact ${exact}`);
        assert.ok(est <= Math.min(bucket.high, sorted[n - 1]!), `p${p} est ${est} beyond bucket of ${exact}`);
      }
    }
  }
});

test("spec histogram cases on log2 buckets: recording, totals, reset", () => {
  const h = new Log2Histogram();
  for (const v of [500, 5_000, 50_000, 500_000]) h.record(v);
  assert.is(h.total, 4);
  assert.is(h.sum, 555_500);
  h.record(Number.NaN);
  assert.is(h.total, 4);
  h.reset();
  assert.equal([h.total, h.sum, h.min, h.max, h.render()], [0, 0, undefined, undefined, ""]);
});

test("EventStats: hits, durations (0 = none), min/max/avg, percentiles, reset", () => {
  const s = new EventStats();
  let snap = s.snapshot();
  assert.equal(
    [snap.count, snap.durationSamples, snap.durationMinNs, snap.durationAvgNs, snap.lastTimestampNs],
    [0, 0, undefined, undefined, undefined],
  );
  s.record(1000, 0, 500);
  s.record(2000, 1, 100);
  s.record(3000, 0, 900);
  s.record(4000, 0, 0);
  snap = s.snapshot();
  assert.equal(
    [
      snap.count,
      snap.durationSamples,
      snap.durationSumNs,
      snap.durationMinNs,
      snap.durationMaxNs,
      snap.durationAvgNs,
    ],
    [4, 3, 1500, 100, 900, 500],
  );
  assert.is(snap.lastTimestampNs, 4000n);
  assert.is(snap.p50Ns, 511);
  s.setLinear(new LinearHistogram(0, 1000, 100));
  s.record(1, 0, 150);
  assert.is(s.linear?.total, 1);
  s.reset();
  assert.equal([s.count, s.durations.total, s.linear?.total], [0, 0, 0]);
});

test.run();
