import { type LinearHistogram, Log2Histogram } from "./histogram.ts";

/** A point-in-time copy of `EventStats`. Durations are ns; absent when no duration was recorded. */
export interface EventStatsSnapshot {
  /** Events that got through (past the filter, for tracepoints). */
  readonly count: number;
  /** Tracepoint hits the filter rejected. */
  readonly filtered: number;
  /** Timestamp of the last event, or undefined before the first. */
  readonly lastTimestampNs: bigint | undefined;
  readonly durationSamples: number;
  readonly durationMinNs: number | undefined;
  readonly durationMaxNs: number | undefined;
  readonly durationSumNs: number;
  /** Integer average (sum / samples, rounded down); undefined without samples. */
  readonly durationAvgNs: number | undefined;
  readonly p50Ns: number | undefined;
  readonly p90Ns: number | undefined;
  readonly p99Ns: number | undefined;
}

/**
 * Hits and durations of one event source (a tracepoint or a probe). A duration of 0 means "none",
 * as in the original, so it counts a hit but adds no sample. Numbers, not bigints: updated on every
 * event.
 */
export class EventStats {
  count = 0;
  filtered = 0;
  #tsLo = 0;
  #tsHi = 0;
  #seen = false;
  /** Log2 histogram of the durations (ns). */
  readonly durations = new Log2Histogram();
  /** An optional linear histogram of the durations, set with `setLinear`. */
  linear: LinearHistogram | undefined;

  /** Records one event at time `hi:lo` (32-bit halves of the u64 ns timestamp). */
  record(tsLo: number, tsHi: number, durationNs: number): void {
    this.count++;
    this.#tsLo = tsLo;
    this.#tsHi = tsHi;
    this.#seen = true;
    if (durationNs > 0) {
      this.durations.record(durationNs);
      this.linear?.record(durationNs);
    }
  }

  setLinear(h: LinearHistogram | undefined): void {
    this.linear = h;
  }

  reset(): void {
    this.count = 0;
    this.filtered = 0;
    this.#seen = false;
    this.#tsLo = 0;
    this.#tsHi = 0;
    this.durations.reset();
    this.linear?.reset();
  }

  snapshot(): EventStatsSnapshot {
    const d = this.durations;
    return {
      count: this.count,
      filtered: this.filtered,
      lastTimestampNs: this.#seen ? (BigInt(this.#tsHi) << 32n) | BigInt(this.#tsLo) : undefined,
      durationSamples: d.total,
      durationMinNs: d.min,
      durationMaxNs: d.max,
      durationSumNs: d.sum,
      durationAvgNs: d.total === 0 ? undefined : Math.floor(d.sum / d.total),
      p50Ns: d.percentile(0.5),
      p90Ns: d.percentile(0.9),
      p99Ns: d.percentile(0.99),
    };
  }
}
