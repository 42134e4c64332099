/**
 * The test helpers uBPF's conformance plugin registers (ids 0–5, `ubpf_plugin/test_helpers.h`). The vectors
 * `call_unwind_fail` and `callx` call id 5. These ids collide with Linux ids: use this set only for the
 * conformance plugin, never together with the Linux helpers.
 */

import type { HelperDefinition } from "./helper-table.ts";

export const CONFORMANCE_HELPERS: readonly HelperDefinition[] = [
  {
    id: 0,
    name: "gather_bytes",
    fn: (c) =>
      (BigInt(c.argLo(1) & 0xff) << 32n) |
      (BigInt(c.argLo(2) & 0xff) << 24n) |
      (BigInt(c.argLo(3) & 0xff) << 16n) |
      (BigInt(c.argLo(4) & 0xff) << 8n) |
      BigInt(c.argLo(5) & 0xff),
  },
  {
    id: 1,
    name: "memfrob",
    fn: (c) => {
      const len = c.argNumber(2);
      const data = c.memory.read(c.arg(1), len);
      for (let i = 0; i < data.length; i++) data[i] = (data[i] ?? 0) ^ 42;
      c.memory.write(c.arg(1), data);
      return 0;
    },
  },
  { id: 2, name: "no_op", fn: () => 0 },
  {
    id: 3,
    name: "sqrti",
    fn: (c) => Math.floor(Math.sqrt(c.argNumber(1))),
  },
  {
    id: 4,
    name: "strcmp_ext",
    fn: (c) => {
      const a = c.memory.readCString(c.arg(1));
      const b = c.memory.readCString(c.arg(2));
      return a < b ? -1 : a > b ? 1 : 0;
    },
  },
  { id: 5, name: "unwind", fn: (c) => c.arg(1) },
];
