// GICv2 (Arm IHI 0048B) as QEMU's `virt` board exposes it without security extensions: the distributor
// (0x08000000), one CPU interface per CPU (0x08010000, banked by CPU), 288 interrupt IDs (16 SGIs and 16 PPIs
// per CPU, 256 SPIs). The virtual interface (GICH/GICV) is in gic-virtual.ts.
// Level-sensitive inputs (timer PPIs) are pending while the line is high; edge-triggered ones latch.
import type { Device, IrqLine } from "./device.ts";

/** Distributor register offsets. */
export const GicdReg = {
  CTLR: 0x000,
  TYPER: 0x004,
  IIDR: 0x008,
  IGROUPR: 0x080,
  ISENABLER: 0x100,
  ICENABLER: 0x180,
  ISPENDR: 0x200,
  ICPENDR: 0x280,
  ISACTIVER: 0x300,
  ICACTIVER: 0x380,
  IPRIORITYR: 0x400,
  ITARGETSR: 0x800,
  ICFGR: 0xc00,
  SGIR: 0xf00,
  CPENDSGIR: 0xf10,
  SPENDSGIR: 0xf20,
} as const;

/** CPU interface register offsets (also the GICV layout). */
export const GiccReg = {
  CTLR: 0x00,
  PMR: 0x04,
  BPR: 0x08,
  IAR: 0x0c,
  EOIR: 0x10,
  RPR: 0x14,
  HPPIR: 0x18,
  ABPR: 0x1c,
  APR0: 0xd0,
  IIDR: 0xfc,
  DIR: 0x1000,
} as const;

/** INTID returned by IAR/HPPIR when nothing is pending. */
export const SPURIOUS = 1023;
/** Interrupt IDs QEMU's virt GICv2 implements. */
export const GIC_NUM_IRQ = 288;
const IDLE = 0x100; // running priority with nothing active (above every real priority)
// PIDR4..7, PIDR0..3, CIDR0..3 at 0xFD0..0xFFC (QEMU gic_id_gicv2)
const GICD_ID = [0x04, 0x00, 0x00, 0x00, 0x90, 0xb4, 0x2b, 0x00, 0x0d, 0xf0, 0x05, 0xb1] as const;

export class Gic {
  readonly cpus: number;
  /** per-interrupt state; index `slot(cpu, id)`: banked SGIs/PPIs first, then SPIs */
  readonly enabled: Uint8Array;
  readonly latched: Uint8Array;
  readonly level: Uint8Array;
  readonly active: Uint8Array;
  readonly priority: Uint8Array;
  readonly edge: Uint8Array;
  readonly group: Uint8Array;
  /** SPI target CPU masks (ITARGETSR) */
  readonly targets: Uint8Array;
  /** pending SGIs: bitmask of source CPUs per (target cpu, sgi) */
  readonly sgiSources: Uint8Array;
  ctlr = 0;
  // number of enabled SPIs (lets `best` skip the SPI range)
  private spisEnabled = 0;
  /** per CPU interface: CTLR, PMR, BPR and the stack of active priorities (priority drop order) */
  readonly cCtlr: Uint32Array;
  readonly cPmr: Uint8Array;
  readonly cBpr: Uint8Array;
  private readonly stackId: Int16Array;
  private readonly stackPrio: Int16Array;
  private readonly depth: Uint8Array;
  /** IRQ output to each CPU (1 = asserted), recomputed on every change */
  readonly irq: Uint8Array;
  /** called after any output change (the core may poll `irq` instead) */
  onChange: (() => void) | undefined = undefined;
  readonly distributor: Device;

