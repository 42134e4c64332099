import { AxebpfError } from "@axebpf/platform";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { SimError } from "../src/index.ts";

test("SimError is an AxebpfError with a stable code", () => {
  const e = new SimError("SIM_EXAMPLE", "example", { offset: 4 });
  assert.ok(AxebpfError.isInstance(e));
  assert.is(e.name, "SimError");
  assert.is(e.code, "SIM_EXAMPLE");
  assert.is(e.offset, 4);
});

test.run();
