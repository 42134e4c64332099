/**
 * Reader of the bpf_conformance `.data` test format (see the corpus README): sections `-- asm`, `-- raw`,
 * `-- mem`, `-- result`, `-- error`; `#` comments anywhere; unknown directives make the file unusable.
 */

import { RuntimeError } from "../errors.ts";
import { assemble } from "../isa/asm.ts";

export interface DataFile {
  /** Assembler text of `-- asm`, when present. */
  readonly asm?: string;
  /** Program bytes from `-- raw` (64-bit little-endian words), when present. */
  readonly raw?: Uint8Array;
  readonly mem: Uint8Array;
  /** Expected r0 (`-- result`). */
  readonly result?: bigint;
  /** Expected error text (`-- error`), trimmed. */
  readonly error?: string;
}

type Section = "asm" | "raw" | "mem" | "result" | "error" | "ignore";

function directive(line: string): Section | undefined {
  if (line.includes("asm")) return "asm";
  if (line.includes("result")) return "result";
  if (line.includes("mem")) return "mem";
  if (line.includes("raw")) return "raw";
  if (line.includes("no register offset")) return "ignore";
  if (line.includes(" c")) return "ignore";
  if (line.includes("error")) return "error";
  return undefined;
}

interface SectionLine {
  readonly text: string;
  readonly line: number;
}

function bad(line: number, why: string): never {
  throw new RuntimeError("EBPF_DATA_FORMAT", `line ${line}: ${why}`, { line });
}

/** Whitespace-separated words with the line each came from. */
function words(lines: readonly SectionLine[]): SectionLine[] {
  return lines.flatMap((l) =>
    l.text
      .split(/\s+/)
      .filter((w) => w !== "")
      .map((text) => ({ text, line: l.line })),
  );
}

/** A decimal or 0x-hex number, as the upstream parser reads `-- raw` and `-- result`. */
function number(w: SectionLine, what: string): bigint {
  if (!/^(0[xX][0-9a-fA-F]+|\d+)$/.test(w.text))
    bad(w.line, `${what} "${w.text}" is not a decimal or 0x-hex number`);
  const v = BigInt(w.text);
  if (v >= 1n << 64n) bad(w.line, `${what} "${w.text}" does not fit 64 bits`);
  return v;
}

export function parseDataFile(text: string): DataFile {
  const parts: Record<Section, SectionLine[]> = {
    asm: [],
    raw: [],
    mem: [],
    result: [],
    error: [],
    ignore: [],
  };
  const seen = new Set<Section>();
  let section: Section | undefined;
  text.split("\n").forEach((raw, i) => {
    let line = raw.replace(/\r$/, "");
    const hash = line.indexOf("#");
    if (hash >= 0) line = line.slice(0, hash);
    if (line.includes("--")) {
      const d = directive(line);
      if (d === undefined) bad(i + 1, `unknown directive "${line.trim()}"`);
      section = d;
      seen.add(d);
      return;
    }
    if (line.trim() === "" || section === undefined) return;
    parts[section].push({ text: line, line: i + 1 });
  });
  const mem = new Uint8Array(
    words(parts.mem).map((w) => {
      if (!/^[0-9a-fA-F]{1,2}$/.test(w.text)) bad(w.line, `memory byte "${w.text}" is not hex`);
      return Number.parseInt(w.text, 16);
    }),
  );
  const out: { -readonly [K in keyof DataFile]: DataFile[K] } = { mem };
  if (seen.has("asm")) out.asm = parts.asm.map((l) => l.text).join("\n");
  if (seen.has("raw")) {
    const w = words(parts.raw);
    // Either 64-bit words (0x...) or plain hex bytes.
    if (w.every((x) => /^[0-9a-fA-F]{2}$/.test(x.text))) {
      out.raw = new Uint8Array(w.map((h) => Number.parseInt(h.text, 16)));
    } else {
      const bytes = new Uint8Array(w.length * 8);
      const dv = new DataView(bytes.buffer);
      w.forEach((x, k) => {
        dv.setBigUint64(k * 8, number(x, "instruction word"), true);
      });
      out.raw = bytes;
    }
  }
  const res = words(parts.result)[0];
  if (seen.has("result") && res !== undefined) out.result = number(res, "result");
  if (seen.has("error"))
    out.error = parts.error
      .map((l) => l.text)
      .join("\n")
      .trim();
  return out;
}

/** The program of a data file: `-- raw` wins over `-- asm` (as upstream). */
export function dataFileProgram(f: DataFile): Uint8Array {
  if (f.raw !== undefined) return f.raw;
  if (f.asm !== undefined) return assemble(f.asm);
  return new Uint8Array(0);
}
