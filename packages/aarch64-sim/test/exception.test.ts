import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  AbortFlag,
  brkTargetEl,
  dataAbortAccess,
  debugExceptionsEnabled,
  debugTargetEl,
  ExceptionClass,
  esr,
  esrBrk,
  esrCall,
  esrClass,
  esrDataAbort,
  esrInstructionAbort,
  esrIss,
  esrPcAlignment,
  esrSoftwareStep,
  esrSysregTrap,
  esrUnknown,
  esrWfx,
  exceptionClassName,
  FaultKind,
  FaultStatus,
  fsc,
  fscKind,
  fscLevel,
  hpfarHi,
  hpfarLo,
  Mode,
  mode,
  packSpsr,
  RouteSource,
  returnOffset,
  routeSync,
  StepState,
  spsrEl,
  spsrSpSel,
  stepState,
  VectorKind,
  vectorOffset,
} from "../src/exception/index.ts";

test("EC table: values are unique 6-bit numbers matching Linux esr.h", () => {
  const values = Object.values(ExceptionClass);
  assert.is(new Set(values).size, values.length);
  for (const v of values) assert.ok(v >= 0 && v < 64);
  assert.is(ExceptionClass.BRK64, 0x3c);
  assert.is(ExceptionClass.SOFTSTP_LOW, 0x32);
  assert.is(ExceptionClass.DABT_LOW, 0x24);
  assert.is(exceptionClassName(0x16), "HVC64");
  assert.is(exceptionClassName(0x3b), undefined);
});

test("syndromes quoted in aarch64-notes §3.2", () => {
  assert.is(esrBrk(4), 0xf2000004);
  assert.is(esrBrk(0x1_0004), 0xf2000004, "imm16 is masked");
  assert.is(esrCall(ExceptionClass.HVC64, 0x55), 0x5a000055);
  assert.is(esrCall(ExceptionClass.SVC64, 9), 0x56000009);
  assert.is(esrCall(ExceptionClass.SMC64, 0), 0x5e000000);
  assert.is(esrWfx(false), 0x07e00000);
  assert.is(esrWfx(true), 0x07e00001);
  assert.is(esrUnknown(), 0x02000000);
  assert.is(esrInstructionAbort(true, fsc(FaultKind.PERMISSION, 3), 0), 0x8200000f);
  assert.is(
    esrInstructionAbort(false, fsc(FaultKind.PERMISSION, 3), AbortFlag.WNR),
    0x8600000f,
    "WnR dropped",
  );
  assert.is(esrDataAbort(true, 0x0f, AbortFlag.WNR, dataAbortAccess(3, false, 2, true, false)), 0x93c2804f);
  assert.is(esrDataAbort(true, 0x05, 0, dataAbortAccess(3, false, 1, true, false)), 0x93c18005);
  assert.is(esrSoftwareStep(true, true, false), 0xcb000022);
  assert.is(esrSoftwareStep(false, true, false), 0xcf000022);
  assert.is(esrSoftwareStep(true, true, true), 0xcb000062);
  assert.is(esrSoftwareStep(true, false, true), 0xca000022, "EX only with ISV");
  assert.is(esrSysregTrap(3, 0, 1, 0, 0, 0, false), 0x62300400);
  assert.is(esrSysregTrap(3, 0, 0, 7, 1, 1, true), 0x6232002f);
  assert.is(esrPcAlignment(), 0x8a000000);
  assert.is(esrClass(0x93c2804f), 0x24);
  assert.is(esrIss(0x93c2804f), 0x1c2804f);
  assert.is(esr(0x15, 0x3ffffff), 0x57ffffff, "ISS masked to 25 bits");
  assert.is(esr(0x3f, 0xffffffff), 0xffffffff, "result is unsigned");
});

test("fault status codes carry the level", () => {
  assert.is(fsc(FaultKind.TRANSLATION, 1), 0x05);
  assert.is(fsc(FaultKind.ACCESS_FLAG, 3), 0x0b);
  assert.is(fsc(FaultKind.PERMISSION, 2), 0x0e);
  assert.is(fsc(FaultKind.ADDRESS_SIZE, 0), 0x00);
  assert.is(fscKind(0x0e), FaultKind.PERMISSION);
  assert.is(fscLevel(0x0e), 2);
  assert.is(fscKind(FaultStatus.ALIGNMENT), -1);
  assert.is(fscLevel(FaultStatus.DEBUG), -1);
});

test("vector offsets: current EL SP0/SPx, lower EL AArch64", () => {
  assert.is(vectorOffset(2, 1, 2, VectorKind.SYNC), 0x200);
  assert.is(vectorOffset(2, 0, 2, VectorKind.SYNC), 0x000);
  assert.is(vectorOffset(1, 1, 2, VectorKind.SYNC), 0x400);
  assert.is(vectorOffset(0, 0, 1, VectorKind.IRQ), 0x480);
  assert.is(vectorOffset(1, 1, 1, VectorKind.FIQ), 0x300);
  assert.is(vectorOffset(1, 0, 1, VectorKind.SERROR), 0x180);
});

