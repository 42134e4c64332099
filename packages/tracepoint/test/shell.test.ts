import { ManualPlatform } from "@axebpf/platform/testing";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ProbeType, TracepointManager, TraceShell } from "../src/index.ts";

function setup() {
  const p = new ManualPlatform();
  const m = new TracepointManager(p);
  const sh = new TraceShell(m);
  const run = (line: string) => sh.execute(line);
  return { p, m, sh, run };
}

test("list: tracepoints with status, id, filter and handlers", () => {
  const { run } = setup();
  const r = run("trace list");
  assert.ok(r.ok);
  const lines = r.output.split("\n");
  assert.is(lines[0], "NAME                 STATUS    ID  FILTER  HANDLERS");
  assert.is(lines[6], "vmm:timer_tick       disabled  5   -       -");
  assert.is(lines.length, 9);
  assert.is(run("list vmm:t*").output.split("\n").length, 3);
  assert.is(run("list shell").output.split("\n").length, 3);
});

test("enable/disable: exact names, system:* and bare subsystem names", () => {
  const { m, run } = setup();
  assert.equal(run("trace enable vmm:timer_tick shell"), {
    ok: true,
    output: "vmm:timer_tick: enabled\nshell:shell_command: enabled\nshell:shell_init: enabled",
  });
  assert.ok(m.isEnabled("shell:shell_init"));
  assert.ok(run("trace disable shell:*").ok);
  assert.not.ok(m.isEnabled("shell:shell_init"));
  assert.ok(m.isEnabled("vmm:timer_tick"));
});

test("enable --handler enables and attaches a registered handler once", () => {
  const { m, run } = setup();
  let n = 0;
  m.registerHandler("count", () => n++);
  assert.equal(run("trace enable vmm:timer_tick vmm:vm_destroy --handler count"), {
    ok: true,
    output: "vmm:timer_tick: enabled, attached count\nvmm:vm_destroy: enabled, attached count",
  });
  assert.is(run("trace enable vmm:timer_tick --handler count").output, "vmm:timer_tick: enabled");
  m.vmm!.timerTick.fire(1n);
  m.vmm!.vmDestroy.fire(1);
  assert.is(n, 2);
});

test("format shows the format file", () => {
  const { run } = setup();
  const r = run("trace format vmm:timer_tick");
  assert.ok(r.ok);
  assert.ok(r.output.startsWith("name: timer_tick\nID: 5\nformat:\n"));
});

test("filter set / show / clear, and a filter error drawn with a caret", () => {
  const { m, run } = setup();
  assert.equal(run("trace filter set vmm:vm_destroy vm_id == 2 || vm_id > 10"), {
    ok: true,
    output: "vmm:vm_destroy: filter set: vm_id == 2 || vm_id > 10",
  });
  assert.is(run("trace filter show vmm:vm_destroy").output, "vmm:vm_destroy: vm_id == 2 || vm_id > 10");
  m.enable("vmm:vm_destroy");
  for (const id of [1, 2, 3, 11]) m.vmm!.vmDestroy.fire(id);
  assert.is(m.pipe.length, 2);
  const bad = run("trace filter set vmm:vm_destroy vm_id = 2");
  assert.not.ok(bad.ok);
  assert.equal(bad.output.split("\n"), [
    "error: single '=' is invalid; did you mean '=='? at column 7",
    "  vm_id = 2",
    "        ^",
    "usage: trace filter set <system:name> <expr> | trace filter clear <system:name> | trace filter show <system:name>",
  ]);
  assert.is(m.get("vmm:vm_destroy").filter, "vm_id == 2 || vm_id > 10");
  assert.ok(run("trace filter clear vmm:vm_destroy").ok);
  assert.is(run("trace filter show vmm:vm_destroy").output, "vmm:vm_destroy: none");
});

