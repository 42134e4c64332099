import { AxebpfError } from "@axebpf/platform";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { SymbolsError } from "../src/index.ts";

test("SymbolsError is an AxebpfError with a stable code", () => {
  const e = new SymbolsError("SYMBOLS_BLOB_TRUNCATED", "example", { offset: 4 });
  assert.ok(AxebpfError.isInstance(e));
  assert.is(e.name, "SymbolsError");
  assert.is(e.code, "SYMBOLS_BLOB_TRUNCATED");
  assert.is(e.offset, 4);
});

test.run();
