import { ManualPlatform } from "@axebpf/platform/testing";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  decodeTraceEvent,
  MAX_FIRE_NESTING,
  ProbeType,
  parseTracepointName,
  type TraceArg,
  TracepointManager,
} from "../src/index.ts";
import { codeOf } from "./helpers.ts";

function setup() {
  const p = new ManualPlatform({ timeNs: 2_000_000_500n, cpuId: 2 });
  const m = new TracepointManager(p, { builtins: false });
  const tp = m.define({
    system: "demo",
    name: "io",
    fields: [
      { name: "dev", type: "u8" },
      { name: "len", type: "i16" },
      { name: "sector", type: "u64" },
      { name: "tag", type: "char[8]" },
      { name: "ok", type: "bool" },
      { name: "delta", type: "i64" },
    ],
    printk: "dev={} len={} sector={:#x} tag={} ok={} delta={}",
    durationField: null,
  });
  return { p, m, tp };
}

test("layout: C offsets after the 8-byte header, record padded to its alignment", () => {
  const { tp } = setup();
  assert.equal(
    tp.fields.map((f) => [f.name, f.offset, f.size, f.signed]),
    [
      ["common_type", 0, 2, false],
      ["common_flags", 2, 1, false],
      ["common_preempt_count", 3, 1, false],
      ["common_pid", 4, 4, true],
      ["dev", 8, 1, false],
      ["len", 10, 2, true],
      ["sector", 16, 8, false],
      ["tag", 24, 8, false],
      ["ok", 32, 1, false],
      ["delta", 40, 8, true],
    ],
  );
  assert.is(tp.recordSize, 48);
  assert.is(tp.fullName, "demo:io");
});

test("encode/decode/formatPayload: values round-trip, hex placeholders, strings", () => {
  const { tp } = setup();
  const r = tp.encode(7, -2, 0xffff_ffff_ffff_fff0n, "sda1", true, -3);
  assert.equal(tp.decode(r), {
    common_type: BigInt(tp.id),
    common_flags: 0n,
    common_preempt_count: 0n,
    common_pid: 0n,
    dev: 7n,
    len: -2n,
    sector: 0xffff_ffff_ffff_fff0n,
    tag: "sda1",
    ok: 1n,
    delta: -3n,
  });
  assert.is(tp.formatPayload(r), "dev=7 len=-2 sector=0xfffffffffffffff0 tag=sda1 ok=1 delta=-3");
  // Long strings are truncated to the field; numbers up to 2^53 are accepted for u64.
  const r2 = tp.encode(0, 0, 2 ** 53 - 1, "0123456789", false, -(2 ** 40));
  assert.equal(
    [tp.decode(r2).tag, tp.decode(r2).sector, tp.decode(r2).delta],
    ["01234567", 2n ** 53n - 1n, -(2n ** 40n)],
  );
  assert.is(
    codeOf(() => tp.decode(r2.subarray(0, 20))),
    "TRACEPOINT_EVENT_TOO_SHORT",
  );
});

test("fire is typed from the field list", () => {
  const { tp } = setup();
  const typedOnly = () => {
    // @ts-expect-error a string for the u8 field
    tp.fire("1", 0, 0, "", true, 0);
    // @ts-expect-error a missing argument
    tp.fire(1, 0, 0, "", true);
    // @ts-expect-error a number for the char[8] field
    tp.fire(1, 0, 0, 5, true, 0);
  };
  assert.type(typedOnly, "function");
});

