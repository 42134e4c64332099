import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  ElfMachine,
  ElfSymbolBind,
  ElfSymbolType,
  elfSymbolTable,
  nmListed,
  nmType,
  readElfSymbols,
} from "../src/index.ts";
import { throwsCode } from "./helpers.ts";

// Fixtures and goldens come from scripts/gen-fixtures.sh (aarch64-linux-gnu-gcc, clang-19 -target
// bpf, aarch64-linux-gnu-nm -p, llvm-nm-19 -p).
const dir = new URL("./fixtures/elf/", import.meta.url);
const load = (name: string) => new Uint8Array(readFileSync(new URL(name, dir)));
const golden = (name: string) => readFileSync(new URL(name, dir), "utf8");

/** The reader's view printed the way `nm -p` prints. */
function nmLines(bytes: Uint8Array, flavour: "gnu" | "llvm"): string {
  const elf = readElfSymbols(bytes);
  return elf.symbols
    .filter((s) => nmListed(elf, s))
    .map((s) => {
      const t = nmType(elf, s, flavour);
      const addr =
        t === "U" || t === "w" || t === "v" ? " ".repeat(16) : s.value.toString(16).padStart(16, "0");
      return `${addr} ${t} ${s.name}\n`;
    })
    .join("");
}

const FIXTURES = [
  "sample-aarch64.elf",
  "sample-aarch64.o",
  "sample-ext-aarch64.o",
  "sections-aarch64.o",
  "sample.bpf.o",
];

for (const f of FIXTURES) {
  for (const flavour of ["gnu", "llvm"] as const) {
    test(`${f}: symbols and types match ${flavour === "gnu" ? "aarch64-linux-gnu-nm" : "llvm-nm-19"} -p`, () => {
      assert.fixture(nmLines(load(f), flavour), golden(`${f}.${flavour}-nm.txt`));
    });
  }
}

test("machine, file type, symbol fields of the AArch64 executable", () => {
  const elf = readElfSymbols(load("sample-aarch64.elf"));
  assert.is(elf.machine, ElfMachine.AARCH64);
  assert.is(elf.fileType, 2);
  const helper = elf.symbols.find((s) => s.name === "helper");
  assert.equal(
    [helper?.type, helper?.bind, helper?.section, helper?.size],
    [ElfSymbolType.FUNC, ElfSymbolBind.LOCAL, ".text", 32n],
  );
  assert.ok(
    elf.symbols.some((s) => s.name === "$x"),
    "mapping symbols are read, only hidden from nm lists",
  );
  assert.ok(elf.sections.some((s) => s.name === ".bss"));
});

test("the BPF object: machine 247, program sections, license", () => {
  const elf = readElfSymbols(load("sample.bpf.o"));
  assert.is(elf.machine, ElfMachine.BPF);
  assert.is(elf.fileType, 1);
  const where = Object.fromEntries(elf.symbols.filter((s) => s.name !== "").map((s) => [s.name, s.section]));
  assert.is(where.xdp_count, "xdp");
  assert.is(where.on_switch, "tracepoint/sched/sched_switch");
  assert.is(where._license, "license");
  assert.is(where.counts, "maps");
});

test("elfSymbolTable: sizes bound lookups, aliases, name lookups", () => {
  const t = elfSymbolTable(load("sample-aarch64.elf"));
  const doWork = t.lookupName("do_work") ?? 0n;
  const hit = t.lookup(doWork + 8n);
  assert.equal([hit?.name, hit?.offset, hit?.aliases], ["do_work", 8n, 2]);
  assert.equal(t.aliasesOf(hit?.index ?? 0).sort(), ["do_work", "do_work_alias"]);
  assert.is(t.lookup(0x400128n + 4n)?.name, "helper");
  assert.is(t.lookup(0x400128n + 4n)?.size, 32n);
  assert.is(t.lookupName("weak_undefined"), undefined, "undefined symbols are not in the table");
  assert.is(t.lookupName("$x"), undefined, "mapping symbols are not in the table");
  assert.equal(
    [...t.search("do_*")].map((e) => e.name),
    ["do_work", "do_work_alias"],
  );
});

function patched(name: string, at: number, bytes: number[]): Uint8Array {
  const b = load(name).slice();
  b.set(bytes, at);
  return b;
}

test("bad ELF files are typed errors with offsets", () => {
  const exe = "sample-aarch64.elf";
  const full = load(exe);
  const dv = new DataView(full.buffer, full.byteOffset);
  const shoff = Number(dv.getBigUint64(40, true));
  throwsCode(() => readElfSymbols(new Uint8Array(3)), "SYMBOLS_ELF_TRUNCATED", { offset: 0 });
  throwsCode(() => readElfSymbols(new Uint8Array(64)), "SYMBOLS_ELF_BAD_MAGIC", { offset: 0 });
  throwsCode(() => readElfSymbols(patched(exe, 4, [1])), "SYMBOLS_ELF_UNSUPPORTED", { offset: 4 });
  throwsCode(() => readElfSymbols(patched(exe, 5, [2])), "SYMBOLS_ELF_UNSUPPORTED", { offset: 5 });
  throwsCode(() => readElfSymbols(full.subarray(0, 40)), "SYMBOLS_ELF_TRUNCATED", { offset: 0 });
  throwsCode(() => readElfSymbols(full.subarray(0, shoff + 10)), "SYMBOLS_ELF_TRUNCATED");
  throwsCode(() => readElfSymbols(patched(exe, 58, [32, 0])), "SYMBOLS_ELF_BAD_SECTION", { offset: 58 });
  throwsCode(
    () => readElfSymbols(patched(exe, 40, [0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0])),
    "SYMBOLS_ELF_TRUNCATED",
    {
      offset: 40,
    },
  );
  // Point the symbol table's link at section 0 (not a string table).
  const elf = readElfSymbols(full);
  const symtab = elf.sections.find((s) => s.type === 2);
  const hdr = shoff + 64 * (symtab?.index ?? 0);
  throwsCode(() => readElfSymbols(patched(exe, hdr + 40, [0, 0, 0, 0])), "SYMBOLS_ELF_BAD_SECTION", {
    offset: hdr + 40,
  });
  throwsCode(() => readElfSymbols(patched(exe, hdr + 56, [16])), "SYMBOLS_ELF_BAD_SECTION", {
    offset: hdr + 56,
  });
  // Symbol 1's name offset far outside the string table.
  const sym1 = (symtab?.offset ?? 0) + 24;
  throwsCode(() => readElfSymbols(patched(exe, sym1, [0xff, 0xff, 0xff, 0x7f])), "SYMBOLS_ELF_BAD_STRING", {
    offset: sym1,
  });
  // Symbol 1's section index past the section count.
  throwsCode(() => readElfSymbols(patched(exe, sym1 + 6, [0x00, 0x7f])), "SYMBOLS_ELF_BAD_SECTION", {
    offset: sym1 + 6,
  });
});

