// pnpm bench [regex]: MIPS of the simulator (interpreter alone, and with compiled basic blocks) on the compute-heavy oracle programs (checksum, sort,
// hash; -O2 builds), and the same ELFs under qemu-aarch64 when it is installed, as a ratio; then the virt machine
// on the bench image (EL1, MMU on, under stage 2) against qemu-system-aarch64.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { Machine } from "../src/machine/index.ts";
import { runElf } from "../src/runner.ts";

const dir = new URL("../oracle/programs/golden/", import.meta.url).pathname;
const filter = new RegExp(process.argv[2] ?? "\\.O2$");
const index = JSON.parse(readFileSync(`${dir}INDEX.json`, "utf8")) as {
  name: string;
  opt: string;
  insns: number;
  bench: boolean;
  exit: number;
}[];

const hasQemu = spawnSync("qemu-aarch64", ["--version"]).status === 0;
const rows: string[][] = [
  [
    "program",
    "instructions",
    "interp MIPS",
    "blocks ms",
    "blocks MIPS",
    "blocks / interp",
    "qemu ms",
    "qemu MIPS",
    "qemu / blocks",
  ],
];
/** Best-of-3 wall time of a simulator run (the machine is shared: the minimum is the least disturbed). */
function timeSim(elf: Uint8Array, blocks: boolean): { ms: number; insns: number; exit: number } {
  runElf(elf, { maxInstructions: 2_000_000, blocks }); // warm up the JIT on this program's code
  let ms = Number.POSITIVE_INFINITY;
  let insns = 0;
  let exit = -1;
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    const r = runElf(elf, { blocks });
    ms = Math.min(ms, performance.now() - t0);
    insns = r.instructions;
    exit = r.exitCode;
  }
  return { ms, insns, exit };
}
for (const b of index.filter((e) => e.bench && filter.test(`${e.name}.${e.opt}`))) {
  const elf = readFileSync(`${dir}${b.name}.${b.opt}.elf`);
  const interp = timeSim(elf, false);
  const blk = timeSim(elf, true);
  for (const r of [interp, blk]) {
    if (r.exit !== b.exit || r.insns !== b.insns) throw new Error(`${b.name}.${b.opt}: wrong result`);
  }
  const imips = b.insns / interp.ms / 1000;
  const mips = b.insns / blk.ms / 1000;
  let q = ["-", "-", "-"];
  if (hasQemu) {
    let qms = Number.POSITIVE_INFINITY;
    let status: number | null = null;
    for (let k = 0; k < 3; k++) {
      const q0 = performance.now();
      status = spawnSync("qemu-aarch64", ["-cpu", "max", `${dir}${b.name}.${b.opt}.elf`], {
        stdio: "ignore",
      }).status;
      qms = Math.min(qms, performance.now() - q0);
    }
    if (status === b.exit) {
      const qmips = b.insns / qms / 1000;
      q = [qms.toFixed(0), qmips.toFixed(0), `${(qmips / mips).toFixed(1)}x`];
    }
  }
  rows.push([
    `${b.name}.${b.opt}`,
    String(b.insns),
    imips.toFixed(1),
    blk.ms.toFixed(0),
    mips.toFixed(1),
    `${(mips / imips).toFixed(2)}x`,
    ...q,
  ]);
}
// The virt machine: the bench image boots at EL2, builds stage-2 tables and runs its workload at EL1 with the
// MMU on; qemu-system-aarch64 runs the same image (its time includes start-up and its 128 MiB board).
if (filter.test("virt.bench") || process.argv[2] === undefined) {
  const images = new URL("../oracle/images/", import.meta.url).pathname;
  const golden = JSON.parse(readFileSync(`${images}golden/bench.json`, "utf8")) as {
    insns: number;
    exit: number;
    qemu: string;
  };
  const image = readFileSync(`${images}bench/bench.elf`);
  const boot = (blocks: boolean) => {
    let ms = Number.POSITIVE_INFINITY;
    for (let k = 0; k < 3; k++) {
      const m = new Machine({ blocks, output: () => {} });
      m.loadElf(image);
      const t0 = performance.now();
      const r = m.run({ maxSteps: 2 * golden.insns });
      ms = Math.min(ms, performance.now() - t0);
      if (r.exitCode !== golden.exit || m.retired !== golden.insns)
        throw new Error("virt bench: wrong result");
    }
    return ms;
  };
  const ims = boot(false);
  const bms = boot(true);
  const imips = golden.insns / ims / 1000;
  const mips = golden.insns / bms / 1000;
  let q = ["-", "-", "-"];
  if (spawnSync("qemu-system-aarch64", ["--version"]).status === 0) {
    const args = golden.qemu
      .split(" ")
      .slice(1)
      .map((a) => (a === "IMAGE" ? `${images}bench/bench.elf` : a));
    let qms = Number.POSITIVE_INFINITY;
    let status: number | null = null;
    for (let k = 0; k < 3; k++) {
      const q0 = performance.now();
      status = spawnSync("qemu-system-aarch64", args, { stdio: "ignore", timeout: 60_000 }).status;
      qms = Math.min(qms, performance.now() - q0);
    }
    if (status === golden.exit) {
      const qmips = golden.insns / qms / 1000;
      q = [qms.toFixed(0), qmips.toFixed(0), `${(qmips / mips).toFixed(1)}x`];
    }
  }
  rows.push([
    "virt bench.elf (EL1+S2)",
    String(golden.insns),
    imips.toFixed(1),
    bms.toFixed(0),
    mips.toFixed(1),
    `${(mips / imips).toFixed(2)}x`,
    ...q,
  ]);
}
const widths = (rows[0] as string[]).map((_, c) => Math.max(...rows.map((r) => (r[c] as string).length)));
for (const r of rows) console.log(r.map((c, i) => c.padStart(widths[i] as number)).join("  "));
console.log(
  `\nNode ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? "?"}; qemu time includes process start-up (qemu-system-aarch64 for the virt row)`,
);