test("arguments are checked against the field types", () => {
  const { tp } = setup();
  const bad: unknown[][] = [
    [256, 0, 0, "", true, 0],
    [-1, 0, 0, "", true, 0],
    [0, 40000, 0, "", true, 0],
    [0, 0, -1, "", true, 0],
    [0, 0, 1n << 64n, "", true, 0],
    [0, 0, 1.5, "", true, 0],
    [0, 0, 0, 5, true, 0],
    [0, 0, 0, "", 2, 0],
    [0, 0, 0, "", true, 1n << 63n],
    [0, 0, 0, "", true, 2 ** 60],
    [0, 0, 0, "", true],
  ];
  for (const args of bad) {
    assert.is(
      codeOf(() => tp.encode(...(args as Parameters<typeof tp.encode>))),
      "TRACEPOINT_BAD_ARGUMENT",
      JSON.stringify(args, (_k, v) => (typeof v === "bigint" ? `${v}n` : v)),
    );
  }
  // bigints are fine for narrow fields when in range.
  assert.is(
    tp.decode(tp.encode(255n as unknown as number, -32768n as unknown as number, 0, "", 0, 0)).len,
    -32768n,
  );
});

test("definition errors: names, fields, print formats, duration field, duplicates", () => {
  const { m } = setup();
  const def = (d: object) => () => m.define(d as never);
  assert.is(codeOf(def({ system: "a b", name: "x", fields: [] })), "TRACEPOINT_INVALID_NAME");
  assert.is(codeOf(def({ system: "a", name: "", fields: [] })), "TRACEPOINT_INVALID_NAME");
  assert.is(codeOf(def({ system: "demo", name: "io", fields: [] })), "TRACEPOINT_DUPLICATE");
  assert.is(
    codeOf(def({ system: "a", name: "b", fields: [{ name: "x", type: "u128" }] })),
    "TRACEPOINT_INVALID_FIELD",
  );
  assert.is(
    codeOf(def({ system: "a", name: "b", fields: [{ name: "x", type: "char[0]" }] })),
    "TRACEPOINT_INVALID_FIELD",
  );
  assert.is(
    codeOf(def({ system: "a", name: "b", fields: [{ name: "common_pid", type: "u8" }] })),
    "TRACEPOINT_INVALID_FIELD",
  );
  assert.is(
    codeOf(
      def({
        system: "a",
        name: "b",
        fields: [
          { name: "x", type: "u8" },
          { name: "x", type: "u8" },
        ],
      }),
    ),
    "TRACEPOINT_INVALID_FIELD",
  );
  assert.is(
    codeOf(def({ system: "a", name: "b", fields: [{ name: "1x", type: "u8" }] })),
    "TRACEPOINT_INVALID_FIELD",
  );
  assert.is(codeOf(def({ system: "a", name: "b", fields: "x" })), "TRACEPOINT_INVALID_FIELD");
  assert.is(
    codeOf(def({ system: "a", name: "b", fields: [{ name: "x", type: "u8" }], printk: "{} {}" })),
    "TRACEPOINT_INVALID_FORMAT",
  );
  assert.is(
    codeOf(def({ system: "a", name: "b", fields: [{ name: "x", type: "u8" }], printk: "none" })),
    "TRACEPOINT_INVALID_FORMAT",
  );
  assert.is(
    codeOf(def({ system: "a", name: "b", fields: [{ name: "x", type: "u8" }], printk: "{:?}" })),
    "TRACEPOINT_INVALID_FORMAT",
  );
  assert.is(
    codeOf(def({ system: "a", name: "b", fields: [{ name: "x", type: "u8" }], printk: "{" })),
    "TRACEPOINT_INVALID_FORMAT",
  );
  assert.is(
    codeOf(def({ system: "a", name: "b", fields: [{ name: "x", type: "u8" }], printk: "{}}" })),
    "TRACEPOINT_INVALID_FORMAT",
  );
  assert.is(codeOf(def({ system: "a", name: "b", fields: [], printk: 5 })), "TRACEPOINT_INVALID_FORMAT");
  assert.is(
    codeOf(def({ system: "a", name: "b", fields: [{ name: "x", type: "u8" }], durationField: "y" })),
    "TRACEPOINT_INVALID_FIELD",
  );
  assert.is(
    codeOf(def({ system: "a", name: "b", fields: [{ name: "x", type: "u8" }], durationField: "x" })),
    "TRACEPOINT_INVALID_FIELD",
  );
  const ok = m.define({ system: "a", name: "b", fields: [{ name: "x", type: "u8" }], printk: "{{x}}={:x}" });
  assert.is(ok.formatPayload(ok.encode(255)), "{x}=ff");
  assert.is(m.define({ system: "a", name: "c", fields: [{ name: "x", type: "u8" }] }).printk, "x={}");
});