test("elfSymbolTable type letters follow the chosen nm flavour", () => {
  const bytes = load("sample.bpf.o");
  const letters = (flavour: "gnu" | "llvm") =>
    [...elfSymbolTable(bytes, { nmFlavour: flavour })].map((e) => `${e.type} ${e.name}`).sort();
  const expected = (f: string) =>
    golden(f)
      .trim()
      .split("\n")
      .map((l) => l.slice(17))
      .sort();
  assert.equal(letters("gnu"), expected("sample.bpf.o.gnu-nm.txt"));
  assert.equal(letters("llvm"), expected("sample.bpf.o.llvm-nm.txt"));
});

test("nmType: binutils' section-name table versus llvm-nm's section flags", () => {
  const W = 1n;
  const A = 2n;
  const X = 4n;
  const secs: [string, number, bigint][] = [
    [".sdata", 1, A | W],
    [".idata", 1, A | W],
    [".init_array", 14, A | W],
    [".text.unlikely", 1, A | X],
    [".debug_info", 1, 0n],
    [".comment", 1, 0n],
    [".tbss", 8, A | W],
    [".data.rel.ro", 1, A | W],
    [".rodata.str1.1", 1, A],
    [".bss.foo", 8, A | W],
    ["vars", 1, A | W],
    [".datax", 1, A],
  ];
  const elf = {
    fileType: 1,
    machine: ElfMachine.AARCH64,
    // Section 0 is the null section (index 0 means undefined).
    sections: [["", 0, 0n] as [string, number, bigint], ...secs].map(([name, type, flags], index) => ({
      index,
      name,
      type,
      flags,
      address: 0n,
      offset: 0,
      size: 0,
      link: 0,
      entrySize: 0,
    })),
    symbols: [],
  };
  const sym = (
    sectionIndex: number,
    bind: number = ElfSymbolBind.LOCAL,
    type: number = ElfSymbolType.NOTYPE,
  ) => ({
    index: 1,
    name: "s",
    value: 0n,
    size: 0n,
    type,
    bind,
    visibility: 0,
    sectionIndex,
    section: undefined,
  });
  const letters = (flavour: "gnu" | "llvm") => secs.map((_, i) => nmType(elf, sym(i + 1), flavour)).join("");
  // As aarch64-linux-gnu-nm and llvm-nm-19 print them (test/fixtures/src/sections.s):
  // .sdata d, .idata i/d, .init_array d, .text.unlikely t, .debug_info N, .comment n, .tbss b,
  // .data.rel.ro d, .rodata.str1.1 r, .bss.foo b, vars d, .datax r (".data" must end the name).
  assert.is(letters("gnu"), "didtNnbdrbdr");
  assert.is(letters("llvm"), "dddtNnbdrbdr");
  assert.is(nmType(elf, sym(1, ElfSymbolBind.GLOBAL), "gnu"), "D");
  assert.is(nmType(elf, sym(2, ElfSymbolBind.GLOBAL), "gnu"), "I");
  assert.is(nmType(elf, sym(0, ElfSymbolBind.GLOBAL)), "U");
  assert.is(nmType(elf, sym(0xfff1, ElfSymbolBind.GLOBAL)), "A");
  assert.is(nmType(elf, sym(0xfff2, ElfSymbolBind.GLOBAL)), "C");
  assert.is(nmType(elf, sym(1, ElfSymbolBind.WEAK, ElfSymbolType.OBJECT)), "V");
  assert.is(nmType(elf, sym(1, ElfSymbolBind.GNU_UNIQUE)), "u");
  assert.is(nmType(elf, sym(4, ElfSymbolBind.GLOBAL, ElfSymbolType.GNU_IFUNC)), "i");
  assert.is(nmType(elf, sym(1, ElfSymbolBind.WEAK, ElfSymbolType.FUNC)), "W");
  assert.is(nmType(elf, sym(0, ElfSymbolBind.WEAK, ElfSymbolType.OBJECT)), "v");
  assert.is(nmType(elf, sym(0, ElfSymbolBind.WEAK, ElfSymbolType.FUNC)), "w");
});

test("files without sections or without a symbol table have no symbols", () => {
  const noSections = patched("sample.bpf.o", 40, [0, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(readElfSymbols(noSections).symbols, []);
  assert.equal(readElfSymbols(load("sample-aarch64.elf"), { table: "dynsym" }).symbols, []);
  assert.is(elfSymbolTable(noSections).length, 0);
});

test.run();
