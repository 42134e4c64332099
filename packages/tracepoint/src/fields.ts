import { TracepointError } from "./errors.ts";

/** Integer field types: C layout size and signedness (`bool` is a u8 holding 0 or 1). */
export const INT_FIELD_TYPES = {
  u8: { size: 1, signed: false },
  u16: { size: 2, signed: false },
  u32: { size: 4, signed: false },
  u64: { size: 8, signed: false },
  i8: { size: 1, signed: true },
  i16: { size: 2, signed: true },
  i32: { size: 4, signed: true },
  i64: { size: 8, signed: true },
  bool: { size: 1, signed: false },
} as const;
export type IntFieldType = keyof typeof INT_FIELD_TYPES;

/** A field type: an integer type, or `char[N]` (a NUL-padded string of N bytes, UTF-8). */
export type FieldType = IntFieldType | `char[${number}]`;

/** How a user declares a payload field. */
export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
}

/** A field placed in the record: what `format` prints and what filters read. */
export interface FieldLayout {
  readonly name: string;
  readonly type: FieldType;
  readonly offset: number;
  readonly size: number;
  readonly signed: boolean;
  readonly kind: "int" | "string";
  /** True for the four `common_*` header fields. */
  readonly common: boolean;
}

/** Size of the record header (`TraceEntry`) that precedes every payload. */
export const RECORD_HEADER_SIZE = 8;

/** The ftrace record header: every record starts with these four fields. */
export const COMMON_FIELDS: readonly FieldLayout[] = [
  { name: "common_type", type: "u16", offset: 0, size: 2, signed: false, kind: "int", common: true },
  { name: "common_flags", type: "u8", offset: 2, size: 1, signed: false, kind: "int", common: true },
  { name: "common_preempt_count", type: "u8", offset: 3, size: 1, signed: false, kind: "int", common: true },
  { name: "common_pid", type: "i32", offset: 4, size: 4, signed: true, kind: "int", common: true },
];

/** Largest `char[N]` accepted; records stay small enough for the trace pipe slots. */
export const MAX_STRING_FIELD = 256;

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function describeType(type: string): { size: number; signed: boolean; kind: "int" | "string" } | undefined {
  const int = (INT_FIELD_TYPES as Record<string, { size: number; signed: boolean } | undefined>)[type];
  if (int !== undefined) return { ...int, kind: "int" };
  const m = /^char\[(\d+)\]$/.exec(type);
  if (m === null) return undefined;
  const n = Number(m[1]);
  if (n < 1 || n > MAX_STRING_FIELD) return undefined;
  return { size: n, signed: false, kind: "string" };
}

/**
 * Places payload fields after the 8-byte header with C (`repr(C)`) rules: each field at its natural
 * alignment, the record padded to its largest alignment (at least 4, the header's).
 */
export function layoutFields(
  fields: readonly FieldSpec[],
  where: string,
): { fields: FieldLayout[]; recordSize: number } {
  const out: FieldLayout[] = [...COMMON_FIELDS];
  const seen = new Set(COMMON_FIELDS.map((f) => f.name));
  let offset = RECORD_HEADER_SIZE;
  let align = 4;
  fields.forEach((f, index) => {
    if (typeof f?.name !== "string" || !IDENT.test(f.name)) {
      throw new TracepointError(
        "TRACEPOINT_INVALID_FIELD",
        `${where}: field ${index} has an invalid name ${JSON.stringify(f?.name)} (want [A-Za-z_][A-Za-z0-9_]*)`,
      );
    }
    if (seen.has(f.name)) {
      throw new TracepointError("TRACEPOINT_INVALID_FIELD", `${where}: duplicate field '${f.name}'`);
    }
    const t = describeType(String(f.type));
    if (t === undefined) {
      throw new TracepointError(
        "TRACEPOINT_INVALID_FIELD",
        `${where}: field '${f.name}' has unsupported type ${JSON.stringify(f.type)} ` +
          `(want u8..u64, i8..i64, bool or char[1..${MAX_STRING_FIELD}])`,
      );
    }
    seen.add(f.name);
    const a = t.kind === "string" ? 1 : t.size;
    offset = Math.ceil(offset / a) * a;
    out.push({
      name: f.name,
      type: f.type,
      offset,
      size: t.size,
      signed: t.signed,
      kind: t.kind,
      common: false,
    });
    offset += t.size;
    align = Math.max(align, a);
  });
  return { fields: out, recordSize: Math.ceil(offset / align) * align };
}

const U64_MAX = (1n << 64n) - 1n;

/**
 * Reads an integer field from a record as a bigint (API boundary; the hot paths read 32-bit halves).
 */
export function readIntField(view: DataView, f: FieldLayout): bigint {
  switch (f.size) {
    case 1:
      return BigInt(f.signed ? view.getInt8(f.offset) : view.getUint8(f.offset));
    case 2:
      return BigInt(f.signed ? view.getInt16(f.offset, true) : view.getUint16(f.offset, true));
    case 4:
      return BigInt(f.signed ? view.getInt32(f.offset, true) : view.getUint32(f.offset, true));
    default:
      return f.signed ? view.getBigInt64(f.offset, true) : view.getBigUint64(f.offset, true);
  }
}

const decoder = new TextDecoder("utf-8", { fatal: false });

/** The bytes of a `char[N]` field up to its first NUL. */
export function stringFieldBytes(bytes: Uint8Array, f: FieldLayout): Uint8Array {
  const end = Math.min(f.offset + f.size, bytes.length);
  let i = f.offset;
  while (i < end && bytes[i] !== 0) i++;
  return bytes.subarray(f.offset, i);
}

export function readStringField(bytes: Uint8Array, f: FieldLayout): string {
  return decoder.decode(stringFieldBytes(bytes, f));
}

/** Range of an integer field as [min, max] bigints. */
export function fieldRange(f: FieldLayout): readonly [bigint, bigint] {
  if (f.type === "bool") return [0n, 1n];
  const bits = BigInt(f.size * 8);
  return f.signed ? [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n] : [0n, (1n << bits) - 1n];
}

export { U64_MAX };
