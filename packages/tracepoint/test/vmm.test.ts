import { ManualPlatform } from "@axebpf/platform/testing";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { TracepointManager, VMM_TRACEPOINTS } from "../src/index.ts";

test("the eight built-ins: names and ids in the original's order (config_load=0 … vmm_init=7)", () => {
  const m = new TracepointManager(new ManualPlatform());
  assert.equal(
    m.list().map((t) => [t.name, t.id, t.enabled]),
    [
      ["shell:shell_command", 2, false],
      ["shell:shell_init", 3, false],
      ["vmm:config_load", 0, false],
      ["vmm:image_load", 1, false],
      ["vmm:timer_event", 4, false],
      ["vmm:timer_tick", 5, false],
      ["vmm:vm_destroy", 6, false],
      ["vmm:vmm_init", 7, false],
    ],
  );
  assert.is(VMM_TRACEPOINTS.length, 8);
});

test("payload fields, offsets and record sizes of spec §2.2.2", () => {
  const m = new TracepointManager(new ManualPlatform());
  const spec: Record<string, [string, number, number][] | number> = {
    "vmm:vmm_init": [
      ["cpu_count", 8, 4],
      ["duration_ns", 16, 8],
    ],
    "vmm:config_load": [
      ["vm_id", 8, 4],
      ["duration_ns", 16, 8],
    ],
    "vmm:image_load": [
      ["vm_id", 8, 4],
      ["image_size", 16, 8],
      ["duration_ns", 24, 8],
    ],
    "vmm:vm_destroy": [["vm_id", 8, 4]],
    "vmm:timer_tick": [["timestamp", 8, 8]],
    "vmm:timer_event": [
      ["event_type", 8, 4],
      ["vm_id", 12, 4],
    ],
    "shell:shell_command": [
      ["cmd_id", 8, 4],
      ["duration_ns", 16, 8],
    ],
    "shell:shell_init": [["duration_ns", 8, 8]],
  };
  const sizes: Record<string, number> = {
    "vmm:vmm_init": 24,
    "vmm:config_load": 24,
    "vmm:image_load": 32,
    "vmm:vm_destroy": 12,
    "vmm:timer_tick": 16,
    "vmm:timer_event": 16,
    "shell:shell_command": 24,
    "shell:shell_init": 16,
  };
  for (const [name, fields] of Object.entries(spec)) {
    const tp = m.get(name);
    assert.equal(
      tp.payloadFields.map((f) => [f.name, f.offset, f.size]),
      fields,
      name,
    );
    assert.is(tp.recordSize, sizes[name], name);
  }
});

test("format file text (spec §2.2.3), byte for byte", () => {
  const m = new TracepointManager(new ManualPlatform());
  assert.is(
    m.get("vmm:image_load").format(),
    "name: image_load\nID: 1\nformat:\n" +
      "\tfield: u16 common_type; offset: 0; size: 2; signed: 0;\n" +
      "\tfield: u8 common_flags; offset: 2; size: 1; signed: 0;\n" +
      "\tfield: u8 common_preempt_count; offset: 3; size: 1; signed: 0;\n" +
      "\tfield: i32 common_pid; offset: 4; size: 4; signed: 1;\n" +
      "\n" +
      "\tfield: u32 vm_id offset: 8; size: 4; signed: 0;\n" +
      "\tfield: u64 image_size offset: 16; size: 8; signed: 0;\n" +
      "\tfield: u64 duration_ns offset: 24; size: 8; signed: 0;\n" +
      '\nprint fmt: "vm_id={} image_size={} duration_ns={}"\n',
  );
  assert.ok(m.get("vmm:timer_tick").format().startsWith("name: timer_tick\nID: 5\n"));
  assert.ok(
    m
      .get("vmm:timer_tick")
      .format()
      .endsWith('\tfield: u64 timestamp offset: 8; size: 8; signed: 0;\n\nprint fmt: "timestamp={}"\n'),
  );
});

test("firing the built-ins: printk rendering, durations into stats, args forwarded into events", () => {
  const p = new ManualPlatform();
  const m = new TracepointManager(p);
  m.enableSubsystem("vmm");
  m.enableSubsystem("shell");
  const v = m.vmm!;
  v.vmmInit.fire(4, 1_500n);
  v.configLoad.fire(1, 10_000);
  v.imageLoad.fire(1, 0x20_0000, 3_000_000);
  v.vmDestroy.fire(1);
  v.timerTick.fire(123_456_789n);
  v.timerEvent.fire(2, 1);
  v.shellCommand.fire(9, 250);
  v.shellInit.fire(1_000_000_000);
  const payloads = m.pipe
    .readRecords()
    .map((r) => `${r.tracepoint.name}: ${r.tracepoint.formatPayload(r.record)}`);
  assert.equal(payloads, [
    "vmm_init: cpu_count=4 duration_ns=1500",
    "config_load: vm_id=1 duration_ns=10000",
    "image_load: vm_id=1 image_size=2097152 duration_ns=3000000",
    "vm_destroy: vm_id=1",
    "timer_tick: timestamp=123456789",
    "timer_event: event_type=2 vm_id=1",
    "shell_command: cmd_id=9 duration_ns=250",
    "shell_init: duration_ns=1000000000",
  ]);
  const evs = m.events.consume();
  assert.equal(
    evs.map((e) => [e.eventId, e.nrArgs, e.args[0], e.durationNs]),
    [
      [7, 2, 4n, 1_500n],
      [0, 2, 1n, 10_000n],
      [1, 3, 1n, 3_000_000n],
      [6, 1, 1n, 0n],
      [5, 1, 123_456_789n, 0n],
      [4, 2, 2n, 0n],
      [2, 2, 9n, 250n],
      [3, 1, 1_000_000_000n, 1_000_000_000n],
    ],
  );
  assert.is(m.stats("vmm:image_load").durationSamples, 1);
  assert.is(m.stats("vmm:vm_destroy").durationSamples, 0);
  assert.is(m.stats("vmm:vm_destroy").count, 1);
});

test("builtins: false leaves an empty manager whose first id is 0", () => {
  const m = new TracepointManager(new ManualPlatform(), { builtins: false });
  assert.is(m.vmm, undefined);
  assert.is(m.count, 0);
  assert.is(m.define({ system: "a", name: "b", fields: [] }).id, 0);
});

test.run();
