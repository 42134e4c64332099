import { test } from "uvu";
import * as assert from "uvu/assert";
import { SymbolTable } from "../src/index.ts";
import { KSYM_REFERENCE, throwsCode } from "./helpers.ts";

const TEXT = { start: 0x1000n, end: 0x1600n };
const ref = () => SymbolTable.from(KSYM_REFERENCE, { range: TEXT, text: TEXT });

test("the spec's reference lookups (ksym self-test), with aliases fixed", () => {
  const t = ref();
  assert.is(t.lookup(100n), undefined);
  const at = (a: bigint) => {
    const r = t.lookup(a);
    return r && [r.name, r.size, r.offset, r.type];
  };
  assert.equal(at(0x1200n), ["cpu_startup_entry", 0x100n, 0n, "T"]);
  assert.equal(at(0x1300n), ["alias_do_fork", 0x100n, 0n, "T"]);
  assert.equal(at(0x1250n), ["cpu_startup_entry", 0x100n, 0x50n, "T"]);
  assert.equal(at(0x1450n), ["cpu_startup_entry", 0x100n, 0x50n, "T"]);
  // The original reports do_fork_2 here (it walks back comparing with the query); one name per symbol.
  assert.equal(at(0x1350n), ["alias_do_fork", 0x100n, 0x50n, "T"]);
  // The last symbol's size runs to the end of the range (etext).
  assert.equal(at(0x15ffn)?.slice(1, 3), [0x100n, 0xffn]);
  assert.is(t.lookup(0x1600n), undefined);
  assert.is(t.lookupName("cpu_startup_entry"), 0x1200n);
  assert.is(t.lookupName("do_fork_2"), 0x1300n);
});

test("aliases: count, list in input order, same answer for every address of the symbol", () => {
  const t = ref();
  const hit = t.lookup(0x1300n);
  assert.is(hit?.aliases, 3);
  assert.equal(t.aliasesOf(hit?.index ?? -1), ["alias_do_fork", "do_fork", "do_fork_2"]);
  for (let a = 0x1300n; a < 0x1400n; a += 0x11n) assert.is(t.lookup(a)?.index, hit?.index);
  assert.is(t.lookup(0x1200n)?.aliases, 1);
});

test("a long run of aliases still answers with the first of them", () => {
  const list = [{ address: 0x10n, name: "before" }];
  for (let i = 0; i < 40; i++) list.push({ address: 0x100n, name: `alias${i}` });
  list.push({ address: 0x200n, name: "after" });
  const t = SymbolTable.from(list);
  for (const a of [0x100n, 0x101n, 0x1ffn]) {
    const hit = t.lookup(a);
    assert.equal([hit?.name, hit?.aliases, hit?.size], ["alias0", 40, 0x100n]);
  }
  assert.is(t.aliasesOf(5).length, 40);
  for (let i = 0; i < 40; i++) assert.is(t.lookupName(`alias${i}`), 0x100n);
});

test("below the first symbol and outside the range there is no answer (no wrap-around)", () => {
  const t = SymbolTable.from([{ address: 0x2000n, name: "a" }]);
  assert.is(t.lookup(0x1fffn), undefined);
  assert.is(t.lookupIndex(0n), -1);
  assert.is(t.lookup(0xffff_ffff_ffff_ffffn)?.name, "a");
  assert.is(t.lookup(0xffff_ffff_ffff_ffffn)?.size, undefined, "no end bound: size unknown");
  assert.is(t.withRange({ start: 0n, end: 0x3000n }).lookup(0x2000n)?.size, 0x1000n);
  assert.is(t.withRange({ start: 0n, end: 0x3000n }).lookup(0x3000n), undefined);
});

test("an empty table answers nothing and throws nothing", () => {
  const t = SymbolTable.from([]);
  assert.is(t.length, 0);
  assert.is(t.lookup(0n), undefined);
  assert.is(t.lookup(0xffff_ffff_ffff_ffffn), undefined);
  assert.is(t.lookupName(""), undefined);
  assert.is(t.lookupName("a".repeat(2048)), undefined);
  assert.equal([...t.search("*")], []);
  assert.equal([...t], []);
  assert.is(t.textRange, undefined);
});

test("name lookups: empty, long and before-the-first names are simply absent (no underflow)", () => {
  const t = ref();
  assert.is(t.lookupName(""), undefined);
  assert.is(t.lookupName("A"), undefined);
  assert.is(t.lookupName("a".repeat(2048)), undefined);
  assert.is(t.lookupName("zzz"), undefined);
  assert.is(t.indexOfName("do_fork"), 3);
  assert.is(t.indexOfName("do_for"), -1);
});

test("addressesOf lists every address of a name, ascending", () => {
  const t = SymbolTable.from([
    { address: 0x30n, name: "dup" },
    { address: 0x10n, name: "dup" },
    { address: 0x20n, name: "other" },
    { address: 0x10n, name: "dup" },
  ]);
  assert.equal(t.addressesOf("dup"), [0x10n, 0x10n, 0x30n]);
  assert.equal(t.addressesOf("nope"), []);
  assert.is(t.lookupName("dup"), 0x10n);
});

