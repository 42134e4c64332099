// The `virt` machine: EL0-EL2 over the core, MMU-translating bus, devices, exceptions, ELF loading.

export { BOOT_USAGE, type BootIo, bootMain } from "./boot-cli.ts";
export { type MachineImage, type MachineSegment, parseMachineElf } from "./elf-load.ts";
export type { ExceptionHook, ExceptionInfo } from "./exceptions.ts";
export { Machine, type MachineOptions, type RunOptions, type RunResult, RunStop } from "./machine.ts";
export { RAM_BASE } from "./phys.ts";
export { MachinePlatform, type MachinePlatformOptions } from "./platform.ts";
