import { AxebpfError } from "@axebpf/platform";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { RuntimeError } from "../src/index.ts";

test("RuntimeError is an AxebpfError with a stable code", () => {
  const e = new RuntimeError("EBPF_EXAMPLE", "example", { offset: 4 });
  assert.ok(AxebpfError.isInstance(e));
  assert.is(e.name, "RuntimeError");
  assert.is(e.code, "EBPF_EXAMPLE");
  assert.is(e.offset, 4);
});

test.run();
