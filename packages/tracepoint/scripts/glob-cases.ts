// Prints seeded random `pattern<TAB>text` pairs for scripts/gen-glob-golden.sh (deterministic).
const PAT = [
  "a",
  "b",
  "c",
  "é",
  "-",
  "]",
  "[",
  "!",
  "^",
  "*",
  "?",
  "\\",
  "x",
  "[a-c]",
  "[!b]",
  "[^a]",
  "[]a]",
  "[é]",
  "[c-a]",
];
const TXT = ["a", "b", "c", "é", "-", "]", "[", "!", "^", "*", "?", "\\", "x"];
let s = 12345;
const r = (): number => {
  s = (Math.imul(s, 1103515245) + 12345) >>> 0;
  return (s >>> 8) / 16777216;
};
const pick = (xs: readonly string[]): string => xs[Math.floor(r() * xs.length)]!;
const out: string[] = [];
for (let i = 0; i < 2000; i++) {
  const p = Array.from({ length: 1 + Math.floor(r() * 5) }, () => pick(PAT)).join("");
  // Texts: random, or derived from the pattern so that matches are common.
  const t =
    r() < 0.5
      ? Array.from({ length: Math.floor(r() * 6) }, () => pick(TXT)).join("")
      : p.replace(/\[[^\]]*\]|[*?\\[\]]/g, () => pick(["a", "b", "", "é", "x"]));
  out.push(`${p}\t${t}`);
}
console.log(out.join("\n"));
