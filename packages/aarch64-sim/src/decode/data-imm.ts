// C4.1.86 Data Processing -- Immediate: PC-relative, add/sub, logical, move wide, bitfield, extract.
import type { Cpu } from "../cpu.ts";
import { decodeBitMasks, ror32, ror64, T } from "../exec/alu.ts";
import { add64, addFlags32, addFlags64, nz32, nz64 } from "../exec/flags.ts";
import { addrBig, bits, defaultTarget, gr, hex, rs, rz, sext, wn, wz, xn } from "./fields.ts";
import { shift64Src } from "./js-src.ts";
import type { Insn, Row } from "./types.ts";

const insn = (name: string, word: number, exec: Insn["exec"], asm: Insn["asm"], js?: string): Insn =>
  js === undefined ? { name, word, exec, asm } : { name, word, exec, asm, js };

function pcrel(w: number, pc: number, name: string): Insn {
  const rd = bits(w, 0, 5);
  const imm = sext((bits(w, 5, 19) << 2) | bits(w, 29, 2), 21);
  const page = w >>> 31 === 1;
  const target = page ? pc - (((pc % 4096) + 4096) % 4096) + imm * 4096 : pc + imm; // floor: top-half PCs < 0
  const t = BigInt.asUintN(64, BigInt(target));
  const lo = Number(t & 0xffffffffn) | 0;
  const hi = Number(t >> 32n) | 0;
  const d = wz(rd);
  return insn(
    name,
    w,
    (s) => {
      s.x[d] = lo;
      s.x[d + 1] = hi;
      return 0;
    },
    (f = defaultTarget) => `${page ? "adrp" : "adr"}\t${xn(rd)}, ${f(addrBig(target))}`,
  );
}

function addSubImm(w: number, _pc: number, name: string): Insn | undefined {
  const sf = w >>> 31;
  const sub = bits(w, 30, 1);
  const setf = bits(w, 29, 1);
  const sh = bits(w, 22, 1);
  const imm12 = bits(w, 10, 12);
  const rn = bits(w, 5, 5);
  const rd = bits(w, 0, 5);
  const imm = imm12 * (sh ? 4096 : 1);
  const n = rs(rn);
  const d = setf ? wz(rd) : rs(rd);
  // b operand: imm or ~imm with carry-in 1
  const blo = sub ? ~imm : imm;
  const bhi = sub ? -1 : 0;
  const cin = sub;
  let exec: Insn["exec"];
  if (sf) {
    exec = setf
      ? (s: Cpu) => {
          const x = s.x;
          addFlags64(s, x[n] as number, x[n + 1] as number, blo, bhi, cin);
          x[d] = T[0] as number;
          x[d + 1] = T[1] as number;
          return 0;
        }
      : (s: Cpu) => {
          const x = s.x;
          add64(x[n] as number, x[n + 1] as number, blo, bhi, cin);
          x[d] = T[0] as number;
          x[d + 1] = T[1] as number;
          return 0;
        };
  } else {
    exec = setf
      ? (s: Cpu) => {
          const x = s.x;
          x[d] = addFlags32(s, x[n] as number, blo, cin);
          x[d + 1] = 0;
          return 0;
        }
      : (s: Cpu) => {
          const x = s.x;
          x[d] = ((x[n] as number) + blo + cin) | 0;
          x[d + 1] = 0;
          return 0;
        };
  }
  let js: string;
  if (sf) {
    js = setf
      ? `H.addFlags64(s, x[${n}], x[${n + 1}], ${blo}, ${bhi}, ${cin}); x[${d}] = H.T[0]; x[${d + 1}] = H.T[1];`
      : `{ const l = (x[${n}] >>> 0) + ${blo >>> 0} + ${cin}; x[${d}] = l | 0; x[${d + 1}] = (x[${n + 1}] + (${bhi}) + (l > 4294967295 ? 1 : 0)) | 0; }`;
  } else {
    js = setf
      ? `x[${d}] = H.addFlags32(s, x[${n}], ${blo}, ${cin}); x[${d + 1}] = 0;`
      : `x[${d}] = (x[${n}] + (${blo}) + ${cin}) | 0; x[${d + 1}] = 0;`;
  }
  const asm = () => {
    const shs = sh ? ", lsl #12" : "";
    if (setf && rd === 31) return `${sub ? "cmp" : "cmn"}\t${gr(sf, rn, true)}, ${hex(imm12)}${shs}`;
    if (!setf && !sub && imm12 === 0 && !sh && (rd === 31 || rn === 31))
      return `mov\t${gr(sf, rd, true)}, ${gr(sf, rn, true)}`;
    const m = `${sub ? "sub" : "add"}${setf ? "s" : ""}`;
    return `${m}\t${gr(sf, rd, !setf)}, ${gr(sf, rn, true)}, ${hex(imm12)}${shs}`;
  };
  return insn(name, w, exec, asm, js);
}

