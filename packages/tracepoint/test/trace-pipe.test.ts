import { ManualPlatform } from "@axebpf/platform/testing";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { TracePipe, TracepointManager } from "../src/index.ts";
import { codeOf } from "./helpers.ts";

function setup(capacity = 4) {
  const p = new ManualPlatform({ timeNs: 12_345_678_901n, cpuId: 1 });
  const m = new TracepointManager(p, { pipeCapacity: capacity, cpus: 4 });
  m.enable("vmm:vm_destroy");
  return { p, m, tp: m.vmm!.vmDestroy };
}

test("lines look like ftrace: comm-pid [cpu] flags secs.usecs: name: payload", () => {
  const { m, tp } = setup();
  tp.fire(3);
  assert.equal(m.pipe.read(), ["         axvisor-0       [001] .....    12.345678: vm_destroy: vm_id=3"]);
  assert.is(m.pipe.length, 0);
});

test("time and cpu are those of the hit, not of the read (weak spot 12)", () => {
  const { m, p, tp } = setup();
  tp.fire(1);
  p.advance(5_000_000_000n).setCpuId(3);
  tp.fire(2);
  const recs = m.pipe.readRecords();
  assert.equal(
    recs.map((r) => [r.timestampNs, r.cpu]),
    [
      [12_345_678_901n, 1],
      [17_345_678_901n, 3],
    ],
  );
});

test("bounded: keeps the newest records and counts what was overwritten", () => {
  const { m, tp } = setup(4);
  for (let i = 0; i < 10; i++) tp.fire(i);
  assert.is(m.pipe.length, 4);
  assert.is(m.pipe.written, 10);
  assert.is(m.pipe.overwritten, 6);
  assert.equal(
    m.pipe.readRecords(2).map((r) => r.record[8]),
    [6, 7],
  );
  assert.equal(
    m.pipe.read().map((l) => l.slice(-7)),
    ["vm_id=8", "vm_id=9"],
  );
  assert.equal(m.pipe.read(), []);
});

test("readers drain; records are copies that later hits do not change", () => {
  const { m, tp } = setup(8);
  tp.fire(1);
  tp.fire(2);
  const first = m.pipe.readRecords(1);
  tp.fire(3);
  assert.is(first[0]!.record[8], 1);
  assert.equal(
    m.pipe.readRecords().map((r) => r.record[8]),
    [2, 3],
  );
});

test("snapshot shows the ftrace header without consuming", () => {
  const { m, tp } = setup();
  tp.fire(7);
  const s = m.pipe.snapshot().split("\n");
  assert.is(s[0], "# tracer: nop");
  assert.is(s[2], "# entries-in-buffer/entries-written: 1/1   #P:4");
  assert.is(s[10], "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION");
  assert.ok(s[12]!.endsWith(" vm_destroy: vm_id=7"));
  assert.is(m.pipe.length, 1);
});

test("setCapacity keeps the newest records (the original kept the oldest)", () => {
  const { m, tp } = setup(8);
  for (let i = 0; i < 6; i++) tp.fire(i);
  m.pipe.setCapacity(3);
  assert.is(m.pipe.capacity, 3);
  assert.equal(
    m.pipe.readRecords().map((r) => r.record[8]),
    [3, 4, 5],
  );
  for (let i = 10; i < 15; i++) tp.fire(i);
  m.pipe.setCapacity(10);
  tp.fire(20);
  assert.equal(
    m.pipe.readRecords().map((r) => r.record[8]),
    [12, 13, 14, 20],
  );
  m.pipe.clear();
  assert.is(m.pipe.length, 0);
});

test("capacity is validated", () => {
  assert.is(
    codeOf(() => new TracePipe({ capacity: 0 })),
    "TRACEPOINT_INVALID_OPTION",
  );
  assert.is(
    codeOf(() => new TracePipe().setCapacity(1.5)),
    "TRACEPOINT_INVALID_OPTION",
  );
  assert.is(
    codeOf(() => new TracepointManager(new ManualPlatform(), { pipeCapacity: -1 })),
    "TRACEPOINT_INVALID_OPTION",
  );
  assert.is(
    codeOf(() => new TracePipe().read(Number.NaN)),
    "TRACEPOINT_INVALID_OPTION",
  );
  assert.is(
    codeOf(() => new TracePipe().readRecords(-1)),
    "TRACEPOINT_INVALID_OPTION",
  );
});

test.run();
