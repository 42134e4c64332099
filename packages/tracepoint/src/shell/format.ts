import { probeTypeName } from "../events/probe-type.ts";
import type { TraceEvent } from "../events/trace-event.ts";

/** `812ns`, `1.5us`, `12.0ms`, `3.2s`: one decimal above ns, like AxVisor's `trace` output. */
export function formatDuration(ns: bigint | number): string {
  const n = typeof ns === "bigint" ? Number(ns) : ns;
  if (n < 1_000) return `${n}ns`;
  if (n < 1_000_000) return `${(n / 1_000).toFixed(1)}us`;
  if (n < 1_000_000_000) return `${(n / 1_000_000).toFixed(1)}ms`;
  return `${(n / 1_000_000_000).toFixed(1)}s`;
}

/** `[secs.usecs] cpuN TYPE NAME args=[..] dur=.. vmN`, one line per event. */
export function formatEvent(ev: TraceEvent, name: string | undefined): string {
  const secs = ev.timestampNs / 1_000_000_000n;
  const usecs = (ev.timestampNs % 1_000_000_000n) / 1000n;
  const args = ev.args.slice(0, ev.nrArgs).map((a) => `0x${a.toString(16)}`);
  let s = `[${secs}.${String(usecs).padStart(6, "0")}] cpu${ev.cpuId} ${probeTypeName(ev.probeType)} ${name ?? `#${ev.eventId}`}`;
  if (args.length > 0) s += ` args=[${args.join(", ")}]`;
  if (ev.durationNs !== 0n) s += ` dur=${formatDuration(ev.durationNs)}`;
  return `${s} vm${ev.vmId}`;
}

/** Left-aligned text table with two spaces between columns. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: readonly string[]): string =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}
