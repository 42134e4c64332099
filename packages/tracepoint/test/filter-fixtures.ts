// Shared by the filter tests: the public filter API and a schema with every kind of field.

import { ManualPlatform } from "@axebpf/platform/testing";
import { type FieldLayout, TracepointManager } from "../src/index.ts";

export {
  compileFilter,
  formatFilterError,
  MAX_FILTER_DEPTH,
  MAX_FILTER_LENGTH,
  parseFilter,
  printFilter,
  TokenKind,
  tokenize,
} from "../src/index.ts";

/** Fields: sig i32, flags u32, comm char[16], big u64, neg i64 (after the four common fields). */
export function testTracepoint() {
  const m = new TracepointManager(new ManualPlatform(), { builtins: false });
  return m.define({
    system: "test",
    name: "ev",
    fields: [
      { name: "sig", type: "i32" },
      { name: "flags", type: "u32" },
      { name: "comm", type: "char[16]" },
      { name: "big", type: "u64" },
      { name: "neg", type: "i64" },
    ],
  });
}

export function layoutFieldsForTest(): readonly FieldLayout[] {
  return testTracepoint().fields;
}
