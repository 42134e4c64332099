#!/usr/bin/env node
// The whole test job: build, typecheck, lint, then every package's uvu suite through turbo.
// Prints one `N passed, N failed` line for the test cases run and writes the counts to
// .turbo/test-summary.json for .ci/run. Exit code 0 only if every step passed.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1", FORCE_COLOR: "0" };
let failedSteps = 0;

function step(title, cmd, args, { capture = false } = {}) {
  console.log(`\n== ${title}: ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, {
    env,
    stdio: capture ? ["ignore", "pipe", "inherit"] : "inherit",
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  if (capture) process.stdout.write(r.stdout ?? "");
  if (r.status !== 0) {
    failedSteps++;
    console.log(`== ${title} failed (exit ${r.status ?? r.signal})`);
  }
  return r;
}

step("build and typecheck", "pnpm", [
  "exec",
  "turbo",
  "run",
  "build",
  "typecheck",
  "--output-logs=errors-only",
]);
step("lint", "pnpm", ["exec", "biome", "check", "."]);
const tests = step("tests", "pnpm", ["exec", "turbo", "run", "test", "--continue", "--output-logs=full"], {
  capture: true,
});

// uvu ends each package's run with "Total: N / Passed: N / Skipped: N"; turbo prefixes "<pkg>:test: ".
const strip = (s) => s.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g"), "");
const perPackage = new Map();
for (const line of strip(tests.stdout ?? "").split("\n")) {
  const m = /^(\S+):test:\s+(Total|Passed|Skipped):\s+(\d+)/.exec(line);
  if (!m) continue;
  const entry = perPackage.get(m[1]) ?? { Total: 0, Passed: 0, Skipped: 0 };
  entry[m[2]] += Number(m[3]);
  perPackage.set(m[1], entry);
}
let passed = 0;
let failed = 0;
let skipped = 0;
for (const [pkg, c] of perPackage) {
  const f = c.Total - c.Passed - c.Skipped;
  passed += c.Passed;
  failed += f;
  skipped += c.Skipped;
  console.log(
    `${pkg.padEnd(28)} ${c.Passed} passed, ${f} failed${c.Skipped ? `, ${c.Skipped} skipped` : ""}`,
  );
}
// A suite that crashed before uvu could count still failed.
if (tests.status !== 0 && failed === 0) failed = 1;
failed += failedSteps - (tests.status !== 0 ? 1 : 0);

mkdirSync(".turbo", { recursive: true });
writeFileSync(".turbo/test-summary.json", JSON.stringify({ passed, failed, skipped }));
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed === 0 ? 0 : 1);
