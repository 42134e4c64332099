import { test } from "uvu";
import * as assert from "uvu/assert";
import { SymbolTable } from "../src/index.ts";
import { throwsCode } from "./helpers.ts";

const NAMES = [
  "vfs_read",
  "vfs_write",
  "vfs_readv",
  "do_sys_open",
  "do_sys_openat2",
  "__arm64_sys_read",
  "ksys_read",
  "a*b",
  "a?b",
  "[x]",
  "sched_fork",
  "Sched_Fork",
];
const table = SymbolTable.from(NAMES.map((name, i) => ({ address: BigInt(0x1000 + 16 * i), name })));
const names = (pattern: string, limit?: number) =>
  [...table.search(pattern, limit === undefined ? {} : { limit })].map((e) => e.name);

test("* matches any run, ? one character, whole names only, results in name order", () => {
  assert.equal(names("vfs_*"), ["vfs_read", "vfs_readv", "vfs_write"]);
  assert.equal(names("*read"), ["__arm64_sys_read", "ksys_read", "vfs_read"]);
  assert.equal(names("*sys*"), ["__arm64_sys_read", "do_sys_open", "do_sys_openat2", "ksys_read"]);
  assert.equal(names("vfs_rea?"), ["vfs_read"]);
  assert.equal(names("vfs_read"), ["vfs_read"]);
  assert.equal(names("vfs_rea"), []);
  assert.equal(names("*"), [...NAMES].sort());
  assert.equal(names("**o*n**"), ["do_sys_open", "do_sys_openat2"]);
});

test("classes, negation, ranges and escapes", () => {
  assert.equal(names("[sS]ched_[fF]ork"), ["Sched_Fork", "sched_fork"]);
  assert.equal(names("[!s]ched_*"), ["Sched_Fork"]);
  assert.equal(names("[^s]ched_*"), ["Sched_Fork"]);
  assert.equal(names("[a-c]?b"), ["a*b", "a?b"]);
  assert.equal(names("a\\*b"), ["a*b"]);
  assert.equal(names("a\\?b"), ["a?b"]);
  assert.equal(names("\\[x]"), ["[x]"]);
  assert.equal(names("[]x[]*"), ["[x]"], "] first in a class is a member");
  assert.equal(names("[[]x[]]"), ["[x]"]);
  assert.equal(names("vfs_read[v-w]"), ["vfs_readv"]);
});

test("limit stops early; the search is lazy", () => {
  assert.equal(names("*", 2), ["Sched_Fork", "[x]"]);
  assert.equal(names("*", 0), []);
  const it = table.search("*");
  assert.is(it.next().value?.name, "Sched_Fork");
});

test("bad patterns name the column", () => {
  throwsCode(() => names("abc["), "SYMBOLS_BAD_GLOB", { column: 4 });
  throwsCode(() => names("ab\\"), "SYMBOLS_BAD_GLOB", { column: 3 });
  throwsCode(() => names("[z-a]"), "SYMBOLS_BAD_GLOB");
  throwsCode(() => names("[a\\"), "SYMBOLS_BAD_GLOB");
});

test("the star backtracks correctly on repeated prefixes", () => {
  const t = SymbolTable.from(
    ["aaab", "aab", "ab", "aaaa", "abab"].map((name, i) => ({ address: BigInt(i), name })),
  );
  assert.equal(
    [...t.search("*a*b")].map((e) => e.name),
    ["aaab", "aab", "ab", "abab"],
  );
  assert.equal(
    [...t.search("*ab*ab")].map((e) => e.name),
    ["abab"],
  );
  assert.equal(
    [...t.search("a*a")].map((e) => e.name),
    ["aaaa"],
  );
});

test.run();
