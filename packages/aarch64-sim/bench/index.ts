// pnpm bench [regex]: MIPS of the interpreter on the compute-heavy oracle programs (checksum, sort,
// hash; -O2 builds), and the same ELFs under qemu-aarch64 when it is installed, as a ratio.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
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
  ["program", "instructions", "sim ms", "sim MIPS", "qemu ms", "qemu MIPS", "qemu / sim"],
];
for (const b of index.filter((e) => e.bench && filter.test(`${e.name}.${e.opt}`))) {
  const elf = readFileSync(`${dir}${b.name}.${b.opt}.elf`);
  runElf(elf, { maxInstructions: 2_000_000 }); // warm up the JIT on this program's code
  // best of 3: the machine is shared, the minimum is the least disturbed run
  let ms = Number.POSITIVE_INFINITY;
  let r = runElf(elf, { maxInstructions: 1 });
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    r = runElf(elf);
    ms = Math.min(ms, performance.now() - t0);
  }
  if (r.exitCode !== b.exit || r.instructions !== b.insns)
    throw new Error(`${b.name}.${b.opt}: wrong result`);
  const mips = r.instructions / ms / 1000;
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
      const qmips = r.instructions / qms / 1000;
      q = [qms.toFixed(0), qmips.toFixed(0), `${(qmips / mips).toFixed(1)}x`];
    }
  }
  rows.push([`${b.name}.${b.opt}`, String(r.instructions), ms.toFixed(0), mips.toFixed(1), ...q]);
}
const widths = (rows[0] as string[]).map((_, c) => Math.max(...rows.map((r) => (r[c] as string).length)));
for (const r of rows) console.log(r.map((c, i) => c.padStart(widths[i] as number)).join("  "));
console.log(
  `\nNode ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? "?"}; qemu time includes process start-up`,
);
