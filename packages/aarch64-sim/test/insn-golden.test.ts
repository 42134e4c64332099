// The simulator against QEMU: every random single-instruction test of oracle/insn/golden (state before,
// words, state after, from qemu-aarch64 -cpu max), and objdump's text for every word.
import { readdirSync, readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readInsnGolden } from "../oracle/insn/golden-format.ts";
import { decode } from "../src/decode/index.ts";
import { GoldenRunner } from "./support/insn-harness.ts";

const dir = new URL("../oracle/insn/golden/", import.meta.url).pathname;
/** Groups not fully implemented yet, with the number of tests that must keep passing (a ratchet). */
const gaps = JSON.parse(
  readFileSync(new URL("./fixtures/insn-gaps.json", import.meta.url), "utf8"),
) as Record<string, { exec: number; asm: number }>;

for (const file of readdirSync(dir)
  .filter((f) => f.endsWith(".jsonl.gz"))
  .sort()) {
  const group = file.replace(".jsonl.gz", "");
  test(`golden ${group}: registers, flags, memory and signal agree with QEMU (interpreted and in compiled blocks); text agrees with objdump`, () => {
    const { header, tests } = readInsnGolden(dir + file);
    const runner = new GoldenRunner(header.scratch.seed);
    // the same tests through compiled basic blocks (block.ts, inlined `js` bodies) must agree too
    const blockRunner = new GoldenRunner(header.scratch.seed, true);
    let blockExec = 0;
    let exec = 0;
    let asm = 0;
    let words = 0;
    const firstFail: string[] = [];
    for (const t of tests) {
      const errs = runner.run(t);
      if (errs.length === 0) exec++;
      const berrs = blockRunner.run(t);
      if (berrs.length === 0) blockExec++;
      else if (errs.length === 0 && firstFail.length < 3)
        firstFail.push(`#${t.n} (blocks) ${berrs.slice(0, 3).join(", ")}`);
      else if (firstFail.length < 3)
        firstFail.push(`#${t.n} ${t.asm.join("; ")}: ${errs.slice(0, 3).join(", ")}`);
      t.words.forEach((w, i) => {
        words++;
        if (decode(w, Number(t.pc) + 4 * i).asm() === t.asm[i]) asm++;
        else if (firstFail.length < 3)
          firstFail.push(`#${t.n} text of ${(w >>> 0).toString(16)} != "${t.asm[i]}"`);
      });
    }
    assert.is(blockExec, exec, `compiled blocks disagree with the interpreter\n${firstFail.join("\n")}`);
    const gap = gaps[group];
    if (gap === undefined) {
      assert.is(exec, tests.length, firstFail.join("\n"));
      assert.is(asm, words, firstFail.join("\n"));
    } else {
      assert.ok(
        exec >= gap.exec,
        `${group}: ${exec} pass, at least ${gap.exec} expected\n${firstFail.join("\n")}`,
      );
      assert.ok(asm >= gap.asm, `${group}: ${asm} texts agree, at least ${gap.asm} expected`);
    }
  });
}

test.run();
