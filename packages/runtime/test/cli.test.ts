import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { assemble } from "../src/index.ts";

const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url));

function run(args: string[], stdin = "") {
  const r = spawnSync(process.execPath, ["--import", "tsx", cli, ...args], {
    input: stdin,
    encoding: "utf8",
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join(" ");

test("plugin protocol: program hex on stdin, memory hex as first argument, r0 in hex on stdout", () => {
  const program = hex(assemble("ldxh %r0, [%r1+1]\nadd %r0, %r2\nexit"));
  const r = run(["11 22 33 44"], program);
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, `${(0x3322 + 4).toString(16)}\n`);
  // No memory argument: r1 = r2 = 0.
  const r2 = run([], hex(assemble("mov %r0, %r2\nadd %r0, 7\nexit")));
  assert.is(r2.stdout, "7\n");
  // The uBPF test helpers are there (callx.data calls helper 5).
  const r3 = run(["--engine", "interpreter"], hex(assemble("mov %r1, 42\ncall 5\nexit")));
  assert.is(r3.stdout, "2a\n");
});

test("plugin errors go to stderr with a non-zero exit", () => {
  const fault = run(["00"], hex(assemble("ldxw %r0, [%r1]\nexit")));
  assert.is(fault.status, 1);
  assert.is(fault.stdout, "");
  assert.match(fault.stderr, /out-of-bounds read of 4 bytes .* at pc 0/);
  const bad = run([], hex(assemble("mov %r0, 0")));
  assert.is(bad.status, 1);
  assert.match(bad.stderr, /instruction 0 \(mov %r0, 0\): .*fall off the end/);
  const engine = run(["--engine", "nonsense"], "95 00 00 00 00 00 00 00");
  assert.is(engine.status, 1);
  assert.match(engine.stderr, /engine "nonsense" is not available/);
  const elf = run(["--elf"], "");
  assert.is(elf.status, 2);
  assert.match(elf.stderr, /ELF programs are not supported/);
});

test("run mode: a .data file or raw bytes, N runs, prints r0, instructions and ns per run", () => {
  const dir = mkdtempSync(join(tmpdir(), "axebpf-cli-"));
  try {
    const data = join(dir, "loop.data");
    writeFileSync(data, "-- asm\nmov %r0, 0\nl:\nadd %r0, 1\njlt %r0, 100, l\nexit\n-- result\n0x64\n");
    const r = run(["run", data, "--runs", "5"]);
    assert.is(r.status, 0, r.stderr);
    assert.match(r.stdout, /^engine interpreter\nr0 0x64\ninstructions 202\nruns 5\nns\/run \d+\n$/);
    const raw = join(dir, "prog.bin");
    writeFileSync(raw, assemble("ldxb %r0, [%r1+1]\nexit"));
    const r2 = run(["run", raw, "--mem", "01 02"]);
    assert.match(r2.stdout, /r0 0x2\n/);
    const budget = run(["run", data, "--budget", "50"]);
    assert.is(budget.status, 1);
    assert.match(budget.stderr, /budget of 50 exhausted/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
