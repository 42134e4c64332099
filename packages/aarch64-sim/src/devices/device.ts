// What every memory-mapped device implements, and the QEMU `virt` board map they sit at
// (hw/arm/virt.c; aarch64-notes §3.6).

/** A memory-mapped device. Offsets are from its base; values are 32-bit numbers (returned as uint32). */
export interface Device {
  /** bytes of address space it decodes */
  readonly size: number;
  /** Reads `size` (1, 2 or 4) bytes at `offset`. Unmapped registers read as 0 (RAZ). */
  read(offset: number, size: number): number;
  /** Writes `size` bytes; writes to read-only or unmapped registers are ignored (WI). */
  write(offset: number, size: number, value: number): void;
}

/** An interrupt input the device drives (level-sensitive). */
export interface IrqLine {
  setLevel(level: boolean): void;
}

/** Physical addresses and interrupt numbers of QEMU's `virt` board. */
export const VirtMap = {
  GICD: 0x0800_0000,
  GICC: 0x0801_0000,
  /** GICv2 virtual interface control (hypervisor view) */
  GICH: 0x0803_0000,
  /** GICv2 virtual CPU interface (what a guest maps as its GICC) */
  GICV: 0x0804_0000,
  UART0: 0x0900_0000,
  RAM: 0x4000_0000,
} as const;

/** Interrupt IDs (GIC INTIDs) on `virt`. */
export const VirtIrq = {
  /** GIC virtual interface maintenance interrupt (PPI 9) */
  GIC_MAINTENANCE: 25,
  /** EL2 physical timer (PPI 10) */
  TIMER_HYP: 26,
  /** EL1 virtual timer (PPI 11) */
  TIMER_VIRT: 27,
  /** secure EL1 physical timer (PPI 13) */
  TIMER_SEC: 29,
  /** non-secure EL1 physical timer (PPI 14) */
  TIMER_PHYS: 30,
  /** PL011 UART0 (SPI 1) */
  UART0: 33,
} as const;
