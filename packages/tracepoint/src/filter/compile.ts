import type { TracepointErrorCode } from "../errors.ts";
import type { FieldLayout } from "../fields.ts";
import { type CompareNode, CompareOp, type FilterNode, type Literal } from "./ast.ts";
import { type CompiledGlob, compileGlob, GlobSyntaxError, matchGlob } from "./glob.ts";
import { filterError } from "./lexer.ts";
import { parseFilter } from "./parser.ts";

/** Tri-state results: a comparison on a missing field is Unknown, which `&&`/`||` treat as neutral. */
export const Tri = { False: 0, True: 1, Unknown: 2 } as const;
export type Tri = (typeof Tri)[keyof typeof Tri];
export type TriName = "true" | "false" | "unknown";
const TRI_NAMES: readonly TriName[] = ["false", "true", "unknown"];

/** Field values by name for `evaluateValues`; a missing (or unparsable) value makes its comparisons Unknown. */
export type FilterValues = Readonly<Record<string, number | bigint | string | boolean | undefined>>;

type Eval = (bytes: Uint8Array, view: DataView) => Tri;

const OP_CODE = { "==": 0, "!=": 1, "<": 2, "<=": 3, ">": 4, ">=": 5, "~": 6 } as const;

function testOrder(op: number, c: number): boolean {
  switch (op) {
    case 0:
      return c === 0;
    case 1:
      return c !== 0;
    case 2:
      return c < 0;
    case 3:
      return c <= 0;
    case 4:
      return c > 0;
    default:
      return c >= 0;
  }
}

const encoder = new TextEncoder();
const TWO63 = 1n << 63n;

/**
 * A filter compiled against one tracepoint's fields. `matches(record)` is the hot path: it reads
 * fields as 32-bit halves straight from the record (no bigint, no allocation) and maps a top-level
 * Unknown to true (fail-open, like ftrace).
 */
export class CompiledFilter {
  readonly #eval: Eval;

  /** @internal use `compileFilter` */
  constructor(
    readonly source: string,
    readonly ast: FilterNode,
    readonly fields: readonly FieldLayout[],
    evaluator: Eval,
  ) {
    this.#eval = evaluator;
  }

  /** True when the record passes (Unknown passes). `view` must be a DataView over the same bytes. */
  matches(record: Uint8Array, view?: DataView): boolean {
    return (
      this.#eval(record, view ?? new DataView(record.buffer, record.byteOffset, record.byteLength)) !==
      Tri.False
    );
  }

