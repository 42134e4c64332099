/**
 * Shell-style globs over UTF-8 bytes, matched by code point: `*` any run, `?` any one character,
 * `[abc]`, `[a-z]`, `[!x]` / `[^x]` classes, `\c` a literal `c`. The whole text must match.
 * Matching is iterative (one backtrack point for the last `*`), so it is O(text × pattern) at worst
 * and never recurses.
 */

const LIT = 0;
const ANY = 1;
const STAR = 2;
const CLASS = 3;

export interface GlobClass {
  readonly negate: boolean;
  /** Inclusive code point ranges, flattened: [lo0, hi0, lo1, hi1, ...]. */
  readonly ranges: Int32Array;
}

export interface CompiledGlob {
  readonly kinds: Uint8Array;
  /** For LIT: the code point; for CLASS: index into `classes`. */
  readonly args: Int32Array;
  readonly classes: readonly GlobClass[];
}

/** Thrown (as a plain value) for an unclosed `[`; the compiler turns it into a positioned error. */
export class GlobSyntaxError {
  constructor(
    readonly index: number,
    readonly message: string,
  ) {}
}

/** Compiles a glob pattern; throws `GlobSyntaxError` with the UTF-16 index of an unclosed `[`. */
export function compileGlob(pattern: string): CompiledGlob {
  const cps = Array.from(pattern, (c) => c.codePointAt(0)!);
  // Map code point index back to UTF-16 index for error positions.
  const utf16: number[] = [];
  {
    let u = 0;
    for (const c of pattern) {
      utf16.push(u);
      u += c.length;
    }
  }
  const kinds: number[] = [];
  const args: number[] = [];
  const classes: GlobClass[] = [];
  let i = 0;
  while (i < cps.length) {
    const c = cps[i]!;
    if (c === 0x2a /* * */) {
      if (kinds[kinds.length - 1] !== STAR) {
        kinds.push(STAR);
        args.push(0);
      }
      i++;
    } else if (c === 0x3f /* ? */) {
      kinds.push(ANY);
      args.push(0);
      i++;
    } else if (c === 0x5c /* \ */ && i + 1 < cps.length) {
      kinds.push(LIT);
      args.push(cps[i + 1]!);
      i += 2;
    } else if (c === 0x5b /* [ */) {
      const open = i;
      let j = i + 1;
      let negate = false;
      if (cps[j] === 0x21 || cps[j] === 0x5e) {
        negate = true;
        j++;
      }
      const ranges: number[] = [];
      let first = true;
      while (j < cps.length && (cps[j] !== 0x5d || first)) {
        first = false;
        let lo = cps[j]!;
        if (lo === 0x5c && j + 1 < cps.length) {
          j++;
          lo = cps[j]!;
        }
        let hi = lo;
        if (cps[j + 1] === 0x2d /* - */ && j + 2 < cps.length && cps[j + 2] !== 0x5d) {
          hi = cps[j + 2]!;
          j += 2;
        }
        // A reversed range such as `[c-a]` matches nothing, as in bash.
        if (lo <= hi) ranges.push(lo, hi);
        j++;
      }
      if (j >= cps.length) throw new GlobSyntaxError(utf16[open]!, "unclosed '[' in glob pattern");
      kinds.push(CLASS);
      args.push(classes.length);
      classes.push({ negate, ranges: Int32Array.from(ranges) });
      i = j + 1;
    } else {
      kinds.push(LIT);
      args.push(c);
      i++;
    }
  }
  return { kinds: Uint8Array.from(kinds), args: Int32Array.from(args), classes };
}

// Decoded code point and its byte length, left in module state to avoid allocating a pair.
let cpValue = 0;
let cpLen = 0;

/** Decodes one UTF-8 sequence at `i` (< end); malformed bytes decode as themselves, length 1. */
function decodeAt(b: Uint8Array, i: number, end: number): void {
  const c = b[i]!;
  if (c < 0x80) {
    cpValue = c;
    cpLen = 1;
    return;
  }
  const need = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
  if (need === 0 || i + need >= end) {
    cpValue = c;
    cpLen = 1;
    return;
  }
  let v = c & (0x3f >> need);
  for (let k = 1; k <= need; k++) {
    const d = b[i + k]!;
    if ((d & 0xc0) !== 0x80) {
      cpValue = c;
      cpLen = 1;
      return;
    }
    v = (v << 6) | (d & 0x3f);
  }
  cpValue = v;
  cpLen = need + 1;
}

function classMatches(cls: GlobClass, cp: number): boolean {
  const r = cls.ranges;
  let hit = false;
  for (let k = 0; k < r.length; k += 2) {
    if (cp >= r[k]! && cp <= r[k + 1]!) {
      hit = true;
      break;
    }
  }
  return hit !== cls.negate;
}

/** Matches `bytes[start, end)` against a compiled glob. */
export function matchGlob(g: CompiledGlob, bytes: Uint8Array, start: number, end: number): boolean {
  const kinds = g.kinds;
  const args = g.args;
  const n = kinds.length;
  let p = 0;
  let t = start;
  let starP = -1;
  let starT = 0;
  while (t < end) {
    if (p < n) {
      const k = kinds[p]!;
      if (k === STAR) {
        starP = ++p;
        starT = t;
        continue;
      }
      decodeAt(bytes, t, end);
      if (
        k === ANY ||
        (k === LIT && args[p] === cpValue) ||
        (k === CLASS && classMatches(g.classes[args[p]!]!, cpValue))
      ) {
        p++;
        t += cpLen;
        continue;
      }
    }
    if (starP < 0) return false;
    // Let the last star swallow one more character and retry from just after it.
    decodeAt(bytes, starT, end);
    starT += cpLen;
    t = starT;
    p = starP;
  }
  while (p < n && kinds[p] === STAR) p++;
  return p === n;
}
