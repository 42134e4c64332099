// Arm semihosting (AArch64: `HLT #0xF000`, W0 = operation, X1 = parameter or parameter-block address),
// the subset bare-metal test images use: console output, exit with a status, SYS_CLOCK/TICKFREQ/ERRNO.
// Anything else (file I/O, SYS_ELAPSED, which writes guest memory) returns -1 with errno ENOSYS.
// Guest memory is read through a callback so the core can translate with the current regime; a bad
// pointer makes the call return -1, never a host error.

/** Operation numbers (Arm "Semihosting for AArch32 and AArch64", 2.0). */
export const SemihostOp = {
  SYS_WRITEC: 0x03,
  SYS_WRITE0: 0x04,
  SYS_WRITE: 0x05,
  SYS_CLOCK: 0x10,
  SYS_ERRNO: 0x13,
  SYS_EXIT: 0x18,
  SYS_EXIT_EXTENDED: 0x20,
  SYS_TICKFREQ: 0x31,
} as const;

/** SYS_EXIT reason codes. */
export const AdpStopped = {
  /** normal exit: the subcode is the exit status */
  APPLICATION_EXIT: 0x20026,
  RUNTIME_ERROR_UNKNOWN: 0x20023,
} as const;

/** Reads one byte of guest memory at a virtual address (halves); -1 when it is not readable. */
export type GuestByteReader = (lo: number, hi: number) => number;

/** Longest string SYS_WRITE0 reads before giving up (a runaway pointer ends, it does not hang). */
export const WRITE0_LIMIT = 1 << 20;
const TWO32 = 4294967296;

export class Semihosting {
  /** console output (fd 1, and SYS_WRITEC/SYS_WRITE0) */
  stdout: (bytes: Uint8Array) => void;
  /** fd 2 */
  stderr: (bytes: Uint8Array) => void;
  /** set by SYS_EXIT / SYS_EXIT_EXTENDED */
  exited = false;
  exitCode = 0;
  /** return value of the last call (X0), as halves */
  retLo = 0;
  retHi = 0;
  /** ticks source for SYS_CLOCK (the generic timer's counter) and its frequency */
  ticks: () => number = () => 0;
  tickFreq = 62_500_000;
  private errno = 0;
  private readonly buf = new Uint8Array(4096);

  constructor(stdout: (bytes: Uint8Array) => void, stderr?: (bytes: Uint8Array) => void) {
    this.stdout = stdout;
    this.stderr = stderr ?? stdout;
  }

  private ret(v: number): void {
    this.retLo = v >>> 0;
    this.retHi = v < 0 ? 0xffffffff : Math.floor(v / TWO32) >>> 0;
  }

  // a 64-bit field of the parameter block at (lo, hi) + 8*n, or -1 if unreadable; below 2^53 is exact
  private field(read: GuestByteReader, lo: number, hi: number, n: number): number {
    let v = 0;
    for (let k = 7; k >= 0; k--) {
      const a = (lo >>> 0) + 8 * n + k;
      const b = read(a >>> 0, (hi + (a >= TWO32 ? 1 : 0)) >>> 0);
      if (b < 0) return -1;
      v = v * 256 + b;
    }
    return v;
  }

  /**
   * Performs operation `op` with X1 = (x1Lo, x1Hi). Afterwards `retLo/retHi` is the value for X0, and
   * `exited`/`exitCode` say whether the guest asked to stop.
   */
  call(op: number, x1Lo: number, x1Hi: number, read: GuestByteReader): void {
    switch (op) {
      case SemihostOp.SYS_WRITEC: {
        const b = read(x1Lo >>> 0, x1Hi >>> 0);
        if (b >= 0) this.stdout(this.buf.subarray(0, 1).fill(b));
        return; // X0 is corrupted (unchanged here)
      }
      case SemihostOp.SYS_WRITE0: {
        let n = 0;
        let lo = x1Lo >>> 0;
        let hi = x1Hi >>> 0;
        for (let i = 0; i < WRITE0_LIMIT; i++) {
          const b = read(lo, hi);
          if (b <= 0) break;
          this.buf[n++] = b;
          if (n === this.buf.length) {
            this.stdout(this.buf.subarray(0, n));
            n = 0;
          }
          lo = (lo + 1) >>> 0;
          if (lo === 0) hi = (hi + 1) >>> 0;
        }
        if (n > 0) this.stdout(this.buf.subarray(0, n));
        return;
      }
      case SemihostOp.SYS_WRITE: {
        // block: fd, buffer address, length; returns the number of bytes NOT written
        const fd = this.field(read, x1Lo, x1Hi, 0);
        const addr = this.field(read, x1Lo, x1Hi, 1);
        const len = this.field(read, x1Lo, x1Hi, 2);
        if (fd < 0 || addr < 0 || len < 0) {
          this.ret(-1);
          return;
        }
        const out = fd === 2 ? this.stderr : this.stdout;
        let n = 0;
        let done = 0;
        for (; done < len; done++) {
          const a = addr + done;
          const b = read(a % TWO32, Math.floor(a / TWO32));
          if (b < 0) break;
          this.buf[n++] = b;
          if (n === this.buf.length) {
            out(this.buf.subarray(0, n));
            n = 0;
          }
        }
        if (n > 0) out(this.buf.subarray(0, n));
        this.ret(len - done);
        return;
      }
      case SemihostOp.SYS_EXIT:
      case SemihostOp.SYS_EXIT_EXTENDED: {
        // AArch64: X1 points to {reason, subcode}; any reason but ApplicationExit exits with 1 (as QEMU)
        const reason = this.field(read, x1Lo, x1Hi, 0);
        const sub = this.field(read, x1Lo, x1Hi, 1);
        this.exited = true;
        this.exitCode = reason === AdpStopped.APPLICATION_EXIT ? (sub < 0 ? 1 : sub % 256) : 1;
        this.ret(0);
        return;
      }
      case SemihostOp.SYS_CLOCK:
        this.ret(Math.floor((this.ticks() * 100) / this.tickFreq));
        return;
      case SemihostOp.SYS_TICKFREQ:
        this.ret(this.tickFreq);
        return;
      case SemihostOp.SYS_ERRNO:
        this.ret(this.errno);
        return;
    }
    this.errno = 38; // ENOSYS
    this.ret(-1);
  }
}
