export { Cpu, Slot, StopReason } from "./cpu.ts";
export { decode, GROUPS, type GroupName, groupOf } from "./decode/index.ts";
export type { Exec, Insn, Row } from "./decode/types.ts";
export { type DisassembleOptions, disassemble, encodingName, symbolTargets } from "./disasm.ts";
export { ElfConst, type ElfImage, type ElfSegment, parseElf } from "./elf.ts";
export { SimError, type SimErrorCode } from "./errors.ts";
export {
  BOOT_USAGE,
  type BootIo,
  bootMain,
  type ExceptionHook,
  type ExceptionInfo,
  Machine,
  type MachineImage,
  type MachineOptions,
  MachinePlatform,
  type MachinePlatformOptions,
  type MachineRunOptions,
  type MachineRunResult,
  type MachineSegment,
  parseMachineElf,
  RAM_BASE,
  RunStop,
} from "./machine/index.ts";
export { type Bus, BusFault, FaultKind, FlatMemory, Perm, type Region } from "./memory.ts";
export { type ProcessOptions, type RunResult, runElf, Syscall, signalFor, UserProcess } from "./runner.ts";
export {
  SYSREG_NAMES,
  type SysregPort,
  sysregKey,
  sysregName,
  USER_SYSREG_VALUES,
  UserSysregs,
} from "./sysregs.ts";
