import { AxebpfError } from "@axebpf/platform";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { RUNTIME_ERROR_CODES, RuntimeError } from "../src/index.ts";

test("RuntimeError is an AxebpfError with a stable code", () => {
  const e = new RuntimeError("EBPF_BAD_LENGTH", "example", { offset: 4 });
  assert.ok(AxebpfError.isInstance(e));
  assert.is(e.name, "RuntimeError");
  assert.is(e.code, "EBPF_BAD_LENGTH");
  assert.is(e.offset, 4);
});

test("every code is documented and prefixed EBPF_", () => {
  for (const [code, meaning] of Object.entries(RUNTIME_ERROR_CODES)) {
    assert.match(code, /^EBPF_[A-Z0-9_]+$/);
    assert.ok(meaning.length > 10, code);
  }
});

test.run();
