import { TracepointError } from "../errors.ts";

/** Size of one `TraceEvent` record (repr(C), align 8). */
export const TRACE_EVENT_SIZE = 64;
/** Number of argument slots in a record. */
export const TRACE_EVENT_ARGS = 4;

/** Byte offset and size of every field of the 64-byte record (spec §3.9.2), little-endian. */
export const TraceEventLayout = {
  timestampNs: { offset: 0, size: 8 },
  probeType: { offset: 8, size: 1 },
  cpuId: { offset: 9, size: 1 },
  vmId: { offset: 10, size: 2 },
  eventId: { offset: 12, size: 4 },
  nameOffset: { offset: 16, size: 2 },
  nrArgs: { offset: 18, size: 1 },
  pad: { offset: 19, size: 1 },
  /** Implicit padding before `args` (alignment 8); always zero. */
  pad2: { offset: 20, size: 4 },
  args: { offset: 24, size: 32 },
  durationNs: { offset: 56, size: 8 },
} as const;

/** A decoded `TraceEvent`. u64 fields are bigints (this is an API boundary). */
export interface TraceEvent {
  readonly timestampNs: bigint;
  readonly probeType: number;
  readonly cpuId: number;
  readonly vmId: number;
  readonly eventId: number;
  /** Index into the event name table; 0 = no name. */
  readonly nameOffset: number;
  readonly nrArgs: number;
  readonly args: readonly [bigint, bigint, bigint, bigint];
  /** 0 = no duration. */
  readonly durationNs: bigint;
}

export type TraceEventInit = Partial<Omit<TraceEvent, "args">> & { readonly args?: readonly bigint[] };

const U64 = (1n << 64n) - 1n;

function checkInt(what: string, v: number, max: number): number {
  if (!Number.isInteger(v) || v < 0 || v > max) {
    throw new TracepointError(
      "TRACEPOINT_BAD_ARGUMENT",
      `TraceEvent.${what} must be an integer in 0..${max}, got ${v}`,
    );
  }
  return v;
}
function checkU64(what: string, v: bigint): bigint {
  if (typeof v !== "bigint" || v < 0n || v > U64) {
    throw new TracepointError(
      "TRACEPOINT_BAD_ARGUMENT",
      `TraceEvent.${what} must be a u64 bigint, got ${String(v)}`,
    );
  }
  return v;
}

/** Encodes an event into 64 bytes (a new array, or `into` at `offset`). Out-of-range fields throw. */
export function encodeTraceEvent(ev: TraceEventInit, into?: Uint8Array, offset = 0): Uint8Array {
  const out = into ?? new Uint8Array(TRACE_EVENT_SIZE);
  if (offset < 0 || offset + TRACE_EVENT_SIZE > out.length) {
    throw new TracepointError(
      "TRACEPOINT_EVENT_TOO_SHORT",
      `no room for a ${TRACE_EVENT_SIZE}-byte event at offset ${offset} of ${out.length} bytes`,
      { offset },
    );
  }
  const args = ev.args ?? [];
  if (args.length > TRACE_EVENT_ARGS) {
    throw new TracepointError(
      "TRACEPOINT_BAD_ARGUMENT",
      `a TraceEvent holds at most 4 args, got ${args.length}`,
    );
  }
  const v = new DataView(out.buffer, out.byteOffset + offset, TRACE_EVENT_SIZE);
  out.fill(0, offset, offset + TRACE_EVENT_SIZE);
  v.setBigUint64(0, checkU64("timestampNs", ev.timestampNs ?? 0n), true);
  v.setUint8(8, checkInt("probeType", ev.probeType ?? 0, 0xff));
  v.setUint8(9, checkInt("cpuId", ev.cpuId ?? 0, 0xff));
  v.setUint16(10, checkInt("vmId", ev.vmId ?? 0, 0xffff), true);
  v.setUint32(12, checkInt("eventId", ev.eventId ?? 0, 0xffff_ffff), true);
  v.setUint16(16, checkInt("nameOffset", ev.nameOffset ?? 0, 0xffff), true);
  v.setUint8(18, checkInt("nrArgs", ev.nrArgs ?? args.length, TRACE_EVENT_ARGS));
  for (let i = 0; i < args.length; i++) v.setBigUint64(24 + 8 * i, checkU64(`args[${i}]`, args[i]!), true);
  v.setBigUint64(56, checkU64("durationNs", ev.durationNs ?? 0n), true);
  return out;
}

/** Decodes the 64-byte record at `offset`; shorter input is a typed error naming the offset. */
export function decodeTraceEvent(bytes: Uint8Array, offset = 0): TraceEvent {
  if (!Number.isInteger(offset) || offset < 0 || offset + TRACE_EVENT_SIZE > bytes.length) {
    throw new TracepointError(
      "TRACEPOINT_EVENT_TOO_SHORT",
      `a TraceEvent needs ${TRACE_EVENT_SIZE} bytes at offset ${offset}, have ${Math.max(0, bytes.length - offset)}`,
      { offset },
    );
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset + offset, TRACE_EVENT_SIZE);
  return {
    timestampNs: v.getBigUint64(0, true),
    probeType: v.getUint8(8),
    cpuId: v.getUint8(9),
    vmId: v.getUint16(10, true),
    eventId: v.getUint32(12, true),
    nameOffset: v.getUint16(16, true),
    nrArgs: v.getUint8(18),
    args: [
      v.getBigUint64(24, true),
      v.getBigUint64(32, true),
      v.getBigUint64(40, true),
      v.getBigUint64(48, true),
    ],
    durationNs: v.getBigUint64(56, true),
  };
}
