// `pnpm bench`: load time, memory and lookups/s on a real-size arm64 kernel symbol table.
// Prints a table; asserts nothing.
import { cpus } from "node:os";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { parseSystemMap, readKallsymsBlob, type SymbolTable, writeKallsymsBlob } from "../src/index.ts";
import { loadSystemMap } from "./system-map-source.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Best wall time in ms of `runs` calls (the machine is shared; the minimum is the least disturbed). */
function time(runs: number, fn: () => unknown): number {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return Math.min(...t);
}

/** Retained heap + array-buffer bytes of what `make` returns. */
function retained<T>(make: () => T): { value: T; bytes: number } {
  gc();
  gc();
  const before = process.memoryUsage();
  const value = make();
  gc();
  gc();
  const after = process.memoryUsage();
  return { value, bytes: after.heapUsed - before.heapUsed + after.arrayBuffers - before.arrayBuffers };
}

/** Operations per second of `op(i)` over `n` iterations, best of 5 rounds. */
function rate(n: number, op: (i: number) => number): number {
  let best = 0;
  let sink = 0;
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) sink += op(i);
    const dt = performance.now() - t0;
    best = Math.max(best, n / (dt / 1000));
  }
  if (sink === 0.5) console.log(""); // keep `sink` alive
  return best;
}

const rows: [string, string, string][] = [];
const row = (what: string, value: string, note = "") => rows.push([what, value, note]);
const fmt = (x: number, d = 1) => x.toLocaleString("en-US", { maximumFractionDigits: d });

const source = loadSystemMap();
const { text } = source;
row("input", source.origin, `${fmt(text.length / 1e6, 2)} MB of text`);

// Load from System.map text.
const loadMs = time(5, () => parseSystemMap(text));
const { value: table, bytes: tableBytes } = retained(() => parseSystemMap(text));
const n = table.length;
row("symbols", fmt(n, 0), "");
row("parse System.map", `${fmt(loadMs)} ms`, "text → SymbolTable, best of 5");
// The table keeps the input text alive (names are ranges of it): count it too (1 byte a char).
const mapBytes = tableBytes + text.length;
row(
  "memory (from System.map)",
  `${fmt(mapBytes / 2 ** 20, 2)} MiB`,
  `${fmt(mapBytes / n)} B/symbol: ${fmt(tableBytes / 2 ** 20, 2)} MiB arrays + the ${fmt(text.length / 2 ** 20, 2)} MiB input text`,
);

// kallsyms blob.
const writeMs = time(3, () => writeKallsymsBlob(table));
const blob = writeKallsymsBlob(table);
row(
  "write kallsyms blob",
  `${fmt(writeMs)} ms`,
  `${fmt(blob.length / 2 ** 20, 2)} MiB blob (text: ${fmt(text.length / 2 ** 20, 2)} MiB)`,
);
const readMs = time(5, () => readKallsymsBlob(blob));
const { value: fromBlob, bytes: blobTableBytes } = retained(() => readKallsymsBlob(blob));
row("read kallsyms blob", `${fmt(readMs)} ms`, "blob → SymbolTable, best of 5");
row(
  "memory (from blob)",
  `${fmt(blobTableBytes / 2 ** 20, 2)} MiB`,
  `${fmt(blobTableBytes / n)} B/symbol, names decoded into one string`,
);

// Check, not time: the blob holds exactly the table, in the same order.
const same =
  fromBlob.length === n &&
  table.toText() === fromBlob.toText() &&
  [...table.search("*")].every(
    (e, k) => k % 97 !== 0 || fromBlob.lookupName(e.name) === table.lookupName(e.name),
  );
row(
  "blob round trip",
  same ? "identical" : "MISMATCH",
  `${fmt(n, 0)} entries compared as System.map text, name lookups sampled`,
);

// Probes: random addresses inside the text range and random existing names, chosen up front.
const PROBES = 1 << 16;
const text0 = table.textRange ?? { start: table.addressAt(0), end: table.addressAt(n - 1) };
const span = Number(text0.end - text0.start);
const hi = new Uint32Array(PROBES);
const lo = new Uint32Array(PROBES);
const big: bigint[] = [];
let seed = 42;
const rnd = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 2 ** 32;
};
for (let i = 0; i < PROBES; i++) {
  const a = text0.start + BigInt(Math.floor(rnd() * span));
  hi[i] = Number(a >> 32n);
  lo[i] = Number(a & 0xffff_ffffn);
  big.push(a);
}
const names: string[] = [];
for (let i = 0; i < PROBES; i++) names.push(table.nameAt(Math.floor(rnd() * n)));
const M = PROBES - 1;

const t: SymbolTable = table;
row(
  "lookup by address (halves)",
  `${fmt(rate(2_000_000, (i) => t.lookupIndexHalves(hi[i & M] as number, lo[i & M] as number)) / 1e6, 2)} M/s`,
  "lookupIndexHalves: no bigint, no allocation",
);
row(
  "lookup by address (bigint → entry)",
  `${fmt(rate(300_000, (i) => t.lookup(big[i & M] as bigint)?.index ?? 0) / 1e6, 2)} M/s`,
  "lookup(): symbol, offset, size, aliases",
);
row(
  "lookup by name (index)",
  `${fmt(rate(1_000_000, (i) => t.indexOfName(names[i & M] as string)) / 1e6, 2)} M/s`,
  "indexOfName: hash index, no allocation",
);
row(
  "lookup by name (→ bigint)",
  `${fmt(rate(300_000, (i) => Number(t.lookupName(names[i & M] as string) ?? 0n) & 1) / 1e6, 2)} M/s`,
  "lookupName()",
);
row(
  "lookup by address, blob table",
  `${fmt(rate(2_000_000, (i) => fromBlob.lookupIndexHalves(hi[i & M] as number, lo[i & M] as number)) / 1e6, 2)} M/s`,
  "same probes",
);

const scanMs = time(5, () => [...t.search("*_read*")].length);
row(
  "glob *_read* (full scan)",
  `${fmt(scanMs, 2)} ms`,
  `${[...t.search("*_read*")].length} matches of ${fmt(n, 0)}`,
);
const prefixMs = time(5, () => [...t.search("vfs_*")].length);
row("glob vfs_* (prefix range)", `${fmt(prefixMs, 3)} ms`, `${[...t.search("vfs_*")].length} matches`);

const w = [0, 1, 2].map((k) =>
  Math.max(...rows.map((r) => r[k]?.length ?? 0), ["what", "result", "notes"][k]?.length ?? 0),
);
const line = (r: readonly string[]) => `| ${r.map((c, k) => c.padEnd(w[k] as number)).join(" | ")} |`;
console.log(
  `\n@axebpf/symbols benchmark: Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "?"}\n`,
);
console.log(line(["what", "result", "notes"]));
console.log(line(w.map((x) => "-".repeat(x))));
for (const r of rows) console.log(line(r));
