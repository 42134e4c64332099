import { TracepointError } from "./errors.ts";

/** Width of the `@` bar, as in bpftrace's `hist()` output. */
export const HIST_BAR_WIDTH = 52;
/** Most buckets a linear histogram may have. */
export const MAX_LINEAR_BUCKETS = 100_000;

const TWO32 = 0x1_0000_0000;
const SUFFIXES = ["", "K", "M", "G", "T", "P", "E"] as const;

/** `2^p` written like bpftrace: 1, 2, ..., 512, 1K, 2K, ..., 1M, ... */
function powerLabel(p: number): string {
  const unit = Math.floor(p / 10);
  return `${2 ** (p - unit * 10)}${SUFFIXES[unit]}`;
}

function formatRow(label: string, count: number, max: number): string {
  const bar = max === 0 ? 0 : Math.floor((count / max) * HIST_BAR_WIDTH);
  return `${label.padEnd(16)}${String(count).padStart(8)} |${"@".repeat(bar).padEnd(HIST_BAR_WIDTH)}|`;
}

/** Common bookkeeping: counts per bucket plus exact count, sum, min and max of the samples. */
abstract class BucketHistogram {
  protected readonly counts: Float64Array;
  #total = 0;
  #sum = 0;
  #min = Number.POSITIVE_INFINITY;
  #max = Number.NEGATIVE_INFINITY;

  constructor(buckets: number) {
    this.counts = new Float64Array(buckets);
  }

  protected abstract indexOf(value: number): number;
  /** Inclusive bounds of bucket `i` as numbers (±Infinity for the open ends). */
  protected abstract boundsOf(i: number): readonly [number, number];
  protected abstract labelOf(i: number): string;

