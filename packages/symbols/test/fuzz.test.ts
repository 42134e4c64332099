// Seeded, bounded fuzzing of every parser: mutated and random inputs must give a table or a
// SymbolsError, never another exception or a hang. Round trips and lookups are checked against
// naive bigint references. Iterations: AXEBPF_FUZZ_ITERS (default 200); seed: AXEBPF_FUZZ_SEED.
// An input that breaks a property is saved under test/fixtures/corpus/<parser>/ and, once fixed,
// stays there as a regression case (corpus.test.ts replays it).
import { readFileSync, writeFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  elfSymbolTable,
  parseProcKallsyms,
  parseSystemMap,
  readElfSymbols,
  readKallsymsBlob,
  SymbolsError,
  type SymbolTable,
  SymbolTable as Table,
  writeKallsymsBlob,
} from "../src/index.ts";
import { originalDecode } from "./blob-layout.ts";
import { FUZZ_ITERS, KSYM_REFERENCE, rng } from "./helpers.ts";

const SEED = Number(process.env.AXEBPF_FUZZ_SEED ?? 0x5eed);
const corpus = new URL("./fixtures/corpus/", import.meta.url);

/** Runs `parse`; a non-SymbolsError is saved to the corpus and fails the test. */
function mustBeTyped(kind: string, input: Uint8Array | string, parse: () => SymbolTable | unknown): void {
  try {
    const r = parse();
    if (r instanceof Table) checkInvariants(r);
  } catch (e) {
    if (e instanceof SymbolsError) return;
    const name = `fail-${SEED}-${Date.now()}.${typeof input === "string" ? "txt" : "bin"}`;
    writeFileSync(new URL(`${kind}/${name}`, corpus), input);
    throw new Error(`${kind}: ${String(e)} (input saved as ${kind}/${name})`, { cause: e });
  }
}

/** What any successfully read table must satisfy. */
export function checkInvariants(t: SymbolTable): void {
  let prev = -1n;
  const n = Math.min(t.length, 64);
  for (let i = 0; i < n; i++) {
    const e = t.at(i);
    assert.ok(e.address >= prev, "address order");
    prev = e.address;
    const hit = t.withRange({ start: 0n, end: 1n << 64n }).lookup(e.address);
    assert.is(hit?.address, e.address, "a symbol's own address finds it (or an alias)");
    assert.ok(t.addressesOf(e.name).includes(e.address), "name finds the address");
  }
}

function mutate(r: () => number, input: Uint8Array): Uint8Array {
  const b = input.slice();
  const kind = Math.floor(r() * 5);
  const at = Math.floor(r() * b.length);
  if (kind === 0) {
    for (let k = 0; k < 1 + r() * 4; k++) b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
    return b;
  }
  if (kind === 1) return b.subarray(0, at);
  if (kind === 2) {
    // An extreme u32 over an aligned field.
    const dv = new DataView(b.buffer);
    const pick = [0, 1, 0xff, 0xffff, 0x7fff_ffff, 0xffff_ffff][Math.floor(r() * 6)] as number;
    const o = at & ~3;
    if (o + 4 <= b.length) dv.setUint32(o, pick, true);
    return b;
  }
  if (kind === 3) {
    const extra = Uint8Array.from({ length: 1 + Math.floor(r() * 16) }, () => Math.floor(r() * 256));
    const out = new Uint8Array(b.length + extra.length);
    out.set(b.subarray(0, at));
    out.set(extra, at);
    out.set(b.subarray(at), at + extra.length);
    return out;
  }
  return Uint8Array.from({ length: Math.floor(r() * 96) }, () => Math.floor(r() * 256));
}

const NAME_CHARS = ["a", "b", "_", "x", "1", ".", "$", "\u00e9", "\u{1f600}", "\u4e2d", "A"];

function randomSymbols(r: () => number): { address: bigint; name: string; type: string }[] {
  const n = Math.floor(r() * 40);
  const out = [];
  const pool: string[] = [];
  for (let i = 0; i < n; i++) {
    let name: string;
    if (pool.length > 0 && r() < 0.3) name = pool[Math.floor(r() * pool.length)] as string;
    else {
      const prefix = r() < 0.5 ? "common_prefix_for_tokens_" : "";
      name = prefix;
      for (let k = Math.floor(r() * 14); k > 0; k--) name += NAME_CHARS[Math.floor(r() * NAME_CHARS.length)];
      pool.push(name);
    }
    const hi = r() < 0.5 ? 0xffff_8000n : BigInt(Math.floor(r() * 2 ** 32));
    const lo = BigInt(Math.floor(r() * 64) * 16);
    out.push({ address: (hi << 32n) | lo, name, type: r() < 0.5 ? "T" : "t" });
  }
  return out;
}

