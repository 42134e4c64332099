import { test } from "uvu";
import * as assert from "uvu/assert";
import { chooseTokens, MAX_TOKENS, readKallsymsBlob, SymbolTable, writeKallsymsBlob } from "../src/index.ts";
import { layout, originalDecode, record } from "./blob-layout.ts";
import { KSYM_REFERENCE, throwsCode } from "./helpers.ts";

const entries = (t: SymbolTable) => [...t].map((e) => [e.address, e.type, e.name]);

test("the writer's bytes for a tiny table match the spec layout field by field", () => {
  const blob = writeKallsymsBlob([
    { address: 0x20n, name: "a", type: "t" },
    { address: 0x10n, name: "ab", type: "T" },
  ]);
  // biome-ignore format: one line per field
  const expected = [
    2, 0, 0, 0, 0, 0, 0, 0,              // num_syms
    0x10, 0, 0, 0, 0, 0, 0, 0,           // addresses[0]
    0x20, 0, 0, 0, 0, 0, 0, 0,           // addresses[1]
    0, 0, 0, 0, 5, 0, 0, 0,              // offsets: "ab" record at 0, "a" at 5
    1, 0, 0, 0, 0, 0, 0, 0,              // seqs: name order "a" (1), "ab" (0)
    9, 0, 0, 0, 0, 0, 0, 0,              // names_len
    0x54, 2, 0, 0x61, 0x62,              // T "ab"
    0x74, 1, 0, 0x61,                    // t "a"
    0, 0, 0, 0, 0, 0, 0,                 // pad to 8
    0, 0, 0, 0, 0, 0, 0, 0,              // token_table_len
    0, 0, 0, 0, 0, 0, 0, 0,              // token_index_len
  ];
  assert.equal([...blob], expected);
  assert.equal(entries(readKallsymsBlob(blob)), [
    [0x10n, "T", "ab"],
    [0x20n, "t", "a"],
  ]);
});

test("round trip of the spec's reference table, and its lookups with stext/etext", () => {
  const blob = writeKallsymsBlob(KSYM_REFERENCE);
  const t = readKallsymsBlob(blob, { stext: 0x1000n, etext: 0x1600n });
  assert.equal(entries(t), entries(SymbolTable.from(KSYM_REFERENCE)));
  assert.is(t.lookup(100n), undefined);
  assert.is(t.lookup(0x1300n)?.name, "alias_do_fork");
  assert.is(t.lookup(0x1450n)?.offset, 0x50n);
  assert.is(t.lookup(0x1550n)?.size, 0x100n);
  assert.is(t.lookupName("cpu_startup_entry"), 0x1200n);
  assert.equal(t.textRange, { start: 0x1000n, end: 0x1600n });
  throwsCode(() => readKallsymsBlob(blob, { stext: 1n }), "SYMBOLS_INVALID_ARGUMENT");
});

test("the original reader decodes what the writer writes, token ids above 255 included", () => {
  // 600 prefix groups → more than 256 tokens, so two-byte ids appear; at most 511 are kept.
  const list = [];
  for (let i = 0; i < 600; i++) {
    for (let j = 0; j < 2; j++) {
      list.push({
        address: BigInt(0x1000 + 8 * list.length),
        name: `p${String(i).padStart(4, "0")}_____sfx${j}`,
        type: "t",
      });
    }
  }
  const blob = writeKallsymsBlob(list);
  const orig = originalDecode(blob);
  assert.equal(
    orig.names,
    list.map((s) => s.name),
  );
  assert.equal(
    orig.addresses,
    list.map((s) => s.address),
  );
  assert.equal(
    entries(readKallsymsBlob(blob)),
    list.map((s) => [s.address, "t", s.name]),
  );
  const dv = new DataView(blob.buffer);
  const tokenCount = dv.getUint32(blob.length - 4 * 511 - 8, true);
  assert.is(tokenCount, 511, "the token index holds 511 tokens (ids 0..510)");
  // A two-byte marker (FF 01 xx FF) is present.
  let twoByte = false;
  for (let i = 0; i + 3 < blob.length; i++) {
    if (blob[i] === 0xff && blob[i + 1] === 1 && blob[i + 3] === 0xff) twoByte = true;
  }
  assert.ok(twoByte);
  // Compression: far smaller than the raw names.
  const raw = list.reduce((s, x) => s + x.name.length + 3, 0);
  const namesLen = Number(dv.getBigUint64(8 + 16 * list.length, true));
  assert.ok(namesLen < raw * 0.7, `${namesLen} < ${raw}`);
});

