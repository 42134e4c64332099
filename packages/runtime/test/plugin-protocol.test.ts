/**
 * The plugin driven exactly as the upstream bpf_conformance runner drives it (src/bpf_conformance.cc at the
 * corpus's snapshot): bytes encoded as "xx" plus two spaces each, memory as the first argument only when
 * there is some, plugin options after it, the program on stdin followed by a newline; stdout lines joined
 * and read as base-16 u64; on a non-zero exit, stderr is the error text when stdout is empty.
 * In-process through `runCli`, so all vectors run in well under a second per engine.
 */

import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runCli } from "../src/cli-main.ts";
import { dataFileProgram, ENGINES, parseDataFile } from "../src/index.ts";
import { corpusDir, vectors } from "./conformance-harness.ts";

const base16 = (bytes: Uint8Array) => [...bytes].map((b) => `${b.toString(16).padStart(2, "0")}  `).join("");

interface Verdict {
  readonly pass: boolean;
  readonly why: string;
}

function runnerVerdict(path: string, engine: string): Verdict | undefined {
  const file = parseDataFile(readFileSync(path, "utf8"));
  const program = dataFileProgram(file);
  if (program.length === 0) return undefined;
  const args = file.mem.length > 0 ? [base16(file.mem)] : [];
  args.push("--engine", engine);
  let stdout = "";
  let stderr = "";
  const code = runCli(args, {
    readStdin: () => `${base16(program)}\n`,
    out: (t) => {
      stdout += t;
    },
    err: (t) => {
      stderr += t;
    },
  });
  const joined = (t: string) => t.split("\n").join("");
  if (code !== 0) {
    let text = joined(stdout) === "" ? joined(stderr) : joined(stdout);
    text = text.split("\r")[0] ?? "";
    if (file.error === undefined) return { pass: false, why: `exit ${code}: ${text}` };
    return { pass: text === file.error, why: `error "${text}", expected "${file.error}"` };
  }
  const out = joined(stdout).trim();
  if (!/^(0x)?[0-9a-fA-F]+$/.test(out)) return { pass: false, why: `unparsable output "${out}"` };
  const value = BigInt(out.startsWith("0x") ? out : `0x${out}`);
  return {
    pass: value === file.result,
    why: `r0 0x${value.toString(16)}, expected 0x${file.result?.toString(16)}`,
  };
}

const dir = corpusDir();
if (dir === undefined) {
  console.log("plugin protocol: corpus not found (set AXEBPF_CORPUS); skipping");
} else {
  for (const engine of Object.keys(ENGINES)) {
    test(`every tests/ vector passes through the plugin protocol (${engine})`, () => {
      const failures: string[] = [];
      let ran = 0;
      for (const f of vectors(dir, "tests")) {
        const v = runnerVerdict(f, engine);
        if (v === undefined) continue;
        ran++;
        if (!v.pass) failures.push(`${basename(f)}: ${v.why}`);
      }
      assert.equal(failures, []);
      assert.ok(ran >= 300, `${ran} vectors ran`);
    });
  }
}

test.run();
