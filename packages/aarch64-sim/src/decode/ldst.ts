// C4.1.87 Loads and Stores: single register (unsigned offset, unscaled, pre/post index, unprivileged,
// register offset, literal), pairs (offset, pre/post, non-temporal), for X/W and B/H/S/D/Q registers.
// Exclusives, acquire/release and atomics are in ldst-atomic.ts.
import type { Cpu } from "../cpu.ts";
import { T } from "../exec/alu.ts";
import { EA, ea, load, store, vload, vstore } from "../exec/mem.ts";
import { Slot } from "../stop.ts";
import { extendReg } from "./data-reg.ts";
import { addrBig, bits, defaultTarget, EXTEND_NAMES, rs, rz, sext, wn, wz, xn, xsp } from "./fields.ts";
import { shift64Src } from "./js-src.ts";
import type { Insn, Row } from "./types.ts";

type Exec = Insn["exec"];
const TMP = Slot.TMP * 2;
type Access = (s: Cpu, lo: number, hi: number) => void;

/** What one register transfer does, with its mnemonic and register name. */
interface Transfer {
  readonly access: Access;
  readonly mn: string;
  readonly reg: string;
  /** access size in bytes (scale of the unsigned offset) */
  readonly bytes: number;
  /** integer transfers: slot word index and load kind (LoadKind) or -1 - size for stores; fast paths use it */
  readonly fast?: readonly [number, number];
}

const VNAMES = ["b", "h", "s", "d", "q"] as const;

export function prfopName(op: number): string {
  const type = op >> 3;
  const target = (op >> 1) & 3;
  if (type === 3 || target === 3) return `#0x${op.toString(16).padStart(2, "0")}`;
  return `${["pld", "pli", "pst"][type]}l${target + 1}${op & 1 ? "strm" : "keep"}`;
}

/** The transfer for size/V/opc of the load/store register class, or undefined if unallocated.
 * `prefix` is "" (ldr/str), "u" (ldur/stur), "t" (ldtr/sttr). */
function transfer(size: number, v: number, opc: number, rt: number, prefix: string): Transfer | undefined {
  if (v) {
    const sz = (opc & 2) !== 0 ? (size === 0 ? 4 : -1) : size;
    if (sz < 0 || prefix === "t") return undefined;
    const isLoad = (opc & 1) === 1;
    const mn = `${isLoad ? "ld" : "st"}${prefix === "u" ? "ur" : "r"}`;
    return {
      access: isLoad ? (s, lo, hi) => vload(s, rt, lo, hi, sz) : (s, lo, hi) => vstore(s, rt, lo, hi, sz),
      mn,
      reg: `${VNAMES[sz]}${rt}`,
      bytes: 1 << sz,
    };
  }
  const suffix = ["b", "h", "", ""][size] as string;
  const base = prefix === "u" ? "ur" : prefix === "t" ? "tr" : "r";
  if (opc === 0) {
    const t = rz(rt);
    return {
      access: (s, lo, hi) => store(s, t, lo, hi, size),
      mn: `st${base}${suffix}`,
      reg: size === 3 ? xn(rt) : wn(rt),
      bytes: 1 << size,
      fast: [t, -1 - size],
    };
  }
  const t = wz(rt);
  if (opc === 1) {
    const kind = size;
    return {
      access: (s, lo, hi) => load(s, t, lo, hi, kind),
      mn: `ld${base}${suffix}`,
      reg: size === 3 ? xn(rt) : wn(rt),
      bytes: 1 << size,
      fast: [t, kind],
    };
  }
  if (size === 3) return undefined; // PRFM is handled by the caller
  if (opc === 2) {
    const kind = 4 + size; // S8X, S16X, S32X
    return {
      access: (s, lo, hi) => load(s, t, lo, hi, kind),
      mn: `ld${base}s${["b", "h", "w"][size]}`,
      reg: xn(rt),
      bytes: 1 << size,
    };
  }
  if (size === 2) return undefined;
  const kind = 8 + size;
  return {
    access: (s, lo, hi) => load(s, t, lo, hi, kind),
    mn: `ld${base}s${["b", "h"][size]}`,
    reg: wn(rt),
    bytes: 1 << size,
  };
}

const prfm: Access = () => {};

/**
 * The base-register addressing of the immediate forms around an access: mode 0 base + off, 1 post-index
 * (access at base, then base += off), 2 pre-index (base += off, then access). One closure per mode, so the
 * hot path has no mode test.
 */
