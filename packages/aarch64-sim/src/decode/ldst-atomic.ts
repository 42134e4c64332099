// Loads and stores that synchronise: exclusives (local monitor), load-acquire / store-release,
// LDAPR/LDAPUR/STLUR (RCpc), LSE atomics (LDADD..LDUMIN, SWP, ST* aliases), CAS and CASP.
import type { Cpu } from "../cpu.ts";
import { EA, ea, load, store } from "../exec/mem.ts";
import { StopReason } from "../stop.ts";
import { bits, rs, rz, sext, wn, wz, xn, xsp } from "./fields.ts";
import type { Insn, Row } from "./types.ts";

type Exec = Insn["exec"];
const SZ = ["b", "h", "", ""] as const;
const reg = (size: number, r: number): string => (size === 3 ? xn(r) : wn(r));

/** Stops with an alignment fault unless (lo, hi) is aligned to `bytes`. */
function misaligned(s: Cpu, lo: number, hi: number, bytes: number): boolean {
  if ((lo & (bytes - 1)) === 0) return false;
  s.faultLo = lo;
  s.faultHi = hi;
  s.faultWrite = false;
  s.stop = StopReason.DATA_ALIGNMENT;
  return true;
}

// Reads 1 << size bytes at (lo, hi) into R (zero-extended halves).
const R = new Int32Array(4);
function readSized(s: Cpu, lo: number, hi: number, size: number): void {
  const b = s.bus;
  R[1] = 0;
  if (size === 0) R[0] = b.read8(lo, hi);
  else if (size === 1) R[0] = b.read16(lo, hi);
  else if (size === 2) R[0] = b.read32(lo, hi);
  else {
    R[0] = b.read64(lo, hi);
    R[1] = b.hi;
  }
}
function writeSized(s: Cpu, lo: number, hi: number, size: number, vlo: number, vhi: number): void {
  const b = s.bus;
  if (size === 0) b.write8(lo, hi, vlo);
  else if (size === 1) b.write16(lo, hi, vlo);
  else if (size === 2) b.write32(lo, hi, vlo);
  else b.write64(lo, hi, vlo, vhi);
}
const MASK = [0xff, 0xffff, -1, -1] as const;

