// The GICv2 virtualization extensions of one CPU: GICH (hypervisor control, 0x08030000 on virt) with four
// list registers, and GICV (the virtual CPU interface a guest uses as its GICC, 0x08040000). A hypervisor
// writes a list register (pending, priority, virtual ID, optionally the physical ID it stands for); the
// guest's IAR/EOIR on GICV move it pending → active → invalid, and a hardware-linked entry deactivates the
// physical interrupt on EOI. The virtual IRQ output (`virq`) is what the core ORs with HCR_EL2.VI.
import type { Device } from "./device.ts";
import { type Gic, GiccReg, SPURIOUS } from "./gic.ts";

/** GICH register offsets. */
export const GichReg = {
  HCR: 0x00,
  VTR: 0x04,
  VMCR: 0x08,
  MISR: 0x10,
  EISR0: 0x20,
  ELRSR0: 0x30,
  APR: 0xf0,
  LR0: 0x100,
} as const;

/** List register fields (GICv2). */
export const GichLr = {
  VIRTUAL_ID_MASK: 0x3ff,
  PHYSICAL_ID_SHIFT: 10,
  /** EOI maintenance interrupt request (software entries) */
  EOI: 1 << 19,
  PRIORITY_SHIFT: 23,
  /** state [29:28]: 1 pending, 2 active, 3 pending and active */
  STATE_SHIFT: 28,
  PENDING: 1 << 28,
  ACTIVE: 1 << 29,
  GRP1: 1 << 30,
  HW: 1 << 31,
} as const;

/** Number of list registers (QEMU's GICv2 model of cortex-a57 has 4). */
export const GIC_NUM_LRS = 4;
/** GICH_VTR: 5 priority bits, 5 preemption bits, 4 list registers, as QEMU reports. */
export const GICH_VTR = ((4 << 29) | (4 << 26) | (GIC_NUM_LRS - 1)) >>> 0;
const IDLE = 0x100;

export class GicVirtual {
  readonly gic: Gic;
  readonly cpu: number;
  hcr = 0;
  /** reset: VMABP 3, VMBP 2 (0x004C0000, as QEMU) */
  vmcr = 0x004c0000;
  apr = 0;
  eisr = 0;
  readonly lr = new Uint32Array(GIC_NUM_LRS);
  /** virtual IRQ output to the vCPU (1 = asserted) */
  virq = 0;
  /** maintenance interrupt output (drives PPI 25 of `cpu`) */
  maintenance = 0;
  private readonly maintLine: number;
  readonly control: Device;
  readonly vcpu: Device;

  constructor(gic: Gic, cpu = 0) {
    this.gic = gic;
    this.cpu = cpu;
    this.maintLine = gic.slot(cpu, 25);
    this.control = { size: 0x1000, read: (o) => this.hRead(o), write: (o, _s, v) => this.hWrite(o, v) };
    this.vcpu = { size: 0x2000, read: (o) => this.vRead(o), write: (o, _s, v) => this.vWrite(o, v) };
  }

  // VMCR aliases of the GICV registers
  private get vCtlr(): number {
    return this.vmcr & 0x21f;
  }
  private get vPmr(): number {
    return ((this.vmcr >>> 27) & 0x1f) << 3;
  }
  private get running(): number {
    // APR bit n set = a virtual interrupt of group priority n<<3 is active; lowest set bit is the running one
    return this.apr === 0 ? IDLE : (31 - Math.clz32(this.apr & -this.apr)) << 3;
  }

  /** Highest-priority pending list register that may signal, or -1. */
  private bestLr(): number {
    let best = -1;
    let bestP = IDLE;
    for (let n = 0; n < GIC_NUM_LRS; n++) {
      const v = this.lr[n] as number;
      if ((v & GichLr.PENDING) === 0 || v & GichLr.ACTIVE) continue;
      if ((this.vCtlr & (v & GichLr.GRP1 ? 2 : 1)) === 0) continue;
      const p = ((v >>> GichLr.PRIORITY_SHIFT) & 0x1f) << 3;
      if (p < bestP) {
        bestP = p;
        best = n;
      }
    }
    if (best < 0 || bestP >= this.vPmr || bestP >= this.running) return -1;
    return best;
  }

  /** Recomputes the virtual IRQ and maintenance outputs. */
  update(): void {
    const en = (this.hcr & 1) !== 0;
    this.virq = en && this.bestLr() >= 0 ? 1 : 0;
    const misr = this.misr();
    const m = en && misr !== 0 ? 1 : 0;
    if (m !== this.maintenance) {
      this.maintenance = m;
      this.gic.setLevel(this.maintLine, m === 1);
    }
    this.gic.onChange?.();
  }

  private misr(): number {
    let valid = 0;
    let pending = 0;
    for (let n = 0; n < GIC_NUM_LRS; n++) {
      const v = this.lr[n] as number;
      if (v & (GichLr.PENDING | GichLr.ACTIVE)) valid++;
      if (v & GichLr.PENDING) pending++;
    }
    let m = 0;
    if (this.eisr !== 0) m |= 1; // EOI
    if (this.hcr & 2 && valid <= 1) m |= 2; // UIE: underflow
    if (this.hcr & 4 && this.hcr >>> 27 !== 0) m |= 4; // LRENPIE: EOIcount != 0
    if (this.hcr & 8 && pending === 0) m |= 8; // NPIE: no pending
    return m;
  }

