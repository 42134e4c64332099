import { readdirSync } from "node:fs";
import { readInsnGolden } from "../oracle/insn/golden-format.ts";
import { decode } from "../src/decode/index.ts";
import { GoldenRunner } from "../test/support/insn-harness.ts";

const dir = new URL("../oracle/insn/golden/", import.meta.url).pathname;
const only = process.argv[2];
let tot = 0,
  bad = 0,
  abad = 0;
for (const f of readdirSync(dir)
  .filter((f) => f.endsWith(".jsonl.gz"))
  .sort()) {
  if (only && !f.startsWith(only)) continue;
  const { header, tests } = readInsnGolden(dir + f);
  let fails = 0,
    afails = 0;
  const ex: string[] = [];
  const aex: string[] = [];
  const runner = new GoldenRunner(header.scratch.seed, process.env.BLOCKS === "1");
  for (const t of tests) {
    const e = runner.run(t);
    if (e.length) {
      fails++;
      if (ex.length < 4)
        ex.push(
          `${t.n} ${t.words.map((w) => (w >>> 0).toString(16))} ${t.asm.join(";")}: ${e.slice(0, 4).join(", ")}`,
        );
    }
    t.words.forEach((w, i) => {
      const a = decode(w, Number(t.pc) + 4 * i).asm();
      if (a !== t.asm[i]) {
        afails++;
        if (aex.length < 4) aex.push(`${(w >>> 0).toString(16)} got "${a}" want "${t.asm[i]}"`);
      }
    });
  }
  tot += tests.length;
  bad += fails;
  abad += afails;
  console.log(`${header.group.padEnd(24)} ${tests.length - fails}/${tests.length}  asm-fail ${afails}`);
  for (const e of ex) console.log(`   X ${e}`);
  for (const e of aex) console.log(`   A ${e}`);
}
console.log(`total ${tot - bad}/${tot}, asm fails ${abad}`);