/** Naive reference: first alias at the greatest start <= a. */
function refLookup(sorted: { address: bigint; name: string }[], a: bigint): string | undefined {
  let best: bigint | undefined;
  for (const s of sorted) if (s.address <= a && (best === undefined || s.address > best)) best = s.address;
  return best === undefined ? undefined : sorted.find((s) => s.address === best)?.name;
}

test("kallsyms blob: mutated blobs read or fail typed", () => {
  const r = rng(SEED);
  const seeds = [writeKallsymsBlob(KSYM_REFERENCE), writeKallsymsBlob(randomSymbols(rng(SEED + 1)))];
  for (let i = 0; i < FUZZ_ITERS * 4; i++) {
    const input = mutate(r, seeds[i % seeds.length] as Uint8Array);
    mustBeTyped("blob", input, () => readKallsymsBlob(input));
  }
});

test("kallsyms blob: random tables round-trip exactly, and the original reader agrees", () => {
  const r = rng(SEED + 2);
  for (let i = 0; i < FUZZ_ITERS; i++) {
    const syms = randomSymbols(r);
    const expected = Table.from(syms);
    const blob = writeKallsymsBlob(syms);
    const t = readKallsymsBlob(blob);
    assert.equal(
      [...t].map((e) => [e.address, e.type, e.name]),
      [...expected].map((e) => [e.address, e.type, e.name]),
    );
    assert.equal(
      originalDecode(blob).names,
      [...expected].map((e) => e.name),
    );
    const sorted = [...expected];
    for (let k = 0; k < 8; k++) {
      const probe =
        sorted.length > 0 && r() < 0.7
          ? (sorted[Math.floor(r() * sorted.length)]?.address ?? 0n) + BigInt(Math.floor(r() * 40))
          : BigInt(Math.floor(r() * 2 ** 32)) << 32n;
      assert.is(t.lookup(probe)?.name, refLookup(sorted, probe), `lookup ${probe.toString(16)}`);
    }
    for (const s of syms.slice(0, 5)) {
      const all = syms
        .filter((x) => x.name === s.name)
        .map((x) => x.address)
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      assert.equal(t.addressesOf(s.name), all);
    }
  }
});

test("name order (radix path for ASCII, comparator for the rest) equals a naive sort", () => {
  const r = rng(SEED + 7);
  const parts = ["__ksymtab_", "__", "a", "ab", "abc", "\u0000", "~", "z", "do_sys_", "x".repeat(20)];
  for (let i = 0; i < Math.max(4, FUZZ_ITERS / 20); i++) {
    const n = 32 + Math.floor(r() * 2000);
    // 0, 1: ASCII; 2: Latin-1 (radix path too); 3: beyond U+00FF and surrogates (comparator path).
    const extra = ["", "", "\u00e9", i % 8 === 3 ? "\u4e2d" : "\u{1f600}"][i % 4] as string;
    const list = Array.from({ length: n }, (_, k) => {
      let name = "";
      for (let q = Math.floor(r() * 5); q > 0; q--) name += parts[Math.floor(r() * parts.length)];
      if (extra !== "" && r() < 0.1) name += extra;
      return { address: BigInt(Math.floor(r() * 64)), name, k };
    });
    const t = Table.from(list);
    const enc = new TextEncoder();
    const expected = [...t]
      .map((e) => [e.name, e.index] as const)
      .sort((a, b) => Buffer.compare(enc.encode(a[0]), enc.encode(b[0])) || a[1] - b[1]);
    assert.equal(
      [...t.search("*")].map((e) => [e.name, e.index]),
      expected,
    );
  }
});

