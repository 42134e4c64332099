/**
 * The llvm-objdump style listing against llvm-objdump-19 itself, on clang-19 builds of
 * test/fixtures/llvm/*.c (regenerate with scripts/gen-llvm-golden.sh).
 */

import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { decodeInstructions, formatLlvm } from "../src/index.ts";

const dir = fileURLToPath(new URL("fixtures/llvm/", import.meta.url));

for (const golden of readdirSync(dir).filter((f) => f.endsWith(".objdump"))) {
  const name = golden.replace(/\.objdump$/, "");
  test(`${name}: every instruction prints as llvm-objdump-19 prints it`, () => {
    const bytes = new Uint8Array(readFileSync(`${dir}${name}.bin`));
    const mine = new Map(
      decodeInstructions(bytes).map((i) => [i.pc, formatLlvm(i, name.replace(/-v\d$/, ""))]),
    );
    const lines = readFileSync(`${dir}${golden}`, "utf8").trim().split("\n");
    let compared = 0;
    for (const line of lines) {
      const [pc, text] = line.split("\t") as [string, string];
      // llvm-objdump-19 cannot print a 32-bit atomic xor without fetch; ours can.
      if (text === "<unknown>") continue;
      assert.is(mine.get(Number(pc)), text, `slot ${pc}`);
      compared++;
    }
    assert.is(compared + lines.filter((l) => l.endsWith("<unknown>")).length, mine.size);
  });
}

test.run();
