import { ManualPlatform } from "@axebpf/platform/testing";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  decodeTraceEvent,
  EventNameTable,
  EventPipeline,
  encodeTraceEvent,
  ProbeType,
  probeTypeName,
  TRACE_EVENT_SIZE,
  TraceEventLayout,
  TracepointError,
  TracepointManager,
} from "../src/index.ts";

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof TracepointError) return e.code;
    throw e;
  }
  throw new Error("expected a TracepointError");
}

test("probe types: one enum with the spec tags and names", () => {
  assert.equal(ProbeType, { tracepoint: 0, hprobe: 1, hretprobe: 2, kprobe: 3, kretprobe: 4 });
  assert.equal([0, 1, 2, 3, 4, 5].map(probeTypeName), [
    "tracepoint",
    "hprobe",
    "hretprobe",
    "kprobe",
    "kretprobe",
    "unknown",
  ]);
});

test("TraceEvent: exact 64-byte layout, little-endian", () => {
  assert.is(TRACE_EVENT_SIZE, 64);
  const b = encodeTraceEvent({
    timestampNs: 0x0102030405060708n,
    probeType: 2,
    cpuId: 0xab,
    vmId: 0x1234,
    eventId: 0xdeadbeef,
    nameOffset: 0x0506,
    args: [1n, 0xffff_ffff_ffff_ffffn, 3n],
    durationNs: 0x1122334455667788n,
  });
  const hex = Buffer.from(b).toString("hex");
  assert.is(
    hex,
    "0807060504030201" + // timestamp_ns @0
      "02" + // probe_type @8
      "ab" + // cpu_id @9
      "3412" + // vm_id @10
      "efbeadde" + // event_id @12
      "0605" + // name_offset @16
      "03" + // nr_args @18
      "00" + // _pad @19
      "00000000" + // implicit padding @20
      "0100000000000000" +
      "ffffffffffffffff" +
      "0300000000000000" +
      "0000000000000000" + // args @24..56
      "8877665544332211", // duration_ns @56
  );
  assert.is(TraceEventLayout.args.offset, 24);
  assert.is(TraceEventLayout.durationNs.offset, 56);
  const d = decodeTraceEvent(b);
  assert.is(d.timestampNs, 0x0102030405060708n);
  assert.is(d.eventId, 0xdeadbeef);
  assert.is(d.nrArgs, 3);
  assert.equal(d.args, [1n, 0xffff_ffff_ffff_ffffn, 3n, 0n]);
  assert.is(d.durationNs, 0x1122334455667788n);
});

test("TraceEvent: short input and bad fields are typed errors naming the offset", () => {
  const e = (() => {
    try {
      decodeTraceEvent(new Uint8Array(80), 20);
    } catch (x) {
      return x as TracepointError;
    }
    return undefined;
  })();
  assert.is(e?.code, "TRACEPOINT_EVENT_TOO_SHORT");
  assert.is(e?.offset, 20);
  assert.is(
    code(() => decodeTraceEvent(new Uint8Array(63))),
    "TRACEPOINT_EVENT_TOO_SHORT",
  );
  assert.is(
    code(() => encodeTraceEvent({ vmId: 0x10000 })),
    "TRACEPOINT_BAD_ARGUMENT",
  );
  assert.is(
    code(() => encodeTraceEvent({ args: [1n, 2n, 3n, 4n, 5n] })),
    "TRACEPOINT_BAD_ARGUMENT",
  );
  assert.is(
    code(() => encodeTraceEvent({ durationNs: -1n })),
    "TRACEPOINT_BAD_ARGUMENT",
  );
  assert.is(
    code(() => encodeTraceEvent({}, new Uint8Array(70), 8)),
    "TRACEPOINT_EVENT_TOO_SHORT",
  );
});

test("name table: offset 0 is reserved, names dedup, lookups both ways", () => {
  const t = new EventNameTable();
  assert.is(t.get(0), undefined);
  assert.is(t.register("hprobe"), 1);
  assert.is(t.register("kprobe"), 2);
  assert.is(t.register("hprobe"), 1);
  assert.is(t.get(2), "kprobe");
  assert.is(t.offsetOf("kprobe"), 2);
  assert.is(t.size, 2);
});

test("name table: full table is a typed error", () => {
  const t = new EventNameTable();
  for (let i = 1; i <= 0xffff; i++) t.register(`n${i}`);
  assert.is(
    code(() => t.register("one-more")),
    "TRACEPOINT_NAME_TABLE_FULL",
  );
  assert.is(t.register("n7"), 7);
});

