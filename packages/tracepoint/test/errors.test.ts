import { AxebpfError } from "@axebpf/platform";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { TracepointError } from "../src/index.ts";

test("TracepointError is an AxebpfError with a stable code", () => {
  const e = new TracepointError("TRACEPOINT_EXAMPLE", "example", { offset: 4 });
  assert.ok(AxebpfError.isInstance(e));
  assert.is(e.name, "TracepointError");
  assert.is(e.code, "TRACEPOINT_EXAMPLE");
  assert.is(e.offset, 4);
});

test.run();
