// The `virt` machine: one CPU with EL0-EL2 over the core, an MMU-translating bus, QEMU virt's devices,
// every core stop turned into the architectural exception, ELF loading as `-kernel` does.
//
//   const m = new Machine({ output: (b) => process.stdout.write(b), startEl: 2 });
//   m.loadElf(bytes);                       // segments by p_paddr, PC = entry, m.symbols
//   m.onException(0x3c, 2, (info) => ...);  // observe / emulate / break on BRK taken to EL2
//   const r = m.run({ maxSteps: 1e7 });     // r.stop: "exit" | "steps" | "halt" | "break"
//   m.getX(0); m.getSysreg("esr_el2"); m.readVirt(va, 16, 1); m.readPhys(pa, 16);
//   new MachinePlatform(m)                  // Platform: simulated time, CPU 0, settable VM context
//   m.log = (line) => ...                   // exception log in QEMU's `-d int` format
// PCs are the core's numbers: the 64-bit address read as signed, so low-half and TTBR1 top-half code are
// exact (within 2^53 of zero); `Machine.pc` converts at the boundary.

export { type MachineImage, type MachineSegment, parseMachineElf } from "../elf.ts";
export { BOOT_USAGE, type BootIo, bootMain } from "./boot-cli.ts";
export type { ExceptionHook, ExceptionInfo } from "./exceptions.ts";
export {
  Machine,
  type MachineOptions,
  type MachineRunOptions,
  type MachineRunResult,
  RunStop,
} from "./machine.ts";
export { RAM_BASE } from "./phys.ts";
export { MachinePlatform, type MachinePlatformOptions } from "./platform.ts";