function exclusive(w: number, _pc: number, name: string): Insn | undefined {
  const size = bits(w, 30, 2);
  const o2 = bits(w, 23, 1);
  const isLoad = bits(w, 22, 1);
  const o1 = bits(w, 21, 1);
  const rsn = bits(w, 16, 5);
  const o0 = bits(w, 15, 1);
  const rt2 = bits(w, 10, 5);
  const rn = bits(w, 5, 5);
  const rt = bits(w, 0, 5);
  const n = rs(rn);
  const addr = `[${xsp(rn)}]`;
  if (o2 === 1 && o1 === 0) {
    // LDAR / LDLAR / STLR / STLLR
    const bytes = 1 << size;
    const mn = `${isLoad ? (o0 ? "ldar" : "ldlar") : o0 ? "stlr" : "stllr"}${SZ[size]}`;
    const t = isLoad ? wz(rt) : rz(rt);
    const exec: Exec = (s) => {
      const lo = s.x[n] as number;
      const hi = s.x[n + 1] as number;
      if (misaligned(s, lo, hi, bytes)) return 2;
      if (isLoad) load(s, t, lo, hi, size);
      else store(s, t, lo, hi, size);
      return 0;
    };
    return { name, word: w, exec, asm: () => `${mn}\t${reg(size, rt)}, ${addr}` };
  }
  if (o1 === 1 && (o2 === 1 || size < 2)) {
    if (rt2 !== 31) return undefined;
    return o2 === 1
      ? cas(w, name, size, isLoad, o0, rsn, rn, rt)
      : casp(w, name, size, isLoad, o0, rsn, rn, rt);
  }
  const isPair = o1 === 1;
  if (isPair && size < 2) return undefined;
  const esize = isPair ? size - 2 + 2 : size; // element size (log2 bytes)
  const total = isPair ? 2 << size : 1 << size;
  const acq = o0 ? (isLoad ? "a" : "l") : "";
  if (isLoad) {
    const t1 = wz(rt);
    const t2 = wz(rt2);
    const mn = isPair ? `ld${acq}xp` : `ld${acq}xr${SZ[size]}`;
    const exec: Exec = (s) => {
      const x = s.x;
      const lo = x[n] as number;
      const hi = x[n + 1] as number;
      if (misaligned(s, lo, hi, total)) return 2;
      readSized(s, lo, hi, esize);
      const alo = R[0] as number;
      const ahi = R[1] as number;
      let blo = 0;
      let bhi = 0;
      if (isPair) {
        ea(lo, hi, 1 << esize);
        readSized(s, EA[0] as number, EA[1] as number, esize);
        blo = R[0] as number;
        bhi = R[1] as number;
      }
      x[t1] = alo;
      x[t1 + 1] = ahi;
      if (isPair) {
        x[t2] = blo;
        x[t2 + 1] = bhi;
      }
      s.exclActive = true;
      s.exclLo = lo;
      s.exclHi = hi;
      s.exclSize = total;
      const v = s.exclVal;
      v[0] = alo;
      v[1] = ahi;
      v[2] = blo;
      v[3] = bhi;
      return 0;
    };
    const asm = () =>
      isPair ? `${mn}\t${reg(esize, rt)}, ${reg(esize, rt2)}, ${addr}` : `${mn}\t${reg(size, rt)}, ${addr}`;
    return { name, word: w, exec, asm };
  }
  const st = wz(rsn);
  const t1 = rz(rt);
  const t2 = rz(rt2);
  const mn = isPair ? `st${acq}xp` : `st${acq}xr${SZ[size]}`;
  const exec: Exec = (s) => {
    const x = s.x;
    const lo = x[n] as number;
    const hi = x[n + 1] as number;
    // no alignment check: a misaligned address never matches the (aligned) monitored one
    let ok = s.exclActive && s.exclLo === lo && s.exclHi === hi;
    if (ok) {
      // QEMU semantics: the store succeeds if memory still holds what the exclusive load read.
      const v = s.exclVal;
      readSized(s, lo, hi, esize);
      const m = MASK[esize] as number;
      ok = ((R[0] as number) & m) === ((v[0] as number) & m) && (esize < 3 || R[1] === v[1]);
      if (ok && isPair) {
        ea(lo, hi, 1 << esize);
        readSized(s, EA[0] as number, EA[1] as number, esize);
        ok = R[0] === v[2] && (esize < 3 || R[1] === v[3]);
      }
    }
    if (ok) {
      s.bus.probe(lo, hi, total, true);
      const alo = x[t1] as number;
      const ahi = x[t1 + 1] as number;
      const blo = x[t2] as number;
      const bhi = x[t2 + 1] as number;
      writeSized(s, lo, hi, esize, alo, ahi);
      if (isPair) {
        ea(lo, hi, 1 << esize);
        writeSized(s, EA[0] as number, EA[1] as number, esize, blo, bhi);
      }
    }
    s.exclActive = false;
    x[st] = ok ? 0 : 1;
    x[st + 1] = 0;
    return 0;
  };
  const asm = () =>
    isPair
      ? `${mn}\t${wn(rsn)}, ${reg(esize, rt)}, ${reg(esize, rt2)}, ${addr}`
      : `${mn}\t${wn(rsn)}, ${reg(size, rt)}, ${addr}`;
  return { name, word: w, exec, asm };
}

function cas(
  w: number,
  name: string,
  size: number,
  acq: number,
  rel: number,
  rsn: number,
  rn: number,
  rt: number,
): Insn {
  const n = rs(rn);
  const sr = rz(rsn);
  const sw = wz(rsn);
  const t = rz(rt);
  const m = MASK[size] as number;
  const exec: Exec = (s) => {
    const x = s.x;
    const lo = x[n] as number;
    const hi = x[n + 1] as number;
    if (misaligned(s, lo, hi, 1 << size)) return 2;
    readSized(s, lo, hi, size);
    const olo = R[0] as number;
    const ohi = R[1] as number;
    if ((olo & m) === ((x[sr] as number) & m) && (size < 3 || ohi === x[sr + 1])) {
      writeSized(s, lo, hi, size, x[t] as number, x[t + 1] as number);
    }
    x[sw] = olo;
    x[sw + 1] = ohi;
    return 0;
  };
  const mn = `cas${acq ? "a" : ""}${rel ? "l" : ""}${SZ[size]}`;
  return { name, word: w, exec, asm: () => `${mn}\t${reg(size, rsn)}, ${reg(size, rt)}, [${xsp(rn)}]` };
}

