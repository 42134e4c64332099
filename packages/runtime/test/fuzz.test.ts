/**
 * Differential fuzzing: random and mutated programs through the verifier, the interpreter and the JIT.
 * Every input must end in a `RuntimeError` or a result, never another exception or a hang (the budget
 * bounds every run), and the two engines must agree on r0, instruction count, error code, pc, address and
 * the context bytes left behind.
 *
 * AXEBPF_FUZZ_ITERS (default 600) sets the number of programs per source; AXEBPF_FUZZ_SEED the base seed.
 * An input that ever fails is saved to test/fixtures/fuzz-regressions/ and replayed on every run.
 */

import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { dataFileProgram, HelperTable, parseDataFile, RuntimeError, Vm } from "../src/index.ts";
import { corpusDir, vectors } from "./conformance-harness.ts";
import { concat, generate, mutate, Rng, toHex } from "./fuzz-gen.ts";

const ITERS = Number(process.env.AXEBPF_FUZZ_ITERS ?? 600);
const SEED = Number(process.env.AXEBPF_FUZZ_SEED ?? 0x5eed);
const BUDGET = 5_000;
const CTX_SIZE = 64;
const REGRESSIONS = join(import.meta.dirname ?? __dirname, "fixtures", "fuzz-regressions");

/** Helpers both engines get: pure ones, one that writes program memory, one that fails. */
function helpers(): HelperTable {
  return (
    new HelperTable()
      .register(1, "mix", (c) => (c.arg(1) * 31n + c.arg(2)) ^ c.arg(3))
      .register(2, "store8", (c) => {
        c.memory.write(c.arg(1), new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
        return 0;
      })
      .register(3, "fail_on_zero", (c) => {
        if (c.arg(1) === 0n) throw new Error("zero");
        return c.arg(1) - 1n;
      })
      // Region-table changes inside a run: engines must drop their cached regions after a helper call.
      // Permissions from r1: 0 none, 1 read-only, 2 write-only, 3 read-write.
      .register(
        4,
        "map_new",
        (c) => c.memory.map(new Uint8Array(16).fill(0x44), c.argLo(1) & 3, "USER").address,
      )
      .register(5, "shrink_context", (c) => {
        const ctx = c.memory.region(1);
        c.memory.setRegion(1, ctx.wasmAddress, Math.max(0, ctx.length - 24), 1);
        return ctx.length;
      })
  );
}
const HELPER_IDS = [1, 2, 3, 4, 5];
const TAIL_MAP = 0x77;

interface Outcome {
  readonly load?: string;
  readonly r0?: string;
  readonly instructions?: number;
  readonly code?: string;
  readonly pc?: string;
  readonly address?: string;
  readonly ctx?: string;
}

function outcome(engine: string, prog: Uint8Array, ctx: Uint8Array): Outcome {
  const vm = new Vm({ engine, helpers: helpers(), budget: BUDGET });
  let p: ReturnType<Vm["load"]>;
  try {
    p = vm.load(prog);
    // Tail-call targets: index 0 a small program reading registers the caller left, index 1 the program itself.
    const t0 = vm.load(
      new Uint8Array([0xbf, 0x60, 0, 0, 0, 0, 0, 0, 0xaf, 0x10, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0]),
    );
    const self = p;
    vm.setProgramArray(BigInt(TAIL_MAP), { get: (i) => (i === 0 ? t0 : i === 1 ? self : undefined) });
  } catch (e) {
    if (!(e instanceof RuntimeError))
      throw new Error(`${engine}: load threw a non-RuntimeError: ${String(e)}`);
    return { load: e.code, pc: String(e.pc) };
  }
  const context = ctx.slice();
  try {
    const r = p.run({ context });
    return { r0: r.r0.toString(16), instructions: r.instructions, ctx: toHex(context) };
  } catch (e) {
    if (!(e instanceof RuntimeError))
      throw new Error(`${engine}: run threw a non-RuntimeError: ${String(e)}`);
    return { code: e.code, pc: String(e.pc), address: String(e.address), ctx: toHex(context) };
  }
}

/** Checks one input; returns a description of the problem, or undefined. */
function check(prog: Uint8Array, ctx: Uint8Array): string | undefined {
  let a: Outcome;
  let b: Outcome;
  try {
    a = outcome("interpreter", prog, ctx);
    b = outcome("jit", prog, ctx);
  } catch (e) {
    return String(e);
  }
  const ja = JSON.stringify(a);
  const jb = JSON.stringify(b);
  return ja === jb ? undefined : `interpreter ${ja}\n         jit ${jb}`;
}

function save(prog: Uint8Array, ctx: Uint8Array): string {
  mkdirSync(REGRESSIONS, { recursive: true });
  const text = `${toHex(prog)}\n${toHex(ctx)}\n`;
  const name = `${createHash("sha256").update(text).digest("hex").slice(0, 16)}.hex`;
  writeFileSync(join(REGRESSIONS, name), text);
  return name;
}

interface Tally {
  rejected: number;
  ok: number;
  errors: Map<string, number>;
}

function fuzz(label: string, next: (rng: Rng) => Uint8Array, seed: number): Tally {
  const rng = new Rng(seed);
  const tally: Tally = { rejected: 0, ok: 0, errors: new Map() };
  const failures: string[] = [];
  for (let k = 0; k < ITERS; k++) {
    const prog = next(rng);
    const ctx = new Uint8Array(CTX_SIZE);
    for (let i = 0; i < CTX_SIZE; i++) ctx[i] = rng.int(256);
    const problem = check(prog, ctx);
    if (problem !== undefined) {
      failures.push(`${label} #${k} (saved as ${save(prog, ctx)}): ${problem}`);
      if (failures.length >= 5) break;
      continue;
    }
    const o = outcome("interpreter", prog, ctx);
    if (o.load !== undefined) tally.rejected++;
    else if (o.code !== undefined) tally.errors.set(o.code, (tally.errors.get(o.code) ?? 0) + 1);
    else tally.ok++;
  }
  assert.equal(failures, [], failures.join("\n"));
  return tally;
}

const opts = { ctxSize: CTX_SIZE, helpers: HELPER_IDS, tailCallMap: TAIL_MAP };

test("generated programs: both engines agree, only typed errors", () => {
  const t = fuzz("generated", (rng) => generate(rng, opts), SEED);
  // The generator aims at accepted programs that run; make sure it still does, or the test proves little.
  assert.ok(t.ok + [...t.errors.values()].reduce((a, b) => a + b, 0) > ITERS / 2, JSON.stringify(t));
  assert.ok(t.ok > ITERS / 10, `only ${t.ok} of ${ITERS} programs finished`);
});

test("mutated generated programs: both engines agree, only typed errors", () => {
  fuzz("mutated", (rng) => mutate(rng, generate(rng, opts)), SEED + 1);
});

test("random bytes: the verifier rejects them with typed errors or both engines agree", () => {
  fuzz(
    "random",
    (rng) => {
      const n = 1 + rng.int(24);
      const b = new Uint8Array(n * 8 + (rng.chance(0.05) ? rng.int(8) : 0));
      for (let i = 0; i < b.length; i++) b[i] = rng.int(256);
      if (rng.chance(0.5) && b.length >= 8) b.set([0x95, 0, 0, 0, 0, 0, 0, 0], (n - 1) * 8);
      return b;
    },
    SEED + 2,
  );
});

const dir = corpusDir();
if (dir !== undefined) {
  test("mutated bpf_conformance programs: both engines agree, only typed errors", () => {
    const seeds: Uint8Array[] = [];
    for (const f of vectors(dir, "tests")) {
      try {
        seeds.push(dataFileProgram(parseDataFile(readFileSync(f, "utf8"))));
      } catch {
        // vectors whose text is meant to be rejected are no use as seeds
      }
    }
    assert.ok(seeds.length > 250, `only ${seeds.length} corpus programs assembled`);
    fuzz("corpus", (rng) => mutate(rng, rng.pick(seeds)), SEED + 3);
  });
} else {
  console.log("fuzz: bpf_conformance corpus not found; skipping the corpus mutation source");
}

test("every saved regression input replays with both engines agreeing", () => {
  let files: string[] = [];
  try {
    files = readdirSync(REGRESSIONS).filter((f) => f.endsWith(".hex"));
  } catch {
    // no regressions saved yet
  }
  for (const f of files) {
    const [progHex = "", ctxHex = ""] = readFileSync(join(REGRESSIONS, f), "utf8").split("\n");
    const problem = check(Buffer.from(progHex, "hex"), Buffer.from(ctxHex, "hex"));
    assert.is(problem, undefined, `${basename(f)}: ${problem}`);
  }
});

test("a long generated program list concatenated still verifies or is refused cleanly", () => {
  const rng = new Rng(SEED + 4);
  const parts: Uint8Array[] = [];
  for (let k = 0; k < 50; k++) parts.push(generate(rng, opts).subarray(0, -8)); // drop each exit
  parts.push(new Uint8Array([0x95, 0, 0, 0, 0, 0, 0, 0]));
  const problem = check(concat(parts), new Uint8Array(CTX_SIZE));
  assert.is(problem, undefined, problem);
});

test.run();
