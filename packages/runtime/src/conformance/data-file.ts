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

export function parseDataFile(text: string): DataFile {
  const parts: Record<Section, string[]> = { asm: [], raw: [], mem: [], result: [], error: [], ignore: [] };
  const seen = new Set<Section>();
  let section: Section | undefined;
  text.split("\n").forEach((raw, i) => {
    let line = raw.replace(/\r$/, "");
    const hash = line.indexOf("#");
    if (hash >= 0) line = line.slice(0, hash);
    if (line.includes("--")) {
      const d = directive(line);
      if (d === undefined) {
        throw new RuntimeError("EBPF_DATA_FORMAT", `line ${i + 1}: unknown directive "${line.trim()}"`, {
          line: i + 1,
        });
      }
      section = d;
      seen.add(d);
      return;
    }
    if (line.trim() === "" || section === undefined) return;
    parts[section].push(line);
  });
  const words = (lines: string[]) =>
    lines
      .join(" ")
      .split(/\s+/)
      .filter((w) => w !== "");
  const mem = new Uint8Array(words(parts.mem).map((h) => Number.parseInt(h, 16)));
  const out: { -readonly [K in keyof DataFile]: DataFile[K] } = { mem };
  if (seen.has("asm")) out.asm = parts.asm.join("\n");
  if (seen.has("raw")) {
    const w = words(parts.raw);
    // Either 64-bit words (0x...) or plain hex bytes.
    if (w.every((x) => /^[0-9a-fA-F]{2}$/.test(x)))
      out.raw = new Uint8Array(w.map((h) => Number.parseInt(h, 16)));
    else {
      const bytes = new Uint8Array(w.length * 8);
      const dv = new DataView(bytes.buffer);
      w.forEach((x, k) => {
        dv.setBigUint64(k * 8, BigInt.asUintN(64, BigInt(x)), true);
      });
      out.raw = bytes;
    }
  }
  const res = words(parts.result)[0];
  if (seen.has("result") && res !== undefined) out.result = BigInt.asUintN(64, BigInt(res));
  if (seen.has("error")) out.error = parts.error.join("\n").trim();
  return out;
}

/** The program of a data file: `-- raw` wins over `-- asm` (as upstream). */
export function dataFileProgram(f: DataFile): Uint8Array {
  if (f.raw !== undefined) return f.raw;
  if (f.asm !== undefined) return assemble(f.asm);
  return new Uint8Array(0);
}
