import { shift32, shift64, T } from "../exec/alu.ts";
import { add64, addFlags32, addFlags64, condHolds, nz32, nz64 } from "../exec/flags.ts";
import { dp1, dp2, dp3 } from "./data-reg-src.ts";
import { bits, COND_NAMES, EXTEND_NAMES, gr, hex, rs, rz, SHIFT_NAMES, wn, wz, xn } from "./fields.ts";
import { shift32Src, shift64Src } from "./js-src.ts";
import type { Insn, Row } from "./types.ts";

type Exec = Insn["exec"];
const insn = (name: string, word: number, exec: Exec, asm: () => string, js?: string): Insn =>
  js === undefined ? { name, word, exec, asm } : { name, word, exec, asm, js };

function logicalShifted(w: number, _pc: number, name: string): Insn | undefined {
  const sf = w >>> 31;
  const opc = bits(w, 29, 2);
  const type = bits(w, 22, 2);
  const inv = bits(w, 21, 1);
  const amt = bits(w, 10, 6);
  if (!sf && amt > 31) return undefined;
  const rm = bits(w, 16, 5);
  const rn = bits(w, 5, 5);
  const rd = bits(w, 0, 5);
  const m = rz(rm);
  const n = rz(rn);
  const d = wz(rd);
  const invm = inv ? -1 : 0;
  let exec: Exec;
  if (sf) {
    exec = (s) => {
      const x = s.x;
      let blo: number;
      let bhi: number;
      if (amt === 0) {
        blo = x[m] as number;
        bhi = x[m + 1] as number;
      } else {
        shift64(type, x[m] as number, x[m + 1] as number, amt);
        blo = T[0] as number;
        bhi = T[1] as number;
      }
      blo ^= invm;
      bhi ^= invm;
      const alo = x[n] as number;
      const ahi = x[n + 1] as number;
      let lo: number;
      let hi: number;
      if (opc === 0 || opc === 3) {
        lo = alo & blo;
        hi = ahi & bhi;
        if (opc === 3) nz64(s, lo, hi);
      } else if (opc === 1) {
        lo = alo | blo;
        hi = ahi | bhi;
      } else {
        lo = alo ^ blo;
        hi = ahi ^ bhi;
      }
      x[d] = lo;
      x[d + 1] = hi;
      return 0;
    };
  } else {
    exec = (s) => {
      const x = s.x;
      const b = shift32(type, x[m] as number, amt) ^ invm;
      const a = x[n] as number;
      let r: number;
      if (opc === 0 || opc === 3) {
        r = a & b;
        if (opc === 3) nz32(s, r);
      } else if (opc === 1) r = a | b;
      else r = a ^ b;
      x[d] = r;
      x[d + 1] = 0;
      return 0;
    };
  }
  const op = opc === 1 ? "|" : opc === 2 ? "^" : "&";
  let js: string;
  if (sf) {
    const [blo, bhi] = shift64Src(type, "ml", "mh", amt);
    js = `{ const ml = x[${m}], mh = x[${m + 1}]; const lo = x[${n}] ${op} (${blo} ^ ${invm}); const hi = x[${n + 1}] ${op} (${bhi} ^ ${invm}); ${
      opc === 3 ? "H.nz64(s, lo, hi); " : ""
    }x[${d}] = lo; x[${d + 1}] = hi; }`;
  } else {
    js = `{ const v = x[${n}] ${op} (${shift32Src(type, `x[${m}]`, amt)} ^ ${invm}); ${opc === 3 ? "H.nz32(s, v); " : ""}x[${d}] = v; x[${d + 1}] = 0; }`;
  }
  const asm = () => {
    const sh = amt === 0 && type === 0 ? "" : `, ${SHIFT_NAMES[type]} #${amt}`;
    if (opc === 1 && !inv && rn === 31 && amt === 0 && type === 0) return `mov\t${gr(sf, rd)}, ${gr(sf, rm)}`;
    if (opc === 1 && inv && rn === 31) return `mvn\t${gr(sf, rd)}, ${gr(sf, rm)}${sh}`;
    if (opc === 3 && !inv && rd === 31) return `tst\t${gr(sf, rn)}, ${gr(sf, rm)}${sh}`;
    const mn = [
      ["and", "bic"],
      ["orr", "orn"],
      ["eor", "eon"],
      ["ands", "bics"],
    ][opc]?.[inv];
    return `${mn}\t${gr(sf, rd)}, ${gr(sf, rn)}, ${gr(sf, rm)}${sh}`;
  };
  return insn(name, w, exec, asm, js);
}

