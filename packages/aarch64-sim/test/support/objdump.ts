/** Lines of an `objdump -d` listing as [address, word, text]; trailing `// ...` comments are dropped
 * (the disassembler does not print objdump's comments). */
export function listingLines(text: string): [bigint, number, string][] {
  const out: [bigint, number, string][] = [];
  for (const line of text.split("\n")) {
    const m = /^ *([0-9a-f]+):\t([0-9a-f]{8}) \t(.*)$/.exec(line);
    if (!m) continue;
    const asm = (m[3] as string).replace(/(\t| +)\/\/ .*$/, "").replace(/ +$/, "");
    out.push([BigInt(`0x${m[1]}`), Number.parseInt(m[2] as string, 16), asm]);
  }
  return out;
}
