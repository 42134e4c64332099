// The C programs of oracle/programs: stdout, exit code and instruction count as under qemu-aarch64,
// and the disassembler against objdump -d of each ELF.
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { disassemble, symbolTargets } from "../src/disasm.ts";
import { parseElf } from "../src/elf.ts";
import { runElf } from "../src/runner.ts";
import { listingLines } from "./support/objdump.ts";

const dir = new URL("../oracle/programs/golden/", import.meta.url).pathname;
const index = JSON.parse(readFileSync(`${dir}INDEX.json`, "utf8")) as {
  name: string;
  opt: string;
  exit: number;
  insns: number | null;
}[];
/** Builds that use FP/SIMD instructions the core does not implement yet. */
const gaps = JSON.parse(readFileSync(new URL("./fixtures/program-gaps.json", import.meta.url), "utf8")) as {
  run: string[];
  objdumpMismatchLines: number;
};

/** Builds over 15 M instructions (sort.O1/O2/O2simd, sieve.O0, memops.O0) run only with AXEBPF_SLOW_TESTS=1. */
const slow = process.env.AXEBPF_SLOW_TESTS === "1";
for (const b of index) {
  const id = `${b.name}.${b.opt}`;
  if (gaps.run.includes(id) || (!slow && (b.insns ?? 0) > 15_000_000)) continue;
  test(`${id}: same stdout, exit code ${b.exit} and instruction count as qemu-aarch64`, () => {
    const r = runElf(readFileSync(`${dir}${id}.elf`));
    assert.is(r.exitCode, b.exit);
    assert.is(
      Buffer.from(r.stdout).toString("latin1"),
      readFileSync(`${dir}${id}.stdout`).toString("latin1"),
    );
    if (b.insns !== null) assert.is(r.instructions, b.insns);
  });
}

test("known gaps still fail the way the fixture says (remove them from the list when they pass)", () => {
  for (const id of gaps.run) {
    const b = index.find((e) => `${e.name}.${e.opt}` === id);
    assert.ok(b, id);
    const r = runElf(readFileSync(`${dir}${id}.elf`));
    assert.is.not(r.exitCode === b?.exit && r.signal === 0, true, `${id} passes now`);
  }
});

test("disassembly of every program agrees with objdump -d, line by line", () => {
  let bad = 0;
  let total = 0;
  const first: string[] = [];
  for (const b of index) {
    const id = `${b.name}.${b.opt}`;
    const target = symbolTargets(parseElf(readFileSync(`${dir}${id}.elf`)).symbols);
    for (const [pc, w, want] of listingLines(readFileSync(`${dir}${id}.objdump`, "utf8"))) {
      total++;
      const got = disassemble(w, pc, { target });
      if (got !== want) {
        bad++;
        if (first.length < 5) first.push(`${id} ${pc.toString(16)}: "${got}" != "${want}"`);
      }
    }
  }
  assert.ok(total > 20000);
  assert.ok(bad <= gaps.objdumpMismatchLines, `${bad} lines differ:\n${first.join("\n")}`);
});

test.run();