function casp(
  w: number,
  name: string,
  size: number,
  acq: number,
  rel: number,
  rsn: number,
  rn: number,
  rt: number,
): Insn | undefined {
  if (rsn & 1 || rt & 1) return undefined;
  const esize = size + 2; // 0 -> 32-bit registers, 1 -> 64-bit
  const n = rs(rn);
  const s0 = rz(rsn);
  const s1 = rz(rsn + 1);
  const w0 = wz(rsn);
  const w1 = wz(rsn + 1);
  const t0 = rz(rt);
  const t1 = rz(rt + 1);
  const eb = 1 << esize;
  const exec: Exec = (s) => {
    const x = s.x;
    const lo = x[n] as number;
    const hi = x[n + 1] as number;
    if (misaligned(s, lo, hi, 2 * eb)) return 2;
    readSized(s, lo, hi, esize);
    const alo = R[0] as number;
    const ahi = R[1] as number;
    ea(lo, hi, eb);
    const lo2 = EA[0] as number;
    const hi2 = EA[1] as number;
    readSized(s, lo2, hi2, esize);
    const blo = R[0] as number;
    const bhi = R[1] as number;
    const wide = esize === 3;
    if (alo === x[s0] && (!wide || ahi === x[s0 + 1]) && blo === x[s1] && (!wide || bhi === x[s1 + 1])) {
      s.bus.probe(lo, hi, 2 * eb, true);
      writeSized(s, lo, hi, esize, x[t0] as number, x[t0 + 1] as number);
      writeSized(s, lo2, hi2, esize, x[t1] as number, x[t1 + 1] as number);
    }
    x[w0] = alo;
    x[w0 + 1] = ahi;
    x[w1] = blo;
    x[w1 + 1] = bhi;
    return 0;
  };
  const r = (i: number) => (esize === 3 ? xn(i) : wn(i));
  const mn = `casp${acq ? "a" : ""}${rel ? "l" : ""}`;
  return {
    name,
    word: w,
    exec,
    asm: () => `${mn}\t${r(rsn)}, ${r(rsn + 1)}, ${r(rt)}, ${r(rt + 1)}, [${xsp(rn)}]`,
  };
}

const OPS = ["add", "clr", "eor", "set", "smax", "smin", "umax", "umin"] as const;

// new = op(old, operand) on sized values; result in NEW.
const NEW = new Int32Array(2);
function atomicOp(op: number, size: number, olo: number, ohi: number, slo: number, shi: number): void {
  const m = MASK[size] as number;
  const wide = size === 3;
  let lo: number;
  let hi = 0;
  switch (op) {
    case 0: {
      const l = (olo >>> 0) + (slo >>> 0);
      lo = l | 0;
      if (wide) hi = (ohi + shi + (l > 0xffffffff ? 1 : 0)) | 0;
      break;
    }
    case 1:
      lo = olo & ~slo;
      hi = ohi & ~shi;
      break;
    case 2:
      lo = olo ^ slo;
      hi = ohi ^ shi;
      break;
    case 3:
      lo = olo | slo;
      hi = ohi | shi;
      break;
    default: {
      // compare as signed (4, 5) or unsigned (6, 7) values of the access size
      const signed = op < 6;
      let c: number;
      if (wide) {
        const ah = signed ? ohi : ohi >>> 0;
        const bh = signed ? shi : shi >>> 0;
        c = ah !== bh ? (ah > bh ? 1 : -1) : olo >>> 0 !== slo >>> 0 ? (olo >>> 0 > slo >>> 0 ? 1 : -1) : 0;
      } else {
        const sh = 32 - 8 * (1 << size);
        const a = signed ? ((olo & m) << sh) >> sh : (olo & m) >>> 0;
        const b = signed ? ((slo & m) << sh) >> sh : (slo & m) >>> 0;
        c = a > b ? 1 : a < b ? -1 : 0;
      }
      const takeOld = op === 4 || op === 6 ? c >= 0 : c <= 0;
      lo = takeOld ? olo : slo;
      hi = takeOld ? ohi : shi;
    }
  }
  NEW[0] = lo & m;
  NEW[1] = wide ? hi : 0;
}

