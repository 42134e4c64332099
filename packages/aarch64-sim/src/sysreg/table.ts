// The system registers of the machine: ONE table (encoding, the name objdump prints, reset value, lowest
// EL that may access it, RES0/RES1 masks, trap group, and what the core must do beyond storing the value).
// The CPU model is QEMU's `-cpu cortex-a57` (target/arm cpu64.c, aarch64_a57_initfn): MIDR 0x411FD070,
// ID_AA64DFR0 0x10305106 (6 breakpoints, 4 watchpoints), ID_AA64MMFR1 0 (no XNX, no VHE), OSLSR 0xA at
// reset (all four observed in oracle/images/golden/scenario.uart and aarch64-notes §2.3(e)).
// 64-bit constants are bigint here only: the table is read once when a `SysregFile` is built.

/** What the core must do for an access beyond reading/writing the stored value. */
export const Effect = {
  /** plain storage */
  NONE: 0,
  /** the value lives in PSTATE or a core field (NZCV, DAIF, CurrentEL, SPSel, SP_ELx, FPCR/FPSR, TPIDR_EL0) */
  CORE: 1,
  /** computed by the generic timer (counters, TVAL, CTL.ISTATUS) */
  TIMER: 2,
  /** changes translation (SCTLR, TCR, TTBRx, MAIR, HCR, VTCR, VTTBR): drop cached regime state */
  MMU: 3,
  /** OSLAR_EL1: `SysregFile.write` updates OSLSR_EL1.OSLK itself */
  OSLOCK: 4,
  /** computed from pending interrupts (ISR_EL1) */
  IRQ: 5,
} as const;
export type Effect = (typeof Effect)[keyof typeof Effect];

/** Which EL2 (or MDCR_EL2/CNTHCTL_EL2) control traps an EL1/EL0 access to the register to EL2. */
export const TrapGroup = {
  NONE: 0,
  /** HCR_EL2.TVM traps writes, TRVM traps reads (virtual memory controls) */
  TVM: 1,
  /** HCR_EL2.TID3 (ID group 3: ID_AA64* registers) */
  TID3: 2,
  /** HCR_EL2.TID2 (cache ID: CTR_EL0, CCSIDR, CLIDR, CSSELR) */
  TID2: 3,
  /** HCR_EL2.TID1 (REVIDR, AIDR) */
  TID1: 4,
  /** HCR_EL2.TACR (ACTLR_EL1) */
  TACR: 5,
  /** MDCR_EL2.TDA (debug registers; also when TDE = 1) */
  TDA: 6,
  /** MDCR_EL2.TDOSA (OS lock registers; also when TDE = 1) */
  TDOSA: 7,
  /** CNTHCTL_EL2.EL1PCEN = 0 traps EL0/EL1 access to the physical timer */
  EL1PCEN: 8,
  /** CNTHCTL_EL2.EL1PCTEN = 0 traps EL0/EL1 reads of CNTPCT_EL0 */
  EL1PCTEN: 9,
} as const;
export type TrapGroup = (typeof TrapGroup)[keyof typeof TrapGroup];

/** Access direction allowed. */
export const Access = { RW: 0, RO: 1, WO: 2 } as const;
export type Access = (typeof Access)[keyof typeof Access];

export interface SysregDef {
  /** lowercase, as `objdump -d` prints it in `mrs x0, <name>` */
  readonly name: string;
  readonly op0: number;
  readonly op1: number;
  readonly crn: number;
  readonly crm: number;
  readonly op2: number;
  /** lowest EL that may access it (EL0 registers may still be disabled by SCTLR_EL1/CNTKCTL controls) */
  readonly el: number;
  readonly access: Access;
  readonly reset: bigint;
  /** bits that read as 0 whatever is written */
  readonly res0?: bigint;
  /** bits that read as 1 whatever is written */
  readonly res1?: bigint;
  readonly trap?: TrapGroup;
  readonly effect?: Effect;
}

const { RW, RO, WO } = Access;
const M = 0xffffffff_ffffffffn;

