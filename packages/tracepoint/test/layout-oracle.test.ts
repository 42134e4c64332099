import { readFileSync } from "node:fs";
import { ManualPlatform } from "@axebpf/platform/testing";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { TraceEventLayout, type Tracepoint, TracepointManager } from "../src/index.ts";

// Offsets and sizes computed by aarch64-linux-gnu-gcc from C structs written from the spec
// (scripts/layout.c; regenerate with scripts/gen-layout-golden.sh).
type Golden = Record<string, { size: number; fields: Record<string, [number, number]> }>;
const golden = JSON.parse(readFileSync(new URL("./golden/c-layout.json", import.meta.url), "utf8")) as Golden;

function layoutOf(tp: Tracepoint): { size: number; fields: Record<string, [number, number]> } {
  return {
    size: tp.recordSize,
    fields: Object.fromEntries(tp.payloadFields.map((f) => [f.name, [f.offset, f.size]])),
  };
}

test("built-in records match GCC's layout of the same C structs", () => {
  const m = new TracepointManager(new ManualPlatform());
  for (const tp of m.tracepoints()) assert.equal(layoutOf(tp), golden[tp.name], tp.fullName);
});

test("a record mixing every alignment case matches GCC", () => {
  const m = new TracepointManager(new ManualPlatform(), { builtins: false });
  const tp = m.define({
    system: "t",
    name: "mixed",
    fields: [
      { name: "dev", type: "u8" },
      { name: "len", type: "i16" },
      { name: "sector", type: "u64" },
      { name: "tag", type: "char[8]" },
      { name: "ok", type: "bool" },
      { name: "delta", type: "i64" },
      { name: "name", type: "char[3]" },
    ],
  });
  assert.equal(layoutOf(tp), golden.mixed);
});

test("TraceEvent layout matches GCC's struct trace_event", () => {
  const g = golden.trace_event!;
  assert.is(g.size, 64);
  const ours: Record<string, [number, number]> = {
    timestamp_ns: [TraceEventLayout.timestampNs.offset, TraceEventLayout.timestampNs.size],
    probe_type: [TraceEventLayout.probeType.offset, TraceEventLayout.probeType.size],
    cpu_id: [TraceEventLayout.cpuId.offset, TraceEventLayout.cpuId.size],
    vm_id: [TraceEventLayout.vmId.offset, TraceEventLayout.vmId.size],
    event_id: [TraceEventLayout.eventId.offset, TraceEventLayout.eventId.size],
    name_offset: [TraceEventLayout.nameOffset.offset, TraceEventLayout.nameOffset.size],
    nr_args: [TraceEventLayout.nrArgs.offset, TraceEventLayout.nrArgs.size],
    _pad: [TraceEventLayout.pad.offset, TraceEventLayout.pad.size],
    args: [TraceEventLayout.args.offset, TraceEventLayout.args.size],
    duration_ns: [TraceEventLayout.durationNs.offset, TraceEventLayout.durationNs.size],
  };
  assert.equal(ours, g.fields);
});

test.run();