  constructor(cpus = 1) {
    if (!(cpus >= 1 && cpus <= 8)) throw new RangeError(`GICv2 supports 1 to 8 CPUs, not ${cpus}`);
    this.cpus = cpus;
    const n = cpus * 32 + (GIC_NUM_IRQ - 32);
    this.enabled = new Uint8Array(n);
    this.latched = new Uint8Array(n);
    this.level = new Uint8Array(n);
    this.active = new Uint8Array(n);
    this.priority = new Uint8Array(n);
    this.edge = new Uint8Array(n);
    this.group = new Uint8Array(n);
    this.targets = new Uint8Array(GIC_NUM_IRQ);
    this.sgiSources = new Uint8Array(cpus * 16);
    this.cCtlr = new Uint32Array(cpus);
    this.cPmr = new Uint8Array(cpus);
    this.cBpr = new Uint8Array(cpus);
    this.stackId = new Int16Array(cpus * 64);
    this.stackPrio = new Int16Array(cpus * 64);
    this.depth = new Uint8Array(cpus);
    this.irq = new Uint8Array(cpus);
    // SGIs are edge-triggered and, as in QEMU's GICv2, always enabled
    for (let c = 0; c < cpus; c++) {
      for (let i = 0; i < 16; i++) {
        this.edge[c * 32 + i] = 1;
        this.enabled[c * 32 + i] = 1;
      }
    }
    this.distributor = {
      size: 0x1000,
      read: (o, s) => this.distRead(0, o, s),
      write: (o, s, v) => this.distWrite(0, o, s, v),
    };
  }

  /** Index of interrupt `id` as seen by `cpu` in the state arrays. */
  slot(cpu: number, id: number): number {
    return id < 32 ? cpu * 32 + id : this.cpus * 32 + id - 32;
  }

  /** The distributor as seen by `cpu` (SGI/PPI registers are banked). */
  distributorFor(cpu: number): Device {
    return {
      size: 0x1000,
      read: (o, s) => this.distRead(cpu, o, s),
      write: (o, s, v) => this.distWrite(cpu, o, s, v),
    };
  }

  /** The CPU interface of `cpu` (map cpu 0's at VirtMap.GICC). */
  cpuInterface(cpu: number): Device {
    return {
      size: 0x2000,
      read: (o, s) => this.cpuRead(cpu, o, s),
      write: (o, s, v) => this.cpuWrite(cpu, o, s, v),
    };
  }

  /** An input line for a PPI of `cpu` (16-31) or an SPI (32-287), e.g. a timer or the UART. */
  line(id: number, cpu = 0): IrqLine {
    if (!(id >= 16 && id < GIC_NUM_IRQ)) throw new RangeError(`interrupt ${id} is not a PPI or SPI`);
    const i = this.slot(cpu, id);
    return { setLevel: (l: boolean) => this.setLevel(i, l) };
  }

  /** Drives the input of slot `i` (from `slot()`). Rising edges latch edge-triggered interrupts. */
  setLevel(i: number, high: boolean): void {
    const v = high ? 1 : 0;
    if (this.level[i] === v) return;
    this.level[i] = v;
    if (v && this.edge[i]) this.latched[i] = 1;
    this.update();
  }

  private pending(i: number, cpu: number, id: number): boolean {
    if (id < 16) return this.sgiSources[cpu * 16 + id] !== 0;
    return this.latched[i] !== 0 || (this.edge[i] === 0 && this.level[i] !== 0);
  }

  /** Highest-priority pending, enabled, inactive interrupt for `cpu`, or SPURIOUS; ignores PMR. */
  private best(cpu: number): number {
    if ((this.ctlr & 3) === 0) return SPURIOUS;
    let bestId = SPURIOUS;
    let bestP = IDLE;
    // SPIs are scanned only while some are enabled (most guests enable one or two, or none)
    const end = this.spisEnabled > 0 ? GIC_NUM_IRQ : 32;
    const spiBase = this.cpus * 32 - 32;
    for (let id = 0; id < end; id++) {
      const i = id < 32 ? cpu * 32 + id : spiBase + id;
      if (!this.enabled[i] || this.active[i] || !this.pending(i, cpu, id)) continue;
      if (id >= 32 && this.cpus > 1 && ((this.targets[id] as number) & (1 << cpu)) === 0) continue;
      if ((this.ctlr & (this.group[i] ? 2 : 1)) === 0) continue;
      const p = this.priority[i] as number;
      if (p < bestP) {
        bestP = p;
        bestId = id;
      }
    }
    return bestId;
  }

  private running(cpu: number): number {
    const d = this.depth[cpu] as number;
    return d === 0 ? IDLE : (this.stackPrio[cpu * 64 + d - 1] as number);
  }