  /** Adds one sample (an integer such as ns or bytes; NaN is ignored). */
  record(value: number): void {
    if (Number.isNaN(value)) return;
    this.counts[this.indexOf(value)]!++;
    this.#total++;
    this.#sum += value;
    if (value < this.#min) this.#min = value;
    if (value > this.#max) this.#max = value;
  }

  get total(): number {
    return this.#total;
  }
  get sum(): number {
    return this.#sum;
  }
  /** Smallest sample, or undefined when empty. */
  get min(): number | undefined {
    return this.#total === 0 ? undefined : this.#min;
  }
  get max(): number | undefined {
    return this.#total === 0 ? undefined : this.#max;
  }

  /** Count in bucket `i` (see `buckets()` for the ranges). */
  bucket(i: number): number {
    return this.counts[i] ?? 0;
  }

  /** Every bucket with its inclusive range and count, lowest first. */
  buckets(): {
    readonly label: string;
    readonly low: number;
    readonly high: number;
    readonly count: number;
  }[] {
    return Array.from(this.counts, (count, i) => {
      const [low, high] = this.boundsOf(i);
      return { label: this.labelOf(i), low, high, count };
    });
  }

  /**
   * The `p`-th percentile (0 < p ≤ 1), estimated from the buckets: the inclusive upper bound of the
   * bucket that holds the ⌈p·n⌉-th smallest sample, clamped to the observed min and max. It is never
   * below the exact percentile, lies in the same bucket, and is exact when a bucket holds one value.
   * Empty histogram → undefined.
   */
  percentile(p: number): number | undefined {
    if (!(p > 0 && p <= 1)) {
      throw new TracepointError("TRACEPOINT_INVALID_OPTION", `percentile must be in (0, 1], got ${p}`);
    }
    if (this.#total === 0) return undefined;
    const rank = Math.max(1, Math.ceil(p * this.#total - 1e-9));
    let cum = 0;
    for (let i = 0; i < this.counts.length; i++) {
      cum += this.counts[i]!;
      if (cum >= rank) {
        const high = this.boundsOf(i)[1];
        return Math.min(Math.max(high, this.#min), this.#max);
      }
    }
    return this.#max;
  }

  reset(): void {
    this.counts.fill(0);
    this.#total = 0;
    this.#sum = 0;
    this.#min = Number.POSITIVE_INFINITY;
    this.#max = Number.NEGATIVE_INFINITY;
  }

  /**
   * ASCII rendering like bpftrace's `hist()`/`lhist()`: one row per bucket from the first to the
   * last non-empty one, `label count |@@@…|` with the bar scaled to the fullest bucket. Empty → "".
   */
  render(): string {
    let first = -1;
    let last = -1;
    let max = 0;
    for (let i = 0; i < this.counts.length; i++) {
      const c = this.counts[i]!;
      if (c > 0) {
        if (first < 0) first = i;
        last = i;
        if (c > max) max = c;
      }
    }
    if (first < 0) return "";
    const rows: string[] = [];
    for (let i = first; i <= last; i++) rows.push(formatRow(this.labelOf(i), this.counts[i]!, max));
    return `${rows.join("\n")}\n`;
  }
}

/**
 * Power-of-two buckets like bpftrace's `hist()`: `(..., 0)` for negatives, `[0]`, `[1]`, then
 * `[2^k, 2^(k+1))` up to 2^64.
 */
export class Log2Histogram extends BucketHistogram {
  constructor() {
    super(67);
  }

  protected indexOf(v: number): number {
    if (v < 0) return 0;
    if (v < 1) return 1;
    if (v < TWO32) return 2 + 31 - Math.clz32(v);
    if (v >= 2 ** 64) return 66;
    return 2 + 63 - Math.clz32(Math.floor(v / TWO32));
  }

  protected boundsOf(i: number): readonly [number, number] {
    if (i === 0) return [Number.NEGATIVE_INFINITY, -1];
    if (i === 1) return [0, 0];
    return [2 ** (i - 2), 2 ** (i - 1) - 1];
  }

  protected labelOf(i: number): string {
    if (i === 0) return "(..., 0)";
    if (i === 1) return "[0]";
    if (i === 2) return "[1]";
    return `[${powerLabel(i - 2)}, ${powerLabel(i - 1)})`;
  }
}

/**
 * Fixed-width buckets like bpftrace's `lhist(v, min, max, step)`: `(..., min)`, `[min, min+step)`,
 * ..., `[max, ...)`.
 */
export class LinearHistogram extends BucketHistogram {
  readonly low: number;
  readonly high: number;
  readonly step: number;

  constructor(min: number, max: number, step: number) {
    const ok = [min, max, step].every(Number.isSafeInteger) && step > 0 && max > min;
    const n = ok ? Math.ceil((max - min) / step) : 0;
    if (!ok || n > MAX_LINEAR_BUCKETS) {
      throw new TracepointError(
        "TRACEPOINT_INVALID_OPTION",
        `linear histogram needs integers min < max and step > 0 with at most ${MAX_LINEAR_BUCKETS} buckets, ` +
          `got min=${min} max=${max} step=${step}`,
      );
    }
    super(n + 2);
    this.low = min;
    this.high = max;
    this.step = step;
  }

  protected indexOf(v: number): number {
    if (v < this.low) return 0;
    if (v >= this.high) return this.counts.length - 1;
    return 1 + Math.floor((v - this.low) / this.step);
  }

  protected boundsOf(i: number): readonly [number, number] {
    if (i === 0) return [Number.NEGATIVE_INFINITY, this.low - 1];
    if (i === this.counts.length - 1) return [this.high, Number.POSITIVE_INFINITY];
    const lo = this.low + (i - 1) * this.step;
    return [lo, Math.min(lo + this.step, this.high) - 1];
  }

  protected labelOf(i: number): string {
    if (i === 0) return `(..., ${this.low})`;
    if (i === this.counts.length - 1) return `[${this.high}, ...)`;
    const lo = this.low + (i - 1) * this.step;
    return `[${lo}, ${Math.min(lo + this.step, this.high)})`;
  }
}