test("pipe drains ftrace lines; cat shows them with the header; events consumes the pipeline", () => {
  const { m, p, run } = setup();
  assert.is(run("trace pipe").output, "trace pipe is empty");
  assert.is(run("trace events").output, "no events");
  run("trace enable vmm:image_load vmm:vm_destroy");
  p.setContext({ vmId: 1 });
  m.vmm!.imageLoad.fire(1, 4096, 1_500_000);
  p.advance(1_000n).setCpuId(1);
  m.vmm!.vmDestroy.fire(1);
  assert.ok(run("trace cat").output.includes("# entries-in-buffer/entries-written: 2/2   #P:1"));
  assert.is(
    run("trace pipe -n 1").output,
    "         axvisor-0       [000] .....     1.000000: image_load: vm_id=1 image_size=4096 duration_ns=1500000",
  );
  assert.is(run("trace pipe").output.split("\n").length, 1);
  assert.equal(run("trace events").output.split("\n"), [
    "[1.000000] cpu0 tracepoint vmm:image_load args=[0x1, 0x1000, 0x16e360] dur=1.5ms vm1",
    "[1.000001] cpu1 tracepoint vmm:vm_destroy args=[0x1] vm1",
  ]);
});

test("stat and hist: table with '-' without durations, bpftrace-style histogram, linear, reset", () => {
  const { m, run } = setup();
  assert.is(run("trace stat").output, "no events recorded");
  run("trace enable vmm:*");
  for (const d of [900, 1_100, 1_200, 5_000]) m.vmm!.configLoad.fire(1, d);
  m.vmm!.vmDestroy.fire(2);
  const stat = run("trace stat").output.split("\n");
  assert.is(stat[0], "ID  EVENT            TYPE        COUNT  FILTERED  MIN    AVG    MAX    P99");
  assert.is(stat[1], "0   vmm:config_load  tracepoint  4      0         900ns  2.0us  5.0us  5.0us");
  assert.is(stat[2], "6   vmm:vm_destroy   tracepoint  1      0         -      -      -      -");
  assert.is(run("trace stat --top 1").output.split("\n").length, 2);
  const hist = run("trace hist vmm:config_load").output.split("\n");
  assert.is(hist[0], "@vmm:config_load duration_ns:");
  assert.is(hist[1], `${"[512, 1K)".padEnd(16)}       1 |${"@".repeat(26).padEnd(52)}|`);
  assert.is(hist[2], `${"[1K, 2K)".padEnd(16)}       2 |${"@".repeat(52)}|`);
  assert.is(hist.at(-1), "P50 2.0us  P90 5.0us  P99 5.0us");
  assert.is(run("trace hist vmm:vm_destroy").output, "vmm:vm_destroy: no duration samples");
  assert.ok(run("trace hist vmm:config_load linear 0 10000 1000").ok);
  m.vmm!.configLoad.fire(1, 2_500);
  assert.ok(run("trace hist vmm:config_load").output.includes(`${"[2000, 3000)".padEnd(16)}       1 |`));
  assert.is(run("trace reset vmm:config_load").output, "vmm:config_load: statistics reset");
  assert.is(m.stats("vmm:config_load").count, 0);
  assert.is(run("trace reset").output, "statistics reset");
  assert.is(run("trace stat").output, "no events recorded");
});

test("dump filters by probe type or VM and consumes; events and stats are aliases", () => {
  const { m, p, run } = setup();
  run("trace enable vmm:vm_destroy");
  const hp = m.events.registerSource(ProbeType.hprobe, "hprobe:f");
  m.vmm!.vmDestroy.fire(1);
  p.setContext({ vmId: 2 });
  m.events.emit(hp, { args: [0x40n] });
  m.vmm!.vmDestroy.fire(2);
  assert.equal(run("trace dump --filter hprobe").output, "[1.000000] cpu0 hprobe hprobe:f args=[0x40] vm2");
  assert.is(run("trace dump").output, "no events");
  m.vmm!.vmDestroy.fire(3);
  p.setContext({ vmId: 0 });
  m.vmm!.vmDestroy.fire(4);
  assert.is(
    run("trace dump --filter vm0 -n 5").output,
    "[1.000000] cpu0 tracepoint vmm:vm_destroy args=[0x4] vm0",
  );
  m.vmm!.vmDestroy.fire(5);
  assert.is(run("trace events -n 1").output.split("\n").length, 1);
  assert.ok(run("trace stats").output.startsWith("ID  EVENT"));
});