  // group priority: the bits BPR leaves for preemption
  private groupPrio(cpu: number, p: number): number {
    return p & ((0xff << ((this.cBpr[cpu] as number) + 1)) & 0xff);
  }

  /** The interrupt IAR would return now (SPURIOUS if none may signal). */
  highestPending(cpu: number): number {
    const id = this.best(cpu);
    if (id === SPURIOUS) return id;
    const p = this.priority[this.slot(cpu, id)] as number;
    const run = this.running(cpu);
    if (
      p >= (this.cPmr[cpu] as number) ||
      (run !== IDLE && this.groupPrio(cpu, p) >= this.groupPrio(cpu, run))
    ) {
      return SPURIOUS;
    }
    return id;
  }

  /** Recomputes the IRQ outputs. */
  update(): void {
    let changed = false;
    for (let c = 0; c < this.cpus; c++) {
      const on = (this.cCtlr[c] as number) & 3 && this.highestPending(c) !== SPURIOUS ? 1 : 0;
      if (this.irq[c] !== on) {
        this.irq[c] = on;
        changed = true;
      }
    }
    if (changed) this.onChange?.();
  }

  /** IAR: acknowledges the highest-priority pending interrupt (pending → active). */
  acknowledge(cpu: number): number {
    const id = this.highestPending(cpu);
    if (id === SPURIOUS) return SPURIOUS;
    const i = this.slot(cpu, id);
    let value = id;
    if (id < 16) {
      const k = cpu * 16 + id;
      const src = this.sgiSources[k] as number;
      const s = 31 - Math.clz32(src & -src); // lowest source CPU first
      this.sgiSources[k] = src & ~(1 << s);
      value |= s << 10;
    } else {
      this.latched[i] = 0;
    }
    this.active[i] = 1;
    const d = this.depth[cpu] as number;
    if (d < 64) {
      this.stackId[cpu * 64 + d] = id;
      this.stackPrio[cpu * 64 + d] = this.priority[i] as number;
      this.depth[cpu] = d + 1;
    }
    this.update();
    return value;
  }

  /** EOIR: priority drop, and deactivation unless GICC_CTLR.EOImode (bit 9). */
  endOfInterrupt(cpu: number, value: number): void {
    const id = value & 0x3ff;
    if (id >= GIC_NUM_IRQ) return;
    const base = cpu * 64;
    const d = this.depth[cpu] as number;
    for (let k = d - 1; k >= 0; k--) {
      if (this.stackId[base + k] !== id) continue;
      for (let j = k; j < d - 1; j++) {
        this.stackId[base + j] = this.stackId[base + j + 1] as number;
        this.stackPrio[base + j] = this.stackPrio[base + j + 1] as number;
      }
      this.depth[cpu] = d - 1;
      break;
    }
    if (((this.cCtlr[cpu] as number) & (1 << 9)) === 0) this.active[this.slot(cpu, id)] = 0;
    this.update();
  }

  /** Deactivates an interrupt (GICC_DIR, or a hardware-linked virtual EOI). */
  deactivate(cpu: number, id: number): void {
    if (id >= GIC_NUM_IRQ) return;
    this.active[this.slot(cpu, id)] = 0;
    this.update();
  }

  /** Sends SGI `id` to the CPUs in `targets` (bitmask) from `source`. */
  sendSgi(source: number, id: number, targets: number): void {
    for (let c = 0; c < this.cpus; c++) {
      if (targets & (1 << c))
        this.sgiSources[c * 16 + (id & 15)] = (this.sgiSources[c * 16 + (id & 15)] as number) | (1 << source);
    }
    this.update();
  }

  private bitRead(cpu: number, base: number, o: number, arr: Uint8Array): number {
    const first = (o - base) * 8;
    let v = 0;
    for (let b = 0; b < 32; b++) {
      const id = first + b;
      if (id < GIC_NUM_IRQ && arr[this.slot(cpu, id)]) v |= 1 << b;
    }
    return v >>> 0;
  }

  private pendRead(cpu: number, o: number): number {
    const first = (o - GicdReg.ISPENDR) * 8;
    let v = 0;
    for (let b = 0; b < 32; b++) {
      const id = first + b;
      if (id < GIC_NUM_IRQ && this.pending(this.slot(cpu, id), cpu, id)) v |= 1 << b;
    }
    return v >>> 0;
  }

