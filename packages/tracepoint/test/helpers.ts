import { TracepointError, type TracepointErrorCode } from "../src/index.ts";

/** Runs `fn`, which must throw a TracepointError; returns it. */
export function thrown(fn: () => unknown): TracepointError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TracepointError) return e;
    throw new Error(`expected a TracepointError, got ${String(e)}`);
  }
  throw new Error("expected a TracepointError, nothing was thrown");
}

export function codeOf(fn: () => unknown): TracepointErrorCode {
  return thrown(fn).code;
}

/** A small deterministic PRNG (mulberry32) for seeded fuzzing. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fuzz iterations: `AXEBPF_FUZZ_ITERS` or a small default. */
export function fuzzIters(def: number): number {
  const v = Number(process.env.AXEBPF_FUZZ_ITERS);
  return Number.isSafeInteger(v) && v > 0 ? v : def;
}

/** Fuzz seed: `AXEBPF_FUZZ_SEED` added to each test's fixed seed (0 by default), to explore further. */
export function fuzzSeed(base: number): number {
  const v = Number(process.env.AXEBPF_FUZZ_SEED);
  return Number.isSafeInteger(v) ? base + v : base;
}
