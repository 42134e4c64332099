import { ManualPlatform } from "@axebpf/platform/testing";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  formatPrintk,
  HELPER_NAMES,
  HelperId,
  HelperTable,
  linuxHelpers,
  RuntimeError,
  Vm,
} from "../src/index.ts";

/** Assembler lines that store `text` (NUL-terminated, padded to 8) on the stack ending at r10; r1 = its address. */
function stackString(text: string): string {
  const bytes = new TextEncoder().encode(`${text}\0`);
  const padded = new Uint8Array(Math.ceil(bytes.length / 8) * 8);
  padded.set(bytes);
  const dv = new DataView(padded.buffer);
  const lines: string[] = [];
  for (let i = 0; i < padded.length; i += 8) {
    lines.push(
      `lddw %r1, 0x${dv.getBigUint64(i, true).toString(16)}`,
      `stxdw [%r10-${padded.length - i}], %r1`,
    );
  }
  lines.push("mov %r1, %r10", `sub %r1, ${padded.length}`, `mov %r2, ${bytes.length}`);
  return lines.join("\n");
}

function vmWith(lines: string[] = []) {
  const platform = new ManualPlatform({ timeNs: 123_456n, cpuId: 3 });
  return new Vm({
    helpers: new HelperTable(linuxHelpers({ platform, printk: (l) => lines.push(l), seed: 7 })),
  });
}

test("bpf_trace_printk formats like the kernel and returns the length", () => {
  const lines: string[] = [];
  const vm = vmWith(lines);
  const p = vm.load(
    `${stackString("pid %d: %lx %u")}\nmov %r3, -5\nlddw %r4, 0xdeadbeef00\nmov %r5, -1\ncall 6\nexit`,
  );
  const r = p.run();
  assert.equal(lines, ["pid -5: deadbeef00 4294967295"]);
  assert.is(r.r0, BigInt("pid -5: deadbeef00 4294967295".length));
  // A bad conversion or a fourth argument is -EINVAL, as in the kernel.
  assert.is(vm.load(`${stackString("%q")}\ncall 6\nexit`).run().r0, BigInt.asUintN(64, -22n));
  assert.is(
    formatPrintk("%d %d %d %d", [1n, 2n, 3n], () => ""),
    undefined,
  );
  assert.is(
    formatPrintk("%s=%c%%", [0x10n, 0x41n], () => "name"),
    "name=A%",
  );
});

test("time, CPU id and pseudo-random numbers come from the platform and the seed", () => {
  const vm = vmWith();
  assert.is(vm.load("call 5\nexit").run().r0, 123_456n);
  assert.is(vm.load("call 8\nexit").run().r0, 3n);
  const a = vm.load("call 7\nexit").run().r0;
  const b = vmWith().load("call 7\nexit").run().r0;
  assert.is(a, b, "same seed, same sequence");
  assert.ok(a > 0n && a < 1n << 32n);
});

test("probe_read_kernel copies through the region table; a bad source zeroes the destination and returns -EFAULT", () => {
  const vm = vmWith();
  const ok = vm.load(`
    mov %r3, %r1
    mov %r1, %r10
    sub %r1, 8
    mov %r2, 4
    call 113
    ldxw %r0, [%r10-8]
    exit`);
  assert.is(ok.run({ context: new Uint8Array([1, 2, 3, 4]) }).r0, 0x04030201n);
  const fault = vm.load(`
    stdw [%r10-8], -1
    mov %r1, %r10
    sub %r1, 8
    mov %r2, 8
    mov %r3, 64
    call 113
    ldxdw %r6, [%r10-8]
    add %r0, %r6
    exit`);
  assert.is(fault.run().r0, BigInt.asUintN(64, -14n));
  const str = vm.load(`
    mov %r3, %r1
    mov %r1, %r10
    sub %r1, 16
    mov %r2, 16
    call 115
    exit`);
  assert.is(str.run({ context: new TextEncoder().encode("abc\0zzz") }).r0, 4n);
});

test("strncmp compares at most n bytes", () => {
  const vm = vmWith();
  const ctx = new TextEncoder().encode("abcd\0abce\0");
  const p = (n: number) =>
    vm.load(`mov %r3, %r1\nadd %r3, 5\nmov %r2, ${n}\ncall 182\nexit`).run({ context: ctx.slice() }).r0;
  assert.is(p(3), 0n);
  assert.is(p(4), BigInt.asUintN(64, -1n));
});

test("the helper id table is Linux's numbering (spot checks from libbpf's bpf_helper_defs.h)", () => {
  const expected: Record<string, number> = {
    map_lookup_elem: 1,
    ktime_get_ns: 5,
    trace_printk: 6,
    tail_call: 12,
    get_current_pid_tgid: 14,
    perf_event_output: 25,
    xdp_adjust_head: 44,
    redirect_map: 51,
    probe_read_kernel: 113,
    ringbuf_output: 130,
    ringbuf_reserve: 131,
    for_each_map_elem: 164,
    loop: 181,
    kptr_xchg: 194,
    user_ringbuf_drain: 209,
  };
  for (const [name, id] of Object.entries(expected)) {
    assert.is(HelperId[name as keyof typeof HelperId], id, name);
    assert.is(HELPER_NAMES[id], name);
  }
  assert.is(HELPER_NAMES.length, 210);
});

test("a call to a helper the Vm lacks is refused at load, naming the Linux helper", () => {
  try {
    new Vm().load("call 1\nexit");
    assert.unreachable();
  } catch (e) {
    assert.ok(e instanceof RuntimeError);
    assert.match(e.message, /helper 1 \(Linux map_lookup_elem\)/);
  }
});

test.run();