test("pipeline: event ids never collide between tracepoints, entry and return probes", () => {
  const m = new TracepointManager(new ManualPlatform());
  const ev = m.events;
  const entry = ev.registerSource(ProbeType.hprobe, "hprobe:do_work");
  const ret = ev.registerSource(ProbeType.hretprobe, "hretprobe:do_work");
  const ids = [...m.tracepoints().map((t) => t.id), entry.id, ret.id];
  assert.is(new Set(ids).size, ids.length);
  ev.emit(entry, { args: [1n] });
  ev.emit(ret, { args: [2n], durationNs: 500n });
  const out = ev.consume();
  assert.equal(
    out.map((e) => [e.eventId, e.probeType, ev.names.get(e.nameOffset)]),
    [
      [entry.id, 1, "hprobe:do_work"],
      [ret.id, 2, "hretprobe:do_work"],
    ],
  );
  assert.is(entry.stats.count, 1);
  assert.is(ret.stats.snapshot().durationSamples, 1);
  assert.is(ev.eventNameForId(ret.id), "hretprobe:do_work");
});

test("pipeline: removed sources are forgotten and their ids are not reused", () => {
  const ev = new EventPipeline(new ManualPlatform());
  const a = ev.registerSource(ProbeType.hprobe, "hprobe:a");
  ev.emit(a);
  assert.ok(ev.removeSource(a));
  assert.not.ok(ev.removeSource(a));
  assert.is(ev.source(a.id), undefined);
  assert.is(ev.eventNameForId(a.id), undefined);
  const b = ev.registerSource(ProbeType.hprobe, "hprobe:b");
  assert.ok(b.id > a.id);
  assert.is(ev.nextId, b.id + 1);
  assert.equal(ev.sources(), [b]);
  assert.is(
    code(() => ev.emit(a)),
    "TRACEPOINT_UNKNOWN_EVENT",
  );
  // The queued event still names its source through the name table.
  assert.is(ev.names.get(ev.consume()[0]!.nameOffset), "hprobe:a");
});

test("pipeline: timestamp, cpu and vm come from the platform", () => {
  const p = new ManualPlatform({ timeNs: 5_000n, cpuId: 3 });
  p.setContext({ vmId: 7, vcpuId: 1 });
  const ev = new EventPipeline(p);
  const s = ev.registerSource(ProbeType.kprobe, "kprobe");
  ev.emit(s);
  ev.emit(s, { timestampNs: 42n });
  const [a, b] = ev.consume();
  assert.is(a?.timestampNs, 5_000n);
  assert.is(a?.cpuId, 3);
  assert.is(a?.vmId, 7);
  assert.is(b?.timestampNs, 42n);
});

test("pipeline: fallback queue is bounded and keeps the newest events", () => {
  const p = new ManualPlatform();
  const ev = new EventPipeline(p, { queueCapacity: 4 });
  const s = ev.registerSource(ProbeType.hprobe, "h");
  for (let i = 0; i < 10; i++) ev.emit(s, { args: [BigInt(i)] });
  assert.is(ev.queued, 4);
  assert.is(ev.overwritten, 6);
  assert.equal(
    ev.consume(2).map((e) => e.args[0]),
    [6n, 7n],
  );
  assert.equal(
    ev.consume().map((e) => e.args[0]),
    [8n, 9n],
  );
  assert.equal(ev.consume(), []);
  assert.is(ev.emitted, 10);
});

test("pipeline: sinks get the 64-byte record; drops are counted per sink", () => {
  const p = new ManualPlatform();
  const ev = new EventPipeline(p);
  const s = ev.registerSource(ProbeType.tracepoint, "x");
  const got: Uint8Array[] = [];
  let n = 0;
  const good = ev.addSink({ output: (b: Uint8Array) => got.push(b.slice()) }, "good");
  const full = ev.addSink({ output: () => (++n % 2 === 0 ? -28 : 0) }, "ringbuf");
  const thrower = ev.addSink({
    output: () => {
      throw new Error("boom");
    },
  });
  const refuser = ev.addSink({ output: () => false });
  for (let i = 0; i < 4; i++) ev.emit(s, { args: [BigInt(i)] });
  assert.is(got.length, 4);
  assert.is(got[3]!.length, 64);
  assert.is(decodeTraceEvent(got[3]!).args[0], 3n);
  assert.equal([good.delivered, good.dropped], [4, 0]);
  assert.equal([full.delivered, full.dropped], [2, 2]);
  assert.equal([thrower.delivered, thrower.dropped], [0, 4]);
  assert.equal([refuser.delivered, refuser.dropped], [0, 4]);
  assert.ok(ev.removeSink(refuser));
  assert.not.ok(ev.removeSink(refuser));
  assert.is(ev.sinks().length, 3);
  assert.is(
    code(() => ev.addSink({} as never)),
    "TRACEPOINT_BAD_ARGUMENT",
  );
});