test("addresses over 2^53 and 2^63 keep every bit", () => {
  const hi = 0xffff_8000_0801_0000n;
  const t = SymbolTable.from([
    { address: hi, name: "_stext" },
    { address: hi + 0x40n, name: "f" },
    { address: 0xffff_ffff_ffff_fff0n, name: "last" },
    { address: 0x7fff_ffff_ffff_fff0n, name: "mid" },
  ]);
  assert.is(t.lookup(hi + 0x41n)?.name, "f");
  assert.is(t.lookup(hi + 0x41n)?.offset, 1n);
  assert.is(t.lookup(hi + 0x3fn)?.offset, 0x3fn);
  assert.is(t.lookup(0xffff_ffff_ffff_fff5n)?.offset, 5n);
  assert.is(t.lookup(0x8000_0000_0000_0000n)?.name, "mid");
  assert.is(t.lookup(0x8000_0000_0000_0000n)?.offset, 0x10n);
  assert.is(t.at(0).size, hi - 0x7fff_ffff_ffff_fff0n);
  assert.is(t.at(1).size, 0x40n);
  assert.is(t.at(2).size, 0xffff_ffff_ffff_fff0n - hi - 0x40n);
});

test("explicit sizes bound a symbol: addresses past its end are in no symbol", () => {
  const t = SymbolTable.from([
    { address: 0x100n, name: "f", size: 0x10n },
    { address: 0x200n, name: "g", size: 0n },
  ]);
  assert.is(t.lookup(0x10fn)?.name, "f");
  assert.is(t.lookup(0x110n), undefined);
  assert.is(t.lookup(0x250n)?.name, "g", "size 0 means unknown: runs to the next symbol");
  assert.is(t.at(0).size, 0x10n);
});

test("iteration, at(), nameAt() and toText() follow address order; equal addresses keep input order", () => {
  const t = SymbolTable.from([
    { address: 0x30n, name: "c", type: "t" },
    { address: 0x10n, name: "a", type: "D" },
    { address: 0x10n, name: "a2", type: "d" },
    { address: 0x20n, name: "b", module: "ext4" },
  ]);
  assert.equal(
    [...t].map((e) => [e.index, e.name, e.address, e.type, e.module]),
    [
      [0, "a", 0x10n, "D", undefined],
      [1, "a2", 0x10n, "d", undefined],
      [2, "b", 0x20n, "T", "ext4"],
      [3, "c", 0x30n, "t", undefined],
    ],
  );
  assert.is(t.nameAt(3), "c");
  assert.is(t.addressAt(2), 0x20n);
  assert.is(
    t.toText("kallsyms"),
    "0000000000000010 D a\n0000000000000010 d a2\n0000000000000020 T b\t[ext4]\n0000000000000030 t c\n",
  );
  assert.not.match(t.toText(), /ext4/);
});

test("text range comes from _stext/_etext, or from the options", () => {
  const t = SymbolTable.from([
    { address: 0x800n, name: "_text" },
    { address: 0x1000n, name: "_stext" },
    { address: 0x9000n, name: "_etext" },
  ]);
  assert.equal(t.textRange, { start: 0x1000n, end: 0x9000n });
  const inText = t.withRange(t.textRange ?? { start: 0n, end: 0n });
  assert.is(inText.lookup(0x900n), undefined);
  assert.is(inText.lookup(0x1004n)?.name, "_stext");
  assert.equal(inText.range, { start: 0x1000n, end: 0x9000n });
  assert.equal(t.range, { start: 0n, end: 1n << 64n });
  assert.equal(SymbolTable.from([], { text: { start: 1n, end: 2n } }).textRange, { start: 1n, end: 2n });
});

test("non-ASCII names sort and look up in UTF-8 byte order", () => {
  const names = ["z", "\u{e000}", "\u{1f600}", "a", "\u00e9"];
  const t = SymbolTable.from(names.map((name, i) => ({ address: BigInt(i), name })));
  const enc = new TextEncoder();
  const byBytes = [...names].sort((x, y) => Buffer.compare(enc.encode(x), enc.encode(y)));
  assert.equal(
    [...t.search("*")].map((e) => e.name),
    byBytes,
  );
  for (const n of names) assert.is(t.lookupName(n), BigInt(names.indexOf(n)));
});

test("bad arguments are typed errors", () => {
  const t = ref();
  throwsCode(() => t.lookup(-1n), "SYMBOLS_INVALID_ARGUMENT");
  throwsCode(() => t.lookup(1n << 64n), "SYMBOLS_INVALID_ARGUMENT");
  throwsCode(() => t.at(99), "SYMBOLS_INVALID_ARGUMENT");
  throwsCode(() => t.aliasesOf(-1), "SYMBOLS_INVALID_ARGUMENT");
  throwsCode(() => t.withRange({ start: 5n, end: 4n }), "SYMBOLS_INVALID_ARGUMENT");
  throwsCode(() => SymbolTable.from([{ address: 1n, name: "x", type: "TT" }]), "SYMBOLS_INVALID_ARGUMENT");
  throwsCode(
    () => SymbolTable.from([{ address: 1n, name: "x", type: "\u00e9" }]),
    "SYMBOLS_INVALID_ARGUMENT",
  );
  throwsCode(() => SymbolTable.from([{ address: -1n, name: "x" }]), "SYMBOLS_INVALID_ARGUMENT");
  throwsCode(() => SymbolTable.from([{ address: 1n, name: "x", size: -2n }]), "SYMBOLS_INVALID_ARGUMENT");
  throwsCode(() => [...t.search("*", { limit: -1 })], "SYMBOLS_INVALID_ARGUMENT");
});

test.run();