test("other layers add commands; their mistakes get their usage line", () => {
  const { sh, run } = setup();
  const probes: string[] = [];
  sh.addCommand({
    name: "hprobe",
    usage: "trace hprobe <symbol> <handler>",
    run(args) {
      if (args.length !== 2) throw new Error("expected a symbol and a handler");
      probes.push(args[0]!);
      return `hprobe on ${args[0]} -> ${args[1]}`;
    },
  });
  assert.equal(run("trace hprobe do_work count"), { ok: true, output: "hprobe on do_work -> count" });
  assert.equal(run("trace hprobe do_work"), {
    ok: false,
    output: "error: expected a symbol and a handler\nusage: trace hprobe <symbol> <handler>",
  });
  assert.ok(run("trace help").output.endsWith("  trace hprobe <symbol> <handler>"));
  assert.equal(probes, ["do_work"]);
  const dup = () => sh.addCommand({ name: "list", usage: "x", run: () => "" });
  assert.throws(dup, (e: { code?: string }) => e.code === "TRACEPOINT_DUPLICATE");
  assert.throws(
    () => sh.addCommand({ name: "events", usage: "x", run: () => "" }),
    (e: { code?: string }) => e.code === "TRACEPOINT_DUPLICATE",
  );
  assert.throws(
    () => sh.addCommand({ name: "Bad Name", usage: "x", run: () => "" }),
    (e: { code?: string }) => e.code === "TRACEPOINT_BAD_ARGUMENT",
  );
});

test("attach/detach a named handler", () => {
  const { m, run } = setup();
  let n = 0;
  m.registerHandler("counter", () => n++);
  assert.is(run("trace handlers").output, "counter");
  assert.equal(run("trace attach vmm:timer_tick counter"), {
    ok: true,
    output: "vmm:timer_tick: attached counter",
  });
  run("trace enable vmm:timer_tick");
  m.vmm!.timerTick.fire(1n);
  assert.is(n, 1);
  assert.ok(run("trace list").output.includes("counter"));
  assert.equal(run("trace detach vmm:timer_tick counter"), {
    ok: true,
    output: "vmm:timer_tick: detached counter",
  });
  m.vmm!.timerTick.fire(1n);
  assert.is(n, 1);
});