function addSubShifted(w: number, _pc: number, name: string): Insn | undefined {
  const sf = w >>> 31;
  const sub = bits(w, 30, 1);
  const setf = bits(w, 29, 1);
  const type = bits(w, 22, 2);
  const amt = bits(w, 10, 6);
  if (type === 3 || (!sf && amt > 31)) return undefined;
  const rm = bits(w, 16, 5);
  const rn = bits(w, 5, 5);
  const rd = bits(w, 0, 5);
  const m = rz(rm);
  const n = rz(rn);
  const d = wz(rd);
  const inv = sub ? -1 : 0;
  let exec: Exec;
  if (sf) {
    exec = (s) => {
      const x = s.x;
      let blo: number;
      let bhi: number;
      if (amt === 0) {
        blo = x[m] as number;
        bhi = x[m + 1] as number;
      } else {
        shift64(type, x[m] as number, x[m + 1] as number, amt);
        blo = T[0] as number;
        bhi = T[1] as number;
      }
      if (setf) addFlags64(s, x[n] as number, x[n + 1] as number, blo ^ inv, bhi ^ inv, sub);
      else add64(x[n] as number, x[n + 1] as number, blo ^ inv, bhi ^ inv, sub);
      x[d] = T[0] as number;
      x[d + 1] = T[1] as number;
      return 0;
    };
  } else {
    exec = (s) => {
      const x = s.x;
      const b = shift32(type, x[m] as number, amt) ^ inv;
      x[d] = setf ? addFlags32(s, x[n] as number, b, sub) : ((x[n] as number) + b + sub) | 0;
      x[d + 1] = 0;
      return 0;
    };
  }
  let js: string;
  if (sf) {
    const [blo, bhi] = shift64Src(type, "ml", "mh", amt);
    const b = `const ml = x[${m}], mh = x[${m + 1}]; const bl = ${blo} ^ ${inv}, bh = ${bhi} ^ ${inv};`;
    js = setf
      ? `{ ${b} H.addFlags64(s, x[${n}], x[${n + 1}], bl, bh, ${sub}); x[${d}] = H.T[0]; x[${d + 1}] = H.T[1]; }`
      : `{ ${b} const l = (x[${n}] >>> 0) + (bl >>> 0) + ${sub}; const h = (x[${n + 1}] + bh + (l > 4294967295 ? 1 : 0)) | 0; x[${d}] = l | 0; x[${d + 1}] = h; }`;
  } else {
    const b = `(${shift32Src(type, `x[${m}]`, amt)} ^ ${inv})`;
    js = setf
      ? `x[${d}] = H.addFlags32(s, x[${n}], ${b}, ${sub}); x[${d + 1}] = 0;`
      : `x[${d}] = (x[${n}] + ${b} + ${sub}) | 0; x[${d + 1}] = 0;`;
  }
  const asm = () => {
    const sh = amt === 0 && type === 0 ? "" : `, ${SHIFT_NAMES[type]} #${amt}`;
    if (setf && rd === 31) return `${sub ? "cmp" : "cmn"}\t${gr(sf, rn)}, ${gr(sf, rm)}${sh}`;
    if (sub && rn === 31) return `${setf ? "negs" : "neg"}\t${gr(sf, rd)}, ${gr(sf, rm)}${sh}`;
    return `${sub ? "sub" : "add"}${setf ? "s" : ""}\t${gr(sf, rd)}, ${gr(sf, rn)}, ${gr(sf, rm)}${sh}`;
  };
  return insn(name, w, exec, asm, js);
}

