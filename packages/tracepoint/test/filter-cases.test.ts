import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CASES_FILE, renderFile } from "../scripts/filter-cases.ts";

test("test/filter/cases.txt is what the compiler produces (pnpm regen:filter to update)", () => {
  const text = readFileSync(CASES_FILE, "utf8");
  assert.ok(text.includes("> "));
  assert.fixture(renderFile(text), text);
});

test.run();
