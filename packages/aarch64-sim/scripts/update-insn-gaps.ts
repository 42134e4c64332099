// Rewrites test/fixtures/insn-gaps.json: for each golden group the simulator does not fully pass yet,
// how many tests (exec) and texts (asm) agree. The golden test treats these as floors.
import { readdirSync, writeFileSync } from "node:fs";
import { readInsnGolden } from "../oracle/insn/golden-format.ts";
import { decode } from "../src/decode/index.ts";
import { GoldenRunner } from "../test/support/insn-harness.ts";

const dir = new URL("../oracle/insn/golden/", import.meta.url).pathname;
const gaps: Record<string, { exec: number; asm: number }> = {};
for (const f of readdirSync(dir)
  .filter((n) => n.endsWith(".jsonl.gz"))
  .sort()) {
  const { header, tests } = readInsnGolden(dir + f);
  const runner = new GoldenRunner(header.scratch.seed);
  let exec = 0;
  let asm = 0;
  let words = 0;
  for (const t of tests) {
    if (runner.run(t).length === 0) exec++;
    t.words.forEach((w, i) => {
      words++;
      if (decode(w, Number(t.pc) + 4 * i).asm() === t.asm[i]) asm++;
    });
  }
  if (exec !== tests.length || asm !== words) gaps[f.replace(".jsonl.gz", "")] = { exec, asm };
}
writeFileSync(
  new URL("../test/fixtures/insn-gaps.json", import.meta.url),
  `${JSON.stringify(gaps, null, 2)}\n`,
);
console.log(gaps);