function atomic(w: number, _pc: number, name: string): Insn | undefined {
  const size = bits(w, 30, 2);
  const acq = bits(w, 23, 1);
  const rel = bits(w, 22, 1);
  const rsn = bits(w, 16, 5);
  const o3 = bits(w, 15, 1);
  const opc = bits(w, 12, 3);
  const rn = bits(w, 5, 5);
  const rt = bits(w, 0, 5);
  const n = rs(rn);
  const t = wz(rt);
  const bytes = 1 << size;
  const ar = `${acq ? "a" : ""}${rel ? "l" : ""}`;
  if (o3 === 1 && opc === 4) {
    if (!acq || rel || rsn !== 31) return undefined;
    // QEMU 7.2 does not check LDAPR alignment (unlike LDAR)
    const exec: Exec = (s) => {
      load(s, t, s.x[n] as number, s.x[n + 1] as number, size);
      return 0;
    };
    return { name, word: w, exec, asm: () => `ldapr${SZ[size]}\t${reg(size, rt)}, [${xsp(rn)}]` };
  }
  if (o3 === 1 && opc !== 0) return undefined;
  const sr = rz(rsn);
  const swap = o3 === 1;
  const exec: Exec = (s) => {
    const x = s.x;
    const lo = x[n] as number;
    const hi = x[n + 1] as number;
    if (misaligned(s, lo, hi, bytes)) return 2;
    readSized(s, lo, hi, size);
    const olo = R[0] as number;
    const ohi = R[1] as number;
    const slo = x[sr] as number;
    const shi = x[sr + 1] as number;
    if (swap) {
      NEW[0] = slo;
      NEW[1] = shi;
    } else atomicOp(opc, size, olo, ohi, slo, shi);
    writeSized(s, lo, hi, size, NEW[0] as number, NEW[1] as number);
    x[t] = olo;
    x[t + 1] = ohi;
    return 0;
  };
  const asm = () => {
    if (swap) return `swp${ar}${SZ[size]}\t${reg(size, rsn)}, ${reg(size, rt)}, [${xsp(rn)}]`;
    if (rt === 31 && !acq)
      return `st${OPS[opc]}${rel ? "l" : ""}${SZ[size]}\t${reg(size, rsn)}, [${xsp(rn)}]`;
    return `ld${OPS[opc]}${ar}${SZ[size]}\t${reg(size, rsn)}, ${reg(size, rt)}, [${xsp(rn)}]`;
  };
  return { name, word: w, exec, asm };
}

function rcpcUnscaled(w: number, _pc: number, name: string): Insn | undefined {
  const size = bits(w, 30, 2);
  const opc = bits(w, 22, 2);
  const off = sext(bits(w, 12, 9), 9);
  const rn = bits(w, 5, 5);
  const rt = bits(w, 0, 5);
  if ((opc === 2 && size === 3) || (opc === 3 && size >= 2)) return undefined;
  const n = rs(rn);
  const t = opc === 0 ? rz(rt) : wz(rt);
  const kind = opc === 1 ? size : opc === 2 ? 4 + size : 8 + size;
  const bytes = 1 << size;
  const exec: Exec = (s) => {
    ea(s.x[n] as number, s.x[n + 1] as number, off);
    const lo = EA[0] as number;
    const hi = EA[1] as number;
    // QEMU 7.2 (no FEAT_LSE2) requires natural alignment
    if (misaligned(s, lo, hi, bytes)) return 2;
    if (opc === 0) store(s, t, lo, hi, size);
    else load(s, t, lo, hi, kind);
    return 0;
  };
  const mn =
    opc === 0 ? `stlur${SZ[size]}` : opc === 1 ? `ldapur${SZ[size]}` : `ldapurs${["b", "h", "w"][size]}`;
  const r = opc === 2 || (opc < 2 && size === 3) ? xn(rt) : wn(rt);
  const addr = off === 0 ? `[${xsp(rn)}]` : `[${xsp(rn)}, #${off}]`;
  return { name, word: w, exec, asm: () => `${mn}\t${r}, ${addr}` };
}

export const LDST_ATOMIC_ROWS: readonly Row[] = [
  { name: "LDST_excl", pattern: "..001000 ........................", build: exclusive },
  { name: "LDAPUR", pattern: "..011001 ..0.........00..........", build: rcpcUnscaled },
  { name: "ATOMIC", pattern: "..111000 ..1.........00..........", build: atomic },
];