test("names shorter than 10 characters become whole-name tokens when repeated", () => {
  const list = ["kfree_x", "kfree_x", "kfree_x", "vmalloc"].map((name, i) => ({
    address: BigInt(i * 16),
    name,
  }));
  const blob = writeKallsymsBlob(list);
  const orig = originalDecode(blob);
  assert.equal(
    orig.names,
    list.map((s) => s.name),
  );
  // "kfree_x" (7 bytes) is written as FF 00 FF three times.
  const marker = [0x54, 3, 0, 0xff, 0, 0xff];
  let hits = 0;
  for (let i = 0; i + 6 <= blob.length; i++) if (marker.every((b, k) => blob[i + k] === b)) hits++;
  assert.is(hits, 3);
});

test("token 511 (FF 01 FF FF) decodes as token 511, not as token 1", () => {
  const tokens = Array.from({ length: 512 }, (_, i) => `tok${i}_`);
  const table = tokens.join("");
  const index: number[] = [];
  let at = 0;
  for (const t of tokens) {
    index.push(at);
    at += t.length;
  }
  const recs = [
    record("T", [0xff, 0x01, 0xff, 0xff, 0x78]), // token 511 + "x"
    record("T", [0xff, 0x05, 0xff, 0x79]), // token 5 + "y"
    record("T", [0xff, 0x01, 0x00, 0xff, 0x7a]), // token 256 + "z"
    record("T", [0xff, 0xff, 0xff]), // token 255, nothing after
  ];
  const names = recs.flat();
  const offsets = recs.map((_, i) => recs.slice(0, i).reduce((s, r) => s + r.length, 0));
  const blob = layout({
    addresses: [1n, 2n, 3n, 4n],
    offsets,
    // name order: tok255_, tok256_z, tok511_x, tok5_y
    seqs: [3, 2, 0, 1],
    names,
    tokenTable: [...new TextEncoder().encode(table)],
    tokenIndex: index,
  });
  const t = readKallsymsBlob(blob);
  assert.equal(
    [...t].map((e) => e.name),
    ["tok511_x", "tok5_y", "tok256_z", "tok255_"],
  );
  // The original reads the first record as token 1 followed by a raw 0xFF: invalid UTF-8, "".
  assert.is(originalDecode(blob).names[0], "");
});

test("names longer than a u16 record: compressed when a token brings them under, else a typed error", () => {
  const big = "x".repeat(66_000);
  const fits = writeKallsymsBlob([
    { address: 1n, name: `${big}1` },
    { address: 2n, name: `${big}2` },
  ]);
  assert.equal(
    [...readKallsymsBlob(fits)].map((e) => e.name.length),
    [66_001, 66_001],
  );
  assert.is(readKallsymsBlob(fits).nameAt(1), `${big}2`);
  throwsCode(() => writeKallsymsBlob([{ address: 1n, name: big }]), "SYMBOLS_NAME_TOO_LONG");
});

