// The smallest honest tour of what axebpf can do today: the platform layer every other package
// stands on. Later issues turn this into the guest-tracing demo.
import { describeFault, HostPlatform, RegionMemory, readCString, readUint } from "@axebpf/platform";
import { ManualPlatform } from "@axebpf/platform/testing";

const host = new HostPlatform();
const t0 = host.timeNs();
host.enterGuest(1, 0);
host.exitGuest(0x16n); // a VMM-defined exit code, e.g. "HVC"
console.log(`host platform: cpu ${host.cpuId()}, context`, host.context());

// Memory the way helpers and probes see it: regions with permissions, faults as values.
const ram = new Uint8Array(64);
new TextEncoder().encodeInto("guest says hi", ram);
ram.set([0xef, 0xbe, 0xad, 0xde], 32);
const mem = new RegionMemory([
  { base: 0x4000_0000n, bytes: ram, name: "guest-ram" },
  { base: 0x0900_0000n, bytes: new Uint8Array(0x1000), readOnly: true, name: "uart-window" },
]);
console.log("memory map:", mem.describe().join("; "));
const s = readCString(mem, 0x4000_0000n, 32);
console.log("string at 0x40000000:", s.ok ? JSON.stringify(s.value) : describeFault(s.fault));
const word = readUint(mem, 0x4000_0020n, 4);
console.log("u32 at 0x40000020:", word.ok ? `0x${word.value.toString(16)}` : describeFault(word.fault));
const fault = mem.read(0x4000_003en, 4);
console.log("read across the end of guest-ram:", fault.ok ? "no fault?!" : describeFault(fault.fault));
const denied = mem.write(0x0900_0000n, Uint8Array.of(0x41));
console.log("write to read-only window:", denied ? describeFault(denied) : "no fault?!");

// Tests drive time by hand and read back what was logged.
const manual = new ManualPlatform();
manual.logger.log("info", "vm 1 booted");
manual.advance(2_500n).logger.log("warn", "vcpu 0 took a stage-2 fault");
for (const l of manual.lines) console.log(`[${l.timeNs} ns] ${l.level}: ${l.message}`);
console.log(`done in ${(host.timeNs() - t0) / 1000n} µs`);
