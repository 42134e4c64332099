// ARM PrimeCell UART (PL011) as QEMU models it (hw/char/pl011.c): a write to DR goes straight to the host
// sink (no TX FIFO, so FR.TXFF never sets and TXFE stays set), received bytes wait in a 16-byte FIFO
// (1 byte with LCR_H.FEN = 0), and RX/TX interrupts are raised through RIS & IMSC.
import type { Device, IrqLine } from "./device.ts";

/** Register offsets. */
export const Pl011Reg = {
  DR: 0x000,
  RSR: 0x004,
  FR: 0x018,
  ILPR: 0x020,
  IBRD: 0x024,
  FBRD: 0x028,
  LCR_H: 0x02c,
  CR: 0x030,
  IFLS: 0x034,
  IMSC: 0x038,
  RIS: 0x03c,
  MIS: 0x040,
  ICR: 0x044,
  DMACR: 0x048,
} as const;

/** FR bits. */
export const Pl011Flag = { BUSY: 1 << 3, RXFE: 1 << 4, TXFF: 1 << 5, RXFF: 1 << 6, TXFE: 1 << 7 } as const;
/** Interrupt bits of RIS/MIS/IMSC/ICR. */
export const Pl011Int = { RX: 1 << 4, TX: 1 << 5, RT: 1 << 6 } as const;

// PeriphID0-3 and CellID0-3 at 0xFE0..0xFFC
const ID = [0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1] as const;
const LCR_FEN = 1 << 4;

export class Pl011 implements Device {
  readonly size = 0x1000;
  /** receives every byte the guest writes to DR */
  sink: (byte: number) => void;
  irq: IrqLine | undefined;
  private readonly fifo = new Uint8Array(16);
  private head = 0;
  private count = 0;
  private lcr = 0;
  private cr = 0x300;
  private ifls = 0x12;
  private imsc = 0;
  private ris = 0;
  private ibrd = 0;
  private fbrd = 0;
  private ilpr = 0;
  private dmacr = 0;

  constructor(sink: (byte: number) => void, irq?: IrqLine) {
    this.sink = sink;
    this.irq = irq;
  }

  private get depth(): number {
    return this.lcr & LCR_FEN ? 16 : 1;
  }

  /** Host → guest: queues a received byte; false (byte dropped) when the FIFO is full. */
  receive(byte: number): boolean {
    if (this.count >= this.depth) return false;
    this.fifo[(this.head + this.count) & 15] = byte;
    this.count++;
    this.ris |= Pl011Int.RX;
    this.update();
    return true;
  }

  private update(): void {
    this.irq?.setLevel((this.ris & this.imsc) !== 0);
  }

  read(offset: number, _size: number): number {
    switch (offset) {
      case Pl011Reg.DR: {
        if (this.count === 0) return 0;
        const c = this.fifo[this.head] as number;
        this.head = (this.head + 1) & 15;
        this.count--;
        if (this.count === 0) this.ris &= ~Pl011Int.RX;
        this.update();
        return c;
      }
      case Pl011Reg.FR: {
        let fr = Pl011Flag.TXFE;
        if (this.count === 0) fr |= Pl011Flag.RXFE;
        if (this.count >= this.depth) fr |= Pl011Flag.RXFF;
        return fr;
      }
      case Pl011Reg.ILPR:
        return this.ilpr;
      case Pl011Reg.IBRD:
        return this.ibrd;
      case Pl011Reg.FBRD:
        return this.fbrd;
      case Pl011Reg.LCR_H:
        return this.lcr;
      case Pl011Reg.CR:
        return this.cr;
      case Pl011Reg.IFLS:
        return this.ifls;
      case Pl011Reg.IMSC:
        return this.imsc;
      case Pl011Reg.RIS:
        return this.ris;
      case Pl011Reg.MIS:
        return this.ris & this.imsc;
      case Pl011Reg.DMACR:
        return this.dmacr;
    }
    if (offset >= 0xfe0 && offset < 0x1000) return ID[(offset - 0xfe0) >> 2] as number;
    return 0;
  }

  write(offset: number, _size: number, value: number): void {
    switch (offset) {
      case Pl011Reg.DR:
        this.sink(value & 0xff);
        this.ris |= Pl011Int.TX;
        this.update();
        return;
      case Pl011Reg.RSR:
        return; // clears receive errors: none are modelled
      case Pl011Reg.ILPR:
        this.ilpr = value & 0xff;
        return;
      case Pl011Reg.IBRD:
        this.ibrd = value & 0xffff;
        return;
      case Pl011Reg.FBRD:
        this.fbrd = value & 0x3f;
        return;
      case Pl011Reg.LCR_H:
        // leaving FIFO mode drops what a 1-byte FIFO cannot hold (QEMU resets the FIFO on FEN changes)
        if ((this.lcr ^ value) & LCR_FEN) {
          this.count = 0;
          this.ris &= ~Pl011Int.RX;
        }
        this.lcr = value & 0xff;
        this.update();
        return;
      case Pl011Reg.CR:
        this.cr = value & 0xffff;
        return;
      case Pl011Reg.IFLS:
        this.ifls = value & 0x3f;
        return;
      case Pl011Reg.IMSC:
        this.imsc = value & 0x7ff;
        this.update();
        return;
      case Pl011Reg.ICR:
        this.ris &= ~value;
        this.update();
        return;
      case Pl011Reg.DMACR:
        this.dmacr = value & 7;
        return;
    }
  }
}
