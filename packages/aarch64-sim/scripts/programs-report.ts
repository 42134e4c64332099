// Runs every oracle C program build and compares stdout, exit code and instruction count with QEMU.
import { readFileSync } from "node:fs";
import { runElf } from "../src/runner.ts";

const dir = new URL("../oracle/programs/golden/", import.meta.url).pathname;
const index = JSON.parse(readFileSync(`${dir}INDEX.json`, "utf8")) as {
  name: string;
  opt: string;
  exit: number;
  insns: number | null;
}[];
let ok = 0;
for (const b of index) {
  const base = `${dir}${b.name}.${b.opt}`;
  const t0 = performance.now();
  const r = runElf(readFileSync(`${base}.elf`));
  const ms = performance.now() - t0;
  const want = readFileSync(`${base}.stdout`);
  const same = Buffer.from(r.stdout).equals(want);
  const good = same && r.exitCode === b.exit && (b.insns === null || b.insns === r.instructions);
  if (good) ok++;
  console.log(
    `${good ? "ok  " : "FAIL"} ${b.name}.${b.opt} exit ${r.exitCode}/${b.exit} stdout ${same ? "same" : "DIFF"} insns ${r.instructions}/${b.insns} stop ${r.stop} pc ${r.pc.toString(16)} ${(r.instructions / ms / 1000).toFixed(1)} MIPS`,
  );
}
console.log(`${ok}/${index.length} builds agree`);
