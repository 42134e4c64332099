// Renders test/filter/cases.txt: each `> input` line followed by the canonical AST of the filter
// compiled against the test schema, or its error code and the message with a caret.
// `pnpm regen:filter` rewrites the file from its `> ` lines; the test checks it is up to date.
import { readFileSync, writeFileSync } from "node:fs";
import { ManualPlatform } from "@axebpf/platform/testing";
import {
  compileFilter,
  formatFilterError,
  printFilter,
  TracepointError,
  TracepointManager,
} from "../src/index.ts";

export const CASES_FILE = new URL("../test/filter/cases.txt", import.meta.url);

const tp = new TracepointManager(new ManualPlatform(), { builtins: false }).define({
  system: "test",
  name: "ev",
  fields: [
    { name: "sig", type: "i32" },
    { name: "flags", type: "u32" },
    { name: "comm", type: "char[16]" },
    { name: "big", type: "u64" },
  ],
});

export function renderCase(input: string): string {
  try {
    return printFilter(compileFilter(input, tp.fields).ast);
  } catch (e) {
    if (!(e instanceof TracepointError)) throw e;
    return `${e.code}\n${formatFilterError(e, input)}`;
  }
}

export function renderFile(text: string): string {
  const header = text.split("\n").filter((l) => l.startsWith("#"));
  const inputs = text
    .split("\n")
    .filter((l) => l.startsWith("> "))
    .map((l) => l.slice(2));
  return `${header.join("\n")}\n\n${inputs.map((i) => `> ${i}\n${renderCase(i)}`).join("\n\n")}\n`;
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) {
  writeFileSync(CASES_FILE, renderFile(readFileSync(CASES_FILE, "utf8")));
  console.log("rewrote test/filter/cases.txt");
}
