import { ManualPlatform } from "@axebpf/platform/testing";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { decodeTraceEvent, encodeTraceEvent, TracepointManager, TraceShell } from "../src/index.ts";
import { fuzzIters, fuzzSeed, rng } from "./helpers.ts";

const ITERS = fuzzIters(3000);
const WORDS = [
  "trace",
  "list",
  "enable",
  "disable",
  "format",
  "filter",
  "set",
  "clear",
  "show",
  "stat",
  "stats",
  "hist",
  "linear",
  "reset",
  "pipe",
  "cat",
  "dump",
  "events",
  "attach",
  "detach",
  "handlers",
  "help",
  "-n",
  "--top",
  "--filter",
  "vmm:timer_tick",
  "vmm:*",
  "vmm",
  "shell:shell_init",
  "vmm:nosuch",
  "x:y:z",
  "nocolon",
  "count",
  "0",
  "1",
  "-1",
  "99999999999999999999",
  "vm1",
  "hprobe",
  "timestamp",
  "==",
  "&&",
  "(",
  ")",
  "'a",
  "*",
  "[",
];

test(`fuzz: ${ITERS} random command lines always answer in text, never throw (seed 11)`, () => {
  const r = rng(fuzzSeed(11));
  const m = new TracepointManager(new ManualPlatform());
  m.registerHandler("count", () => {});
  const sh = new TraceShell(m);
  for (let i = 0; i < ITERS; i++) {
    const n = Math.floor(r() * 6);
    const words = Array.from({ length: n }, () => WORDS[Math.floor(r() * WORDS.length)]!);
    const line = words.join(" ");
    const res = sh.execute(line);
    assert.type(res.output, "string");
    if (!res.ok) assert.ok(res.output.startsWith("error: "), line);
    // Keep the machine busy so pipe, events and stats commands have something to show.
    m.vmm?.timerTick.fire(BigInt(i));
  }
});

test(`fuzz: ${ITERS} random TraceEvents round-trip through 64 bytes (seed 12)`, () => {
  const r = rng(fuzzSeed(12));
  const u64 = () => (BigInt(Math.floor(r() * 2 ** 32)) << 32n) | BigInt(Math.floor(r() * 2 ** 32));
  for (let i = 0; i < ITERS; i++) {
    const ev = {
      timestampNs: u64(),
      probeType: Math.floor(r() * 256),
      cpuId: Math.floor(r() * 256),
      vmId: Math.floor(r() * 65536),
      eventId: Math.floor(r() * 2 ** 32),
      nameOffset: Math.floor(r() * 65536),
      nrArgs: 4,
      args: [u64(), u64(), u64(), u64()] as const,
      durationNs: u64(),
    };
    assert.equal(decodeTraceEvent(encodeTraceEvent(ev)), ev);
  }
});

test.run();
