import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseDataFile } from "../src/index.ts";
import { corpusDir, runVector, vectors } from "./conformance-harness.ts";

/** Engines every vector runs through. */
const ENGINES_UNDER_TEST = ["interpreter", "jit"];

/**
 * Vectors of `tests/` rejected on purpose, with the reason. Empty: all 313 pass.
 */
const REJECTED_ON_PURPOSE: Readonly<Record<string, string>> = {};

/**
 * `negative/` holds vectors that check the runner itself: those with `-- error` must be rejected (unused
 * fields set, bad assembler text); those with `-- result` carry a wrong expectation or invalid text, so they
 * must NOT pass. Exceptions, each with its reason:
 */
const NEGATIVE_EXCEPTIONS: Readonly<Record<string, string>> = {
  "error.data":
    "`or %r0, %r10` is a valid program (r10 may be read); the vector expects an error to check that the runner flags an unexpected success",
};

const dir = corpusDir();
if (dir === undefined) {
  console.log("conformance: corpus not found (set AXEBPF_CORPUS); skipping the bpf_conformance vectors");
} else {
  for (const engine of ENGINES_UNDER_TEST) {
    test(`bpf_conformance tests/ through the ${engine}`, () => {
      const failures: string[] = [];
      let passed = 0;
      const files = vectors(dir, "tests");
      for (const f of files) {
        const name = basename(f);
        const o = runVector(f, engine);
        if (name in REJECTED_ON_PURPOSE) continue;
        if (o.kind === "pass") passed++;
        else failures.push(`${name}: ${o.kind === "fail" ? o.why : o.why}`);
      }
      assert.equal(failures, [], `${failures.length} vectors failed`);
      assert.is(passed, files.length - Object.keys(REJECTED_ON_PURPOSE).length);
      assert.ok(files.length >= 300, `only ${files.length} vectors found`);
    });

    test(`bpf_conformance negative/ through the ${engine}`, () => {
      const wrong: string[] = [];
      let checked = 0;
      for (const f of vectors(dir, "negative")) {
        const name = basename(f);
        const o = runVector(f, engine);
        if (o.kind === "skip" || name in NEGATIVE_EXCEPTIONS) continue;
        checked++;
        let expectsError = true;
        try {
          expectsError = parseDataFile(readFileSync(f, "utf8")).error !== undefined;
        } catch {
          // An unreadable file (unknown directive) must be rejected, which the harness reports as a failure.
          if (o.kind === "pass") wrong.push(`${name}: unreadable file passed`);
          continue;
        }
        if (expectsError && o.kind !== "pass") wrong.push(`${name}: should be rejected, ${o.why}`);
        if (!expectsError && o.kind === "pass") wrong.push(`${name}: carries a wrong expectation but passed`);
      }
      assert.ok(checked >= 55, `only ${checked} negative vectors checked`);
      assert.equal(wrong, []);
    });
  }
}

test.run();