  /** The tri-state result for a record (fields beyond the record's end are Unknown). */
  evaluate(record: Uint8Array): TriName {
    return TRI_NAMES[this.#eval(record, new DataView(record.buffer, record.byteOffset, record.byteLength))]!;
  }

  /**
   * The tri-state result over named values instead of a record: the reference semantics, computed
   * with exact bigint arithmetic. Integers must be given as number/bigint/boolean; anything else,
   * or an absent name, is Unknown.
   */
  evaluateValues(values: FilterValues): TriName {
    return TRI_NAMES[evalValues(this.ast, this.fields, values)]!;
  }
}

/** Parses `input` and checks every comparison against `fields`; errors carry the column. */
export function compileFilter(input: string, fields: readonly FieldLayout[]): CompiledFilter {
  const ast = parseFilter(input);
  const byName = new Map(fields.map((f) => [f.name, f]));
  return new CompiledFilter(input, ast, fields, build(ast, byName));
}

function fail(code: TracepointErrorCode, message: string, span: { start: number; end: number }): never {
  throw filterError(code, message, span);
}

function lookupField(node: CompareNode, byName: ReadonlyMap<string, FieldLayout>): FieldLayout {
  const f = byName.get(node.field);
  if (f === undefined) {
    fail(
      "TRACEPOINT_FILTER_UNKNOWN_FIELD",
      `unknown field '${node.field}' (fields: ${[...byName.keys()].join(", ")})`,
      node.fieldSpan,
    );
  }
  return f;
}

function numberOf(lit: Literal): bigint {
  if (lit.value !== undefined && !lit.quoted) return lit.value;
  if (lit.numberError !== undefined)
    fail(lit.numberError.code as TracepointErrorCode, lit.numberError.message, lit.span);
  return fail("TRACEPOINT_FILTER_EXPECTED_NUMBER", `numeric literal required, found '${lit.text}'`, lit.span);
}

function build(node: FilterNode, byName: ReadonlyMap<string, FieldLayout>): Eval {
  if (node.type === "and") {
    const l = build(node.left, byName);
    const r = build(node.right, byName);
    return (b, v) => {
      const a = l(b, v);
      if (a === Tri.False) return Tri.False;
      const c = r(b, v);
      if (c === Tri.False) return Tri.False;
      // Neither is False: Unknown is neutral.
      return a === Tri.Unknown ? c : Tri.True;
    };
  }
  if (node.type === "or") {
    const l = build(node.left, byName);
    const r = build(node.right, byName);
    return (b, v) => {
      const a = l(b, v);
      if (a === Tri.True) return Tri.True;
      const c = r(b, v);
      if (c === Tri.True) return Tri.True;
      // Neither is True: Unknown on one side yields the other side.
      return a === Tri.Unknown ? c : c === Tri.Unknown ? a : Tri.False;
    };
  }
  const cmp = node as CompareNode;
  const f = lookupField(cmp, byName);
  return f.kind === "string" ? buildString(cmp, f) : buildNumeric(cmp, f);
}

function buildString(node: CompareNode, f: FieldLayout): Eval {
  if (node.mask !== undefined) {
    fail(
      "TRACEPOINT_FILTER_NOT_NUMERIC",
      `field '${f.name}' is a string; '&' needs a numeric field`,
      node.fieldSpan,
    );
  }
  if (node.op !== CompareOp.Eq && node.op !== CompareOp.Ne && node.op !== CompareOp.Glob) {
    fail(
      "TRACEPOINT_FILTER_NOT_NUMERIC",
      `field '${f.name}' is a string; '${node.op}' needs a numeric field`,
      node.fieldSpan,
    );
  }
  const off = f.offset;
  const end = f.offset + f.size;
  if (node.op === CompareOp.Glob) {
    let g: CompiledGlob;
    try {
      g = compileGlob(node.literal.text);
    } catch (e) {
      if (!(e instanceof GlobSyntaxError)) throw e;
      const at = node.literal.quoted ? node.literal.span.start + 1 : node.literal.span.start;
      return fail("TRACEPOINT_FILTER_BAD_GLOB", e.message, { start: at + e.index, end: at + e.index + 1 });
    }
    return (b) => {
      if (end > b.length) return Tri.Unknown;
      let e = off;
      while (e < end && b[e] !== 0) e++;
      return matchGlob(g, b, off, e) ? Tri.True : Tri.False;
    };
  }
  const want = encoder.encode(node.literal.text);
  const eq = node.op === CompareOp.Eq;
  return (b) => {
    if (end > b.length) return Tri.Unknown;
    let n = 0;
    while (n < f.size && b[off + n] !== 0) n++;
    let same = n === want.length;
    for (let i = 0; same && i < n; i++) same = b[off + i] === want[i];
    return same === eq ? Tri.True : Tri.False;
  };
}

function buildNumeric(node: CompareNode, f: FieldLayout): Eval {
  if (node.op === CompareOp.Glob) {
    fail(
      "TRACEPOINT_FILTER_NOT_STRING",
      `field '${f.name}' is not a string; '~' needs a string field`,
      node.fieldSpan,
    );
  }
  if (node.literal.value === undefined || node.literal.quoted) {
    if (node.literal.numberError !== undefined || (node.op !== CompareOp.Eq && node.op !== CompareOp.Ne)) {
      numberOf(node.literal);
    }
    fail(
      "TRACEPOINT_FILTER_NOT_STRING",
      `field '${f.name}' is not a string; compare it with a number`,
      node.fieldSpan,
    );
  }
  const lit = node.literal.value;
  let maskHi = -1;
  let maskLo = -1;
  const masked = node.mask !== undefined;
  if (node.mask !== undefined) {
    const m = numberOf(node.mask);
    if (m < 0n) fail("TRACEPOINT_FILTER_BAD_MASK", "mask must not be negative", node.mask.span);
    maskHi = Number(m >> 32n) | 0;
    maskLo = Number(m & 0xffff_ffffn) | 0;
  }
  // After a mask the value is a plain 64-bit pattern, compared unsigned.
  const signed = f.signed && !masked;
  // A literal outside the field's 64-bit domain compares the same way for every value.
  let constant: number | undefined;
  let litHi = 0;
  let litLo = 0;
  if (!signed && lit < 0n) constant = 1;
  else if (signed && lit >= TWO63) constant = -1;
  else {
    litLo = Number(BigInt.asUintN(32, lit));
    litHi = signed ? Number(BigInt.asIntN(32, lit >> 32n)) : Number(BigInt.asUintN(32, lit >> 32n));
  }
  const op = OP_CODE[node.op];
  const off = f.offset;
  const size = f.size;
  const end = off + size;
  const fsigned = f.signed;
  return (b, view) => {
    if (end > b.length) return Tri.Unknown;
    let hi: number;
    let lo: number;
    if (size === 8) {
      lo = view.getUint32(off, true);
      hi = fsigned ? view.getInt32(off + 4, true) : view.getUint32(off + 4, true);
    } else {
      const x =
        size === 4
          ? fsigned
            ? view.getInt32(off, true)
            : view.getUint32(off, true)
          : size === 2
            ? fsigned
              ? view.getInt16(off, true)
              : view.getUint16(off, true)
            : fsigned
              ? view.getInt8(off)
              : b[off]!;
      lo = x >>> 0;
      hi = x < 0 ? -1 : 0;
    }
    if (masked) {
      hi = (hi & maskHi) >>> 0;
      lo = (lo & maskLo) >>> 0;
    } else if (!signed) {
      hi >>>= 0;
    }
    let c: number;
    if (constant !== undefined) c = constant;
    else if (hi !== litHi) c = hi < litHi ? -1 : 1;
    else c = lo === litLo ? 0 : lo < litLo ? -1 : 1;
    return testOrder(op, c) ? Tri.True : Tri.False;
  };
}

// ---- Reference semantics over named values (exact bigint arithmetic; not a hot path) ----

function evalValues(node: FilterNode, fields: readonly FieldLayout[], values: FilterValues): Tri {
  if (node.type === "and") {
    const a = evalValues(node.left, fields, values);
    if (a === Tri.False) return Tri.False;
    const c = evalValues(node.right, fields, values);
    if (c === Tri.False) return Tri.False;
    return a === Tri.Unknown ? c : Tri.True;
  }
  if (node.type === "or") {
    const a = evalValues(node.left, fields, values);
    if (a === Tri.True) return Tri.True;
    const c = evalValues(node.right, fields, values);
    if (c === Tri.True) return Tri.True;
    return a === Tri.Unknown ? c : c === Tri.Unknown ? a : Tri.False;
  }
  const cmp = node as CompareNode;
  const f = fields.find((x) => x.name === cmp.field)!;
  const raw = Object.hasOwn(values, cmp.field) ? values[cmp.field] : undefined;
  if (f.kind === "string") {
    if (typeof raw !== "string") return Tri.Unknown;
    const bytes = encoder.encode(raw);
    if (cmp.op === CompareOp.Glob) {
      return matchGlob(compileGlob(cmp.literal.text), bytes, 0, bytes.length) ? Tri.True : Tri.False;
    }
    const same = raw === cmp.literal.text;
    return same === (cmp.op === CompareOp.Eq) ? Tri.True : Tri.False;
  }
  let v: bigint;
  if (typeof raw === "bigint") v = raw;
  else if (typeof raw === "boolean") v = raw ? 1n : 0n;
  else if (typeof raw === "number" && Number.isInteger(raw)) v = BigInt(raw);
  else return Tri.Unknown;
  if (cmp.mask !== undefined) v = BigInt.asUintN(64, v) & cmp.mask.value!;
  const lit = cmp.literal.value!;
  const c = v === lit ? 0 : v < lit ? -1 : 1;
  return testOrder(OP_CODE[cmp.op], c) ? Tri.True : Tri.False;
}
