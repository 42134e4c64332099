// Compares the disassembler with the committed `aarch64-linux-gnu-objdump -d` listings of the programs.
import { readFileSync } from "node:fs";
import { disassemble, symbolTargets } from "../src/disasm.ts";
import { parseElf } from "../src/elf.ts";
import { listingLines } from "../test/support/objdump.ts";

const dir = new URL("../oracle/programs/golden/", import.meta.url).pathname;
const index = JSON.parse(readFileSync(`${dir}INDEX.json`, "utf8")) as { name: string; opt: string }[];

let total = 0;
let bad = 0;
const shown = new Set<string>();
for (const b of index) {
  const base = `${dir}${b.name}.${b.opt}`;
  const img = parseElf(readFileSync(`${base}.elf`));
  const target = symbolTargets(img.symbols);
  for (const [pc, w, want] of listingLines(readFileSync(`${base}.objdump`, "utf8"))) {
    total++;
    const got = disassemble(w, pc, { target });
    if (got !== want) {
      bad++;
      const k = got.split("\t")[0] ?? "";
      if (!shown.has(k) && shown.size < 40) {
        shown.add(k);
        console.log(`${b.name}.${b.opt} ${pc.toString(16)} ${w.toString(16)}: got "${got}" want "${want}"`);
      }
    }
  }
}
console.log(`${total - bad}/${total} lines agree`);