// biome-ignore format: one row per register reads best as a table
export const SYSREGS = [
  // identification (cortex-a57 as QEMU models it)
  { name: "midr_el1", op0: 3, op1: 0, crn: 0, crm: 0, op2: 0, el: 1, access: RO, reset: 0x411fd070n },
  { name: "mpidr_el1", op0: 3, op1: 0, crn: 0, crm: 0, op2: 5, el: 1, access: RO, reset: 0x80000000n },
  { name: "revidr_el1", op0: 3, op1: 0, crn: 0, crm: 0, op2: 6, el: 1, access: RO, reset: 0n, trap: TrapGroup.TID1 },
  { name: "id_aa64pfr0_el1", op0: 3, op1: 0, crn: 0, crm: 4, op2: 0, el: 1, access: RO, reset: 0x2222n, trap: TrapGroup.TID3 },
  { name: "id_aa64pfr1_el1", op0: 3, op1: 0, crn: 0, crm: 4, op2: 1, el: 1, access: RO, reset: 0n, trap: TrapGroup.TID3 },
  { name: "id_aa64dfr0_el1", op0: 3, op1: 0, crn: 0, crm: 5, op2: 0, el: 1, access: RO, reset: 0x10305106n, trap: TrapGroup.TID3 },
  { name: "id_aa64dfr1_el1", op0: 3, op1: 0, crn: 0, crm: 5, op2: 1, el: 1, access: RO, reset: 0n, trap: TrapGroup.TID3 },
  { name: "id_aa64afr0_el1", op0: 3, op1: 0, crn: 0, crm: 5, op2: 4, el: 1, access: RO, reset: 0n, trap: TrapGroup.TID3 },
  { name: "id_aa64afr1_el1", op0: 3, op1: 0, crn: 0, crm: 5, op2: 5, el: 1, access: RO, reset: 0n, trap: TrapGroup.TID3 },
  { name: "id_aa64isar0_el1", op0: 3, op1: 0, crn: 0, crm: 6, op2: 0, el: 1, access: RO, reset: 0x11120n, trap: TrapGroup.TID3 },
  { name: "id_aa64isar1_el1", op0: 3, op1: 0, crn: 0, crm: 6, op2: 1, el: 1, access: RO, reset: 0n, trap: TrapGroup.TID3 },
  { name: "id_aa64mmfr0_el1", op0: 3, op1: 0, crn: 0, crm: 7, op2: 0, el: 1, access: RO, reset: 0x1124n, trap: TrapGroup.TID3 },
  { name: "id_aa64mmfr1_el1", op0: 3, op1: 0, crn: 0, crm: 7, op2: 1, el: 1, access: RO, reset: 0n, trap: TrapGroup.TID3 },
  { name: "id_aa64mmfr2_el1", op0: 3, op1: 0, crn: 0, crm: 7, op2: 2, el: 1, access: RO, reset: 0n, trap: TrapGroup.TID3 },
  { name: "ccsidr_el1", op0: 3, op1: 1, crn: 0, crm: 0, op2: 0, el: 1, access: RO, reset: 0x701fe00an, trap: TrapGroup.TID2 },
  { name: "clidr_el1", op0: 3, op1: 1, crn: 0, crm: 0, op2: 1, el: 1, access: RO, reset: 0x0a200023n, trap: TrapGroup.TID2 },
  { name: "aidr_el1", op0: 3, op1: 1, crn: 0, crm: 0, op2: 7, el: 1, access: RO, reset: 0n, trap: TrapGroup.TID1 },
  { name: "csselr_el1", op0: 3, op1: 2, crn: 0, crm: 0, op2: 0, el: 1, access: RW, reset: 0n, res0: M ^ 0xfn, trap: TrapGroup.TID2 },
  { name: "ctr_el0", op0: 3, op1: 3, crn: 0, crm: 0, op2: 1, el: 0, access: RO, reset: 0x8444c004n, trap: TrapGroup.TID2 },
  { name: "dczid_el0", op0: 3, op1: 3, crn: 0, crm: 0, op2: 7, el: 0, access: RO, reset: 4n },
  { name: "vpidr_el2", op0: 3, op1: 4, crn: 0, crm: 0, op2: 0, el: 2, access: RW, reset: 0x411fd070n, res0: M ^ 0xffffffffn },
  { name: "vmpidr_el2", op0: 3, op1: 4, crn: 0, crm: 0, op2: 5, el: 2, access: RW, reset: 0x80000000n },
  // EL1 system control and translation
  { name: "sctlr_el1", op0: 3, op1: 0, crn: 1, crm: 0, op2: 0, el: 1, access: RW, reset: 0x00c50838n, res1: 0x30d00800n, trap: TrapGroup.TVM, effect: Effect.MMU },
  { name: "actlr_el1", op0: 3, op1: 0, crn: 1, crm: 0, op2: 1, el: 1, access: RW, reset: 0n, trap: TrapGroup.TACR },
  { name: "cpacr_el1", op0: 3, op1: 0, crn: 1, crm: 0, op2: 2, el: 1, access: RW, reset: 0n, res0: M ^ 0x10330000n },
  { name: "ttbr0_el1", op0: 3, op1: 0, crn: 2, crm: 0, op2: 0, el: 1, access: RW, reset: 0n, trap: TrapGroup.TVM, effect: Effect.MMU },
  { name: "ttbr1_el1", op0: 3, op1: 0, crn: 2, crm: 0, op2: 1, el: 1, access: RW, reset: 0n, trap: TrapGroup.TVM, effect: Effect.MMU },
  { name: "tcr_el1", op0: 3, op1: 0, crn: 2, crm: 0, op2: 2, el: 1, access: RW, reset: 0n, res0: 0xffffff88_00000040n, trap: TrapGroup.TVM, effect: Effect.MMU },
  { name: "spsr_el1", op0: 3, op1: 0, crn: 4, crm: 0, op2: 0, el: 1, access: RW, reset: 0n, res0: 0xffffffff_00000000n },
  { name: "elr_el1", op0: 3, op1: 0, crn: 4, crm: 0, op2: 1, el: 1, access: RW, reset: 0n },
  { name: "sp_el0", op0: 3, op1: 0, crn: 4, crm: 1, op2: 0, el: 1, access: RW, reset: 0n, effect: Effect.CORE },
  { name: "spsel", op0: 3, op1: 0, crn: 4, crm: 2, op2: 0, el: 1, access: RW, reset: 1n, res0: M ^ 1n, effect: Effect.CORE },
  { name: "currentel", op0: 3, op1: 0, crn: 4, crm: 2, op2: 2, el: 1, access: RO, reset: 0n, effect: Effect.CORE },
  { name: "afsr0_el1", op0: 3, op1: 0, crn: 5, crm: 1, op2: 0, el: 1, access: RW, reset: 0n, trap: TrapGroup.TVM },
  { name: "afsr1_el1", op0: 3, op1: 0, crn: 5, crm: 1, op2: 1, el: 1, access: RW, reset: 0n, trap: TrapGroup.TVM },
  { name: "esr_el1", op0: 3, op1: 0, crn: 5, crm: 2, op2: 0, el: 1, access: RW, reset: 0n, res0: 0xffffffff_00000000n, trap: TrapGroup.TVM },
  { name: "far_el1", op0: 3, op1: 0, crn: 6, crm: 0, op2: 0, el: 1, access: RW, reset: 0n, trap: TrapGroup.TVM },
  { name: "par_el1", op0: 3, op1: 0, crn: 7, crm: 4, op2: 0, el: 1, access: RW, reset: 0n },
  { name: "mair_el1", op0: 3, op1: 0, crn: 10, crm: 2, op2: 0, el: 1, access: RW, reset: 0n, trap: TrapGroup.TVM, effect: Effect.MMU },
  { name: "amair_el1", op0: 3, op1: 0, crn: 10, crm: 3, op2: 0, el: 1, access: RW, reset: 0n, trap: TrapGroup.TVM },
  { name: "vbar_el1", op0: 3, op1: 0, crn: 12, crm: 0, op2: 0, el: 1, access: RW, reset: 0n, res0: 0x7ffn },
  { name: "isr_el1", op0: 3, op1: 0, crn: 12, crm: 1, op2: 0, el: 1, access: RO, reset: 0n, effect: Effect.IRQ },
  { name: "contextidr_el1", op0: 3, op1: 0, crn: 13, crm: 0, op2: 1, el: 1, access: RW, reset: 0n, res0: M ^ 0xffffffffn, trap: TrapGroup.TVM },
  { name: "tpidr_el1", op0: 3, op1: 0, crn: 13, crm: 0, op2: 4, el: 1, access: RW, reset: 0n },
  { name: "cntkctl_el1", op0: 3, op1: 0, crn: 14, crm: 1, op2: 0, el: 1, access: RW, reset: 0n, res0: M ^ 0x3ffn },
  // EL0-accessible state
  { name: "nzcv", op0: 3, op1: 3, crn: 4, crm: 2, op2: 0, el: 0, access: RW, reset: 0n, res0: M ^ 0xf0000000n, effect: Effect.CORE },
  { name: "daif", op0: 3, op1: 3, crn: 4, crm: 2, op2: 1, el: 0, access: RW, reset: 0x3c0n, res0: M ^ 0x3c0n, effect: Effect.CORE },
  { name: "fpcr", op0: 3, op1: 3, crn: 4, crm: 4, op2: 0, el: 0, access: RW, reset: 0n, effect: Effect.CORE },
  { name: "fpsr", op0: 3, op1: 3, crn: 4, crm: 4, op2: 1, el: 0, access: RW, reset: 0n, effect: Effect.CORE },
  { name: "tpidr_el0", op0: 3, op1: 3, crn: 13, crm: 0, op2: 2, el: 0, access: RW, reset: 0n, effect: Effect.CORE },
  { name: "tpidrro_el0", op0: 3, op1: 3, crn: 13, crm: 0, op2: 3, el: 0, access: RW, reset: 0n },
  // generic timer (CNTFRQ 62.5 MHz as on QEMU virt)
  { name: "cntfrq_el0", op0: 3, op1: 3, crn: 14, crm: 0, op2: 0, el: 0, access: RW, reset: 62500000n, res0: M ^ 0xffffffffn },
  { name: "cntpct_el0", op0: 3, op1: 3, crn: 14, crm: 0, op2: 1, el: 0, access: RO, reset: 0n, trap: TrapGroup.EL1PCTEN, effect: Effect.TIMER },
  { name: "cntvct_el0", op0: 3, op1: 3, crn: 14, crm: 0, op2: 2, el: 0, access: RO, reset: 0n, effect: Effect.TIMER },
  { name: "cntp_tval_el0", op0: 3, op1: 3, crn: 14, crm: 2, op2: 0, el: 0, access: RW, reset: 0n, trap: TrapGroup.EL1PCEN, effect: Effect.TIMER },
  { name: "cntp_ctl_el0", op0: 3, op1: 3, crn: 14, crm: 2, op2: 1, el: 0, access: RW, reset: 0n, res0: M ^ 7n, trap: TrapGroup.EL1PCEN, effect: Effect.TIMER },
  { name: "cntp_cval_el0", op0: 3, op1: 3, crn: 14, crm: 2, op2: 2, el: 0, access: RW, reset: 0n, trap: TrapGroup.EL1PCEN, effect: Effect.TIMER },
  { name: "cntv_tval_el0", op0: 3, op1: 3, crn: 14, crm: 3, op2: 0, el: 0, access: RW, reset: 0n, effect: Effect.TIMER },
  { name: "cntv_ctl_el0", op0: 3, op1: 3, crn: 14, crm: 3, op2: 1, el: 0, access: RW, reset: 0n, res0: M ^ 7n, effect: Effect.TIMER },
  { name: "cntv_cval_el0", op0: 3, op1: 3, crn: 14, crm: 3, op2: 2, el: 0, access: RW, reset: 0n, effect: Effect.TIMER },
  // debug (op0 = 2)
  { name: "mdscr_el1", op0: 2, op1: 0, crn: 0, crm: 2, op2: 2, el: 1, access: RW, reset: 0n, trap: TrapGroup.TDA },
  { name: "dbgbvr0_el1", op0: 2, op1: 0, crn: 0, crm: 0, op2: 4, el: 1, access: RW, reset: 0n, trap: TrapGroup.TDA },
  { name: "dbgbcr0_el1", op0: 2, op1: 0, crn: 0, crm: 0, op2: 5, el: 1, access: RW, reset: 0n, trap: TrapGroup.TDA },
  { name: "dbgwvr0_el1", op0: 2, op1: 0, crn: 0, crm: 0, op2: 6, el: 1, access: RW, reset: 0n, trap: TrapGroup.TDA },
  { name: "dbgwcr0_el1", op0: 2, op1: 0, crn: 0, crm: 0, op2: 7, el: 1, access: RW, reset: 0n, trap: TrapGroup.TDA },
  { name: "dbgbvr1_el1", op0: 2, op1: 0, crn: 0, crm: 1, op2: 4, el: 1, access: RW, reset: 0n, trap: TrapGroup.TDA },
  { name: "dbgbcr1_el1", op0: 2, op1: 0, crn: 0, crm: 1, op2: 5, el: 1, access: RW, reset: 0n, trap: TrapGroup.TDA },
  { name: "dbgwvr1_el1", op0: 2, op1: 0, crn: 0, crm: 1, op2: 6, el: 1, access: RW, reset: 0n, trap: TrapGroup.TDA },
  { name: "dbgwcr1_el1", op0: 2, op1: 0, crn: 0, crm: 1, op2: 7, el: 1, access: RW, reset: 0n, trap: TrapGroup.TDA },
  { name: "dbgbvr2_el1", op0: 2, op1: 0, crn: 0, crm: 2, op2: 4, el: 1, access: RW, reset: 0n, trap: TrapGroup.TDA },
  { name: "dbgbcr2_el1", op0: 2, op1: 0, crn: 0, crm: 2, op2: 5, el: 1, access: RW, reset: 0n, trap: TrapGroup.TDA },
  { name: "dbgwvr2_el1", op0: 2, op1: 0, crn: 0, crm: 2, op2: 6, el: 1, access: RW, reset: 0n, trap: TrapGroup.TDA },
  { name: "dbgwcr2_el1", op0: 2, op1: 0, crn: 0, crm: 2, op2: 7, el: 1, access: RW, reset: 0n, trap: TrapGroup.TDA },
  { name: "dbgbvr3_el1", op0: 2, op1: 0, crn: 0, crm: 3, op2: 4, el: 1, access: RW, reset: 0n, trap: TrapGroup.TDA },
  { name: "dbgbcr3_el1", op0: 2, op1: 0, crn: 0, crm: 3, op2: 5, el: 1, access: RW, reset: 0n, trap: TrapGroup.TDA },
  { name: "dbgwvr3_el1", op0: 2, op1: 0, crn: 0, crm: 3, op2: 6, el: 1, access: RW, reset: 0n, trap: TrapGroup.TDA },
  { name: "dbgwcr3_el1", op0: 2, op1: 0, crn: 0, crm: 3, op2: 7, el: 1, access: RW, reset: 0n, trap: TrapGroup.TDA },
  { name: "dbgbvr4_el1", op0: 2, op1: 0, crn: 0, crm: 4, op2: 4, el: 1, access: RW, reset: 0n, trap: TrapGroup.TDA },
  { name: "dbgbcr4_el1", op0: 2, op1: 0, crn: 0, crm: 4, op2: 5, el: 1, access: RW, reset: 0n, trap: TrapGroup.TDA },
  { name: "dbgbvr5_el1", op0: 2, op1: 0, crn: 0, crm: 5, op2: 4, el: 1, access: RW, reset: 0n, trap: TrapGroup.TDA },
  { name: "dbgbcr5_el1", op0: 2, op1: 0, crn: 0, crm: 5, op2: 5, el: 1, access: RW, reset: 0n, trap: TrapGroup.TDA },
  { name: "oslar_el1", op0: 2, op1: 0, crn: 1, crm: 0, op2: 4, el: 1, access: WO, reset: 0n, res0: M ^ 1n, trap: TrapGroup.TDOSA, effect: Effect.OSLOCK },
  { name: "oslsr_el1", op0: 2, op1: 0, crn: 1, crm: 1, op2: 4, el: 1, access: RO, reset: 0xan, trap: TrapGroup.TDOSA },
  { name: "osdlr_el1", op0: 2, op1: 0, crn: 1, crm: 3, op2: 4, el: 1, access: RW, reset: 0n, res0: M ^ 1n, trap: TrapGroup.TDOSA },
  // EL2
  { name: "sctlr_el2", op0: 3, op1: 4, crn: 1, crm: 0, op2: 0, el: 2, access: RW, reset: 0x30c50838n, res1: 0x30c50830n, effect: Effect.MMU },
  { name: "actlr_el2", op0: 3, op1: 4, crn: 1, crm: 0, op2: 1, el: 2, access: RW, reset: 0n },
  { name: "hcr_el2", op0: 3, op1: 4, crn: 1, crm: 1, op2: 0, el: 2, access: RW, reset: 0n, effect: Effect.MMU },
  { name: "mdcr_el2", op0: 3, op1: 4, crn: 1, crm: 1, op2: 1, el: 2, access: RW, reset: 6n },
  { name: "cptr_el2", op0: 3, op1: 4, crn: 1, crm: 1, op2: 2, el: 2, access: RW, reset: 0x32ffn, res1: 0x32ffn },
  { name: "hstr_el2", op0: 3, op1: 4, crn: 1, crm: 1, op2: 3, el: 2, access: RW, reset: 0n },
  { name: "hacr_el2", op0: 3, op1: 4, crn: 1, crm: 1, op2: 7, el: 2, access: RW, reset: 0n },
  { name: "ttbr0_el2", op0: 3, op1: 4, crn: 2, crm: 0, op2: 0, el: 2, access: RW, reset: 0n, effect: Effect.MMU },
  { name: "tcr_el2", op0: 3, op1: 4, crn: 2, crm: 0, op2: 2, el: 2, access: RW, reset: 0x80800000n, res1: 0x80800000n, effect: Effect.MMU },
  { name: "vttbr_el2", op0: 3, op1: 4, crn: 2, crm: 1, op2: 0, el: 2, access: RW, reset: 0n, effect: Effect.MMU },
  { name: "vtcr_el2", op0: 3, op1: 4, crn: 2, crm: 1, op2: 2, el: 2, access: RW, reset: 0x80000000n, res1: 0x80000000n, effect: Effect.MMU },
  { name: "spsr_el2", op0: 3, op1: 4, crn: 4, crm: 0, op2: 0, el: 2, access: RW, reset: 0n, res0: 0xffffffff_00000000n },
  { name: "elr_el2", op0: 3, op1: 4, crn: 4, crm: 0, op2: 1, el: 2, access: RW, reset: 0n },
  { name: "sp_el1", op0: 3, op1: 4, crn: 4, crm: 1, op2: 0, el: 2, access: RW, reset: 0n, effect: Effect.CORE },
  { name: "afsr0_el2", op0: 3, op1: 4, crn: 5, crm: 1, op2: 0, el: 2, access: RW, reset: 0n },
  { name: "afsr1_el2", op0: 3, op1: 4, crn: 5, crm: 1, op2: 1, el: 2, access: RW, reset: 0n },
  { name: "esr_el2", op0: 3, op1: 4, crn: 5, crm: 2, op2: 0, el: 2, access: RW, reset: 0n, res0: 0xffffffff_00000000n },
  { name: "far_el2", op0: 3, op1: 4, crn: 6, crm: 0, op2: 0, el: 2, access: RW, reset: 0n },
  { name: "hpfar_el2", op0: 3, op1: 4, crn: 6, crm: 0, op2: 4, el: 2, access: RW, reset: 0n, res0: M ^ 0xffffffffff0n },
  { name: "mair_el2", op0: 3, op1: 4, crn: 10, crm: 2, op2: 0, el: 2, access: RW, reset: 0n, effect: Effect.MMU },
  { name: "amair_el2", op0: 3, op1: 4, crn: 10, crm: 3, op2: 0, el: 2, access: RW, reset: 0n },
  { name: "vbar_el2", op0: 3, op1: 4, crn: 12, crm: 0, op2: 0, el: 2, access: RW, reset: 0n, res0: 0x7ffn },
  { name: "tpidr_el2", op0: 3, op1: 4, crn: 13, crm: 0, op2: 2, el: 2, access: RW, reset: 0n },
  { name: "cntvoff_el2", op0: 3, op1: 4, crn: 14, crm: 0, op2: 3, el: 2, access: RW, reset: 0n, effect: Effect.TIMER },
  { name: "cnthctl_el2", op0: 3, op1: 4, crn: 14, crm: 1, op2: 0, el: 2, access: RW, reset: 0n, res0: M ^ 0xffn, effect: Effect.TIMER },
  { name: "cnthp_tval_el2", op0: 3, op1: 4, crn: 14, crm: 2, op2: 0, el: 2, access: RW, reset: 0n, effect: Effect.TIMER },
  { name: "cnthp_ctl_el2", op0: 3, op1: 4, crn: 14, crm: 2, op2: 1, el: 2, access: RW, reset: 0n, res0: M ^ 7n, effect: Effect.TIMER },
  { name: "cnthp_cval_el2", op0: 3, op1: 4, crn: 14, crm: 2, op2: 2, el: 2, access: RW, reset: 0n, effect: Effect.TIMER },
  { name: "sp_el2", op0: 3, op1: 6, crn: 4, crm: 1, op2: 0, el: 3, access: RW, reset: 0n, effect: Effect.CORE },
] as const satisfies readonly SysregDef[];

/** The 16-bit key of an encoding: instruction bits [20:5] of MRS/MSR (op0:op1:CRn:CRm:op2). */
export function sysregKey(op0: number, op1: number, crn: number, crm: number, op2: number): number {
  return ((op0 & 3) << 14) | ((op1 & 7) << 11) | ((crn & 15) << 7) | ((crm & 15) << 3) | (op2 & 7);
}

type Names = (typeof SYSREGS)[number]["name"];

/** Table index of each register by name: `SysregId.sctlr_el1`. */
export const SysregId = Object.fromEntries(SYSREGS.map((r, i) => [r.name, i])) as {
  readonly [K in Names]: number;
};