  private distRead(cpu: number, o: number, size: number): number {
    if (o >= GicdReg.IPRIORITYR && o < GicdReg.ITARGETSR)
      return this.bytes(o, size, (id) => this.priority[this.slot(cpu, id)] as number);
    if (o >= GicdReg.ITARGETSR && o < GicdReg.ICFGR) {
      // RAZ/WI on a uniprocessor GIC (QEMU virt with one CPU reads zeros)
      if (this.cpus === 1) return 0;
      return this.bytes(o, size, (id) => (id < 32 ? 1 << cpu : (this.targets[id] as number)));
    }
    if (o === GicdReg.CTLR) return this.ctlr;
    if (o === GicdReg.TYPER) return ((GIC_NUM_IRQ / 32 - 1) | ((this.cpus - 1) << 5)) >>> 0;
    if (o === GicdReg.IIDR) return 0x43b; // implementer Arm, as QEMU reports
    if (o >= 0xfd0) return (GICD_ID[(o - 0xfd0) >> 2] as number | 0) >>> 0;
    if (o >= 0x1000 || o < 0x80) return 0;
    const w = o & ~3;
    if (w < GicdReg.ISENABLER) return this.bitRead(cpu, GicdReg.IGROUPR, w, this.group);
    if (w < GicdReg.ISPENDR)
      return this.bitRead(
        cpu,
        w < GicdReg.ICENABLER ? GicdReg.ISENABLER : GicdReg.ICENABLER,
        w,
        this.enabled,
      );
    if (w < GicdReg.ISACTIVER) return this.pendRead(cpu, w < GicdReg.ICPENDR ? w : w - 0x80);
    if (w < GicdReg.IPRIORITYR)
      return this.bitRead(cpu, w < GicdReg.ICACTIVER ? GicdReg.ISACTIVER : GicdReg.ICACTIVER, w, this.active);
    if (w >= GicdReg.ICFGR && w < GicdReg.ICFGR + GIC_NUM_IRQ / 4) {
      const first = (w - GicdReg.ICFGR) * 4;
      let v = 0;
      for (let k = 0; k < 16; k++) if (this.edge[this.slot(cpu, first + k)]) v |= 2 << (2 * k);
      return v >>> 0;
    }
    if (w >= GicdReg.CPENDSGIR && w < GicdReg.SPENDSGIR + 16) {
      // one byte per SGI: the source CPUs it is pending from (same view through both registers)
      const first = w & 15;
      let v = 0;
      for (let k = 0; k < 4; k++) v |= (this.sgiSources[cpu * 16 + first + k] as number) << (8 * k);
      return v >>> 0;
    }
    return 0;
  }

  // byte-per-interrupt registers: bytes at offset o..o+size-1 map to consecutive IDs
  private bytes(o: number, size: number, get: (id: number) => number): number {
    const first = o & 0x3ff;
    let v = 0;
    for (let k = 0; k < size; k++) {
      const id = first + k;
      if (id < GIC_NUM_IRQ) v |= (get(id) & 0xff) << (8 * k);
    }
    return v >>> 0;
  }