test("empty names, non-ASCII names, equal names and an empty table survive the round trip", () => {
  const list = [
    { address: 5n, name: "" },
    { address: 6n, name: "caf\u00e9_\u{1f600}" },
    { address: 7n, name: "dup" },
    { address: 7n, name: "dup" },
    { address: 9n, name: "\u00e9t\u00e9_long_enough_prefix_1" },
    { address: 10n, name: "\u00e9t\u00e9_long_enough_prefix_2" },
  ];
  const t = readKallsymsBlob(writeKallsymsBlob(list));
  assert.equal(
    [...t].map((e) => e.name),
    list.map((s) => s.name),
  );
  assert.equal(t.addressesOf("dup"), [7n, 7n]);
  assert.is(t.lookupName("caf\u00e9_\u{1f600}"), 6n);
  assert.is(readKallsymsBlob(writeKallsymsBlob([])).length, 0);
});

test("padding is relative to the blob start: a blob at any byte offset reads the same", () => {
  const blob = writeKallsymsBlob(KSYM_REFERENCE);
  const shifted = new Uint8Array(blob.length + 3);
  shifted.set(blob, 3);
  assert.equal(entries(readKallsymsBlob(shifted.subarray(3))), entries(readKallsymsBlob(blob)));
});

test("spec examples: empty blob and FF FF FF FF are missing the symbol count at offset 0", () => {
  throwsCode(() => readKallsymsBlob(new Uint8Array()), "SYMBOLS_BLOB_TRUNCATED", { offset: 0 });
  throwsCode(() => readKallsymsBlob(Uint8Array.of(0xff, 0xff, 0xff, 0xff)), "SYMBOLS_BLOB_TRUNCATED", {
    offset: 0,
  });
});

test("every truncation of a valid blob is a typed error naming where the missing field starts", () => {
  const blob = writeKallsymsBlob(KSYM_REFERENCE);
  const fields = new Set<string>();
  for (let cut = 0; cut < blob.length; cut++) {
    const e = throwsCode(() => readKallsymsBlob(blob.subarray(0, cut)), "SYMBOLS_BLOB_TRUNCATED");
    assert.ok((e.offset ?? -1) <= cut + 7, e.message); // a field starts after its padding
    fields.add(/the (.*) is missing/.exec(e.message)?.[1] ?? e.message);
  }
  assert.equal(
    [...fields],
    [
      "number of symbols",
      "addresses array",
      "offsets array",
      "seqs array",
      "names length",
      "names array",
      "token table length",
      "token table array",
      "token index length",
      "token index array",
    ],
  );
});

function tiny(over: Partial<Parameters<typeof layout>[0]> = {}): Uint8Array {
  return layout({
    addresses: [0x10n, 0x20n],
    offsets: [0, 5],
    seqs: [1, 0],
    names: [...record("T", "ab"), ...record("t", "a")],
    tokenTable: [],
    tokenIndex: [],
    ...over,
  });
}