function addSubExtended(w: number, _pc: number, name: string): Insn | undefined {
  const sf = w >>> 31;
  const sub = bits(w, 30, 1);
  const setf = bits(w, 29, 1);
  const option = bits(w, 13, 3);
  const imm3 = bits(w, 10, 3);
  if (bits(w, 22, 2) !== 0 || imm3 > 4) return undefined;
  const rm = bits(w, 16, 5);
  const rn = bits(w, 5, 5);
  const rd = bits(w, 0, 5);
  const m = rz(rm);
  const n = rs(rn);
  const d = setf ? wz(rd) : rs(rd);
  const inv = sub ? -1 : 0;
  const exec: Exec = (s) => {
    const x = s.x;
    extendReg(x[m] as number, x[m + 1] as number, option, imm3);
    const blo = (T[0] as number) ^ inv;
    const bhi = (T[1] as number) ^ inv;
    if (sf) {
      if (setf) addFlags64(s, x[n] as number, x[n + 1] as number, blo, bhi, sub);
      else add64(x[n] as number, x[n + 1] as number, blo, bhi, sub);
      x[d] = T[0] as number;
      x[d + 1] = T[1] as number;
    } else {
      x[d] = setf ? addFlags32(s, x[n] as number, blo, sub) : ((x[n] as number) + blo + sub) | 0;
      x[d + 1] = 0;
    }
    return 0;
  };
  const asm = () => {
    const mreg = sf && (option & 3) === 3 ? xn(rm) : wn(rm);
    const spForm = rd === 31 && !setf ? true : rn === 31;
    let ext: string;
    if (spForm && option === (sf ? 3 : 2)) ext = imm3 === 0 ? "" : `, lsl #${imm3}`;
    else ext = `, ${EXTEND_NAMES[option]}${imm3 ? ` #${imm3}` : ""}`;
    if (setf && rd === 31) return `${sub ? "cmp" : "cmn"}\t${gr(sf, rn, true)}, ${mreg}${ext}`;
    return `${sub ? "sub" : "add"}${setf ? "s" : ""}\t${gr(sf, rd, !setf)}, ${gr(sf, rn, true)}, ${mreg}${ext}`;
  };
  return insn(name, w, exec, asm);
}

/** T = ExtendReg(m, option, shift) as 64 bits. */
export function extendReg(lo: number, hi: number, option: number, sh: number): void {
  let vlo: number;
  let vhi: number;
  switch (option) {
    case 0:
      vlo = lo & 0xff;
      vhi = 0;
      break;
    case 1:
      vlo = lo & 0xffff;
      vhi = 0;
      break;
    case 2:
      vlo = lo;
      vhi = 0;
      break;
    case 3:
      vlo = lo;
      vhi = hi;
      break;
    case 4:
      vlo = (lo << 24) >> 24;
      vhi = vlo >> 31;
      break;
    case 5:
      vlo = (lo << 16) >> 16;
      vhi = vlo >> 31;
      break;
    case 6:
      vlo = lo;
      vhi = lo >> 31;
      break;
    default:
      vlo = lo;
      vhi = hi;
  }
  if (sh === 0) {
    T[0] = vlo;
    T[1] = vhi;
  } else {
    T[1] = (vhi << sh) | (vlo >>> (32 - sh));
    T[0] = vlo << sh;
  }
}

