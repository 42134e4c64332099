// The devices of QEMU's `virt` board for one CPU, wired together: PL011 → SPI 33, timers → PPIs 30/27/26,
// GICH/GICV for one vCPU, all mapped at their virt addresses on an MmioBus.
import { type IrqLine, VirtIrq, VirtMap } from "./device.ts";
import { Gic } from "./gic.ts";
import { GicVirtual } from "./gic-virtual.ts";
import { MmioBus } from "./mmio-bus.ts";
import { Pl011 } from "./pl011.ts";
import { Semihosting } from "./semihosting.ts";
import { GenericTimer } from "./timer.ts";

export class VirtDevices {
  readonly gic: Gic;
  readonly gicv: GicVirtual;
  readonly uart: Pl011;
  readonly timer: GenericTimer;
  readonly semihosting: Semihosting;
  readonly bus: MmioBus;

  /** `out` receives UART and semihosting console bytes (e.g. a writer to process.stdout). */
  constructor(out: (bytes: Uint8Array) => void) {
    const gic = new Gic(1);
    this.gic = gic;
    this.gicv = new GicVirtual(gic, 0);
    const one = new Uint8Array(1);
    this.uart = new Pl011((b) => {
      one[0] = b;
      out(one);
    }, gic.line(VirtIrq.UART0));
    const l = (id: number): IrqLine => gic.line(id, 0);
    this.timer = new GenericTimer(l(VirtIrq.TIMER_PHYS), l(VirtIrq.TIMER_VIRT), l(VirtIrq.TIMER_HYP));
    this.semihosting = new Semihosting(out);
    this.semihosting.ticks = () => this.timer.counter;
    this.bus = new MmioBus()
      .map(VirtMap.GICD, gic.distributor)
      .map(VirtMap.GICC, gic.cpuInterface(0))
      .map(VirtMap.GICH, this.gicv.control)
      .map(VirtMap.GICV, this.gicv.vcpu)
      .map(VirtMap.UART0, this.uart);
  }
}
