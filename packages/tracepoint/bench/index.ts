// Benchmarks of the call-site and hot paths. Prints a table; asserts nothing. Run: pnpm bench
import { HostPlatform } from "@axebpf/platform";
import { ManualPlatform } from "@axebpf/platform/testing";
import { compileFilter, TracepointManager } from "../src/index.ts";

const platform = new HostPlatform();
const m = new TracepointManager(platform, { pipeCapacity: 1024 });
const tp = m.define({
  system: "bench",
  name: "exit",
  fields: [
    { name: "vm_id", type: "u32" },
    { name: "reason", type: "u32" },
    { name: "duration_ns", type: "u64" },
  ],
});
const other = m.define({
  system: "bench",
  name: "off",
  fields: [
    { name: "vm_id", type: "u32" },
    { name: "reason", type: "u32" },
  ],
});

// Every loop stores into `out`, so none can be optimised away; the calls under test differ.
const out = new Int32Array(4);
function plain(a: number, b: number): void {
  out[1] = a + b;
}
// Two candidates so the call site is not folded into a constant target.
function other2(a: number, b: number): void {
  out[2] = a - b;
}
const fns = [plain, other2];
const call = fns[Number(process.env.AXEBPF_BENCH_NEVER ?? 0)]!;

interface Row {
  name: string;
  ops: number;
  ns: number;
}
const rows: Row[] = [];

function measure(name: string, ops: number, body: (n: number) => void): void {
  body(Math.min(ops, 50_000)); // warm up
  const runs: number[] = [];
  // CPU time of this process (user + system), not wall time: the machine is shared, and other
  // processes' load would otherwise show up as our cost.
  for (let r = 0; r < 5; r++) {
    const c0 = process.cpuUsage();
    body(ops);
    const c = process.cpuUsage(c0);
    runs.push((c.user + c.system) * 1000);
  }
  rows.push({ name, ops, ns: Math.min(...runs) });
}

const N_CALL = 20_000_000;
measure("plain function call (baseline)", N_CALL, (n) => {
  for (let i = 0; i < n; i++) {
    out[0] = i;
    call(i, 7);
  }
});
measure("plain function call, not inlined (2 targets)", N_CALL, (n) => {
  for (let i = 0; i < n; i++) {
    out[0] = i;
    fns[i & 1]!(i, 7);
  }
});
measure("disabled tracepoint: tp.fire(a, b)", N_CALL, (n) => {
  for (let i = 0; i < n; i++) {
    out[0] = i;
    other.fire(i, 7);
  }
});
measure("disabled tracepoint: if (tp.key.enabled) tp.fire(a, b)", N_CALL, (n) => {
  for (let i = 0; i < n; i++) {
    out[0] = i;
    if (other.key.enabled) other.fire(i, 7);
  }
});
measure("loop with no call (floor)", N_CALL, (n) => {
  for (let i = 0; i < n; i++) out[0] = i;
});

const N_HIT = 1_000_000;
m.enable("bench:exit");
measure("enabled, no filter (pipe + event + stats)", N_HIT, (n) => {
  for (let i = 0; i < n; i++) tp.fire(i & 7, i & 0xff, 1_000 + (i & 0xfff));
});
m.setFilter("bench:exit", "vm_id == 3 || (reason >= 0x80 && duration_ns > 4000)");
measure("enabled + filter, ~1/4 pass", N_HIT, (n) => {
  for (let i = 0; i < n; i++) tp.fire(i & 7, i & 0xff, 1_000 + (i & 0xfff));
});
m.setFilter("bench:exit", "vm_id < 100");
measure("enabled + filter, all pass", N_HIT, (n) => {
  for (let i = 0; i < n; i++) tp.fire(i & 7, i & 0xff, 1_000 + (i & 0xfff));
});
m.setFilter("bench:exit", "vm_id > 100");
measure("enabled + filter, none pass", N_HIT, (n) => {
  for (let i = 0; i < n; i++) tp.fire(i & 7, i & 0xff, 1_000 + (i & 0xfff));
});
m.clearFilter("bench:exit");
let handled = 0;
m.attach("bench:exit", () => handled++);
measure("enabled, one handler, no filter", N_HIT, (n) => {
  for (let i = 0; i < n; i++) tp.fire(i & 7, i & 0xff, 1_000 + (i & 0xfff));
});

// The same hit with a clock that does not read the host timer (ManualPlatform): the difference is
// the cost of `process.hrtime.bigint()`.
const manual = new TracepointManager(new ManualPlatform(), { builtins: false });
const mtp = manual.define({
  system: "bench",
  name: "exit",
  fields: [
    { name: "vm_id", type: "u32" },
    { name: "reason", type: "u32" },
    { name: "duration_ns", type: "u64" },
  ],
});
manual.enable("bench:exit");
measure("enabled, no filter, fixed clock (ManualPlatform)", N_HIT, (n) => {
  for (let i = 0; i < n; i++) mtp.fire(i & 7, i & 0xff, 1_000 + (i & 0xfff));
});

const f = compileFilter("vm_id == 3 || (reason >= 0x80 && duration_ns > 4000)", tp.fields);
const rec = tp.encode(3, 0x90, 5000);
const view = new DataView(rec.buffer);
measure("filter.matches(record) alone", 10_000_000, (n) => {
  for (let i = 0; i < n; i++) if (f.matches(rec, view)) out[3] = i;
});

const base = rows[0]!.ns / rows[0]!.ops;
const pad = Math.max(...rows.map((r) => r.name.length));
console.log(`Node ${process.version}, ${process.arch}, process CPU time, best of 5 runs\n`);
console.log(
  `${"benchmark".padEnd(pad)}  ${"ops".padStart(10)}  ${"ns/op".padStart(7)}  ${"ops/s".padStart(12)}  vs call`,
);
for (const r of rows) {
  const per = r.ns / r.ops;
  console.log(
    `${r.name.padEnd(pad)}  ${String(r.ops).padStart(10)}  ${per.toFixed(2).padStart(7)}  ${Math.round(
      1e9 / per,
    )
      .toLocaleString("en-US")
      .padStart(12)}  ${(per / base).toFixed(2)}x`,
  );
}
if (handled < 0) console.log(out);
