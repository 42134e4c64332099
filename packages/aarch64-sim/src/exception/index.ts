// Exception tables and pure helpers: ESR classes and syndromes, fault status codes, vector offsets,
// preferred return addresses, SPSR packing, debug routing and the software-step state machine.
//
// How the core uses it (exception entry is the core's code, not this module's):
//   1. Decide the target EL: `routeSync(source, fromEl, HCR_EL2.TGE, debugTargetEl(...))`.
//   2. ESR_<target> = one `esr*` builder (`esrBrk(imm)`, `esrDataAbort(lower, fsc(FaultKind.PERMISSION, 3),
//      AbortFlag.WNR, dataAbortAccess(...))`, ...); FAR / HPFAR (`hpfarLo/Hi`) for aborts.
//   3. ELR_<target> = address of the instruction + `returnOffset(ec)` (software step: the next
//      instruction to be stepped).
//   4. SPSR_<target> = `packSpsr(nzcv, daif, ss, il, el, spSel)`; then PSTATE.DAIF = 0xF, SS = 0, IL = 0,
//      M = `mode(target, 1)`.
//   5. PC = VBAR_<target> + `vectorOffset(fromEl, spSel, target, VectorKind.SYNC)`.
// Everything takes and returns 32-bit numbers; nothing allocates.
export {
  brkTargetEl,
  debugExceptionsEnabled,
  debugTargetEl,
  Mdcr,
  Mdscr,
  OSLSR_RESET,
  StepState,
  stepState,
} from "./debug.ts";
export { ExceptionClass, exceptionClassName, ReturnAddress, returnOffset } from "./ec.ts";
export { hpfarHi, hpfarLo } from "./fault-address.ts";
export { FaultKind, FaultStatus, fsc, fscKind, fscLevel } from "./fsc.ts";
export { Mode, mode, packSpsr, Spsr, spsrEl, spsrSpSel } from "./pstate.ts";
export { RouteSource, routeSync } from "./routing.ts";
export {
  AbortFlag,
  DataAbortIss,
  dataAbortAccess,
  ESR_IL,
  esr,
  esrBrk,
  esrCall,
  esrClass,
  esrDataAbort,
  esrIllegalState,
  esrInstructionAbort,
  esrIss,
  esrPcAlignment,
  esrSoftwareStep,
  esrSpAlignment,
  esrSysregTrap,
  esrUnknown,
  esrWfx,
  ISS_MASK,
  StepIss,
} from "./syndrome.ts";
export { VectorGroup, VectorKind, vectorOffset } from "./vectors.ts";
