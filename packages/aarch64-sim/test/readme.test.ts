import { fileURLToPath } from "node:url";
import { test } from "uvu";
import { checkReadmeSnippet } from "../../../scripts/readme-snippet.ts";

test("the README snippet runs against the built package and prints what it says", () => {
  checkReadmeSnippet(fileURLToPath(new URL("..", import.meta.url)));
});

test.run();