  private distWrite(cpu: number, o: number, size: number, value: number): void {
    if (o >= GicdReg.IPRIORITYR && o < GicdReg.ITARGETSR) {
      const first = o - GicdReg.IPRIORITYR;
      for (let k = 0; k < size; k++) {
        const id = first + k;
        if (id < GIC_NUM_IRQ) this.priority[this.slot(cpu, id)] = (value >>> (8 * k)) & 0xff;
      }
    } else if (o >= GicdReg.ITARGETSR && o < GicdReg.ICFGR) {
      const first = o - GicdReg.ITARGETSR;
      for (let k = 0; k < size; k++) {
        const id = first + k;
        if (id >= 32 && id < GIC_NUM_IRQ) this.targets[id] = (value >>> (8 * k)) & ((1 << this.cpus) - 1);
      }
    } else if (o === GicdReg.CTLR) {
      this.ctlr = value & 3;
    } else if (o === GicdReg.SGIR) {
      const filter = (value >>> 24) & 3;
      const list = (value >>> 16) & 0xff;
      const all = (1 << this.cpus) - 1;
      const targets =
        filter === 0 ? list & all : filter === 1 ? all & ~(1 << cpu) : filter === 2 ? 1 << cpu : 0;
      this.sendSgi(cpu, value & 15, targets);
      return;
    } else if (o >= 0x80 && o < GicdReg.IPRIORITYR) {
      const w = o & ~3;
      const first = ((w - 0x80) % 0x80) * 8;
      for (let b = 0; b < 32; b++) {
        const id = first + b;
        if (id >= GIC_NUM_IRQ || ((value >>> b) & 1) === 0) continue;
        const i = this.slot(cpu, id);
        if (w < GicdReg.ISENABLER) continue;
        if (w < GicdReg.ISPENDR) {
          const on = w < GicdReg.ICENABLER || id < 16 ? 1 : 0; // SGIs stay enabled (QEMU)
          if (id >= 32 && this.enabled[i] !== on) this.spisEnabled += on ? 1 : -1;
          this.enabled[i] = on;
        } else if (w < GicdReg.ICPENDR) {
          if (id >= 16) this.latched[i] = 1;
        } else if (w < GicdReg.ISACTIVER) {
          if (id >= 16) this.latched[i] = 0;
        } else if (w < GicdReg.ICACTIVER) this.active[i] = 1;
        else this.active[i] = 0;
      }
      if (o < GicdReg.ISENABLER) {
        for (let b = 0; b < 32; b++) {
          const id = first + b;
          if (id < GIC_NUM_IRQ) this.group[this.slot(cpu, id)] = (value >>> b) & 1;
        }
      }
    } else if (o >= GicdReg.ICFGR && o < GicdReg.ICFGR + GIC_NUM_IRQ / 4) {
      const first = ((o & ~3) - GicdReg.ICFGR) * 4;
      for (let k = 0; k < 16; k++) {
        const id = first + k;
        if (id >= 16 && id < GIC_NUM_IRQ) this.edge[this.slot(cpu, id)] = (value >>> (2 * k + 1)) & 1;
      }
    } else if (o >= GicdReg.CPENDSGIR && o < GicdReg.SPENDSGIR + 16) {
      const set = o >= GicdReg.SPENDSGIR;
      const first = o - (set ? GicdReg.SPENDSGIR : GicdReg.CPENDSGIR);
      for (let k = 0; k < size; k++) {
        const id = first + k;
        const m = (value >>> (8 * k)) & 0xff & ((1 << this.cpus) - 1);
        const j = cpu * 16 + id;
        this.sgiSources[j] = set ? (this.sgiSources[j] as number) | m : (this.sgiSources[j] as number) & ~m;
      }
    }
    this.update();
  }

  private cpuRead(cpu: number, o: number, _size: number): number {
    switch (o) {
      case GiccReg.CTLR:
        return this.cCtlr[cpu] as number;
      case GiccReg.PMR:
        return this.cPmr[cpu] as number;
      case GiccReg.BPR:
        return this.cBpr[cpu] as number;
      case GiccReg.IAR:
        return (this.cCtlr[cpu] as number) & 3 ? this.acknowledge(cpu) : SPURIOUS;
      case GiccReg.RPR: {
        const r = this.running(cpu);
        return r === IDLE ? 0xff : r;
      }
      case GiccReg.HPPIR:
        return this.highestPending(cpu);
      case GiccReg.IIDR:
        return 0x0002043b; // GICv2, implementer Arm (QEMU)
    }
    return 0;
  }

  private cpuWrite(cpu: number, o: number, _size: number, value: number): void {
    switch (o) {
      case GiccReg.CTLR:
        this.cCtlr[cpu] = value & 0x263;
        break;
      case GiccReg.PMR:
        this.cPmr[cpu] = value & 0xff;
        break;
      case GiccReg.BPR:
        this.cBpr[cpu] = value & 7;
        break;
      case GiccReg.EOIR:
        this.endOfInterrupt(cpu, value);
        return;
      case GiccReg.DIR:
        this.deactivate(cpu, value & 0x3ff);
        return;
      default:
        return;
    }
    this.update();
  }
}
