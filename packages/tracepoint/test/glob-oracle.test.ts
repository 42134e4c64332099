import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compileGlob, GlobSyntaxError, matchGlob } from "../src/filter/glob.ts";

// Answers of bash's own `case` pattern matching (C.UTF-8) for seeded random globs and texts;
// regenerate with scripts/gen-glob-golden.sh.
const cases = readFileSync(new URL("./golden/glob-bash.tsv", import.meta.url), "utf8")
  .split("\n")
  .filter((l) => l !== "")
  .map((l) => l.split("\t") as [string, string, string]);

const enc = new TextEncoder();

test("glob matcher agrees with bash on every pattern it accepts", () => {
  let compared = 0;
  let rejected = 0;
  const wrong: string[] = [];
  for (const [pat, txt, want] of cases) {
    let g: ReturnType<typeof compileGlob>;
    try {
      g = compileGlob(pat);
    } catch (e) {
      // An unclosed `[` is an error in filters (bash would match it literally).
      assert.ok(e instanceof GlobSyntaxError);
      rejected++;
      continue;
    }
    const b = enc.encode(txt);
    const got = matchGlob(g, b, 0, b.length) ? "1" : "0";
    if (got !== want)
      wrong.push(`${JSON.stringify(pat)} ~ ${JSON.stringify(txt)}: bash ${want}, ours ${got}`);
    compared++;
  }
  assert.equal(wrong.slice(0, 10), []);
  assert.ok(compared > 1000, `compared ${compared}, rejected ${rejected}`);
});

test.run();