  private elrsr(): number {
    let e = 0;
    for (let n = 0; n < GIC_NUM_LRS; n++) {
      const v = this.lr[n] as number;
      if ((v & (GichLr.PENDING | GichLr.ACTIVE)) === 0 && (v & GichLr.HW || (v & GichLr.EOI) === 0))
        e |= 1 << n;
    }
    return e;
  }

  private hRead(o: number): number {
    if (o >= GichReg.LR0 && o < GichReg.LR0 + 4 * GIC_NUM_LRS)
      return this.lr[(o - GichReg.LR0) >> 2] as number;
    switch (o) {
      case GichReg.HCR:
        return this.hcr >>> 0;
      case GichReg.VTR:
        return GICH_VTR;
      case GichReg.VMCR:
        return this.vmcr >>> 0;
      case GichReg.MISR:
        return this.misr();
      case GichReg.EISR0:
        return this.eisr;
      case GichReg.ELRSR0:
        return this.elrsr();
      case GichReg.APR:
        return this.apr >>> 0;
    }
    return 0;
  }

  private hWrite(o: number, v: number): void {
    if (o >= GichReg.LR0 && o < GichReg.LR0 + 4 * GIC_NUM_LRS) {
      const n = (o - GichReg.LR0) >> 2;
      this.lr[n] = v >>> 0;
      this.eisr &= ~(1 << n);
    } else if (o === GichReg.HCR) {
      this.hcr = v >>> 0;
    } else if (o === GichReg.VMCR) {
      this.vmcr = (v & 0xf8fc021f) >>> 0;
    } else if (o === GichReg.APR) {
      this.apr = v >>> 0;
    } else {
      return;
    }
    this.update();
  }

  /** Guest IAR on GICV: the best pending list register becomes active; returns its virtual ID. */
  acknowledge(): number {
    const n = this.bestLr();
    if (n < 0) return SPURIOUS;
    const v = this.lr[n] as number;
    this.lr[n] = ((v & ~GichLr.PENDING) | GichLr.ACTIVE) >>> 0;
    const p = (v >>> GichLr.PRIORITY_SHIFT) & 0x1f;
    this.apr = (this.apr | (1 << p)) >>> 0;
    this.update();
    return v & GichLr.VIRTUAL_ID_MASK;
  }

  /** Guest EOIR on GICV: priority drop and (unless VMCR.VEOIM) deactivation of the matching entry. */
  endOfInterrupt(value: number): void {
    const id = value & 0x3ff;
    // priority drop: the highest active priority
    if (this.apr !== 0) this.apr &= this.apr - 1;
    if ((this.vmcr & (1 << 9)) === 0) this.deactivate(id);
    else this.update();
  }

  /** GICV_DIR (or EOIR without EOImode): the active list register for `id` becomes inactive. */
  deactivate(id: number): void {
    for (let n = 0; n < GIC_NUM_LRS; n++) {
      const v = this.lr[n] as number;
      if ((v & GichLr.ACTIVE) === 0 || (v & GichLr.VIRTUAL_ID_MASK) !== id) continue;
      this.lr[n] = (v & ~GichLr.ACTIVE) >>> 0;
      if (v & GichLr.HW) this.gic.deactivate(this.cpu, (v >>> GichLr.PHYSICAL_ID_SHIFT) & 0x3ff);
      else if (v & GichLr.EOI) this.eisr |= 1 << n;
      this.update();
      return;
    }
    // no entry: count it in HCR.EOIcount [31:27]
    this.hcr = ((this.hcr & 0x07ffffff) | ((((this.hcr >>> 27) + 1) & 0x1f) << 27)) >>> 0;
    this.update();
  }

  private vRead(o: number): number {
    switch (o) {
      case GiccReg.CTLR:
        return this.vCtlr;
      case GiccReg.PMR:
        return this.vPmr;
      case GiccReg.BPR:
        return (this.vmcr >>> 21) & 7;
      case GiccReg.IAR:
        return this.acknowledge();
      case GiccReg.RPR: {
        const r = this.running;
        return r === IDLE ? 0xff : r;
      }
      case GiccReg.HPPIR: {
        const n = this.bestLr();
        return n < 0 ? SPURIOUS : (this.lr[n] as number) & GichLr.VIRTUAL_ID_MASK;
      }
      case GiccReg.IIDR:
        return 0x0002043b;
    }
    return 0;
  }

  private vWrite(o: number, v: number): void {
    switch (o) {
      case GiccReg.CTLR:
        this.vmcr = ((this.vmcr & ~0x21f) | (v & 0x21f)) >>> 0;
        break;
      case GiccReg.PMR:
        this.vmcr = ((this.vmcr & 0x07ffffff) | (((v >>> 3) & 0x1f) << 27)) >>> 0;
        break;
      case GiccReg.BPR:
        this.vmcr = ((this.vmcr & ~(7 << 21)) | ((v & 7) << 21)) >>> 0;
        break;
      case GiccReg.EOIR:
        this.endOfInterrupt(v);
        return;
      case GiccReg.DIR:
        this.deactivate(v & 0x3ff);
        return;
      default:
        return;
    }
    this.update();
  }
}