test("names: split on the first colon; lookups and errors", () => {
  const { m } = setup();
  assert.equal(parseTracepointName("vmm:vcpu_run_enter"), { system: "vmm", event: "vcpu_run_enter" });
  assert.equal(parseTracepointName("vmm:event:extra"), { system: "vmm", event: "event:extra" });
  assert.is(
    codeOf(() => parseTracepointName("badname")),
    "TRACEPOINT_INVALID_NAME",
  );
  assert.is(
    codeOf(() => m.get("badname")),
    "TRACEPOINT_INVALID_NAME",
  );
  assert.is(
    codeOf(() => m.get("demo:nope")),
    "TRACEPOINT_NOT_FOUND",
  );
  assert.is(
    codeOf(() => m.get(":")),
    "TRACEPOINT_NOT_FOUND",
  );
  assert.is(
    codeOf(() => m.enable("demo:nope")),
    "TRACEPOINT_NOT_FOUND",
  );
  assert.is(m.isEnabled("nope"), false);
  assert.is(m.find("demo:io")?.name, "io");
  assert.is(m.byId(m.get("demo:io").id)?.fullName, "demo:io");
});

test("static key: a disabled tracepoint records nothing, runs no handler, emits no event (weak spot 10)", () => {
  const { m, tp } = setup();
  let calls = 0;
  m.attach("demo:io", () => calls++);
  tp.fire(1, 2, 3, "x", true, 4);
  assert.is(m.pipe.length, 0);
  assert.is(m.events.queued, 0);
  assert.is(tp.source.stats.count, 0);
  assert.is(calls, 0);
  // Disabled: even wrong arguments are not looked at (the call site costs only the key check).
  (tp.fire as (...a: unknown[]) => void)("bad");
  m.enable("demo:io");
  assert.ok(m.isEnabled("demo:io"));
  tp.fire(1, 2, 3, "x", true, 4);
  assert.is(m.pipe.length, 1);
  assert.is(m.events.queued, 1);
  assert.is(calls, 1);
  m.disable("demo:io");
  tp.fire(1, 2, 3, "x", true, 4);
  assert.is(calls, 1);
  assert.is(
    codeOf(() => m.enable("demo:io") ?? (tp.fire as (...a: unknown[]) => void)("bad")),
    "TRACEPOINT_BAD_ARGUMENT",
  );
});

test("a hit: trace pipe record, TraceEvent with forwarded args, stats; the one id everywhere", () => {
  const { m, p, tp } = setup();
  m.enable("demo:io");
  p.setContext({ vmId: 3 });
  tp.fire(9, -1, 0xffff_ffff_ffff_ffffn, "t", false, -2);
  const [rec] = m.pipe.readRecords();
  assert.is(rec?.timestampNs, 2_000_000_500n);
  assert.is(rec?.cpu, 2);
  assert.is(new DataView(rec!.record.buffer).getUint16(0, true), tp.id);
  const [ev] = m.events.consume();
  assert.is(ev?.probeType, ProbeType.tracepoint);
  assert.is(ev?.eventId, tp.id);
  assert.is(m.events.names.get(ev!.nameOffset), "demo:io");
  assert.is(ev?.nrArgs, 4);
  assert.equal(ev?.args, [9n, 0xffff_ffff_ffff_ffffn, 0xffff_ffff_ffff_ffffn, 0n]);
  assert.is(ev?.vmId, 3);
  assert.is(ev?.cpuId, 2);
  assert.is(ev?.durationNs, 0n);
  assert.is(m.stats("demo:io").count, 1);
  assert.is(m.stats("demo:io").lastTimestampNs, 2_000_000_500n);
});

