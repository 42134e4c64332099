import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  describeFault,
  PlatformError,
  RegionMemory,
  readCString,
  readUint,
  unwrapRead,
} from "../src/index.ts";

function mem() {
  const ram = new Uint8Array(16).map((_, i) => i);
  const rom = new TextEncoder().encode("hello\0world");
  return {
    ram,
    m: new RegionMemory([
      { base: 0x1000n, bytes: ram, name: "ram" },
      { base: 0x2000n, bytes: rom, readOnly: true, name: "rom" },
    ]),
  };
}

test("reads copy bytes out of a region", () => {
  const { m, ram } = mem();
  const r = m.read(0x1004n, 4);
  assert.ok(r.ok);
  if (r.ok) {
    assert.equal([...r.bytes], [4, 5, 6, 7]);
    r.bytes[0] = 99;
  }
  assert.is(ram[4], 4, "the result is a copy");
});

test("writes alias the backing array", () => {
  const { m, ram } = mem();
  assert.is(m.write(0x100en, Uint8Array.of(0xaa, 0xbb)), undefined);
  assert.is(ram[14], 0xaa);
  assert.is(ram[15], 0xbb);
});

test("faults are values: unmapped, straddling, read-only, invalid", () => {
  const { m } = mem();
  const r1 = m.read(0x0n, 1);
  assert.equal(r1, { ok: false, fault: { kind: "unmapped", access: "read", address: 0n, size: 1 } });
  const r2 = m.read(0x100en, 4); // runs off the end of ram
  assert.ok(!r2.ok && r2.fault.kind === "unmapped");
  assert.equal(m.write(0x2000n, Uint8Array.of(1)), {
    kind: "permission",
    access: "write",
    address: 0x2000n,
    size: 1,
  });
  const r3 = m.read(0x1000n, -1);
  assert.ok(!r3.ok && r3.fault.kind === "invalid");
  const r4 = m.read((1n << 64n) - 2n, 4);
  assert.ok(!r4.ok && r4.fault.kind === "invalid");
  const r5 = m.read(-5n, 1);
  assert.ok(!r5.ok && r5.fault.kind === "invalid");
  assert.is(
    describeFault({ kind: "unmapped", access: "read", address: 0xdead0000n, size: 8 }),
    "read of 8 bytes at 0xdead0000: unmapped",
  );
});

test("zero-length access inside a region succeeds, in a hole faults", () => {
  const { m } = mem();
  const r = m.read(0x1000n, 0);
  assert.ok(r.ok && r.bytes.length === 0);
  assert.not.ok(m.read(0x5000n, 0).ok);
});

test("map rejects overlaps; unmap removes", () => {
  const { m } = mem();
  assert.throws(
    () => m.map({ base: 0x100fn, bytes: new Uint8Array(4) }),
    (e: unknown) => PlatformError.isInstance(e) && e.code === "PLATFORM_INVALID_ARGUMENT",
  );
  assert.throws(() => m.map({ base: (1n << 64n) - 2n, bytes: new Uint8Array(4) }));
  assert.equal(m.describe(), ["ram: 0x1000-0x100f rw", "rom: 0x2000-0x200a r-"]);
  assert.ok(m.unmap(0x1000n));
  assert.not.ok(m.unmap(0x1000n));
  assert.not.ok(m.read(0x1000n, 1).ok);
});

test("readUint reads little-endian, readCString stops at NUL or limit", () => {
  const { m } = mem();
  assert.equal(readUint(m, 0x1000n, 8), { ok: true, value: 0x0706050403020100n });
  assert.equal(readUint(m, 0x1001n, 2), { ok: true, value: 0x0201n });
  assert.equal(readCString(m, 0x2000n, 64), { ok: true, value: "hello", truncated: false });
  assert.equal(readCString(m, 0x2006n, 3), { ok: true, value: "wor", truncated: true });
  const fault = readCString(m, 0x2006n, 64); // "world" runs off the region before a NUL
  assert.ok(!fault.ok && fault.fault.address === 0x200bn);
});

test("unwrapRead throws a typed fault with the address", () => {
  const { m } = mem();
  assert.equal([...unwrapRead(m.read(0x1000n, 2))], [0, 1]);
  try {
    unwrapRead(m.read(0x9000n, 2));
    assert.unreachable();
  } catch (e) {
    assert.ok(PlatformError.isInstance(e));
    assert.is((e as PlatformError).code, "PLATFORM_MEMORY_FAULT");
    assert.is((e as PlatformError).address, 0x9000n);
  }
});

test.run();
