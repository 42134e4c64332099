// The generic timer of one CPU (Arm ARM "The Generic Timer in AArch64 state"): the system counter, and the
// EL1 physical (CNTP, PPI 30), EL1 virtual (CNTV, PPI 27, counting CNTPCT - CNTVOFF_EL2) and EL2 physical
// (CNTHP, PPI 26) timers. The counter is a number of ticks (exact below 2^53: 4.5 years at 62.5 MHz)
// that the run loop advances; compare values are kept as 32-bit halves so any 64-bit CVAL compares exactly.
import { SysregId } from "../sysreg/table.ts";
import type { IrqLine } from "./device.ts";

/** CNTx_CTL bits. */
export const TimerCtl = { ENABLE: 1, IMASK: 2, ISTATUS: 4 } as const;

/** Which timer. */
export const TimerId = { PHYS: 0, VIRT: 1, HYP: 2 } as const;
export type TimerId = (typeof TimerId)[keyof typeof TimerId];

/** QEMU virt's counter frequency (CNTFRQ_EL0). */
export const CNTFRQ = 62_500_000;

const TWO32 = 4294967296;

export class GenericTimer {
  /** physical count (CNTPCT_EL0) */
  counter = 0;
  /** CNTVOFF_EL2 halves */
  voffLo = 0;
  voffHi = 0;
  readonly ctl = new Uint8Array(3);
  readonly cvalLo = new Uint32Array(3);
  readonly cvalHi = new Uint32Array(3);
  /** interrupt outputs by TimerId */
  readonly lines: (IrqLine | undefined)[];
  private readonly out = new Uint8Array(3);
  /** high half of the last `readSysreg` */
  hi = 0;

  constructor(phys?: IrqLine, virt?: IrqLine, hyp?: IrqLine) {
    this.lines = [phys, virt, hyp];
  }

  /** The count timer `t` compares against, as halves in (lo, this.hi). */
  private count(t: number): number {
    const c = this.counter;
    let lo = c % TWO32;
    let hi = (c - lo) / TWO32;
    if (t === TimerId.VIRT) {
      // 64-bit subtraction of CNTVOFF on halves
      const l = lo - this.voffLo;
      hi = (hi - this.voffHi - (l < 0 ? 1 : 0)) >>> 0;
      lo = l >>> 0;
    }
    this.hi = hi >>> 0;
    return lo >>> 0;
  }

  /** ISTATUS of timer `t`: enabled and count >= CVAL. */
  condition(t: number): boolean {
    if (((this.ctl[t] as number) & TimerCtl.ENABLE) === 0) return false;
    const lo = this.count(t);
    const hi = this.hi;
    const vh = this.cvalHi[t] as number;
    return hi > vh || (hi === vh && lo >= (this.cvalLo[t] as number));
  }

  /** Recomputes the three interrupt outputs (call after advancing `counter`). */
  update(): void {
    for (let t = 0; t < 3; t++) {
      const c = this.condition(t);
      this.ctl[t] = ((this.ctl[t] as number) & ~TimerCtl.ISTATUS) | (c ? TimerCtl.ISTATUS : 0);
      const level = c && ((this.ctl[t] as number) & TimerCtl.IMASK) === 0 ? 1 : 0;
      if (this.out[t] !== level) {
        this.out[t] = level;
        this.lines[t]?.setLevel(level === 1);
      }
    }
  }

  /** Advances the counter by `ticks` and updates the outputs. */
  advance(ticks: number): void {
    this.counter += ticks;
    this.update();
  }

  /** Interrupt output of timer `t` (1 = asserted). */
  output(t: number): number {
    return this.out[t] as number;
  }

  /**
   * Ticks until the earliest enabled, unmasked timer fires (0 if one already has), or Infinity: how far a
   * WFI may skip ahead.
   */
  ticksToNextEvent(): number {
    let best = Number.POSITIVE_INFINITY;
    for (let t = 0; t < 3; t++) {
      const c = this.ctl[t] as number;
      if ((c & TimerCtl.ENABLE) === 0 || c & TimerCtl.IMASK) continue;
      const lo = this.count(t);
      const cur = this.hi * TWO32 + lo;
      const target = (this.cvalHi[t] as number) * TWO32 + (this.cvalLo[t] as number);
      const d = target - cur;
      if (d <= 0) return 0;
      if (d < best) best = d;
    }
    return best;
  }

  private tvalRead(t: number): number {
    const lo = this.count(t);
    return ((this.cvalLo[t] as number) - lo) >>> 0;
  }

  private tvalWrite(t: number, v: number): void {
    // CVAL = count + sign-extended TVAL
    const lo = this.count(t);
    const s = v | 0;
    const sum = lo + s;
    const carry = Math.floor(sum / TWO32);
    this.cvalLo[t] = sum >>> 0;
    this.cvalHi[t] = (this.hi + carry) >>> 0;
  }

  /**
   * MRS of a register whose table effect is `Effect.TIMER` (SysregId index): returns the low half, leaves
   * the high half in `hi`. -1 (with hi = 0) for a register the timer does not own.
   */
  readSysreg(id: number): number {
    this.hi = 0;
    switch (id) {
      case SysregId.cntpct_el0:
        return this.count(TimerId.PHYS);
      case SysregId.cntvct_el0:
        return this.count(TimerId.VIRT);
      case SysregId.cntvoff_el2:
        this.hi = this.voffHi;
        return this.voffLo;
    }
    const t = timerOf(id);
    if (t < 0) return -1;
    const kind = kindOf(id);
    if (kind === 0) {
      this.update();
      return this.ctl[t] as number;
    }
    if (kind === 1) {
      this.hi = this.cvalHi[t] as number;
      return this.cvalLo[t] as number;
    }
    const v = this.tvalRead(t);
    this.hi = 0;
    return v;
  }

  /** MSR to a timer register; returns false for a register the timer does not own. */
  writeSysreg(id: number, lo: number, hi: number): boolean {
    if (id === SysregId.cntvoff_el2) {
      this.voffLo = lo >>> 0;
      this.voffHi = hi >>> 0;
      this.update();
      return true;
    }
    const t = timerOf(id);
    if (t < 0) return false;
    const kind = kindOf(id);
    if (kind === 0) this.ctl[t] = ((this.ctl[t] as number) & TimerCtl.ISTATUS) | (lo & 3);
    else if (kind === 1) {
      this.cvalLo[t] = lo >>> 0;
      this.cvalHi[t] = hi >>> 0;
    } else this.tvalWrite(t, lo);
    this.update();
    return true;
  }
}

// SysregId → (timer, register kind: 0 CTL, 1 CVAL, 2 TVAL)
function timerOf(id: number): number {
  switch (id) {
    case SysregId.cntp_ctl_el0:
    case SysregId.cntp_cval_el0:
    case SysregId.cntp_tval_el0:
      return TimerId.PHYS;
    case SysregId.cntv_ctl_el0:
    case SysregId.cntv_cval_el0:
    case SysregId.cntv_tval_el0:
      return TimerId.VIRT;
    case SysregId.cnthp_ctl_el2:
    case SysregId.cnthp_cval_el2:
    case SysregId.cnthp_tval_el2:
      return TimerId.HYP;
  }
  return -1;
}

function kindOf(id: number): number {
  if (id === SysregId.cntp_ctl_el0 || id === SysregId.cntv_ctl_el0 || id === SysregId.cnthp_ctl_el2) return 0;
  if (id === SysregId.cntp_cval_el0 || id === SysregId.cntv_cval_el0 || id === SysregId.cnthp_cval_el2)
    return 1;
  return 2;
}
