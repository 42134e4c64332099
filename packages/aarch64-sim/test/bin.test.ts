// The axebpf-aarch64 command: stdout, exit code, --count, errors.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";

const bin = fileURLToPath(new URL("../src/bin.ts", import.meta.url));
const elf = (name: string) =>
  fileURLToPath(new URL(`../oracle/programs/golden/${name}.elf`, import.meta.url));
const run = (args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", bin, ...args], {
    encoding: "utf8",
    env: { ...process.env, NODE_OPTIONS: "" },
  });

test("runs a static ELF like qemu-aarch64: its stdout, its exit code, the count on request", () => {
  const r = run(["--count", elf("hello.O2")]);
  assert.is(r.status, 42);
  assert.ok(r.stdout.startsWith("hello from a64\n"));
  assert.match(r.stderr, /instructions: 1223\n/);
});

test("bad input: unreadable file, not an ELF, unknown option", () => {
  assert.is(run(["/nonexistent.elf"]).status, 1);
  const notElf = run([fileURLToPath(import.meta.url)]);
  assert.is(notElf.status, 1);
  assert.match(notElf.stderr, /SIM_ELF_BAD_MAGIC/);
  assert.is(run(["--bogus"]).status, 2);
  const limited = run(["--max-insns", "10", elf("hello.O2")]);
  assert.is(limited.status, 124);
});

test("--machine boots a bare-metal image like qemu-system-aarch64 -M virt -kernel", () => {
  const image = fileURLToPath(new URL("../oracle/images/selftest/selftest.elf", import.meta.url));
  const golden = fileURLToPath(new URL("../oracle/images/golden/selftest.uart", import.meta.url));
  const r = run(["--machine", image]);
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, readFileSync(golden, "utf8"));
  assert.is(run(["--machine", "--el", "3", image]).status, 2);
});

test.run();