function indexed(mode: number, n: number, off: number, acc: Access): Exec {
  if (mode === 0) {
    return (s) => {
      const x = s.x;
      ea(x[n] as number, x[n + 1] as number, off);
      acc(s, EA[0] as number, EA[1] as number);
      return 0;
    };
  }
  if (mode === 1) {
    return (s) => {
      const x = s.x;
      const lo = x[n] as number;
      const hi = x[n + 1] as number;
      acc(s, lo, hi);
      ea(lo, hi, off);
      x[n] = EA[0] as number;
      x[n + 1] = EA[1] as number;
      return 0;
    };
  }
  return (s) => {
    const x = s.x;
    ea(x[n] as number, x[n + 1] as number, off);
    const lo = EA[0] as number;
    const hi = EA[1] as number;
    acc(s, lo, hi);
    x[n] = lo;
    x[n + 1] = hi;
    return 0;
  };
}

/** Immediate-offset forms; mode 0 offset, 1 post-index, 2 pre-index. */
function immForm(name: string, w: number, tr: Transfer, rn: number, off: number, mode: number): Insn {
  const n = rs(rn);
  const acc = tr.access;
  let exec: Exec;
  const fast = mode === 0 ? tr.fast : undefined;
  if (fast !== undefined && (fast[1] === 3 || fast[1] === 2 || fast[1] === -4 || fast[1] === -3)) {
    // the common LDR/STR of W and X registers at base + offset, without the generic access call
    const t = fast[0];
    exec =
      fast[1] === 3
        ? (s) => {
            const x = s.x;
            const l = ((x[n] as number) >>> 0) + off;
            const b = s.bus;
            const v = b.read64(l | 0, ((x[n + 1] as number) + (l > 0xffffffff ? 1 : l < 0 ? -1 : 0)) | 0);
            x[t] = v;
            x[t + 1] = b.hi;
            return 0;
          }
        : fast[1] === 2
          ? (s) => {
              const x = s.x;
              const l = ((x[n] as number) >>> 0) + off;
              x[t] = s.bus.read32(l | 0, ((x[n + 1] as number) + (l > 0xffffffff ? 1 : l < 0 ? -1 : 0)) | 0);
              x[t + 1] = 0;
              return 0;
            }
          : fast[1] === -4
            ? (s) => {
                const x = s.x;
                const l = ((x[n] as number) >>> 0) + off;
                s.bus.write64(
                  l | 0,
                  ((x[n + 1] as number) + (l > 0xffffffff ? 1 : l < 0 ? -1 : 0)) | 0,
                  x[t] as number,
                  x[t + 1] as number,
                );
                return 0;
              }
            : (s) => {
                const x = s.x;
                const l = ((x[n] as number) >>> 0) + off;
                s.bus.write32(
                  l | 0,
                  ((x[n + 1] as number) + (l > 0xffffffff ? 1 : l < 0 ? -1 : 0)) | 0,
                  x[t] as number,
                );
                return 0;
              };
  } else exec = indexed(mode, n, off, acc);
  const asm = () => `${tr.mn}\t${tr.reg}, ${addrText(rn, off, mode)}`;
  const tf = tr.fast;
  if (tf !== undefined) {
    const [t, k] = tf;
    const access = (al: string, ah: string): string => {
      if (k === 3)
        return `{ const b = s.bus; const v = b.read64(${al}, ${ah}); x[${t}] = v; x[${t + 1}] = b.hi; }`;
      if (k >= 0 && k <= 2)
        return `x[${t}] = s.bus.${["read8", "read16", "read32"][k]}(${al}, ${ah}); x[${t + 1}] = 0;`;
      if (k === -4) return `s.bus.write64(${al}, ${ah}, x[${t}], x[${t + 1}]);`;
      return `s.bus.${["write8", "write16", "write32"][-1 - k]}(${al}, ${ah}, x[${t}]);`;
    };
    const carry = "(l > 4294967295 ? 1 : l < 0 ? -1 : 0)";
    let js: string;
    if (mode === 1) {
      js = `{ const bl = x[${n}], bh = x[${n + 1}]; ${access("bl", "bh")} const l = (bl >>> 0) + (${off}); x[${n}] = l | 0; x[${n + 1}] = (bh + ${carry}) | 0; }`;
    } else {
      const a = `const l = (x[${n}] >>> 0) + (${off}); const al = l | 0; const ah = (x[${n + 1}] + ${carry}) | 0;`;
      js = `{ ${a} ${access("al", "ah")}${mode === 2 ? ` x[${n}] = al; x[${n + 1}] = ah;` : ""} }`;
    }
    return { name, word: w, exec, asm, js, jsFaults: true };
  }
  return { name, word: w, exec, asm };
}

function addrText(rn: number, off: number, mode: number): string {
  if (mode === 1) return `[${xsp(rn)}], #${off}`;
  if (mode === 2) return `[${xsp(rn)}, #${off}]!`;
  return off === 0 ? `[${xsp(rn)}]` : `[${xsp(rn)}, #${off}]`;
}

