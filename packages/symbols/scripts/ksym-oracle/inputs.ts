// Writes the oracle inputs into a directory: symbol lists (`<name>.nm.txt`, nm format), their
// lookup range (`<name>.range`: stext etext in hex), address probes (`<name>.probes`) and this
// package's blobs (`ours-<name>.blob`). Run by ../gen-ksym-oracle.sh.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseSystemMap, writeKallsymsBlob } from "../../src/index.ts";

const out = process.argv[2] ?? ".";
const hex = (a: bigint) => a.toString(16).padStart(16, "0");

const lists: Record<string, string> = {};
lists.reference = [
  "0000000000001000 T do_mkdir",
  "0000000000001300 T alias_do_fork",
  "0000000000001300 T do_fork",
  "0000000000001300 T do_fork_2",
  "0000000000001200 T cpu_startup_entry",
  "0000000000001400 T cpu_startup_entry",
  "0000000000001500 T _RNvCs4fqI2P2rA04_11hello_world4main_with_a_long_v0_name",
].join("\n");
lists.aarch64 = readFileSync(
  new URL("../../test/fixtures/elf/sample-aarch64.elf.gnu-nm.txt", import.meta.url),
  "utf8",
).trim();
// Enough shared prefixes for more than 256 tokens: two-byte ids, up to the original's id 511.
const many: string[] = [];
for (let i = 0; i < 700; i++) {
  const p = `sub${String(i).padStart(3, "0")}_mod_`;
  for (let j = 0; j < 2; j++)
    many.push(`${hex(0xffff_8000_0801_0000n + BigInt(16 * many.length))} t ${p}fn${j}`);
}
lists.tokens = many.join("\n");

for (const [name, text] of Object.entries(lists)) {
  const t = parseSystemMap(text);
  const first = t.addressAt(0);
  const last = t.addressAt(t.length - 1);
  const stext = first;
  const etext = last + 0x100n;
  writeFileSync(join(out, `${name}.nm.txt`), `${text}\n`);
  writeFileSync(join(out, `${name}.range`), `${stext.toString(16)} ${etext.toString(16)}\n`);
  const probes = new Set<bigint>([stext - 1n, etext, etext - 1n, 0n]);
  // Every symbol of the small lists; every 7th of the large one keeps the goldens small.
  const step = t.length > 100 ? 7 : 1;
  for (let i = 0; i < t.length; i += step) for (const d of [0n, 1n, 3n]) probes.add(t.addressAt(i) + d);
  writeFileSync(join(out, `${name}.probes`), `${[...probes].map((p) => p.toString(16)).join("\n")}\n`);
  writeFileSync(join(out, `ours-${name}.blob`), writeKallsymsBlob(t));
}
