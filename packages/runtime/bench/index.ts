/**
 * `pnpm bench [regex]`: instructions per second of the interpreter and the JIT on five clang-built kernels
 * (bench/programs/*.c, rebuilt by bench/gen-programs.sh). Each engine runs each kernel through the public
 * API (`Vm.load`, `Program.run`) until at least MIN_MS have passed (and at least 5 runs); the table shows the
 * best run by process CPU time. Every (kernel, engine) pair runs in a fresh Node process, as a user's program would: type
 * feedback from one kernel must not slow the next. Instruction counts come from the engines themselves and
 * must match. Asserts nothing.
 */

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { Vm } from "../src/index.ts";

const MIN_MS = Number(process.env.AXEBPF_BENCH_MS ?? 400);
const dir = join(import.meta.dirname ?? __dirname, "programs");

interface Kernel {
  readonly name: string;
  readonly what: string;
  readonly context: () => Uint8Array;
}

function u64s(...v: bigint[]): Uint8Array {
  const b = new Uint8Array(8 * v.length);
  const dv = new DataView(b.buffer);
  v.forEach((x, i) => {
    dv.setBigUint64(8 * i, x, true);
  });
  return b;
}

const KERNELS: readonly Kernel[] = [
  { name: "arith", what: "64-bit add/mul/xor/shift loop", context: () => u64s(2_000_000n) },
  {
    name: "bytes",
    what: "FNV-1a over 4 KiB of context, 64 passes",
    context: () => {
      const b = new Uint8Array(8 + 4096);
      const dv = new DataView(b.buffer);
      dv.setUint32(0, 64, true);
      dv.setUint32(4, 4096, true);
      for (let i = 8; i < b.length; i++) b[i] = (i * 37) & 0xff;
      return b;
    },
  },
  { name: "alu32", what: "xorshift32 + 32-bit mix loop", context: () => u64s(2_000_000n) },
  { name: "branchy", what: "Collatz steps for seeds 1..20000", context: () => u64s(20_000n) },
  { name: "ldst", what: "u64 table on the stack + context counter", context: () => u64s(300_000n, 0n) },
];

interface Measure {
  readonly r0: bigint;
  readonly instructions: number;
  readonly bestMs: number;
  readonly loadMs: number;
  readonly runs: number;
}

function measure(engine: string, k: Kernel): Measure {
  const code = new Uint8Array(readFileSync(join(dir, `${k.name}.bin`)));
  const vm = new Vm({ engine, budget: 0x7fff_ffff });
  const t0 = performance.now();
  const p = vm.load(code);
  const loadMs = performance.now() - t0;
  let best = Number.POSITIVE_INFINITY;
  let runs = 0;
  let r0 = 0n;
  let instructions = 0;
  const start = performance.now();
  while (runs < 5 || performance.now() - start < MIN_MS) {
    const context = k.context();
    // Process CPU time, not wall time: this machine is shared, and a long run is preempted more often than a
    // short one, which would bias wall time against the slower engine.
    const s = process.cpuUsage();
    const r = p.run({ context });
    const d = process.cpuUsage(s);
    const e = (d.user + d.system) / 1000;
    if (e < best) best = e;
    r0 = r.r0;
    instructions = r.instructions;
    runs++;
  }
  return { r0, instructions, bestMs: best, loadMs, runs };
}

/** Measures in a child process (same Node flags, so the TypeScript loader comes along). */
function measureFresh(engine: string, k: Kernel): Measure {
  const out = execFileSync(
    process.execPath,
    [...process.execArgv, process.argv[1] ?? "", "--one", engine, k.name],
    {
      encoding: "utf8",
    },
  );
  const m = JSON.parse(out.trim().split("\n").pop() ?? "{}") as Omit<Measure, "r0"> & { r0: string };
  return { ...m, r0: BigInt(m.r0) };
}

if (process.argv[2] === "--one") {
  const k = KERNELS.find((x) => x.name === process.argv[4]);
  if (k === undefined) throw new Error(`no kernel ${process.argv[4]}`);
  const m = measure(process.argv[3] ?? "interpreter", k);
  console.log(JSON.stringify({ ...m, r0: m.r0.toString() }));
  process.exit(0);
}

const filter = new RegExp(process.argv[2] ?? ".");
const cpu = cpus()[0]?.model ?? "unknown CPU";
console.log(`@axebpf/runtime benchmarks — Node ${process.version}, ${cpus().length} × ${cpu}`);
console.log(
  `each kernel × engine in a fresh process; best of ≥5 runs and ≥${MIN_MS} ms by process CPU time; M/s = instructions / best run\n`,
);

const rows: string[][] = [
  ["kernel", "insns/run", "interp ms", "interp M/s", "JIT ms", "JIT M/s", "JIT/interp", "JIT load ms"],
];
for (const k of KERNELS) {
  if (!filter.test(k.name)) continue;
  const i = measureFresh("interpreter", k);
  const j = measureFresh("jit", k);
  if (i.r0 !== j.r0 || i.instructions !== j.instructions) {
    throw new Error(
      `${k.name}: engines disagree (interpreter r0=${i.r0} n=${i.instructions}, jit r0=${j.r0} n=${j.instructions})`,
    );
  }
  const ips = (m: Measure) => m.instructions / (m.bestMs / 1000) / 1e6;
  rows.push([
    k.name,
    i.instructions.toLocaleString("en-US"),
    i.bestMs.toFixed(2),
    ips(i).toFixed(0),
    j.bestMs.toFixed(3),
    ips(j).toFixed(0),
    `${(ips(j) / ips(i)).toFixed(1)}×`,
    j.loadMs.toFixed(2),
  ]);
}

const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length))) ?? [];
rows.forEach((r, n) => {
  console.log(
    `| ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join(" | ")} |`,
  );
  if (n === 0)
    console.log(
      `|${widths.map((w, c) => (c === 0 ? ` ${"-".repeat(w)} ` : ` ${"-".repeat(w - 1)}: `)).join("|")}|`,
    );
});
console.log("\nKernels:");
for (const k of KERNELS)
  if (filter.test(k.name)) console.log(`  ${k.name}: ${k.what} (bench/programs/${k.name}.c)`);
