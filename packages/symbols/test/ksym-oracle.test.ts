// The original Rust reader (Starry-OS/ksym at 83ed84a) as an outside oracle, through goldens made
// by scripts/gen-ksym-oracle.sh: blobs from the original generator (`orig-*`) and from this
// package's writer (`ours-*`), each with what the original reader prints for them.
import { readdirSync, readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseSystemMap, readKallsymsBlob, writeKallsymsBlob } from "../src/index.ts";

const dir = new URL("./fixtures/ksym/", import.meta.url);
const read = (f: string) => readFileSync(new URL(f, dir));
const goldens = readdirSync(dir).filter((f) => f.endsWith(".blob.ksym.txt"));

interface Golden {
  dump: string[];
  lookups: { address: bigint; hit?: { type: string; size: bigint; offset: bigint; name: string } }[];
  names: { name: string; address: bigint }[];
}

function parseGolden(text: string): Golden {
  const g: Golden = { dump: [], lookups: [], names: [] };
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const lookup = /^lookup ([0-9a-f]+) (?:none|(\S) ([0-9a-f]+) ([0-9a-f]+) (.*))$/.exec(line);
    const name = /^name ([0-9a-f]+) (.*)$/.exec(line);
    if (lookup) {
      const [, a, type, size, offset, n] = lookup;
      g.lookups.push({
        address: BigInt(`0x${a}`),
        ...(type === undefined
          ? {}
          : { hit: { type, size: BigInt(`0x${size}`), offset: BigInt(`0x${offset}`), name: n ?? "" } }),
      });
    } else if (name) g.names.push({ address: BigInt(`0x${name[1]}`), name: name[2] ?? "" });
    else g.dump.push(line);
  }
  return g;
}

test("the goldens are all there (3 symbol lists × original and our writer)", () => {
  assert.is(goldens.length, 6);
});

for (const file of goldens) {
  const blobName = file.replace(/\.ksym\.txt$/, "");
  const list = blobName.replace(/^(orig|ours)-/, "").replace(/\.blob$/, "");
  test(`${blobName}: our reader agrees with the original reader`, () => {
    const g = parseGolden(read(file).toString("utf8"));
    const [stext, etext] = read(`${list}.range`)
      .toString("utf8")
      .trim()
      .split(" ")
      .map((h) => BigInt(`0x${h}`));
    const truth = parseSystemMap(read(`${list}.nm.txt`).toString("utf8"));
    const t = readKallsymsBlob(read(blobName), { stext: stext ?? 0n, etext: etext ?? 0n });

    // Dump: ours is the input list; the original's is too, except names it cannot decode.
    const ours = t.toText().trimEnd().split("\n");
    assert.equal(ours, truth.toText().trimEnd().split("\n"));
    const lost = g.dump.filter((l, i) => l !== ours[i]);
    for (const l of lost) assert.match(l, /^[0-9a-f]{16} \S $/, "only empty names may differ");
    // The original generator gives some name token 511 (FF 01 FF FF), which its own reader decodes
    // as token 1 plus a raw 0xFF: an empty name. Our writer never uses id 511.
    assert.is(lost.length, blobName === "orig-tokens.blob" ? 2 : 0, lost.join("\n"));

    // Address lookups: same symbol, size, offset and type; inside an alias group the original
    // names the last alias, we name the first (spec §9 weak spot 6).
    let aliasCases = 0;
    for (const { address, hit } of g.lookups) {
      const mine = t.lookup(address);
      if (hit === undefined) {
        assert.is(mine, undefined, `lookup ${address.toString(16)}`);
        continue;
      }
      assert.ok(mine, `lookup ${address.toString(16)}`);
      assert.equal([mine?.size, mine?.offset], [hit.size, hit.offset], `lookup ${address.toString(16)}`);
      if (mine === undefined) continue;
      if (hit.name === "" || mine.name === hit.name) {
        assert.is(mine.type, hit.type);
        continue;
      }
      // The original named another alias at the same address: it must be one, with that type.
      const aliases = Array.from({ length: mine.aliases }, (_, k) => t.at(mine.index + k));
      assert.ok(
        aliases.some((a) => a.name === hit.name && a.type === hit.type),
        `${hit.name} (${hit.type}) is an alias of ${mine.name}`,
      );
      aliasCases++;
    }
    if (list === "reference") assert.ok(aliasCases > 0, "the reference table exercises the alias difference");

    // Name lookups agree.
    for (const { name, address } of g.names) assert.is(t.lookupName(name), address, name);
  });
}

test("ours-*.blob is exactly what the writer produces today (regenerate the goldens if this fails)", () => {
  for (const list of ["reference", "aarch64", "tokens"]) {
    const fresh = writeKallsymsBlob(parseSystemMap(read(`${list}.nm.txt`).toString("utf8")));
    assert.equal(Buffer.compare(Buffer.from(fresh), read(`ours-${list}.blob`)), 0, list);
  }
});

test.run();