function addSubCarry(w: number, _pc: number, name: string): Insn | undefined {
  const sf = w >>> 31;
  const sub = bits(w, 30, 1);
  const setf = bits(w, 29, 1);
  if (bits(w, 10, 6) !== 0) return undefined;
  const rm = bits(w, 16, 5);
  const rn = bits(w, 5, 5);
  const rd = bits(w, 0, 5);
  const m = rz(rm);
  const n = rz(rn);
  const d = wz(rd);
  const inv = sub ? -1 : 0;
  const exec: Exec = (s) => {
    const x = s.x;
    const c = s.cf;
    if (sf) {
      if (setf)
        addFlags64(
          s,
          x[n] as number,
          x[n + 1] as number,
          (x[m] as number) ^ inv,
          (x[m + 1] as number) ^ inv,
          c,
        );
      else add64(x[n] as number, x[n + 1] as number, (x[m] as number) ^ inv, (x[m + 1] as number) ^ inv, c);
      x[d] = T[0] as number;
      x[d + 1] = T[1] as number;
    } else {
      const b = (x[m] as number) ^ inv;
      x[d] = setf ? addFlags32(s, x[n] as number, b, c) : ((x[n] as number) + b + c) | 0;
      x[d + 1] = 0;
    }
    return 0;
  };
  const asm = () => {
    if (sub && rn === 31) return `${setf ? "ngcs" : "ngc"}\t${gr(sf, rd)}, ${gr(sf, rm)}`;
    return `${sub ? "sbc" : "adc"}${setf ? "s" : ""}\t${gr(sf, rd)}, ${gr(sf, rn)}, ${gr(sf, rm)}`;
  };
  return insn(name, w, exec, asm);
}

function condCompare(w: number, _pc: number, name: string): Insn | undefined {
  const sf = w >>> 31;
  const sub = bits(w, 30, 1);
  const isImm = bits(w, 11, 1);
  if (bits(w, 10, 1) || bits(w, 4, 1)) return undefined;
  const rmi = bits(w, 16, 5);
  const cond = bits(w, 12, 4);
  const rn = bits(w, 5, 5);
  const nzcv = bits(w, 0, 4);
  const m = rz(rmi);
  const n = rz(rn);
  const inv = sub ? -1 : 0;
  const exec: Exec = (s) => {
    if (!condHolds(s, cond)) {
      s.nzcv = nzcv;
      return 0;
    }
    const x = s.x;
    const blo = (isImm ? rmi : (x[m] as number)) ^ inv;
    const bhi = (isImm ? 0 : (x[m + 1] as number)) ^ inv;
    if (sf) addFlags64(s, x[n] as number, x[n + 1] as number, blo, bhi, sub);
    else addFlags32(s, x[n] as number, blo, sub);
    return 0;
  };
  const asm = () =>
    `${sub ? "ccmp" : "ccmn"}\t${gr(sf, rn)}, ${isImm ? `#0x${rmi.toString(16)}` : gr(sf, rmi)}, #0x${nzcv.toString(16)}, ${COND_NAMES[cond]}`;
  return insn(name, w, exec, asm);
}