test("System.map and /proc/kallsyms: mutated and random text reads or fails typed; toText round-trips", () => {
  const r = rng(SEED + 3);
  const alphabet = "0123456789abcdefgT t\t\n\r[]_ \u00e9";
  const base = Table.from(randomSymbols(rng(SEED + 4))).toText("kallsyms");
  const dec = new TextDecoder();
  for (let i = 0; i < FUZZ_ITERS * 2; i++) {
    let text: string;
    if (i % 2 === 0) {
      text = "";
      for (let k = Math.floor(r() * 80); k > 0; k--) text += alphabet[Math.floor(r() * alphabet.length)];
    } else text = dec.decode(mutate(r, new TextEncoder().encode(base)));
    mustBeTyped("system-map", text, () => parseSystemMap(text));
    mustBeTyped("kallsyms", text, () => parseProcKallsyms(text));
  }
  for (let i = 0; i < FUZZ_ITERS / 4; i++) {
    const t = Table.from(randomSymbols(r).filter((s) => s.name.trim() === s.name && s.name !== ""));
    assert.is(parseSystemMap(t.toText()).toText(), t.toText());
  }
});

test("ELF: mutated AArch64 and BPF objects read or fail typed", () => {
  const r = rng(SEED + 5);
  const dir = new URL("./fixtures/elf/", import.meta.url);
  const seeds = ["sample-aarch64.elf", "sample-aarch64.o", "sample.bpf.o"].map(
    (f) => new Uint8Array(readFileSync(new URL(f, dir))),
  );
  for (let i = 0; i < FUZZ_ITERS * 2; i++) {
    const seed = seeds[i % seeds.length] as Uint8Array;
    // Aim half of the mutations at the header and section table, where the structure is.
    let input = mutate(r, seed);
    if (i % 2 === 1) {
      input = seed.slice();
      const shoff = Number(new DataView(seed.buffer, seed.byteOffset).getBigUint64(40, true));
      const region = r() < 0.5 ? [0, 64] : [shoff, seed.length - shoff];
      for (let k = 0; k < 1 + r() * 3; k++) {
        input[(region[0] as number) + Math.floor(r() * (region[1] as number))] = Math.floor(r() * 256);
      }
    }
    mustBeTyped("elf", input, () => readElfSymbols(input));
    mustBeTyped("elf", input, () => elfSymbolTable(input));
  }
});

test("globs: random patterns agree with a RegExp reference or fail typed", () => {
  const r = rng(SEED + 6);
  const names = ["ab", "a*b", "ba", "aab", "", "[x]", "a-b", "b!a", "\\a"];
  const t = Table.from(names.map((name, i) => ({ address: BigInt(i), name })));
  const alphabet = "ab*?[]!-\\x";
  const toRegExp = (p: string): RegExp | undefined => {
    let src = "";
    for (let i = 0; i < p.length; i++) {
      const c = p[i] as string;
      if (c === "*") src += "[\\s\\S]*";
      else if (c === "?") src += "[\\s\\S]";
      else if (c === "\\") {
        if (i + 1 >= p.length) return undefined;
        src += `\\u${p.charCodeAt(++i).toString(16).padStart(4, "0")}`;
      } else if (c === "[") {
        let j = i + 1;
        let cls = "";
        if (p[j] === "!" || p[j] === "^") {
          cls += "^";
          j++;
        }
        let first = true;
        for (;;) {
          if (j >= p.length) return undefined;
          let ch = p[j] as string;
          if (ch === "]" && !first) break;
          if (ch === "\\") {
            if (j + 1 >= p.length) return undefined;
            ch = p[++j] as string;
          }
          j++;
          let hi = ch;
          if (p[j] === "-" && j + 1 < p.length && p[j + 1] !== "]") {
            hi = p[j + 1] as string;
            if (hi === "\\") {
              if (j + 2 >= p.length) return undefined;
              hi = p[j + 2] as string;
              j++;
            }
            j += 2;
            if (hi < ch) return undefined;
          }
          const u = (s: string) => `\\u${s.charCodeAt(0).toString(16).padStart(4, "0")}`;
          cls += `${u(ch)}-${u(hi)}`;
          first = false;
        }
        src += `[${cls}]`;
        i = j;
      } else src += `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
    }
    return new RegExp(`^${src}$`);
  };
  for (let i = 0; i < FUZZ_ITERS * 2; i++) {
    let p = "";
    for (let k = Math.floor(r() * 7); k > 0; k--) p += alphabet[Math.floor(r() * alphabet.length)];
    const re = toRegExp(p);
    let got: string[] | undefined;
    try {
      got = [...t.search(p)].map((e) => e.name);
    } catch (e) {
      if (!(e instanceof SymbolsError)) throw e;
    }
    const want = re && [...names].sort().filter((n) => re.test(n));
    assert.equal(got, want, `pattern ${JSON.stringify(p)}`);
  }
});

test.run();
