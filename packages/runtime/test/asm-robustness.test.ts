/**
 * Seeded robustness checks of the text tools: mutated assembler sources, mutated .data files and random
 * bytes for the disassembler give a result or a typed error, never a crash or a hang.
 * AXEBPF_ASM_ITERS (default 1500) bounds the work; AXEBPF_ASM_SEED picks the sequence.
 */

import { readdirSync, readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { assemble, disassemble, parseDataFile, RuntimeError, verifyProgram } from "../src/index.ts";
import { corpusDir, vectors } from "./conformance-harness.ts";

const ITERS = Number(process.env.AXEBPF_ASM_ITERS ?? 1500);
let seed = Number(process.env.AXEBPF_ASM_SEED ?? 0x1234567) | 0 || 1;
const rnd = (n: number) => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) % n;
};

const PIECES = [
  "%r",
  "%r11",
  "[",
  "]",
  "+",
  "-",
  ",",
  "0x",
  "-0x8000",
  "4294967296",
  "lock",
  "fetch",
  ":",
  "#",
  "\n",
  " ",
  "exit",
  "call",
  "local",
  "ja32",
  "lddw",
  "99999999999999999999999",
];

function mutate(text: string): string {
  let t = text;
  const n = 1 + rnd(4);
  for (let k = 0; k < n; k++) {
    const at = rnd(t.length + 1);
    switch (rnd(4)) {
      case 0:
        t = t.slice(0, at) + t.slice(at + 1 + rnd(4));
        break;
      case 1:
        t = t.slice(0, at) + (PIECES[rnd(PIECES.length)] ?? "") + t.slice(at);
        break;
      case 2:
        t = t.slice(0, at) + String.fromCharCode(32 + rnd(95)) + t.slice(at + 1);
        break;
      default: {
        const lines = t.split("\n");
        const i = rnd(lines.length);
        const j = rnd(lines.length);
        [lines[i], lines[j]] = [lines[j] ?? "", lines[i] ?? ""];
        t = lines.join("\n");
      }
    }
  }
  return t;
}

function typed(e: unknown, prefix: RegExp, what: string): void {
  if (!(e instanceof RuntimeError) || !prefix.test(e.code)) {
    assert.unreachable(`${what}: untyped error ${e instanceof Error ? e.stack : String(e)}`);
  }
}

const dir = corpusDir();
const sources = dir === undefined ? [] : vectors(dir, "tests").map((f) => readFileSync(f, "utf8"));
if (sources.length === 0)
  sources.push("-- asm\nmov %r0, 1\nja +1\nlddw %r1, 0x1122334455667788\nexit\n-- result\n0x1\n");

test(`mutated assembler text: a program or an EBPF_ASM_* error with a line (${ITERS} cases)`, () => {
  let ok = 0;
  for (let i = 0; i < ITERS; i++) {
    const file = sources[rnd(sources.length)] ?? "";
    const asm = /-- asm\n([\s\S]*?)(?:\n--|$)/.exec(file)?.[1] ?? "exit";
    const text = mutate(asm);
    let bytes: Uint8Array;
    try {
      bytes = assemble(text);
    } catch (e) {
      typed(e, /^EBPF_(ASM|ENCODE)_/, text);
      assert.ok((e as RuntimeError).line !== undefined || (e as RuntimeError).pc !== undefined, text);
      continue;
    }
    ok++;
    // Whatever assembles disassembles and assembles back to the same bytes, and the verifier gives a verdict.
    assert.equal(assemble(disassemble(bytes)), bytes, text);
    try {
      verifyProgram(bytes);
    } catch (e) {
      typed(e, /^EBPF_(VERIFY_|EMPTY_PROGRAM|BAD_LENGTH)/, text);
    }
  }
  assert.ok(ok > 0, "no mutation assembled at all");
});

test(`mutated .data files: parsed or EBPF_DATA_FORMAT (${ITERS} cases)`, () => {
  for (let i = 0; i < ITERS; i++) {
    const text = mutate(mutate(sources[rnd(sources.length)] ?? ""));
    try {
      parseDataFile(text);
    } catch (e) {
      typed(e, /^EBPF_DATA_FORMAT$/, text);
    }
  }
});

test(`random bytes disassemble in both styles (${ITERS} programs)`, () => {
  for (let i = 0; i < ITERS; i++) {
    const bytes = new Uint8Array(8 * (1 + rnd(8)));
    for (let k = 0; k < bytes.length; k++) bytes[k] = rnd(4) === 0 ? 0 : rnd(256);
    if (rnd(3) === 0) bytes[0] = [0x18, 0x85, 0xc3, 0xdb, 0xd4, 0xdc, 0xbf][rnd(7)] ?? 0;
    assert.type(disassemble(bytes), "string");
    assert.type(disassemble(bytes, { style: "llvm" }), "string");
  }
});

test("replayed .data inputs that once crashed the reader (test/fixtures/data-regressions) are typed errors", () => {
  const dir = new URL("fixtures/data-regressions/", import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith(".data"));
  assert.ok(files.length >= 4);
  for (const f of files) {
    try {
      parseDataFile(readFileSync(new URL(f, dir), "utf8"));
      assert.unreachable(`${f} parsed`);
    } catch (e) {
      assert.ok(e instanceof RuntimeError, `${f}: ${String(e)}`);
      assert.is(e.code, "EBPF_DATA_FORMAT", f);
      assert.type(e.line, "number");
    }
  }
});

test.run();
