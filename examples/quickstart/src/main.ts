// The stack composed end to end, on what the packages hold today: a gcc-compiled AArch64 program runs in the
// simulator; every line it writes is hashed by a JIT-compiled eBPF program and fires a tracepoint; a filter
// gates it; a handler sees what passed; symbols from the ELF name where the program was.
// (A later issue turns this into the guest-kernel tracing demo.)
import { readFileSync } from "node:fs";
import { runElf } from "@axebpf/aarch64-sim";
import { HostPlatform } from "@axebpf/platform";
import { Vm } from "@axebpf/runtime";
import { elfSymbolTable } from "@axebpf/symbols";
import { TracepointManager } from "@axebpf/tracepoint";

const elfPath = new URL("../../../packages/aarch64-sim/oracle/programs/golden/hash.O2.elf", import.meta.url);
const elf = new Uint8Array(readFileSync(elfPath));

// 1. Symbols straight from the ELF's .symtab.
const symbols = elfSymbolTable(elf);
const funcs = [...symbols].filter((s) => s.type === "T" || s.type === "t").map((s) => s.name);
console.log(`symbols: ${symbols.length} in hash.O2.elf, functions: ${funcs.slice(0, 6).join(", ")}, ...`);

// 2. A tracepoint for the guest's writes, with a filter.
const platform = new HostPlatform();
const tracing = new TracepointManager(platform, { builtins: false });
const writeTp = tracing.define({
  system: "guest",
  name: "write",
  fields: [
    { name: "line", type: "u32" },
    { name: "len", type: "u32" },
    { name: "fnv_lo", type: "u32" },
  ],
  printk: "line={} len={} fnv1a32={:#x}",
});
tracing.enable("guest:write");
tracing.setFilter("guest:write", "len > 30");

// 3. An eBPF program (FNV-1a over its context), verified once and JIT-compiled to WebAssembly.
const fnv = new Vm({ engine: "jit" }).load(`
  mov32 %r0, 0x811c9dc5
  jeq %r2, 0, +6
  ldxb %r3, [%r1]
  xor32 %r0, %r3
  mul32 %r0, 0x01000193
  add %r1, 1
  sub %r2, 1
  ja -7
  exit`);
let passed = 0;
tracing.attach("guest:write", (_record, args) => {
  passed++;
  console.log(`  handler: line ${args[0]} (${args[1]} bytes) passed the filter`);
});

// The same hash in plain JavaScript, to check the eBPF program's answers.
const fnvJs = (b: Uint8Array) => b.reduce((h, x) => Math.imul(h ^ x, 0x01000193) >>> 0, 0x811c9dc5);
let mismatches = 0;

// 4. Run the program; each line it writes goes through the eBPF program, then the tracepoint.
let lines = 0;
const t0 = process.hrtime.bigint();
const result = runElf(elf, {
  stdout: (bytes) => {
    for (let start = 0; start < bytes.length; ) {
      const nl = bytes.indexOf(10, start);
      const line = bytes.subarray(start, nl < 0 ? bytes.length : nl);
      start = nl < 0 ? bytes.length : nl + 1;
      const h = Number(fnv.run({ context: line }).r0) >>> 0;
      if (h !== fnvJs(line)) mismatches++;
      writeTp.fire(++lines, line.length, h);
    }
  },
});
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
const where = symbols.lookup(result.pc);
console.log(
  `guest exited with ${result.exitCode} after ${result.instructions.toLocaleString()} instructions ` +
    `(${(result.instructions / ms / 1000).toFixed(1)} MIPS), last pc in ${where?.name}+0x${where?.offset.toString(16)}`,
);
console.log(`eBPF (JIT) hashes checked against JavaScript: ${mismatches} mismatches`);
console.log(`trace pipe (${passed} of ${lines} lines passed the filter "len > 30"):`);
for (const line of tracing.pipe.read()) console.log(line);