test("malformed blobs: each bad field is a typed error at its byte offset", () => {
  assert.is(readKallsymsBlob(tiny()).length, 2);
  throwsCode(() => readKallsymsBlob(tiny({ numSyms: 1n << 40n })), "SYMBOLS_BLOB_BAD_LENGTH", { offset: 0 });
  throwsCode(() => readKallsymsBlob(tiny({ numSyms: 1000n })), "SYMBOLS_BLOB_TRUNCATED", { offset: 8 });
  throwsCode(() => readKallsymsBlob(tiny({ addresses: [0x20n, 0x10n] })), "SYMBOLS_BLOB_UNSORTED", {
    offset: 16,
  });
  // offsets[1] = 99 lies outside the 9-byte names array; offsets start at byte 24.
  throwsCode(() => readKallsymsBlob(tiny({ offsets: [0, 99] })), "SYMBOLS_BLOB_BAD_RECORD", { offset: 28 });
  // A record claiming 200 bytes: names start at 48, the length field at 49.
  throwsCode(
    () => readKallsymsBlob(tiny({ names: [0x54, 200, 0, 0x61, 0x62, ...record("t", "a")] })),
    "SYMBOLS_BLOB_BAD_RECORD",
    { offset: 49 },
  );
  // Token 3 of none: the payload starts at 51.
  throwsCode(
    () =>
      readKallsymsBlob(
        tiny({ names: [...record("T", [0xff, 3, 0xff]), ...record("t", "a")], offsets: [0, 6] }),
      ),
    "SYMBOLS_BLOB_BAD_TOKEN",
    { offset: 51 },
  );
  throwsCode(() => readKallsymsBlob(tiny({ tokenTable: [0x61], tokenIndex: [5] })), "SYMBOLS_BLOB_BAD_TOKEN");
  throwsCode(
    () => readKallsymsBlob(tiny({ tokenTable: [0x61, 0x62], tokenIndex: [1, 0] })),
    "SYMBOLS_BLOB_BAD_TOKEN",
  );
  // seqs start at 32.
  throwsCode(() => readKallsymsBlob(tiny({ seqs: [1, 1] })), "SYMBOLS_BLOB_BAD_SEQS", { offset: 36 });
  throwsCode(() => readKallsymsBlob(tiny({ seqs: [0, 7] })), "SYMBOLS_BLOB_BAD_SEQS", { offset: 36 });
  throwsCode(() => readKallsymsBlob(tiny({ seqs: [0, 1] })), "SYMBOLS_BLOB_BAD_SEQS", { offset: 36 });
  // Invalid UTF-8 in the second record (at 48 + 5).
  throwsCode(
    () => readKallsymsBlob(tiny({ names: [...record("T", "ab"), ...record("t", [0xc3])] })),
    "SYMBOLS_BLOB_BAD_UTF8",
    { offset: 53 },
  );
  // A marker with no token form after it stays raw bytes: 0xFF is not UTF-8.
  throwsCode(
    () =>
      readKallsymsBlob(tiny({ names: [...record("T", [0xff, 0x61]), ...record("t", "a")], offsets: [0, 5] })),
    "SYMBOLS_BLOB_BAD_UTF8",
  );
});

test("equal names listed out of address order in seqs are accepted and answered by the lowest address", () => {
  const blob = tiny({ names: [...record("T", "a"), ...record("t", "a")], offsets: [0, 4], seqs: [1, 0] });
  const t = readKallsymsBlob(blob);
  assert.is(t.lookupName("a"), 0x10n);
  assert.equal(t.addressesOf("a"), [0x10n, 0x20n]);
});

test("a token bomb (one long token named by many records) is refused, not expanded", () => {
  const token = new Array(60_000).fill(0x61);
  const n = 1000;
  const recs = Array.from({ length: n }, () => record("T", [0xff, 0, 0xff]));
  const blob = layout({
    addresses: Array.from({ length: n }, (_, i) => BigInt(i)),
    offsets: recs.map((_, i) => 6 * i),
    seqs: Array.from({ length: n }, (_, i) => i),
    names: recs.flat(),
    tokenTable: token,
    tokenIndex: [0],
  });
  throwsCode(() => readKallsymsBlob(blob), "SYMBOLS_BLOB_BAD_TOKEN");
});

test("chooseTokens: deterministic, at most 511, shared prefixes only, best count × length first", () => {
  const names = [
    ...Array.from({ length: 3 }, (_, i) => `__arm64_sys_read_${i}`),
    ...Array.from({ length: 2 }, (_, i) => `ext4_file_write_iter_v${i}`),
    "unique_name_that_appears_once",
  ];
  const tokens = chooseTokens(names);
  assert.equal(tokens, chooseTokens([...names]));
  // "__arm64_sy" (10) × 3 = 30 beats "ext4_file_" (10) × 2 = 20; no prefix of a kept token is kept.
  assert.equal(tokens, ["__arm64_sy", "ext4_file_"]);
  const many = Array.from({ length: 3000 }, (_, i) => `prefix${String(i % 1500).padStart(4, "0")}x_${i}`);
  const t = chooseTokens(many);
  assert.is(t.length, MAX_TOKENS);
  for (const tok of t) assert.ok(many.filter((n) => n.startsWith(tok)).length >= 2, tok);
});

test.run();
