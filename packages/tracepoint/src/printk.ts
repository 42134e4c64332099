import { TracepointError } from "./errors.ts";
import { type FieldLayout, readIntField, readStringField } from "./fields.ts";

/** One piece of a print format: literal text, or a field rendered in decimal or hex. */
export type PrintPiece =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "field"; readonly field: FieldLayout; readonly hex: boolean; readonly prefix: boolean };

/**
 * Parses a Rust-style print format: `{}` renders the next payload field in decimal, `{:x}` in hex,
 * `{:#x}` in hex with `0x`; `{{` and `}}` are literal braces. There must be exactly one placeholder
 * per payload field, in field order.
 */
export function parsePrintk(fmt: string, payload: readonly FieldLayout[], where: string): PrintPiece[] {
  const pieces: PrintPiece[] = [];
  let text = "";
  let k = 0;
  const bad = (msg: string, at: number): never => {
    throw new TracepointError(
      "TRACEPOINT_INVALID_FORMAT",
      `${where}: print format ${msg} at column ${at + 1}`,
      {
        column: at + 1,
      },
    );
  };
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i]!;
    if (c === "{" && fmt[i + 1] === "{") {
      text += "{";
      i++;
    } else if (c === "}" && fmt[i + 1] === "}") {
      text += "}";
      i++;
    } else if (c === "{") {
      const close = fmt.indexOf("}", i);
      if (close < 0) bad("has an unclosed '{'", i);
      const spec = fmt.slice(i + 1, close);
      if (spec !== "" && spec !== ":x" && spec !== ":#x")
        bad(`has an unsupported placeholder '{${spec}}'`, i);
      const field = payload[k++];
      if (field === undefined) bad(`has more placeholders than the ${payload.length} fields`, i);
      if (text !== "") pieces.push({ kind: "text", text });
      text = "";
      pieces.push({ kind: "field", field: field!, hex: spec !== "", prefix: spec === ":#x" });
      i = close;
    } else if (c === "}") {
      bad("has an unmatched '}'", i);
    } else {
      text += c;
    }
  }
  if (k !== payload.length) bad(`has ${k} placeholders for ${payload.length} fields`, fmt.length);
  if (text !== "") pieces.push({ kind: "text", text });
  return pieces;
}

/** Renders the payload of `record` with parsed pieces. */
export function renderPrintk(pieces: readonly PrintPiece[], record: Uint8Array): string {
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  let out = "";
  for (const p of pieces) {
    if (p.kind === "text") {
      out += p.text;
    } else if (p.field.kind === "string") {
      out += readStringField(record, p.field);
    } else {
      const v = readIntField(view, p.field);
      // Hex shows the two's-complement bit pattern of the field's width, like Rust's `{:x}`.
      const shown = p.hex ? BigInt.asUintN(p.field.size * 8, v).toString(16) : v.toString();
      out += p.prefix ? `0x${shown}` : shown;
    }
  }
  return out;
}
