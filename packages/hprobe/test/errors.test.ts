import { AxebpfError } from "@axebpf/platform";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { HprobeError } from "../src/index.ts";

test("HprobeError is an AxebpfError with a stable code", () => {
  const e = new HprobeError("HPROBE_EXAMPLE", "example", { offset: 4 });
  assert.ok(AxebpfError.isInstance(e));
  assert.is(e.name, "HprobeError");
  assert.is(e.code, "HPROBE_EXAMPLE");
  assert.is(e.offset, 4);
});

test.run();
