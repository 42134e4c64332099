import { test } from "uvu";
import * as assert from "uvu/assert";
import { AxebpfError, createLogger, HostPlatform, PlatformError } from "../src/index.ts";
import { DEFAULT_MANUAL_TIME_NS, ManualPlatform } from "../src/testing/index.ts";

test("manual platform: clock starts at 1 s, set and advance like the original mocks", () => {
  const p = new ManualPlatform();
  assert.is(p.timeNs(), DEFAULT_MANUAL_TIME_NS);
  p.setTime(5000n);
  assert.is(p.timeNs(), 5000n);
  p.advance(1000n);
  assert.is(p.timeNs(), 6000n);
});

test("manual platform: advance wraps at 2^64", () => {
  const p = new ManualPlatform({ timeNs: (1n << 64n) - 10n });
  p.advance(15n);
  assert.is(p.timeNs(), 5n);
});

test("manual platform: cpu id and execution context", () => {
  const p = new ManualPlatform();
  assert.is(p.cpuId(), 0);
  p.setCpuId(3);
  assert.is(p.cpuId(), 3);
  p.setCpuId(7);
  assert.is(p.cpuId(), 7);
  assert.equal(p.context(), { vmId: 0, vcpuId: 0, exitReason: 0n });
  p.setContext({ vmId: 2, vcpuId: 1 });
  p.setContext({ exitReason: 0x12n });
  assert.equal(p.context(), { vmId: 2, vcpuId: 1, exitReason: 0x12n });
});

test("manual platform: out-of-range values are typed errors", () => {
  const p = new ManualPlatform();
  for (const bad of [
    () => p.setCpuId(-1),
    () => p.setCpuId(1.5),
    () => p.setCpuId(2 ** 32),
    () => p.setTime(-1n),
    () => p.setTime(1n << 64n),
    () => p.setContext({ vmId: -3 }),
    () => p.setContext({ exitReason: 1n << 64n }),
  ]) {
    try {
      bad();
      assert.unreachable("should throw");
    } catch (e) {
      assert.ok(PlatformError.isInstance(e));
      assert.is((e as PlatformError).code, "PLATFORM_INVALID_ARGUMENT");
    }
  }
});

test("manual platform: logger captures lines at or above its level with the time", () => {
  const p = new ManualPlatform({ logLevel: "info" });
  p.logger.log("debug", "hidden");
  p.logger.log("info", "shown");
  p.advance(5n);
  p.logger.log("error", "bad");
  assert.equal(p.messages(), ["shown", "bad"]);
  assert.equal(p.messages("warn"), ["bad"]);
  assert.is(p.lines[1]!.timeNs, DEFAULT_MANUAL_TIME_NS + 5n);
  assert.ok(p.logger.enabled("warn"));
  assert.not.ok(p.logger.enabled("debug"));
});

test("host platform: monotonic nanosecond clock", async () => {
  const p = new HostPlatform();
  const a = p.timeNs();
  await new Promise((r) => setTimeout(r, 5));
  const b = p.timeNs();
  assert.is(typeof a, "bigint");
  assert.ok(b - a >= 4_000_000n, `expected >= 4 ms, got ${b - a} ns`);
});

test("host platform: cpu id option and guest context", () => {
  const p = new HostPlatform({ cpuId: 2 });
  assert.is(p.cpuId(), 2);
  assert.equal(p.context(), { vmId: 0, vcpuId: 0, exitReason: 0n });
  p.enterGuest(1, 3);
  p.exitGuest(7n);
  assert.equal(p.context(), { vmId: 1, vcpuId: 3, exitReason: 7n });
  assert.throws(
    () => new HostPlatform({ cpuId: -1 }),
    (e: unknown) => PlatformError.isInstance(e),
  );
});

test("createLogger: levelled lines through a writer", () => {
  const out: string[] = [];
  const log = createLogger({ level: "debug", target: "vmm", write: (l) => out.push(l) });
  log.log("trace", "no");
  log.log("debug", "yes");
  log.log("warn", "careful");
  assert.equal(out, ["DEBUG [vmm] yes", "WARN  [vmm] careful"]);
  const off = createLogger({ level: "off", write: (l) => out.push(l) });
  off.log("error", "dropped");
  assert.is(out.length, 2);
});

test("errors: code, location, cause and cross-realm isInstance", () => {
  const cause = new Error("inner");
  const e = new PlatformError("PLATFORM_MEMORY_FAULT", "boom", { address: 0x10n, cause });
  assert.is(e.name, "PlatformError");
  assert.is(e.code, "PLATFORM_MEMORY_FAULT");
  assert.is(e.address, 0x10n);
  assert.is(e.cause, cause);
  assert.ok(e instanceof AxebpfError && e instanceof Error);
  assert.ok(AxebpfError.isInstance(e));
  // An error from another copy of the package carries the same Symbol.for marker.
  const foreign = Object.assign(new Error("x"), { [Symbol.for("@axebpf/error")]: true, code: "X" });
  assert.ok(AxebpfError.isInstance(foreign));
  assert.not.ok(AxebpfError.isInstance(new Error("plain")));
  assert.not.ok(AxebpfError.isInstance(null));
});

test.run();