test("preferred return offsets: next instruction only for SVC/HVC/SMC", () => {
  for (const ec of Object.values(ExceptionClass)) {
    const next = ec === 0x15 || ec === 0x16 || ec === 0x17;
    assert.is(returnOffset(ec), next ? 4 : 0, exceptionClassName(ec));
  }
});

test("SPSR packing", () => {
  assert.is(packSpsr(0b0110, 0xf, 0, 0, 2, 1), 0x600003c9);
  assert.is(packSpsr(0b0110, 0xf, 0, 0, 1, 1), 0x600003c5);
  assert.is(packSpsr(0, 0b0111, 0, 0, 2, 1), 0x1c9, "D clear, A/I/F set");
  assert.is(packSpsr(0b1000, 0, 1, 1, 0, 0), 0x80300000);
  assert.is(mode(1, 0), Mode.EL1t);
  assert.is(mode(2, 1), Mode.EL2h);
  assert.is(spsrEl(0x600003c5), 1);
  assert.is(spsrSpSel(0x600003c5), 1);
  assert.is(spsrEl(0), 0);
});

test("HPFAR from an IPA", () => {
  assert.is(hpfarLo(0x40084000, 0), 0x400840);
  assert.is(hpfarLo(0xc0000010 | 0, 0), 0xc00000);
  assert.is(hpfarLo(0x12345fff, 0xabcdef), 0xef123450);
  assert.is(hpfarHi(0xabcdef), 0xbcd);
});

test("debug routing and enabling (aarch64-notes §3.4)", () => {
  assert.is(debugTargetEl(true, false, true), 2);
  assert.is(debugTargetEl(true, true, false), 2);
  assert.is(debugTargetEl(true, false, false), 1);
  assert.is(debugTargetEl(false, true, true), 1);
  assert.is(brkTargetEl(1, 2), 2);
  assert.is(brkTargetEl(1, 1), 1);
  assert.is(brkTargetEl(2, 1), 2, "BRK at EL2 stays at EL2");
  assert.is(brkTargetEl(0, 1), 1);
  // guest EL1 stepped by EL2: regardless of KDE and PSTATE.D
  assert.ok(debugExceptionsEnabled(1, 2, false, false, false, true));
  // EL2 stepping itself: needs KDE and D clear
  assert.ok(debugExceptionsEnabled(2, 2, false, false, true, false));
  assert.not.ok(debugExceptionsEnabled(2, 2, false, false, false, false));
  assert.not.ok(debugExceptionsEnabled(2, 2, false, false, true, true));
  // OS lock (set at reset) and double lock block everything
  assert.not.ok(debugExceptionsEnabled(1, 2, true, false, true, false));
  assert.not.ok(debugExceptionsEnabled(1, 2, false, true, true, false));
  // above ELd: never
  assert.not.ok(debugExceptionsEnabled(2, 1, false, false, true, false));
  assert.is(stepState(false, true, true), StepState.INACTIVE);
  assert.is(stepState(true, false, true), StepState.INACTIVE);
  assert.is(stepState(true, true, true), StepState.ACTIVE_NOT_PENDING);
  assert.is(stepState(true, true, false), StepState.ACTIVE_PENDING);
});

test("routing of synchronous exceptions (aarch64-notes §3.3, the scenario's observed targets)", () => {
  const { SVC, HVC, SMC_TRAPPED, OTHER, STAGE2, EL2_TRAP, DEBUG } = RouteSource;
  // guest at EL1 under the scenario's EL2 (TDE=1 → ELd = 2, TDE=0 → ELd = 1)
  assert.is(routeSync(HVC, 1, false, 2), 2, "guest-hvc");
  assert.is(routeSync(SVC, 1, false, 2), 1, "guest-svc → VBAR_EL1+0x200");
  assert.is(routeSync(OTHER, 1, false, 2), 1, "guest-undef, guest-s1-translation-fault");
  assert.is(routeSync(STAGE2, 1, false, 2), 2, "s2-iabt-xn, s2-dabt-*");
  assert.is(routeSync(EL2_TRAP, 1, false, 2), 2, "trap-msr-sctlr, trap-wfi");
  assert.is(routeSync(DEBUG, 1, false, 2), 2, "guest-brk-to-el2");
  assert.is(routeSync(DEBUG, 1, false, 1), 1, "guest-brk-to-el1");
  assert.is(routeSync(DEBUG, 2, false, 1), 2, "el2-brk");
  assert.is(routeSync(SMC_TRAPPED, 1, false, 1), 2);
  // EL0: to EL1, or to EL2 with HCR_EL2.TGE
  assert.is(routeSync(SVC, 0, false, 1), 1, "selftest el0 svc");
  assert.is(routeSync(SVC, 0, true, 2), 2);
  assert.is(routeSync(OTHER, 0, true, 2), 2);
  assert.is(routeSync(DEBUG, 0, false, 1), 1);
  for (const s of Object.values(RouteSource)) assert.is(routeSync(s, 2, true, 1), 2, "EL2 keeps everything");
});

test.run();