test("a duration field feeds the event's duration_ns and the stats histograms", () => {
  const p = new ManualPlatform();
  const m = new TracepointManager(p, { builtins: false });
  const tp = m.define({ system: "s", name: "op", fields: [{ name: "duration_ns", type: "u64" }] });
  m.enable("s:op");
  for (const d of [100, 200, 300, 5_000_000_000]) tp.fire(d);
  const st = m.stats("s:op");
  assert.equal(
    [st.count, st.durationSamples, st.durationMinNs, st.durationMaxNs],
    [4, 4, 100, 5_000_000_000],
  );
  assert.is(m.events.consume().at(-1)?.durationNs, 5_000_000_000n);
  m.resetStats("s:op");
  assert.is(m.stats("s:op").count, 0);
});

test("filters gate everything: pipe, events, handlers, stats (weak spot 11); bad filters keep the old one", () => {
  const { m, tp } = setup();
  const seen: number[] = [];
  m.attach("demo:io", (_r, args) => seen.push(args[0] as number));
  m.enable("demo:io");
  m.setFilter("demo:io", "dev >= 5 && tag ~ 'sd*'");
  assert.is(tp.filter, "dev >= 5 && tag ~ 'sd*'");
  for (const [dev, tag] of [
    [4, "sda"],
    [5, "sda"],
    [6, "hdb"],
    [7, "sdb"],
  ] as const)
    tp.fire(dev, 0, 0, tag, true, 0);
  assert.equal(seen, [5, 7]);
  assert.is(m.pipe.length, 2);
  assert.is(m.events.queued, 2);
  assert.equal([m.stats("demo:io").count, m.stats("demo:io").filtered], [2, 2]);
  assert.is(
    codeOf(() => m.setFilter("demo:io", "dev <")),
    "TRACEPOINT_FILTER_EXPECTED_NUMBER",
  );
  assert.is(tp.filter, "dev >= 5 && tag ~ 'sd*'");
  m.setFilter("demo:io", "0");
  assert.is(tp.filter, undefined);
  m.setFilter("demo:io", "dev == 1");
  m.clearFilter("demo:io");
  assert.is(tp.filter, undefined);
  m.setFilter("demo:io", "dev == 1");
  m.setFilter("demo:io", "");
  assert.is(tp.filter, undefined);
  assert.is(tp.compiledFilter, undefined);
  assert.is(
    codeOf(() => m.setFilter("demo:io", 5 as never)),
    "TRACEPOINT_BAD_ARGUMENT",
  );
});

test("handlers: receive the record and the arguments; attach/detach by label or function; errors are contained", () => {
  const { m, p, tp } = setup();
  m.enable("demo:io");
  const got: [Record<string, bigint | string>, readonly TraceArg[], string][] = [];
  const h = (rec: Uint8Array, args: readonly TraceArg[], t: { fullName: string }) =>
    got.push([tp.decode(rec), args, t.fullName]);
  const a = m.attach("demo:io", h, "rec");
  m.attach(
    "demo:io",
    () => {
      throw new Error("handler bug");
    },
    "bad",
  );
  assert.is(
    codeOf(() => m.attach("demo:io", h, "rec")),
    "TRACEPOINT_DUPLICATE",
  );
  assert.is(
    codeOf(() => m.attach("demo:io", 5 as never)),
    "TRACEPOINT_BAD_ARGUMENT",
  );
  tp.fire(1, 2, 3n, "abc", true, -4);
  assert.is(got.length, 1);
  assert.is(got[0]![0].tag, "abc");
  assert.equal(got[0]![1], [1, 2, 3n, "abc", true, -4]);
  assert.is(got[0]![2], "demo:io");
  assert.is(tp.handlerErrors, 1);
  assert.ok(p.messages().some((s) => s.includes("handler bug")));
  assert.equal(m.list()[0]!.handlers, ["rec", "bad"]);
  assert.ok(a.detach());
  assert.not.ok(a.detach());
  assert.ok(m.detach("demo:io", "bad"));
  const l = m.attach("demo:io", h);
  assert.is(l.label, "handler0");
  assert.ok(m.detach("demo:io", h));
  tp.fire(1, 2, 3n, "abc", true, -4);
  assert.is(got.length, 1);
});