test("pipeline: a sink that emits does not clobber the record being delivered; runaway nesting is dropped", () => {
  const ev = new EventPipeline(new ManualPlatform());
  const a = ev.registerSource(ProbeType.hprobe, "a");
  const b = ev.registerSource(ProbeType.hprobe, "b");
  const seen: number[] = [];
  ev.addSink({
    output: (bytes: Uint8Array) => {
      const e = decodeTraceEvent(bytes);
      if (e.eventId === a.id) ev.emit(b);
    },
  });
  ev.addSink({ output: (bytes: Uint8Array) => seen.push(decodeTraceEvent(bytes).eventId) });
  ev.emit(a);
  assert.equal(seen, [b.id, a.id]);

  const loop = new EventPipeline(new ManualPlatform());
  const l = loop.registerSource(ProbeType.hprobe, "loop");
  loop.addSink({ output: () => loop.emit(l) });
  loop.emit(l);
  assert.ok(loop.nestingDrops >= 1);
  assert.is(loop.emitted, 9);
});

test("pipeline: a sink that removes itself does not make the next sink miss the event", () => {
  const ev = new EventPipeline(new ManualPlatform());
  const s = ev.registerSource(ProbeType.hprobe, "s");
  const once = ev.addSink({ output: () => ev.removeSink(once) });
  let seen = 0;
  ev.addSink({ output: () => seen++ });
  ev.emit(s);
  ev.emit(s);
  assert.is(seen, 2);
  assert.is(ev.sinks().length, 1);
});

test("pipeline: emit checks its inputs", () => {
  const ev = new EventPipeline(new ManualPlatform());
  const other = new EventPipeline(new ManualPlatform()).registerSource(ProbeType.hprobe, "x");
  const s = ev.registerSource(ProbeType.hprobe, "s");
  assert.is(
    code(() => ev.emit(other)),
    "TRACEPOINT_UNKNOWN_EVENT",
  );
  assert.is(
    code(() => ev.emit(s, { args: [1n, 2n, 3n, 4n, 5n] })),
    "TRACEPOINT_BAD_ARGUMENT",
  );
  assert.is(
    code(() => ev.emit(s, { args: [-1] })),
    "TRACEPOINT_BAD_ARGUMENT",
  );
  assert.is(
    code(() => ev.emit(s, { durationNs: 1n << 64n })),
    "TRACEPOINT_BAD_ARGUMENT",
  );
  assert.is(
    code(() => ev.registerSource(9 as never, "bad")),
    "TRACEPOINT_BAD_ARGUMENT",
  );
  assert.is(
    code(() => new EventPipeline(new ManualPlatform(), { queueCapacity: 0 })),
    "TRACEPOINT_INVALID_OPTION",
  );
  assert.is(
    code(() => ev.consume(-1)),
    "TRACEPOINT_BAD_ARGUMENT",
  );
});

test("pipeline: stats per source, listing and reset", () => {
  const ev = new EventPipeline(new ManualPlatform({ timeNs: 100n }));
  const s = ev.registerSource(ProbeType.kretprobe, "kretprobe:f");
  ev.registerSource(ProbeType.kprobe, "unused");
  ev.emit(s, { durationNs: 300n });
  ev.emit(s, { durationNs: 100n });
  ev.emit(s);
  const all = ev.allStats();
  assert.is(all.length, 1);
  assert.is(all[0]!.probeType, "kretprobe");
  const st = all[0]!.stats;
  assert.equal(
    [st.count, st.durationSamples, st.durationMinNs, st.durationMaxNs, st.durationAvgNs, st.lastTimestampNs],
    [3, 2, 100, 300, 200, 100n],
  );
  ev.resetStats();
  assert.equal(ev.allStats(), []);
  assert.is(s.stats.snapshot().lastTimestampNs, undefined);
});

test.run();
