import { test } from "uvu";
import * as assert from "uvu/assert";
import { BPF_ADDRESS_BASE, FRAME_SIZE, ProgramMemory, RegionFlag, RuntimeError } from "../src/index.ts";

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof RuntimeError, String(e));
    return e.code;
  }
  return "none";
}

test("layout: region 0 is the stack, BPF address = 0x1_0000_0000 + wasm address, frames of 512 bytes", () => {
  const m = new ProgramMemory();
  const stack = m.region(0);
  assert.is(stack.kind, "STACK");
  assert.is(stack.length, 8 * FRAME_SIZE);
  assert.is(stack.address, BPF_ADDRESS_BASE + BigInt(stack.wasmAddress));
  assert.is(ProgramMemory.frameTop(0), stack.address + BigInt(stack.length));
  assert.is(ProgramMemory.frameTop(1), ProgramMemory.frameTop(0) - 512n);
});

test("read and write go through the region table and its permissions", () => {
  const m = new ProgramMemory();
  const rw = m.map(new Uint8Array([1, 2, 3, 4]), RegionFlag.READ | RegionFlag.WRITE, "MAP_VALUE");
  const ro = m.map(new Uint8Array([9]), RegionFlag.READ, "READ_ONLY_DATA");
  m.write(rw.address + 1n, new Uint8Array([7, 7]));
  assert.equal([...m.read(rw.address, 4)], [1, 7, 7, 4]);
  assert.is(
    code(() => m.read(rw.address + 2n, 4)),
    "EBPF_MEMORY_FAULT",
  );
  assert.is(
    code(() => m.write(ro.address, new Uint8Array([1]))),
    "EBPF_MEMORY_FAULT",
  );
  assert.is(
    code(() => m.read(0n, 1)),
    "EBPF_MEMORY_FAULT",
  );
  assert.is(
    code(() => m.read(-1n, 1)),
    "EBPF_MEMORY_FAULT",
  );
  assert.is(m.read(0n, 0).length, 0, "zero-length reads need no region");
  // The region table itself is never reachable.
  assert.is(
    code(() => m.read(BPF_ADDRESS_BASE, 8)),
    "EBPF_MEMORY_FAULT",
  );
  assert.is(m.readCString(m.map(new TextEncoder().encode("hi\0x"), RegionFlag.READ, "USER").address), "hi");
});

test("setRegion retargets an entry; bad indexes and sizes are typed errors", () => {
  const m = new ProgramMemory();
  const at = m.allocate(16);
  const k = m.addRegion(at, 8, RegionFlag.READ, "PACKET");
  assert.is(m.region(k).kind, "PACKET");
  const before = m.epoch;
  m.setRegion(k, at, 16, RegionFlag.READ | RegionFlag.WRITE);
  assert.ok(m.epoch > before, "table edits bump the epoch engines watch");
  assert.is(m.region(k).length, 16);
  assert.is(m.region(k).writable, true);
  assert.is(
    code(() => m.region(99)),
    "EBPF_BAD_ARGUMENT",
  );
  assert.is(
    code(() => m.setRegion(-1, 0, 0, 0)),
    "EBPF_BAD_ARGUMENT",
  );
  assert.is(
    code(() => m.allocate(-5)),
    "EBPF_BAD_ARGUMENT",
  );
  // No region may cover the region table or run past the memory.
  assert.is(
    code(() => m.addRegion(0, 8, RegionFlag.READ | RegionFlag.WRITE, "USER")),
    "EBPF_BAD_ARGUMENT",
  );
  assert.is(
    code(() => m.setRegion(k, at, 1 << 30, RegionFlag.READ)),
    "EBPF_BAD_ARGUMENT",
  );
  assert.is(
    code(() => m.allocate(1.5)),
    "EBPF_BAD_ARGUMENT",
  );
});

test("the memory grows on demand up to its maximum, then EBPF_OUT_OF_MEMORY", () => {
  const m = new ProgramMemory({ initialPages: 1, maximumPages: 4 });
  const a = m.allocate(100_000);
  assert.ok(m.u8.length >= a + 100_000);
  assert.is(
    code(() => m.allocate(300_000)),
    "EBPF_OUT_OF_MEMORY",
  );
});

test("the region table holds 1024 entries, then EBPF_OUT_OF_MEMORY", () => {
  const m = new ProgramMemory();
  for (let i = m.regions; i < 1024; i++) m.addRegion(0x9000, 0, 0, "USER");
  assert.is(
    code(() => m.addRegion(0x9000, 0, 0, "USER")),
    "EBPF_OUT_OF_MEMORY",
  );
});

test.run();