function condSelect(w: number, _pc: number, name: string): Insn | undefined {
  const sf = w >>> 31;
  const op = bits(w, 30, 1);
  const op2 = bits(w, 10, 2);
  if (bits(w, 29, 1) || op2 > 1) return undefined;
  const rm = bits(w, 16, 5);
  const cond = bits(w, 12, 4);
  const rn = bits(w, 5, 5);
  const rd = bits(w, 0, 5);
  const m = rz(rm);
  const n = rz(rn);
  const d = wz(rd);
  const kind = (op << 1) | op2; // 0 csel, 1 csinc, 2 csinv, 3 csneg
  const himask = sf ? -1 : 0;
  const exec: Exec = (s) => {
    const x = s.x;
    if (condHolds(s, cond)) {
      x[d] = x[n] as number;
      x[d + 1] = (x[n + 1] as number) & himask;
      return 0;
    }
    let lo = x[m] as number;
    let hi = (x[m + 1] as number) & himask;
    if (kind === 1) {
      const l = (lo >>> 0) + 1;
      hi = (hi + (l > 0xffffffff ? 1 : 0)) & himask;
      lo = l | 0;
      if (!sf) hi = 0;
    } else if (kind === 2) {
      lo = ~lo;
      hi = ~hi & himask;
    } else if (kind === 3) {
      const l = (~lo >>> 0) + 1;
      hi = (~hi + (l > 0xffffffff ? 1 : 0)) & himask;
      lo = l | 0;
    }
    x[d] = lo;
    x[d + 1] = hi;
    return 0;
  };
  const asm = () => {
    const ic = COND_NAMES[cond ^ 1];
    if (cond < 14 && kind === 1 && rm === 31 && rn === 31) return `cset\t${gr(sf, rd)}, ${ic}`;
    if (cond < 14 && kind === 2 && rm === 31 && rn === 31) return `csetm\t${gr(sf, rd)}, ${ic}`;
    if (cond < 14 && kind >= 1 && rm === rn)
      return `${["", "cinc", "cinv", "cneg"][kind]}\t${gr(sf, rd)}, ${gr(sf, rn)}, ${ic}`;
    return `${["csel", "csinc", "csinv", "csneg"][kind]}\t${gr(sf, rd)}, ${gr(sf, rn)}, ${gr(sf, rm)}, ${COND_NAMES[cond]}`;
  };
  return insn(name, w, exec, asm);
}

// RMIF / SETF8 / SETF16 (FEAT_FlagM), in the add/sub-with-carry space.
function flagm(w: number, _pc: number, name: string): Insn | undefined {
  const rn = bits(w, 5, 5);
  const n = rz(rn);
  if (name === "RMIF") {
    const imm6 = bits(w, 15, 6);
    const mask = bits(w, 0, 4);
    const exec: Exec = (s) => {
      const x = s.x;
      const lo = x[n] as number;
      const hi = x[n + 1] as number;
      // rotate right by imm6, take bits 3:0
      let v: number;
      if (imm6 === 0) v = lo;
      else if (imm6 < 32) v = (lo >>> imm6) | (hi << (32 - imm6));
      else if (imm6 === 32) v = hi;
      else v = (hi >>> (imm6 - 32)) | (lo << (64 - imm6));
      s.nzcv = (s.nzcv & ~mask) | (v & mask & 0xf);
      return 0;
    };
    return insn(name, w, exec, () => `rmif\t${xn(rn)}, #${imm6}, #${mask}`);
  }
  const sz16 = bits(w, 14, 1);
  const exec: Exec = (s) => {
    const v = s.x[n] as number;
    const top = sz16 ? 15 : 7;
    s.nf = (v >>> top) & 1;
    s.zf = (sz16 ? v & 0xffff : v & 0xff) === 0 ? 1 : 0;
    s.vf = ((v >>> (top + 1)) ^ (v >>> top)) & 1;
    return 0;
  };
  return insn(name, w, exec, () => `setf${sz16 ? 16 : 8}\t${wn(rn)}`);
}

export const DATA_REG_ROWS: readonly Row[] = [
  { name: "LOGIC_r", pattern: "...01010 ........................", build: logicalShifted },
  { name: "ADDSUB_r", pattern: "...01011 ..0.....................", build: addSubShifted },
  { name: "ADDSUB_ext", pattern: "...01011 ..1.....................", build: addSubExtended },
  { name: "RMIF", pattern: "10111010000 ......00001.....0....", build: flagm },
  { name: "SETF", pattern: "00111010000 000000.0010.....01101", build: flagm },
  { name: "ADC_SBC", pattern: "...11010000 .....................", build: addSubCarry },
  { name: "CCMP", pattern: "..111010010 .....................", build: condCompare },
  { name: "CSEL", pattern: "...11010100 .....................", build: condSelect },
  { name: "DP2", pattern: ".0.11010110 .....................", build: dp2 },
  { name: "DP1", pattern: ".1.11010110 .....................", build: dp1 },
  { name: "DP3", pattern: "...11011 ........................", build: dp3 },
];
void hex;
void rs;
