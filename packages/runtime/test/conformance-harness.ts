/**
 * Runs bpf_conformance vectors through an engine, the way the upstream runner judges a plugin: a vector with
 * `-- result` passes when the program loads and r0 equals it; one with `-- error` passes when loading or
 * running fails.
 */

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CONFORMANCE_HELPERS, dataFileProgram, HelperTable, parseDataFile, Vm } from "../src/index.ts";

const here = dirname(fileURLToPath(import.meta.url));

/** `<repo root>/../shared/corpus/bpf_conformance`, or `AXEBPF_CORPUS`. */
export function corpusDir(): string | undefined {
  const dir = process.env.AXEBPF_CORPUS ?? resolve(here, "../../../../shared/corpus/bpf_conformance");
  return existsSync(join(dir, "tests")) ? dir : undefined;
}

export function vectors(dir: string, sub: "tests" | "negative"): string[] {
  return readdirSync(join(dir, sub))
    .filter((f) => f.endsWith(".data"))
    .sort()
    .map((f) => join(dir, sub, f));
}

export type Outcome =
  | { readonly kind: "pass" }
  | { readonly kind: "skip"; readonly why: string }
  | { readonly kind: "fail"; readonly why: string };

export function runVector(path: string, engine: string): Outcome {
  let file: ReturnType<typeof parseDataFile>;
  try {
    file = parseDataFile(readFileSync(path, "utf8"));
  } catch (e) {
    return { kind: "fail", why: `unreadable: ${String(e)}` };
  }
  if (file.result === undefined && file.error === undefined)
    return { kind: "skip", why: "no result or error" };
  let r0: bigint;
  try {
    const vm = new Vm({ engine, helpers: new HelperTable(CONFORMANCE_HELPERS) });
    const program = vm.load(dataFileProgram(file));
    r0 = program.run({ context: file.mem.slice() }).r0;
  } catch (e) {
    if (file.error !== undefined) return { kind: "pass" };
    return { kind: "fail", why: `error: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (file.error !== undefined)
    return { kind: "fail", why: `expected error "${file.error}", got r0 0x${r0.toString(16)}` };
  if (r0 !== file.result)
    return { kind: "fail", why: `r0 0x${r0.toString(16)}, expected 0x${file.result?.toString(16)}` };
  return { kind: "pass" };
}
