// Builds the oracle C programs and records their golden output (oracle/README.md, section 2).
//   tsx oracle/programs/build.ts          build everything, run under qemu-aarch64, write golden/
//   tsx oracle/programs/build.ts --check  re-run the committed ELFs under QEMU and compare with golden/
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync, gzipSync } from "node:zlib";
import { countInsns } from "./count-insns.ts";
import { traceProgram } from "./trace.ts";

const here = dirname(fileURLToPath(import.meta.url));
const golden = join(here, "golden");
const CC = process.env.CC_AARCH64 ?? "aarch64-linux-gnu-gcc";
const OBJDUMP = process.env.OBJDUMP ?? "aarch64-linux-gnu-objdump";
const QEMU = process.env.QEMU_AARCH64 ?? "qemu-aarch64";

/** The compute-heavy programs meant for the MIPS benchmark (no -O0 build: too slow to be useful). */
const PROGRAMS: readonly { name: string; bench: boolean }[] = [
  { name: "hello", bench: false },
  { name: "checksum", bench: true },
  { name: "sort", bench: true },
  { name: "hash", bench: true },
  { name: "strings", bench: false },
  { name: "recursion", bench: false },
  { name: "arith64", bench: false },
  { name: "division", bench: false },
  { name: "bits", bench: false },
  { name: "statemachine", bench: false },
  { name: "vm", bench: false },
  { name: "matrix", bench: false },
  { name: "sieve", bench: false },
  { name: "memops", bench: false },
];

/* No -ffreestanding: gcc may inline memcpy/memset as it does for ordinary C (sys.h has the out-of-line ones). */
const BASE = [
  "-nostdlib",
  "-static",
  "-fno-pic",
  "-no-pie",
  "-fno-stack-protector",
  "-Wall",
  "-Wextra",
  "-Werror",
];
/** Build variants: the O0/O1/O2 builds use only general-purpose registers; O2simd lets gcc use FP/SIMD. */
const VARIANTS: Record<string, readonly string[]> = {
  O0: ["-O0", "-mgeneral-regs-only"],
  O1: ["-O1", "-mgeneral-regs-only"],
  O2: ["-O2", "-mgeneral-regs-only"],
  O2simd: ["-O2"],
};

/** Builds that also get a lockstep register trace (small enough to commit). */
const TRACED = new Set(["hello.O0", "hello.O1", "hello.O2", "strings.O2", "division.O2", "statemachine.O2"]);

interface Entry {
  name: string;
  opt: string;
  elf: string;
  exit: number;
  insns: number | null;
  bench: boolean;
  cflags: string;
}

function run(elf: string): { stdout: Buffer; exit: number } {
  const res = spawnSync(QEMU, ["-cpu", "max", elf], { timeout: 120_000, maxBuffer: 1 << 24 });
  if (res.status === null) throw new Error(`${elf}: qemu did not exit (${res.signal ?? res.error})`);
  return { stdout: res.stdout, exit: res.status };
}

async function build(): Promise<void> {
  mkdirSync(golden, { recursive: true });
  const index: Entry[] = [];
  for (const { name, bench } of PROGRAMS) {
    for (const [opt, flags] of Object.entries(VARIANTS)) {
      if (bench && opt === "O0") continue;
      const base = `${name}.${opt}`;
      const elf = join(golden, `${base}.elf`);
      const cflags = [...flags, ...BASE];
      const cc = spawnSync(CC, [...cflags, "-o", elf, join(here, "src", `${name}.c`)], { encoding: "utf8" });
      if (cc.status !== 0) throw new Error(`${base}: ${CC} failed:\n${cc.stderr}`);
      const { stdout, exit } = run(elf);
      writeFileSync(join(golden, `${base}.stdout`), stdout);
      const dis = spawnSync(OBJDUMP, ["-d", `golden/${base}.elf`], {
        cwd: here,
        encoding: "utf8",
        maxBuffer: 1 << 26,
      });
      if (dis.status !== 0) throw new Error(`${base}: objdump failed: ${dis.stderr}`);
      writeFileSync(join(golden, `${base}.objdump`), dis.stdout);
      const insns = await countInsns(elf, "tb");
      if (!bench && insns < 3_000_000) {
        const step = await countInsns(elf, "step");
        if (step !== insns) throw new Error(`${base}: block count ${insns} != single-step count ${step}`);
      }
      if (TRACED.has(base)) {
        const trace = await traceProgram(golden, `${base}.elf`);
        if (trace.length !== insns)
          throw new Error(`${base}: trace has ${trace.length} steps, count is ${insns}`);
        const header = {
          format: "axebpf-a64-trace/1",
          elf: `${base}.elf`,
          count: trace.length,
          oracle: `${QEMU} -cpu max`,
        };
        const gz = gzipSync(`${[JSON.stringify(header), ...trace].join("\n")}\n`, { level: 9 });
        writeFileSync(join(golden, `${base}.trace.jsonl.gz`), gz);
      }
      const entry: Entry = { name, opt, elf: `${base}.elf`, exit, insns, bench, cflags: cflags.join(" ") };
      writeFileSync(
        join(golden, `${base}.json`),
        `${JSON.stringify({ exit, insns, bench, cflags: entry.cflags, oracle: `${QEMU} -cpu max` })}\n`,
      );
      index.push(entry);
      console.log(
        `${base.padEnd(22)} exit ${String(exit).padStart(3)}  ${String(insns).padStart(10)} insns  ${stdout.length} bytes out`,
      );
    }
  }
  writeFileSync(join(golden, "INDEX.json"), `${JSON.stringify(index, null, 2)}\n`);
}

async function check(): Promise<void> {
  const index = JSON.parse(readFileSync(join(golden, "INDEX.json"), "utf8")) as Entry[];
  let bad = 0;
  for (const e of index) {
    const elf = join(golden, e.elf);
    if (!existsSync(elf)) throw new Error(`missing ${elf}`);
    const { stdout, exit } = run(elf);
    const want = readFileSync(join(golden, e.elf.replace(/\.elf$/, ".stdout")));
    let ok = exit === e.exit && Buffer.compare(stdout, want) === 0;
    const base = e.elf.replace(/\.elf$/, "");
    if (ok && TRACED.has(base)) {
      const lines = gunzipSync(readFileSync(join(golden, `${base}.trace.jsonl.gz`)))
        .toString("utf8")
        .trimEnd()
        .split("\n")
        .slice(1);
      const trace = await traceProgram(golden, e.elf);
      ok = lines.length === trace.length && lines.every((l, i) => l === trace[i]);
    }
    if (!ok) bad++;
    console.log(`${e.elf.padEnd(26)} ${ok ? "ok" : `MISMATCH (exit ${exit}, want ${e.exit})`}`);
  }
  console.log(`programs: ${index.length - bad}/${index.length} match`);
  process.exitCode = bad ? 1 : 0;
}

if (process.argv.includes("--check")) await check();
else await build();
