import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { SYS_OPS, sysOpIndex, sysOpIndexOfWord, sysOpWord } from "../src/mmu/index.ts";

test("every TLBI/AT row: objdump prints the table's name for its word (fixtures/sysreg/sys.objdump.txt)", () => {
  const lines = readFileSync(new URL("fixtures/sysreg/sys.objdump.txt", import.meta.url), "utf8")
    .split("\n")
    .filter((l) => l !== "" && !l.startsWith("#"));
  assert.is(lines.length, SYS_OPS.length);
  SYS_OPS.forEach((o, i) => {
    const m = /^([0-9a-f]{8})\s+(tlbi|at)\s+([a-z0-9]+)/.exec(lines[i] ?? "");
    assert.ok(m, lines[i]);
    const w = sysOpWord(o);
    assert.is(m?.[1], w.toString(16), o.name);
    assert.is(`${m?.[2]} ${m?.[3]}`, o.name);
    assert.is(sysOpIndexOfWord(w), i);
    assert.is(sysOpIndex(o.op1, o.crn, o.crm, o.op2), i);
  });
  // words quoted in aarch64-notes §3.1
  assert.is(SYS_OPS[sysOpIndexOfWord(0xd50c83df)]?.name, "tlbi vmalls12e1is");
  assert.is(SYS_OPS[sysOpIndexOfWord(0xd50c8020)]?.name, "tlbi ipas2e1is");
  assert.is(SYS_OPS[sysOpIndexOfWord(0xd5087800)]?.name, "at s1e1r");
  assert.is(sysOpIndexOfWord(0xd50b7e20), -1, "dc civac is not an MMU op");
  assert.is(sysOpIndexOfWord(0xd503201f), -1, "nop");
});

test.run();
