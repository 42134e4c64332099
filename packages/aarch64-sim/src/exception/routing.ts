// Which EL a synchronous exception is taken to (aarch64-notes §3.3 "Routing", §3.4 for debug), for an
// AArch64-only machine with EL2 and no EL3.

/** What raised the exception, as far as routing is concerned. */
export const RouteSource = {
  /** SVC */
  SVC: 0,
  /** HVC (UNDEFINED at EL0 and when HCR_EL2.HCD = 1: route it as OTHER with EC 0x00) */
  HVC: 1,
  /** SMC trapped by HCR_EL2.TSC (without TSC, no EL3: UNDEFINED, route as OTHER) */
  SMC_TRAPPED: 2,
  /** a stage-1 fault, alignment fault, UNDEFINED instruction, or an EL1 trap (CPACR, SCTLR_EL1.UMA, ...) */
  OTHER: 3,
  /** a stage-2 fault, or a stage-2 fault on the stage-1 walk */
  STAGE2: 4,
  /** a trap controlled by HCR_EL2/MDCR_EL2/CPTR_EL2/CNTHCTL_EL2 (EC 0x18, 0x01 with TWI/TWE, ...) */
  EL2_TRAP: 5,
  /** BRK, software step, breakpoints and watchpoints: to ELd (`debugTargetEl`) */
  DEBUG: 6,
} as const;
export type RouteSource = (typeof RouteSource)[keyof typeof RouteSource];

/**
 * Target EL of a synchronous exception from `fromEl`. `tge` is HCR_EL2.TGE (EL0 exceptions that would go to
 * EL1 go to EL2), `elD` the debug target EL. Exceptions never go to a lower EL: at EL2 everything stays at
 * EL2.
 */
export function routeSync(source: RouteSource, fromEl: number, tge: boolean, elD: number): number {
  if (fromEl >= 2) return fromEl;
  switch (source) {
    case RouteSource.HVC:
    case RouteSource.SMC_TRAPPED:
    case RouteSource.STAGE2:
    case RouteSource.EL2_TRAP:
      return 2;
    case RouteSource.DEBUG:
      return Math.max(fromEl, elD);
  }
  return fromEl === 0 && tge ? 2 : 1;
}
