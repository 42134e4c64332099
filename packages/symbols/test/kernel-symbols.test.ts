import { test } from "uvu";
import * as assert from "uvu/assert";
import { KernelSymbols, writeKallsymsBlob } from "../src/index.ts";
import { KSYM_REFERENCE, throwsCode } from "./helpers.ts";

// The original's tests (spec §1.5), on a fresh object each, plus the behaviours they could not check.

test("before init: not initialised, every query answers nothing and nothing throws", () => {
  const k = new KernelSymbols();
  assert.is(k.initialized, false);
  assert.is(k.lookupSymbol(0x1000n), undefined);
  assert.is(k.lookupSymbol(0n), undefined);
  assert.is(k.lookupSymbol(0xffff_ffff_ffff_ffffn), undefined);
  assert.is(k.lookupAddr("nonexistent_symbol"), undefined);
  assert.is(k.lookupAddr(""), undefined);
  assert.is(k.lookupAddr("a".repeat(2048)), undefined);
  assert.equal(k.searchSymbols("do", 10), []);
});

test("a failed init (empty blob, FF FF FF FF) is an error and can be retried (weak spot 4)", () => {
  const k = new KernelSymbols();
  throwsCode(() => k.init(new Uint8Array(), 0n, 0n), "SYMBOLS_BLOB_TRUNCATED");
  throwsCode(() => k.init(Uint8Array.of(0xff, 0xff, 0xff, 0xff), 0x1000n, 0x2000n), "SYMBOLS_BLOB_TRUNCATED");
  assert.is(k.initialized, false);
  k.init(writeKallsymsBlob(KSYM_REFERENCE), 0x1000n, 0x1600n);
  assert.is(k.initialized, true);
  const e = throwsCode(() => k.init(writeKallsymsBlob([]), 0n, 0n), "SYMBOLS_ALREADY_INITIALIZED");
  assert.match(e.message, "already initialized");
});

test("lookups as the original, with consistent aliases and no underflow", () => {
  const k = new KernelSymbols();
  k.init(writeKallsymsBlob(KSYM_REFERENCE), 0x1000n, 0x1600n);
  assert.is(k.lookupSymbol(100n), undefined);
  assert.equal(k.lookupSymbol(0x1250n), {
    name: "cpu_startup_entry",
    size: 0x100n,
    offset: 0x50n,
    type: "T",
  });
  assert.equal(k.lookupSymbol(0x1350n), { name: "alias_do_fork", size: 0x100n, offset: 0x50n, type: "T" });
  assert.is(k.lookupSymbol(0x1600n), undefined);
  assert.is(k.lookupAddr("cpu_startup_entry"), 0x1200n);
  assert.is(k.lookupAddr(""), undefined);
  assert.is(k.table?.length, 7);
});

test("searchSymbols: case-sensitive substring, address order, max_results, special characters literal", () => {
  const k = new KernelSymbols();
  k.init(
    writeKallsymsBlob([
      ...KSYM_REFERENCE,
      { address: 0x1580n, name: "a*b[1]" },
      { address: 0x1590n, name: "Fork" },
    ]),
    0x1000n,
    0x1600n,
  );
  assert.equal(k.searchSymbols("fork", 10), [
    { name: "alias_do_fork", address: 0x1300n },
    { name: "do_fork", address: 0x1300n },
    { name: "do_fork_2", address: 0x1300n },
  ]);
  assert.equal(k.searchSymbols("fork", 2).length, 2);
  assert.equal(k.searchSymbols("fork", 0), []);
  assert.equal(k.searchSymbols("*b[", 5), [{ name: "a*b[1]", address: 0x1580n }]);
  assert.equal(k.searchSymbols("", 2).length, 2);
});

test.run();
