// Shell-style globs (`*`, `?`, `[a-z]`, `[!x]`, `\` escapes) matched in place against a range of
// the table's one string, so a search never slices or copies names.
import { SymbolsError } from "./errors.ts";

const Op = { LITERAL: 0, ANY: 1, STAR: 2, CLASS: 3 } as const;

interface CharClass {
  readonly negate: boolean;
  /** Inclusive [lo, hi] pairs of UTF-16 code units. */
  readonly ranges: readonly number[];
}

export interface Glob {
  readonly source: string;
  readonly ops: Uint8Array;
  /** Literal char code, or class index for `CLASS`. */
  readonly args: Uint32Array;
  readonly classes: readonly CharClass[];
  /** The literal text before the first wildcard (narrows a search to a name range). */
  readonly prefix: string;
  /** True when the pattern has no wildcard at all: an exact name. */
  readonly exact: boolean;
}

function globError(pattern: string, column: number, what: string): SymbolsError {
  return new SymbolsError(
    "SYMBOLS_BAD_GLOB",
    `glob ${JSON.stringify(pattern)}: ${what} at column ${column}`,
    {
      column,
    },
  );
}

export function compileGlob(pattern: string): Glob {
  const ops: number[] = [];
  const args: number[] = [];
  const classes: CharClass[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern.charCodeAt(i);
    if (c === 0x2a /* * */) {
      // Runs of stars are one star.
      if (ops[ops.length - 1] !== Op.STAR) {
        ops.push(Op.STAR);
        args.push(0);
      }
      i++;
    } else if (c === 0x3f /* ? */) {
      ops.push(Op.ANY);
      args.push(0);
      i++;
    } else if (c === 0x5c /* \ */) {
      if (i + 1 >= pattern.length) throw globError(pattern, i + 1, "trailing escape");
      ops.push(Op.LITERAL);
      args.push(pattern.charCodeAt(i + 1));
      i += 2;
    } else if (c === 0x5b /* [ */) {
      const open = i;
      i++;
      let negate = false;
      const n = pattern.charCodeAt(i);
      if (n === 0x21 /* ! */ || n === 0x5e /* ^ */) {
        negate = true;
        i++;
      }
      const ranges: number[] = [];
      let first = true;
      for (;;) {
        if (i >= pattern.length) throw globError(pattern, open + 1, "unterminated [");
        let lo = pattern.charCodeAt(i);
        // A `]` right after `[` or `[!` is a member, as in POSIX.
        if (lo === 0x5d && !first) break;
        if (lo === 0x5c) {
          if (i + 1 >= pattern.length) throw globError(pattern, i + 1, "trailing escape");
          lo = pattern.charCodeAt(++i);
        }
        i++;
        let hi = lo;
        if (
          pattern.charCodeAt(i) === 0x2d /* - */ &&
          i + 1 < pattern.length &&
          pattern.charCodeAt(i + 1) !== 0x5d
        ) {
          hi = pattern.charCodeAt(i + 1);
          if (hi === 0x5c) {
            if (i + 2 >= pattern.length) throw globError(pattern, i + 2, "trailing escape");
            hi = pattern.charCodeAt(i + 2);
            i++;
          }
          i += 2;
          if (hi < lo) throw globError(pattern, i, "reversed range");
        }
        ranges.push(lo, hi);
        first = false;
      }
      i++; // the closing ]
      ops.push(Op.CLASS);
      args.push(classes.length);
      classes.push({ negate, ranges });
    } else {
      ops.push(Op.LITERAL);
      args.push(c);
      i++;
    }
  }
  let prefix = "";
  for (let j = 0; j < ops.length && ops[j] === Op.LITERAL; j++)
    prefix += String.fromCharCode(args[j] as number);
  return {
    source: pattern,
    ops: Uint8Array.from(ops),
    args: Uint32Array.from(args),
    classes,
    prefix,
    exact: prefix.length === ops.length,
  };
}

function classHas(cls: CharClass, c: number): boolean {
  const r = cls.ranges;
  let hit = false;
  for (let j = 0; j < r.length; j += 2) {
    if (c >= (r[j] as number) && c <= (r[j + 1] as number)) {
      hit = true;
      break;
    }
  }
  return hit !== cls.negate;
}

/** Does `text[start, end)` match the whole glob? Linear backtracking over the last `*`; no allocation. */
export function globMatches(g: Glob, text: string, start: number, end: number): boolean {
  const ops = g.ops;
  const args = g.args;
  const np = ops.length;
  let p = 0;
  let s = start;
  let starP = -1;
  let starS = 0;
  while (s < end) {
    if (p < np) {
      const op = ops[p];
      if (op === Op.STAR) {
        starP = p++;
        starS = s;
        continue;
      }
      const c = text.charCodeAt(s);
      const ok =
        op === Op.ANY ||
        (op === Op.LITERAL ? c === args[p] : classHas(g.classes[args[p] as number] as CharClass, c));
      if (ok) {
        p++;
        s++;
        continue;
      }
    }
    if (starP < 0) return false;
    p = starP + 1;
    s = ++starS;
  }
  while (p < np && ops[p] === Op.STAR) p++;
  return p === np;
}
