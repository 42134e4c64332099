// Devices of QEMU's `virt` board: PL011 UART, GICv2 (distributor, CPU interface, virtual interface),
// generic timer, semihosting, and an MmioBus that maps them at the virt addresses.
//
// How the core uses it:
//   const dev = new VirtDevices((bytes) => process.stdout.write(bytes));
//   physical access not in RAM → dev.bus.read(paLo, paHi, size) / dev.bus.write(...) (false → external abort)
//   MRS/MSR of a sysreg with Effect.TIMER → dev.timer.readSysreg(id) (hi in dev.timer.hi) / writeSysreg
//   the run loop: dev.timer.advance(ticks) per block; IRQ to the CPU = dev.gic.irq[0]; virtual IRQ =
//     dev.gicv.virq || HCR_EL2.VI; WFI may skip dev.timer.ticksToNextEvent() ticks
//   HLT #0xF000 → dev.semihosting.call(w0, x1Lo, x1Hi, readByte); X0 = retLo/retHi; stop if `exited`.
// Nothing here allocates per access.
export { type Device, type IrqLine, VirtIrq, VirtMap } from "./device.ts";
export { GIC_NUM_IRQ, Gic, GiccReg, GicdReg, SPURIOUS } from "./gic.ts";
export { GIC_NUM_LRS, GICH_VTR, GichLr, GichReg, GicVirtual } from "./gic-virtual.ts";
export { MmioBus } from "./mmio-bus.ts";
export { Pl011, Pl011Flag, Pl011Int, Pl011Reg } from "./pl011.ts";
export { AdpStopped, type GuestByteReader, Semihosting, SemihostOp, WRITE0_LIMIT } from "./semihosting.ts";
export { CNTFRQ, GenericTimer, TimerCtl, TimerId } from "./timer.ts";
export { VirtDevices } from "./virt.ts";