const MASKS = new Int32Array(4);

/** True when a MOVZ/MOVN can make the value (then objdump prefers `mov` of the move-wide form). */
function moveWidePreferred(sf: number, lo: number, hi: number): boolean {
  const halves = sf ? [lo & 0xffff, lo >>> 16, hi & 0xffff, hi >>> 16] : [lo & 0xffff, lo >>> 16];
  const nz = halves.filter((h) => h !== 0).length;
  const nf = halves.filter((h) => h !== 0xffff).length;
  return nz <= 1 || nf <= 1;
}

function u64hex(sf: number, lo: number, hi: number): string {
  if (!sf) return hex(lo >>> 0);
  return hex((BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
}

function logicalImm(w: number, _pc: number, name: string): Insn | undefined {
  const sf = w >>> 31;
  const opc = bits(w, 29, 2);
  const nBit = bits(w, 22, 1);
  if (!sf && nBit) return undefined;
  if (!decodeBitMasks(nBit, bits(w, 10, 6), bits(w, 16, 6), true, sf ? 64 : 32, MASKS)) return undefined;
  const mlo = MASKS[0] as number;
  const mhi = sf ? (MASKS[1] as number) : 0;
  const rn = bits(w, 5, 5);
  const rd = bits(w, 0, 5);
  const n = rz(rn);
  const d = opc === 3 ? wz(rd) : rs(rd);
  let exec: Insn["exec"];
  switch (opc) {
    case 0:
      exec = (s) => {
        const x = s.x;
        x[d] = (x[n] as number) & mlo;
        x[d + 1] = (x[n + 1] as number) & mhi;
        return 0;
      };
      break;
    case 1:
      exec = (s) => {
        const x = s.x;
        x[d] = (x[n] as number) | mlo;
        x[d + 1] = ((x[n + 1] as number) | mhi) & (sf ? -1 : 0);
        return 0;
      };
      break;
    case 2:
      exec = (s) => {
        const x = s.x;
        x[d] = (x[n] as number) ^ mlo;
        x[d + 1] = ((x[n + 1] as number) ^ mhi) & (sf ? -1 : 0);
        return 0;
      };
      break;
    default:
      exec = sf
        ? (s) => {
            const x = s.x;
            const lo = (x[n] as number) & mlo;
            const hi = (x[n + 1] as number) & mhi;
            nz64(s, lo, hi);
            x[d] = lo;
            x[d + 1] = hi;
            return 0;
          }
        : (s) => {
            const x = s.x;
            const lo = (x[n] as number) & mlo;
            nz32(s, lo);
            x[d] = lo;
            x[d + 1] = 0;
            return 0;
          };
  }
  const asm = () => {
    const v = u64hex(sf, mlo, mhi);
    if (opc === 3 && rd === 31) return `tst\t${gr(sf, rn)}, ${v}`;
    if (opc === 1 && rn === 31 && (rd === 31 || !moveWidePreferred(sf, mlo, mhi)))
      return `mov\t${gr(sf, rd, true)}, ${v}`;
    return `${["and", "orr", "eor", "ands"][opc]}\t${gr(sf, rd, opc !== 3)}, ${gr(sf, rn)}, ${v}`;
  };
  return insn(name, w, exec, asm);
}

function moveWide(w: number, _pc: number, name: string): Insn | undefined {
  const sf = w >>> 31;
  const opc = bits(w, 29, 2);
  const hw = bits(w, 21, 2);
  if (opc === 1 || (!sf && hw > 1)) return undefined;
  const imm16 = bits(w, 5, 16);
  const rd = bits(w, 0, 5);
  const d = wz(rd);
  const sh = hw * 16;
  let lo = sh < 32 ? (imm16 << sh) | 0 : 0;
  let hi = sh >= 32 ? (imm16 << (sh - 32)) | 0 : 0;
  let exec: Insn["exec"];
  if (opc === 3) {
    const keepLo = sh < 32 ? ~(0xffff << sh) : -1;
    const keepHi = sh >= 32 ? ~(0xffff << (sh - 32)) : -1;
    exec = (s) => {
      const x = s.x;
      x[d] = ((x[d] as number) & keepLo) | lo;
      x[d + 1] = sf ? ((x[d + 1] as number) & keepHi) | hi : 0;
      return 0;
    };
  } else {
    if (opc === 0) {
      lo = ~lo;
      hi = ~hi;
    }
    if (!sf) hi = 0;
    const rlo = lo;
    const rhi = hi;
    exec = (s) => {
      s.x[d] = rlo;
      s.x[d + 1] = rhi;
      return 0;
    };
  }
  const js =
    opc === 3
      ? `x[${d}] = (x[${d}] & (${sh < 32 ? ~(0xffff << sh) : -1})) | (${sh < 32 ? (imm16 << sh) | 0 : 0}); x[${d + 1}] = ${
          sf
            ? `(x[${d + 1}] & (${sh >= 32 ? ~(0xffff << (sh - 32)) : -1})) | (${sh >= 32 ? (imm16 << (sh - 32)) | 0 : 0})`
            : "0"
        };`
      : `x[${d}] = ${lo}; x[${d + 1}] = ${hi};`;
  const asm = () => {
    if (opc === 3) return `movk\t${gr(sf, rd)}, ${hex(imm16)}${sh ? `, lsl #${sh}` : ""}`;
    const alias =
      opc === 2 ? !(imm16 === 0 && hw !== 0) : !(imm16 === 0 && hw !== 0) && !(!sf && imm16 === 0xffff);
    if (alias) return `mov\t${gr(sf, rd)}, ${u64hex(sf, lo, hi)}`;
    return `${opc === 2 ? "movz" : "movn"}\t${gr(sf, rd)}, ${hex(imm16)}${sh ? `, lsl #${sh}` : ""}`;
  };
  return insn(name, w, exec, asm, js);
}

function bfxPreferred(sf: number, uns: number, imms: number, immr: number): boolean {
  if (imms < immr) return false;
  if (imms === (sf ? 63 : 31)) return false;
  if (immr === 0) {
    if (!sf && (imms === 7 || imms === 15)) return false;
    if (sf && !uns && (imms === 7 || imms === 15 || imms === 31)) return false;
  }
  return true;
}

function bitfield(w: number, _pc: number, name: string): Insn | undefined {
  const sf = w >>> 31;
  const opc = bits(w, 29, 2);
  const nBit = bits(w, 22, 1);
  const immr = bits(w, 16, 6);
  const imms = bits(w, 10, 6);
  if (opc === 3 || nBit !== sf || (!sf && (immr > 31 || imms > 31))) return undefined;
  decodeBitMasks(nBit, imms, immr, false, sf ? 64 : 32, MASKS);
  const wlo = MASKS[0] as number;
  const whi = sf ? (MASKS[1] as number) : 0;
  const tlo = MASKS[2] as number;
  const thi = sf ? (MASKS[3] as number) : 0;
  const rn = bits(w, 5, 5);
  const rd = bits(w, 0, 5);
  const n = rz(rn);
  const d = wz(rd);
  const sbit = imms; // bit index replicated by SBFM
  let exec: Insn["exec"];
  if (sf) {
    exec = (s) => {
      const x = s.x;
      const slo = x[n] as number;
      const shi = x[n + 1] as number;
      ror64(slo, shi, immr);
      const blo = (T[0] as number) & wlo;
      const bhi = (T[1] as number) & whi;
      let rlo: number;
      let rhi: number;
      if (opc === 2) {
        rlo = blo & tlo;
        rhi = bhi & thi;
      } else if (opc === 0) {
        const top = (sbit < 32 ? slo << (31 - sbit) : shi << (63 - sbit)) >> 31;
        rlo = (top & ~tlo) | (blo & tlo);
        rhi = (top & ~thi) | (bhi & thi);
      } else {
        const dlo = x[d] as number;
        const dhi = x[d + 1] as number;
        const mlo = (dlo & ~wlo) | blo;
        const mhi = (dhi & ~whi) | bhi;
        rlo = (dlo & ~tlo) | (mlo & tlo);
        rhi = (dhi & ~thi) | (mhi & thi);
      }
      x[d] = rlo;
      x[d + 1] = rhi;
      return 0;
    };
  } else {
    exec = (s) => {
      const x = s.x;
      const src = x[n] as number;
      const b = ror32(src, immr) & wlo;
      let r: number;
      if (opc === 2) r = b & tlo;
      else if (opc === 0) {
        const top = (src << (31 - sbit)) >> 31;
        r = (top & ~tlo) | (b & tlo);
      } else {
        const dv = x[d] as number;
        r = (dv & ~tlo) | (((dv & ~wlo) | b) & tlo);
      }
      x[d] = r;
      x[d + 1] = 0;
      return 0;
    };
  }
  let js: string;
  if (sf) {
    const [rl, rh] = shift64Src(3, "sl", "sh", immr);
    let body: string;
    if (opc === 2) body = `lo = bl & ${tlo}; hi = bh & ${thi};`;
    else if (opc === 0) {
      const top = sbit < 32 ? `(sl << ${31 - sbit}) >> 31` : `(sh << ${63 - sbit}) >> 31`;
      body = `const top = ${top}; lo = (top & ${~tlo}) | (bl & ${tlo}); hi = (top & ${~thi}) | (bh & ${thi});`;
    } else {
      body = `const dl = x[${d}], dh = x[${d + 1}]; const ml = (dl & ${~wlo}) | bl, mh = (dh & ${~whi}) | bh; lo = (dl & ${~tlo}) | (ml & ${tlo}); hi = (dh & ${~thi}) | (mh & ${thi});`;
    }
    js = `{ const sl = x[${n}], sh = x[${n + 1}]; const bl = ${rl} & ${wlo}, bh = ${rh} & ${whi}; let lo, hi; ${body} x[${d}] = lo; x[${d + 1}] = hi; }`;
  } else {
    const b = `(${immr === 0 ? "src" : `((src >>> ${immr}) | (src << ${32 - immr}))`} & ${wlo})`;
    let r: string;
    if (opc === 2) r = `${b} & ${tlo}`;
    else if (opc === 0) r = `(((src << ${31 - sbit}) >> 31) & ${~tlo}) | (${b} & ${tlo})`;
    else r = `(x[${d}] & ${~tlo}) | (((x[${d}] & ${~wlo}) | ${b}) & ${tlo})`;
    js = `{ const src = x[${n}]; x[${d}] = ${r}; x[${d + 1}] = 0; }`;
  }
  const asm = () => {
    const size = sf ? 64 : 32;
    const R = gr(sf, rd);
    const N = gr(sf, rn);
    if (opc === 0) {
      if (imms === size - 1) return `asr\t${R}, ${N}, #${immr}`;
      if (imms < immr) return `sbfiz\t${R}, ${N}, #${size - immr}, #${imms + 1}`;
      if (bfxPreferred(sf, 0, imms, immr)) return `sbfx\t${R}, ${N}, #${immr}, #${imms - immr + 1}`;
      const ext = imms === 7 ? "sxtb" : imms === 15 ? "sxth" : "sxtw";
      return `${ext}\t${R}, ${wn(rn)}`;
    }
    if (opc === 2) {
      if (imms !== size - 1 && imms + 1 === immr) return `lsl\t${R}, ${N}, #${size - 1 - imms}`;
      if (imms === size - 1) return `lsr\t${R}, ${N}, #${immr}`;
      if (imms < immr) return `ubfiz\t${R}, ${N}, #${size - immr}, #${imms + 1}`;
      if (bfxPreferred(sf, 1, imms, immr)) return `ubfx\t${R}, ${N}, #${immr}, #${imms - immr + 1}`;
      return `${imms === 7 ? "uxtb" : "uxth"}\t${wn(rd)}, ${wn(rn)}`;
    }
    if (imms < immr) {
      if (rn === 31) return `bfc\t${R}, #${size - immr}, #${imms + 1}`;
      return `bfi\t${R}, ${N}, #${size - immr}, #${imms + 1}`;
    }
    return `bfxil\t${R}, ${N}, #${immr}, #${imms - immr + 1}`;
  };
  return insn(name, w, exec, asm, js);
}

function extract(w: number, _pc: number, name: string): Insn | undefined {
  const sf = w >>> 31;
  const nBit = bits(w, 22, 1);
  const imms = bits(w, 10, 6);
  if (bits(w, 29, 2) !== 0 || bits(w, 21, 1) !== 0 || nBit !== sf || (!sf && imms > 31)) return undefined;
  const rm = bits(w, 16, 5);
  const rn = bits(w, 5, 5);
  const rd = bits(w, 0, 5);
  const n = rz(rn);
  const m = rz(rm);
  const d = wz(rd);
  const exec: Insn["exec"] = sf
    ? (s) => {
        const x = s.x;
        // (Xn:Xm) >> imms, low 64 bits
        const mlo = x[m] as number;
        const mhi = x[m + 1] as number;
        const nlo = x[n] as number;
        const nhi = x[n + 1] as number;
        let lo: number;
        let hi: number;
        if (imms === 0) {
          lo = mlo;
          hi = mhi;
        } else if (imms < 32) {
          lo = (mlo >>> imms) | (mhi << (32 - imms));
          hi = (mhi >>> imms) | (nlo << (32 - imms));
        } else if (imms === 32) {
          lo = mhi;
          hi = nlo;
        } else {
          const t = imms - 32;
          lo = (mhi >>> t) | (nlo << (32 - t));
          hi = (nlo >>> t) | (nhi << (32 - t));
        }
        x[d] = lo;
        x[d + 1] = hi;
        return 0;
      }
    : (s) => {
        const x = s.x;
        const mv = x[m] as number;
        const nv = x[n] as number;
        x[d] = imms === 0 ? mv : (mv >>> imms) | (nv << (32 - imms));
        x[d + 1] = 0;
        return 0;
      };
  const asm = () =>
    rn === rm
      ? `ror\t${gr(sf, rd)}, ${gr(sf, rn)}, #${imms}`
      : `extr\t${gr(sf, rd)}, ${gr(sf, rn)}, ${gr(sf, rm)}, #${imms}`;
  return insn(name, w, exec, asm);
}

export const DATA_IMM_ROWS: readonly Row[] = [
  { name: "ADR", pattern: "0..10000 ........................", build: pcrel },
  { name: "ADRP", pattern: "1..10000 ........................", build: pcrel },
  { name: "ADDSUB_i", pattern: "...100010 .......................", build: addSubImm },
  { name: "LOGIC_i", pattern: "...100100 .......................", build: logicalImm },
  { name: "MOVW", pattern: "...100101 .......................", build: moveWide },
  { name: "BFM", pattern: "...100110 .......................", build: bitfield },
  { name: "EXTR", pattern: "...100111 .......................", build: extract },
];
