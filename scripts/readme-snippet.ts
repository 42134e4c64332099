// Shared by each package's readme.test.ts: runs the first ```ts block of a package README against
// the built package and checks that it prints, line by line, what its `// comment`s after
// `console.log(...)` say.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import * as assert from "uvu/assert";

export function checkReadmeSnippet(packageDir: string): void {
  const readme = readFileSync(`${packageDir}/README.md`, "utf8");
  const snippet = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(snippet, "README has a ts snippet");
  const file = `${packageDir}/.readme-snippet.mts`;
  writeFileSync(file, snippet);
  try {
    const r = spawnSync(process.execPath, ["--import", "tsx", file], {
      cwd: packageDir,
      encoding: "utf8",
      env: { ...process.env, NODE_OPTIONS: "", FORCE_COLOR: "0", NO_COLOR: "1" },
    });
    assert.is(r.status, 0, r.stderr);
    const expected = [...snippet.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((m) => m[1]);
    assert.equal(r.stdout.trim().split("\n"), expected);
  } finally {
    rmSync(file, { force: true });
  }
}
