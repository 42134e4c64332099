// Physical address space of the virt board: RAM at 0x4000_0000 and the MMIO windows of `VirtDevices`.
// Also the walker's `PhysMemory` (descriptor reads), and the per-page "fetched as code" marks that let
// writes drop stale decoded instructions.
import type { MmioBus } from "../devices/mmio-bus.ts";
import type { PhysMemory } from "../mmu/walk.ts";

export const RAM_BASE = 0x4000_0000;
const TWO32 = 4294967296;

export class PhysSpace implements PhysMemory {
  readonly ram: Uint8Array;
  readonly view: DataView;
  readonly ramSize: number;
  readonly mmio: MmioBus;
  /** one flag per RAM page: some word of it was fetched as an instruction */
  readonly code: Uint8Array;
  /** PhysMemory result halves */
  lo = 0;
  hi = 0;

  constructor(ramSize: number, mmio: MmioBus) {
    this.ramSize = ramSize;
    this.ram = new Uint8Array(ramSize);
    this.view = new DataView(this.ram.buffer);
    this.code = new Uint8Array(Math.ceil(ramSize / 4096));
    this.mmio = mmio;
  }

  /** Offset into `ram` of physical (lo, hi) for `len` bytes, or -1 when not all in RAM. */
  ramOffset(lo: number, hi: number, len: number): number {
    if (hi !== 0) return -1;
    const off = (lo >>> 0) - RAM_BASE;
    return off >= 0 && off <= this.ramSize - len ? off : -1;
  }

  read64(lo: number, hi: number): boolean {
    const off = this.ramOffset(lo, hi, 8);
    if (off < 0) return false;
    this.lo = this.view.getInt32(off, true);
    this.hi = this.view.getInt32(off + 4, true);
    return true;
  }

  /** Physical address as a number (below 2^53). */
  static addr(lo: number, hi: number): number {
    return (hi >>> 0) * TWO32 + (lo >>> 0);
  }
}