test("default handler labels stay unique after a detach", () => {
  const { m } = setup();
  const a = m.attach("demo:io", () => {});
  m.attach("demo:io", () => {});
  a.detach();
  assert.is(m.attach("demo:io", () => {}).label, "handler0");
  assert.is(m.attach("demo:io", () => {}).label, "handler2");
  assert.equal(m.get("demo:io").handlerLabels(), ["handler1", "handler0", "handler2"]);
});

test("handlers that re-fire the same tracepoint get their own record; runaway recursion is cut off", () => {
  const { m, tp } = setup();
  m.enable("demo:io");
  const tags: string[] = [];
  m.attach("demo:io", (rec) => {
    const before = tp.decode(rec).tag as string;
    if (before === "outer") tp.fire(2, 0, 0, "inner", true, 0);
    tags.push(`${before}/${tp.decode(rec).tag}`);
  });
  tp.fire(1, 0, 0, "outer", true, 0);
  assert.equal(tags, ["inner/inner", "outer/outer"]);

  const loop = setup();
  loop.m.enable("demo:io");
  loop.m.attach("demo:io", () => loop.tp.fire(1, 0, 0, "x", true, 0));
  loop.tp.fire(1, 0, 0, "x", true, 0);
  assert.is(loop.tp.nestingDrops, 1);
  assert.is(loop.m.stats("demo:io").count, MAX_FIRE_NESTING);
});

test("subsystems enable and disable together; unknown subsystem is an error", () => {
  const m = new TracepointManager(new ManualPlatform());
  assert.equal(m.subsystems(), ["shell", "vmm"]);
  assert.is(m.enableSubsystem("vmm"), 6);
  assert.equal(
    m
      .list()
      .filter((t) => t.enabled)
      .map((t) => t.name),
    [
      "vmm:config_load",
      "vmm:image_load",
      "vmm:timer_event",
      "vmm:timer_tick",
      "vmm:vm_destroy",
      "vmm:vmm_init",
    ],
  );
  assert.is(m.disableSubsystem("vmm"), 6);
  assert.is(m.list().filter((t) => t.enabled).length, 0);
  assert.is(
    codeOf(() => m.enableSubsystem("nope")),
    "TRACEPOINT_NOT_FOUND",
  );
  assert.is(m.count, 8);
});

test("named handlers for the shell; sinks receive tracepoint events", () => {
  const { m, tp } = setup();
  const out: number[] = [];
  m.events.addSink({ output: (b: Uint8Array) => out.push(decodeTraceEvent(b).eventId) });
  m.registerHandler("count", () => {});
  assert.equal(m.handlerNames(), ["count"]);
  assert.ok(m.handler("count"));
  assert.ok(m.unregisterHandler("count"));
  assert.is(
    codeOf(() => m.registerHandler("x", null as never)),
    "TRACEPOINT_BAD_ARGUMENT",
  );
  m.enable("demo:io");
  tp.fire(0, 0, 0, "", false, 0);
  assert.equal(out, [tp.id]);
});

test("every test builds its own manager: no shared state", () => {
  const a = new TracepointManager(new ManualPlatform());
  const b = new TracepointManager(new ManualPlatform());
  a.enable("vmm:timer_tick");
  a.vmm?.timerTick.fire(1);
  assert.not.ok(b.isEnabled("vmm:timer_tick"));
  assert.is(b.pipe.length, 0);
  assert.is(a.get("vmm:timer_tick").id, b.get("vmm:timer_tick").id);
});

test.run();
