import { AxebpfError } from "@axebpf/platform";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { GuestKprobeError } from "../src/index.ts";

test("GuestKprobeError is an AxebpfError with a stable code", () => {
  const e = new GuestKprobeError("GKPROBE_EXAMPLE", "example", { offset: 4 });
  assert.ok(AxebpfError.isInstance(e));
  assert.is(e.name, "GuestKprobeError");
  assert.is(e.code, "GKPROBE_EXAMPLE");
  assert.is(e.offset, 4);
});

test.run();