function single(w: number, _pc: number, name: string): Insn | undefined {
  const size = bits(w, 30, 2);
  const v = bits(w, 26, 1);
  const opc = bits(w, 22, 2);
  const rn = bits(w, 5, 5);
  const rt = bits(w, 0, 5);
  let prefix = "";
  let off: number;
  let mode = 0;
  if (name === "LDST_ui") {
    off = bits(w, 10, 12);
  } else {
    off = sext(bits(w, 12, 9), 9);
    const k = bits(w, 10, 2);
    if (k === 0) prefix = "u";
    else if (k === 2) prefix = "t";
    else mode = k === 1 ? 1 : 2;
  }
  if (!v && size === 3 && opc === 2) {
    // PRFM (unsigned offset) / PRFUM (unscaled); no pre/post/unprivileged form
    if (name !== "LDST_ui" && prefix !== "u") return undefined;
    const o = name === "LDST_ui" ? off * 8 : off;
    const mn = prefix === "u" ? "prfum" : "prfm";
    return immForm(name, w, { access: prfm, mn, reg: prfopName(rt), bytes: 8 }, rn, o, 0);
  }
  const tr = transfer(size, v, opc, rt, prefix);
  if (tr === undefined) return undefined;
  if (name === "LDST_ui") off *= tr.bytes;
  return immForm(name, w, tr, rn, off, mode);
}

function regOffset(w: number, _pc: number, name: string): Insn | undefined {
  const size = bits(w, 30, 2);
  const v = bits(w, 26, 1);
  const opc = bits(w, 22, 2);
  const rm = bits(w, 16, 5);
  const option = bits(w, 13, 3);
  const sBit = bits(w, 12, 1);
  const rn = bits(w, 5, 5);
  const rt = bits(w, 0, 5);
  if ((option & 2) === 0) return undefined;
  let tr: Transfer | undefined;
  if (!v && size === 3 && opc === 2) tr = { access: prfm, mn: "prfm", reg: prfopName(rt), bytes: 8 };
  else tr = transfer(size, v, opc, rt, "");
  if (tr === undefined) return undefined;
  const shift = sBit ? Math.log2(tr.bytes) : 0;
  const n = rs(rn);
  const m = rz(rm);
  const acc = tr.access;
  const exec: Exec = (s) => {
    const x = s.x;
    extendReg(x[m] as number, x[m + 1] as number, option, shift);
    const l = ((x[n] as number) >>> 0) + ((T[0] as number) >>> 0);
    const hi = ((x[n + 1] as number) + (T[1] as number) + (l > 0xffffffff ? 1 : 0)) | 0;
    acc(s, l | 0, hi);
    return 0;
  };
  const asm = () => {
    const mreg = option & 1 ? xn(rm) : wn(rm);
    let ext: string;
    if (option === 3) ext = sBit ? `, lsl #${shift}` : "";
    else ext = `, ${EXTEND_NAMES[option]}${sBit ? ` #${shift}` : ""}`;
    return `${tr.mn}\t${tr.reg}, [${xsp(rn)}, ${mreg}${ext}]`;
  };
  const tf = tr.fast;
  if (tf !== undefined) {
    const [t, k] = tf;
    const eh = option === 3 || option === 7 ? "mh" : option === 6 ? "(ml >> 31)" : "0";
    const [el2, eh2] = shift64Src(0, "ml", eh, shift);
    const acc =
      k === 3
        ? `{ const b = s.bus; const v = b.read64(al, ah); x[${t}] = v; x[${t + 1}] = b.hi; }`
        : k >= 0 && k <= 2
          ? `x[${t}] = s.bus.${["read8", "read16", "read32"][k]}(al, ah); x[${t + 1}] = 0;`
          : k === -4
            ? `s.bus.write64(al, ah, x[${t}], x[${t + 1}]);`
            : `s.bus.${["write8", "write16", "write32"][-1 - k]}(al, ah, x[${t}]);`;
    const js = `{ const ml = x[${m}], mh = x[${m + 1}]; const el = ${el2}, eh = ${eh2}; const l = (x[${n}] >>> 0) + (el >>> 0); const al = l | 0; const ah = (x[${n + 1}] + eh + (l > 4294967295 ? 1 : 0)) | 0; ${acc} }`;
    return { name, word: w, exec, asm, js, jsFaults: true };
  }
  return { name, word: w, exec, asm };
}

