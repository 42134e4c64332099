import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseProcKallsyms, parseSystemMap } from "../src/index.ts";
import { throwsCode } from "./helpers.ts";

// The head of a real arm64 System.map (Debian 6.1), reordered and trimmed.
const MAP = `0000000000000000 A _kernel_flags_le_hi32
ffff800008000000 T _text
ffff800008010000 T _stext
ffff800008010000 T __exception_text_start
ffff800008010000 T do_undefinstr
ffff800008010100 t el1_abort
ffff800008d00000 D _etext
ffff800009200000 B __bss_start
`;

test("System.map: entries, aliases, text range, lookups by address and name", () => {
  const t = parseSystemMap(MAP);
  assert.is(t.length, 8);
  assert.equal(t.textRange, { start: 0xffff_8000_0801_0000n, end: 0xffff_8000_08d0_0000n });
  const hit = t.lookup(0xffff_8000_0801_0040n);
  assert.equal(
    [hit?.name, hit?.offset, hit?.size, hit?.aliases, hit?.type],
    ["_stext", 0x40n, 0x100n, 3, "T"],
  );
  assert.equal(t.aliasesOf(hit?.index ?? 0), ["_stext", "__exception_text_start", "do_undefinstr"]);
  assert.is(t.lookup(0xffff_8000_0801_0104n)?.name, "el1_abort");
  assert.is(t.lookupName("el1_abort"), 0xffff_8000_0801_0100n);
  assert.is(t.lookup(5n)?.name, "_kernel_flags_le_hi32");
  const text = t.withRange(t.textRange ?? { start: 0n, end: 0n });
  assert.is(text.lookup(5n), undefined);
  assert.is(text.lookup(0xffff_8000_0880_0000n)?.name, "el1_abort");
  assert.is(text.lookup(0xffff_8000_0880_0000n)?.size, 0xffff_8000_08d0_0000n - 0xffff_8000_0801_0100n);
});

test("System.map round trip through toText()", () => {
  const t = parseSystemMap(MAP);
  assert.is(t.toText(), MAP.replace(/^0000000000000000/, "0000000000000000"));
  assert.is(parseSystemMap(t.toText()).toText(), t.toText());
});

test("unsorted input is sorted by address; equal addresses keep line order; short hex, tabs, CRLF, blank lines", () => {
  const t = parseSystemMap("30 T c\r\n\n10\tT   a\n  10 t a2  \n20 D b\n");
  assert.equal(
    [...t].map((e) => [e.address, e.type, e.name]),
    [
      [0x10n, "T", "a"],
      [0x10n, "t", "a2"],
      [0x20n, "D", "b"],
      [0x30n, "T", "c"],
    ],
  );
});

test("/proc/kallsyms: module symbols, zeroed addresses under kptr_restrict", () => {
  const text = [
    "ffff800008010000 T _stext",
    "ffff800008010100 t helper",
    "ffff80000123f000 t ext4_fill_super\t[ext4]",
    "ffff80000123f100 t ext4_iget\t[ext4]",
    "ffff800001300000 t nf_hook\t[nf_tables]",
    "ffff800008d00000 T _etext",
  ].join("\n");
  const t = parseProcKallsyms(text);
  const e = t.lookup(0xffff_8000_0123_f104n);
  assert.equal([e?.name, e?.module, e?.offset], ["ext4_iget", "ext4", 4n]);
  assert.is(t.lookup(0xffff_8000_0130_0000n)?.module, "nf_tables");
  assert.is(t.lookup(0xffff_8000_0801_0000n)?.module, undefined);
  assert.match(t.toText("kallsyms"), /ext4_iget\t\[ext4\]\n/);
  assert.is(parseProcKallsyms(t.toText("kallsyms")).toText("kallsyms"), t.toText("kallsyms"));
  // In System.map a tab-bracket is part of the name (System.map has no modules).
  assert.is(parseSystemMap("10 t f\t[m]").nameAt(0), "f\t[m]");
  const restricted = parseProcKallsyms("0000000000000000 T a\n0000000000000000 T b\n");
  assert.equal(restricted.addressesOf("b"), [0n]);
});

test("bad lines are typed errors naming line, column and offset", () => {
  throwsCode(() => parseSystemMap("10 T a\nxyz T b\n"), "SYMBOLS_TEXT_BAD_ADDRESS", {
    line: 2,
    column: 1,
    offset: 7,
  });
  throwsCode(() => parseSystemMap("10 T a\n1g T b\n"), "SYMBOLS_TEXT_BAD_ADDRESS", {
    line: 2,
    column: 2,
    offset: 8,
  });
  throwsCode(() => parseSystemMap("11112222333344445 T a"), "SYMBOLS_TEXT_BAD_ADDRESS", {
    line: 1,
    column: 1,
  });
  throwsCode(() => parseSystemMap("10 TT a"), "SYMBOLS_TEXT_BAD_TYPE", { line: 1, column: 4, offset: 3 });
  throwsCode(() => parseSystemMap("10"), "SYMBOLS_TEXT_BAD_TYPE", { line: 1, column: 3 });
  throwsCode(() => parseSystemMap("10 \u00e9 a"), "SYMBOLS_TEXT_BAD_TYPE");
  throwsCode(() => parseSystemMap("\n\n10 T"), "SYMBOLS_TEXT_BAD_NAME", { line: 3, column: 5, offset: 6 });
  throwsCode(() => parseProcKallsyms("10 t f\t[ext4"), "SYMBOLS_TEXT_BAD_MODULE", { line: 1, column: 8 });
  throwsCode(() => parseProcKallsyms("10 t f\t[]"), "SYMBOLS_TEXT_BAD_MODULE");
  throwsCode(() => parseProcKallsyms("10 t \t[m]"), "SYMBOLS_TEXT_BAD_NAME");
});

test("empty text is an empty table", () => {
  assert.is(parseSystemMap("").length, 0);
  assert.is(parseProcKallsyms("\n \n").length, 0);
});

test.run();