/** Every mistake answers ok=false, an error line and the command's usage line. */
const MISTAKES: [string, string, string][] = [
  [
    "trace enable vmm:timer_tick --handler",
    "error: expected --handler NAME at the end",
    "usage: trace enable",
  ],
  [
    "trace enable --handler x vmm:timer_tick",
    "error: expected --handler NAME at the end",
    "usage: trace enable",
  ],
  ["trace enable vmm:timer_tick --handler nobody", "error: no handler named 'nobody'", "usage: trace enable"],
  [
    "trace disable vmm:timer_tick --handler x",
    "error: --handler only goes with enable",
    "usage: trace disable",
  ],
  ["", "error: no command", "commands:"],
  ["trace", "error: no command", "commands:"],
  ["trace frobnicate", "error: unknown command 'frobnicate'", "commands:"],
  ["trace help me", "error: unexpected argument 'me'", "usage: trace help"],
  ["trace list a b", "error: unexpected argument 'b'", "usage: trace list [PATTERN]"],
  ["trace list [", "error: bad pattern", "usage: trace list [PATTERN]"],
  [
    "trace enable",
    "error: missing tracepoint name",
    "usage: trace enable <system:name|system:*|PATTERN>... [--handler NAME]",
  ],
  [
    "trace enable nosuch",
    "error: Tracepoint not found: nosuch",
    "usage: trace enable <system:name|system:*|PATTERN>... [--handler NAME]",
  ],
  [
    "trace enable vmm:nosuch",
    "error: Tracepoint not found: vmm:nosuch",
    "usage: trace enable <system:name|system:*|PATTERN>... [--handler NAME]",
  ],
  [
    "trace disable",
    "error: missing tracepoint name",
    "usage: trace disable <system:name|system:*|PATTERN>...",
  ],
  ["trace format", "error: missing tracepoint name", "usage: trace format <system:name>"],
  ["trace format vmm:x vmm:y", "error: unexpected argument 'vmm:y'", "usage: trace format <system:name>"],
  [
    "trace format timer_tick",
    "error: Invalid tracepoint name format: timer_tick (want system:name)",
    "usage: trace format <system:name>",
  ],
  ["trace filter", "error: missing subcommand", "usage: trace filter set"],
  ["trace filter add vmm:timer_tick x", "error: unknown subcommand 'add'", "usage: trace filter set"],
  ["trace filter set vmm:timer_tick", "error: missing filter expression", "usage: trace filter set"],
  ["trace filter set", "error: missing tracepoint name", "usage: trace filter set"],
  ["trace filter clear vmm:timer_tick x", "error: unexpected argument 'x'", "usage: trace filter set"],
  ["trace stat --top", "error: unexpected argument '--top'", "usage: trace stat [--top N]"],
  ["trace stat --top 0", "error: expected a positive count, got '0'", "usage: trace stat [--top N]"],
  ["trace stat --top x", "error: expected an integer, got 'x'", "usage: trace stat [--top N]"],
  ["trace stat -n 3", "error: unexpected argument '-n'", "usage: trace stat [--top N]"],
  [
    "trace hist",
    "error: missing tracepoint name",
    "usage: trace hist <system:name> [linear <min> <max> <step>]",
  ],
  ["trace hist vmm:timer_tick log 1", "error: expected: linear <min> <max> <step>", "usage: trace hist"],
  ["trace hist vmm:timer_tick linear 10 0 1", "error: linear histogram needs integers", "usage: trace hist"],
  ["trace reset a b", "error: unexpected argument 'b'", "usage: trace reset [system:name]"],
  ["trace reset vmm:nosuch", "error: Tracepoint not found: vmm:nosuch", "usage: trace reset [system:name]"],
  ["trace pipe 5", "error: unexpected argument '5'", "usage: trace pipe [-n N]"],
  ["trace pipe -n", "error: unexpected argument '-n'", "usage: trace pipe [-n N]"],
  ["trace pipe -n -3", "error: expected a positive count, got '-3'", "usage: trace pipe [-n N]"],
  ["trace events -n 0", "error: expected a positive count, got '0'", "usage: trace dump"],
  ["trace cat now", "error: unexpected argument 'now'", "usage: trace cat"],
  ["trace events -n 1.5", "error: expected an integer, got '1.5'", "usage: trace dump"],
  ["trace dump -n", "error: unexpected argument '-n'", "usage: trace dump"],
  ["trace dump --filter", "error: unexpected argument '--filter'", "usage: trace dump"],
  ["trace dump --filter uprobe", "error: unknown filter 'uprobe'", "usage: trace dump"],
  ["trace dump -x 1", "error: unexpected argument '-x'", "usage: trace dump"],
  ["trace stats --top", "error: unexpected argument '--top'", "usage: trace stat [--top N]"],
  [
    "trace attach vmm:timer_tick",
    "error: missing handler name",
    "usage: trace attach <system:name> <handler>",
  ],
  [
    "trace attach vmm:timer_tick nobody",
    "error: no handler named 'nobody' (registered: none)",
    "usage: trace attach",
  ],
  ["trace attach", "error: missing tracepoint name", "usage: trace attach"],
  [
    "trace detach vmm:timer_tick nobody",
    "error: vmm:timer_tick has no handler 'nobody'",
    "usage: trace detach <system:name> <handler>",
  ],
  ["trace detach vmm:timer_tick", "error: missing handler name", "usage: trace detach"],
  ["trace handlers x", "error: unexpected argument 'x'", "usage: trace handlers"],
];

for (const [line, first, last] of MISTAKES) {
  test(`mistake: ${JSON.stringify(line)}`, () => {
    const { run } = setup();
    const r = run(line);
    assert.not.ok(r.ok, r.output);
    const lines = r.output.split("\n");
    assert.ok(lines[0]!.startsWith(first), r.output);
    assert.ok(
      lines.some((l) => l.startsWith(last)),
      r.output,
    );
  });
}

test("every command has a usage line in help, and a mistake test above", () => {
  const { run } = setup();
  const help = run("trace help").output;
  for (const c of [
    "list",
    "enable",
    "disable",
    "format",
    "filter",
    "stat",
    "hist",
    "reset",
    "pipe",
    "cat",
    "dump",
    "attach",
    "detach",
    "handlers",
  ]) {
    assert.ok(help.includes(`trace ${c}`), c);
    assert.ok(
      MISTAKES.some(([l]) => l.startsWith(`trace ${c}`)),
      c,
    );
  }
});

test.run();
