/**
 * The one probe-type enum, used in `TraceEvent.probe_type` and wherever else a probe kind is stored
 * (the original had three numberings; this is the event-tag one, spec §3.9.1).
 */
export const ProbeType = {
  tracepoint: 0,
  hprobe: 1,
  hretprobe: 2,
  kprobe: 3,
  kretprobe: 4,
} as const;
export type ProbeTypeName = keyof typeof ProbeType;
export type ProbeType = (typeof ProbeType)[ProbeTypeName];

const NAMES: readonly ProbeTypeName[] = ["tracepoint", "hprobe", "hretprobe", "kprobe", "kretprobe"];

/** "tracepoint", "hprobe", ..., or "unknown" for a tag outside the enum. */
export function probeTypeName(tag: number): ProbeTypeName | "unknown" {
  return NAMES[tag] ?? "unknown";
}

export function isProbeType(tag: unknown): tag is ProbeType {
  return typeof tag === "number" && Number.isInteger(tag) && tag >= 0 && tag < NAMES.length;
}
