// Physical address decoding for devices: a handful of (base, device) windows below 4 GiB, as on `virt`.
// The core sends a physical access here when RAM does not claim it; `false` from read/write means nothing
// decodes the address (the core raises a synchronous external abort).
import type { Device } from "./device.ts";

export class MmioBus {
  private readonly bases: number[] = [];
  private readonly devices: Device[] = [];
  /** value of the last successful `read` */
  value = 0;

  /** Maps `device` at physical `base` (below 4 GiB); throws RangeError on overlap. */
  map(base: number, device: Device): this {
    if (!(Number.isInteger(base) && base >= 0 && base + device.size <= 0x1_0000_0000)) {
      throw new RangeError(
        `MMIO window 0x${base.toString(16)}+0x${device.size.toString(16)} is not below 4 GiB`,
      );
    }
    for (let i = 0; i < this.bases.length; i++) {
      const b = this.bases[i] as number;
      const d = this.devices[i] as Device;
      if (base < b + d.size && b < base + device.size) {
        throw new RangeError(`MMIO window 0x${base.toString(16)} overlaps the one at 0x${b.toString(16)}`);
      }
    }
    this.bases.push(base);
    this.devices.push(device);
    return this;
  }

  /** Index of the device decoding physical (lo, hi), or -1. */
  find(lo: number, hi: number): number {
    if (hi !== 0) return -1;
    const a = lo >>> 0;
    for (let i = 0; i < this.bases.length; i++) {
      const off = a - (this.bases[i] as number);
      if (off >= 0 && off < (this.devices[i] as Device).size) return i;
    }
    return -1;
  }

  /** Reads `size` (1, 2, 4) bytes into `value`; false when no device decodes the address. */
  read(lo: number, hi: number, size: number): boolean {
    const i = this.find(lo, hi);
    if (i < 0) return false;
    this.value = (this.devices[i] as Device).read((lo >>> 0) - (this.bases[i] as number), size) >>> 0;
    return true;
  }

  /** Writes `size` (1, 2, 4) bytes; false when no device decodes the address. */
  write(lo: number, hi: number, size: number, value: number): boolean {
    const i = this.find(lo, hi);
    if (i < 0) return false;
    (this.devices[i] as Device).write((lo >>> 0) - (this.bases[i] as number), size, value >>> 0);
    return true;
  }
}
