// System registers: one table (`SYSREGS`: encoding, objdump name, reset value, access EL, RES0/RES1 masks,
// trap group, effect) and per-CPU storage (`SysregFile`, Uint32Array halves indexed by table index).
//
// How the core uses it for `MRS Xt, <reg>` / `MSR <reg>, Xt`:
//   const i = sysregIndexOfWord(word);              // -1 → UNDEFINED (EC 0x00)
//   switch (file.check(i, el, isWrite, el2Enabled)) // UNDEFINED / TRAP_EL2 (esrSysregTrap from ../exception)
//   SYSREGS[i].effect: CORE → the value lives in Cpu/PSTATE (NZCV, DAIF, SP_ELx, ...); TIMER → ask the timer
//     device; IRQ → ISR_EL1 from the GIC lines; MMU → after the write, drop cached translation regime state.
//   Otherwise `lo = file.read(i); hi = file.hi` or `file.write(i, lo, hi)` (masks applied, OSLAR → OSLSR).
// The decode of the instruction word (and objdump-style names for a disassembler) can use `SYSREGS[i].name`.
export { SysregAccess, SysregFile, type SysregFileOptions, sysregIndex, sysregIndexOfWord } from "./file.ts";
export {
  Access,
  Effect,
  SYSREGS,
  type SysregDef,
  SysregId,
  sysregKey,
  TrapGroup,
} from "./table.ts";