function literal(w: number, pc: number, name: string): Insn | undefined {
  const opc = bits(w, 30, 2);
  const v = bits(w, 26, 1);
  const rt = bits(w, 0, 5);
  const target = pc + sext(bits(w, 5, 19), 19) * 4;
  const tb = BigInt.asUintN(64, BigInt(target));
  const lo = Number(tb & 0xffffffffn) | 0;
  const hi = Number(tb >> 32n) | 0;
  let exec: Exec;
  let text: (t: string) => string;
  if (v) {
    if (opc === 3) return undefined;
    const sz = opc + 2;
    exec = (s) => {
      vload(s, rt, lo, hi, sz);
      return 0;
    };
    text = (t) => `ldr\t${VNAMES[sz]}${rt}, ${t}`;
  } else if (opc === 3) {
    exec = () => 0;
    text = (t) => `prfm\t${prfopName(rt)}, ${t}`;
  } else {
    const kind = opc === 0 ? 2 : opc === 1 ? 3 : 6;
    const t = wz(rt);
    exec = (s) => {
      load(s, t, lo, hi, kind);
      return 0;
    };
    text = (tt) => `${opc === 2 ? "ldrsw" : "ldr"}\t${opc === 0 ? wn(rt) : xn(rt)}, ${tt}`;
  }
  return { name, word: w, exec, asm: (f = defaultTarget) => text(f(addrBig(target))) };
}

function pair(w: number, _pc: number, name: string): Insn | undefined {
  const opc = bits(w, 30, 2);
  const v = bits(w, 26, 1);
  const kind = bits(w, 23, 2); // 0 no-allocate, 1 post, 2 offset, 3 pre
  const isLoad = bits(w, 22, 1);
  const rt2 = bits(w, 10, 5);
  const rn = bits(w, 5, 5);
  const rt = bits(w, 0, 5);
  let sz: number;
  let signed = false;
  if (v) {
    if (opc === 3) return undefined;
    sz = opc + 2;
  } else {
    if (opc === 3 || (opc === 1 && (!isLoad || kind === 0))) return undefined;
    signed = opc === 1;
    sz = opc === 2 ? 3 : 2;
  }
  const bytes = 1 << sz;
  const off = sext(bits(w, 15, 7), 7) * bytes;
  const mode = kind === 1 ? 1 : kind === 3 ? 2 : 0;
  const n = rs(rn);
  let body: Access;
  if (v) {
    body = isLoad
      ? (s, lo, hi) => {
          const r = s.vreg;
          vload(s, rt, lo, hi, sz);
          const a = r[rt * 4] as number;
          const b = r[rt * 4 + 1] as number;
          const c = r[rt * 4 + 2] as number;
          const d = r[rt * 4 + 3] as number;
          ea(lo, hi, bytes);
          vload(s, rt2, EA[0] as number, EA[1] as number, sz);
          r[rt * 4] = a;
          r[rt * 4 + 1] = b;
          r[rt * 4 + 2] = c;
          r[rt * 4 + 3] = d;
        }
      : (s, lo, hi) => {
          s.bus.probe(lo, hi, 2 * bytes, true);
          vstore(s, rt, lo, hi, sz);
          ea(lo, hi, bytes);
          vstore(s, rt2, EA[0] as number, EA[1] as number, sz);
        };
  } else if (isLoad) {
    const t1 = wz(rt);
    const t2 = wz(rt2);
    const lk = sz === 3 ? 3 : signed ? 6 : 2;
    body = (s, lo, hi) => {
      const x = s.x;
      load(s, TMP, lo, hi, lk);
      ea(lo, hi, bytes);
      load(s, t2, EA[0] as number, EA[1] as number, lk);
      x[t1] = x[TMP] as number;
      x[t1 + 1] = x[TMP + 1] as number;
    };
  } else {
    const t1 = rz(rt);
    const t2 = rz(rt2);
    body = (s, lo, hi) => {
      s.bus.probe(lo, hi, 2 * bytes, true);
      store(s, t1, lo, hi, sz);
      ea(lo, hi, bytes);
      store(s, t2, EA[0] as number, EA[1] as number, sz);
    };
  }
  const exec = indexed(mode, n, off, body);
  const mn = `${isLoad ? "ld" : "st"}${kind === 0 ? "np" : "p"}${signed ? "sw" : ""}`;
  const reg = (r: number) => (v ? `${VNAMES[sz]}${r}` : sz === 3 || signed ? xn(r) : wn(r));
  return { name, word: w, exec, asm: () => `${mn}\t${reg(rt)}, ${reg(rt2)}, ${addrText(rn, off, mode)}` };
}

export const LDST_ROWS: readonly Row[] = [
  { name: "LDR_lit", pattern: "..011.00 ........................", build: literal },
  { name: "LDST_pair", pattern: "..101.0. ........................", build: pair },
  { name: "LDST_ui", pattern: "..111.01 ........................", build: single },
  { name: "LDST_i9", pattern: "..111.00 ..0.....................", build: single },
  { name: "LDST_reg", pattern: "..111.00 ..1.........10..........", build: regOffset },
];
