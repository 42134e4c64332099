/**
 * The interpreter: registers as 32-bit halves in typed arrays, one `switch` over the opcode byte (V8 turns a
 * dense switch into a jump table), no bigint and no allocation in the loop. Memory accesses are checked
 * against the region table: the fixed stack region first, then a one-region cache for reads and one for
 * writes, then the table scan.
 *
 * The dispatch loop is one function on purpose (no call per instruction on the common paths), which is why
 * this file is longer than the rest; rare instructions (div/mod, byte swaps, atomics, legacy packet loads)
 * live in `rare-ops.ts`, 64-bit helpers in `arith64.ts`, the packed program format in `pack.ts`.
 */

import type { Engine, ExecEnv, PreparedProgram } from "../engine.ts";
import { MAX_TAIL_CALLS } from "../engine.ts";
import { RuntimeError } from "../errors.ts";
import {
  BPF_ADDRESS_HI,
  FRAME_SIZE,
  MAX_FRAMES,
  RegionFlag,
  STACK_OFFSET,
  STACK_SIZE,
} from "../memory/layout.ts";
import { memoryFault, type ProgramMemory } from "../memory/program-memory.ts";
import type { VerifiedProgram } from "../verifier/verify.ts";
import { packProgram } from "./pack.ts";
import { atomic, byteSwap, divmod32, divmod64, packetLoad } from "./rare-ops.ts";

const TAIL_CALL = 12;
const RW = RegionFlag.READ | RegionFlag.WRITE;
const STACK_END = STACK_OFFSET + STACK_SIZE;

function budgetError(pc: number, budget: number): RuntimeError {
  return new RuntimeError(
    "EBPF_BUDGET_EXCEEDED",
    `instruction budget of ${budget} exhausted at pc ${pc} (raise it with the budget option if the program is meant to run this long)`,
    { pc },
  );
}

function fault(
  memory: ProgramMemory,
  write: boolean,
  lo: number,
  hi: number,
  size: number,
  pc: number,
): RuntimeError {
  const addr = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
  return memoryFault(write ? "write" : "read", addr, size, pc, memory);
}

export class Interpreter implements PreparedProgram {
  private readonly lo = new Int32Array(16);
  private readonly hi = new Int32Array(16);
  /** Per frame: r6..r9 (lo, hi) and the return pc. */
  private readonly frames = new Int32Array(MAX_FRAMES * 9);

  constructor(
    private readonly program: VerifiedProgram,
    private readonly env: ExecEnv,
  ) {}

  run(args: Int32Array, budget: number, out: Int32Array): number {
    const env = this.env;
    const memory = env.memory;
    const lo = this.lo;
    const hi = this.hi;
    const frames = this.frames;
    lo.fill(0);
    hi.fill(0);
    for (let r = 1; r <= 5; r++) {
      lo[r] = args[2 * r - 2] ?? 0;
      hi[r] = args[2 * r - 1] ?? 0;
    }
    lo[10] = STACK_END;
    hi[10] = BPF_ADDRESS_HI;

    let code = packProgram(this.program);
    let u8 = memory.u8;
    let dv = memory.dataView;
    let epoch = memory.epoch;
    // The stack (region 0, fixed, read-write) is checked first; then a one-region cache for reads and one for
    // writes ([start, end) wasm addresses of the last region hit); then the table.
    let rS = 0;
    let rE = 0;
    let wS = 0;
    let wE = 0;
    let depth = 0;
    let tailCalls = 0;
    let remaining = budget;
    let pc = 0;

    for (;;) {
      if (--remaining < 0) throw budgetError(pc, budget);
      const w = code[2 * pc] ?? 0;
      const op = w & 0xff;
      const d = (w >>> 8) & 0xf;
      const s = (w >>> 12) & 0xf;
      const imm = code[2 * pc + 1] ?? 0;
      switch (op) {
        // ---- ALU64, immediate (sign-extended) and register ----
        case 0x07:
        case 0x0f: {
          const bl = op === 0x07 ? imm : (lo[s] ?? 0);
          const bh = op === 0x07 ? imm >> 31 : (hi[s] ?? 0);
          const al = lo[d] ?? 0;
          const l = (al >>> 0) + (bl >>> 0);
          hi[d] = ((hi[d] ?? 0) + bh + (l > 0xffffffff ? 1 : 0)) | 0;
          lo[d] = l | 0;
          break;
        }
        case 0x17:
        case 0x1f: {
          const bl = op === 0x17 ? imm : (lo[s] ?? 0);
          const bh = op === 0x17 ? imm >> 31 : (hi[s] ?? 0);
          const l = ((lo[d] ?? 0) >>> 0) - (bl >>> 0);
          hi[d] = ((hi[d] ?? 0) - bh - (l < 0 ? 1 : 0)) | 0;
          lo[d] = l | 0;
          break;
        }
        case 0x27:
        case 0x2f: {
          // 64-bit multiply on 16-bit pieces of the low halves plus the two cross products.
          const al = lo[d] ?? 0;
          const bl = op === 0x27 ? imm : (lo[s] ?? 0);
          const bh = op === 0x27 ? imm >> 31 : (hi[s] ?? 0);
          const a0 = al & 0xffff;
          const a1 = al >>> 16;
          const b0 = bl & 0xffff;
          const b1 = bl >>> 16;
          const p00 = a0 * b0;
          const p01 = a0 * b1;
          const p10 = a1 * b0;
          const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
          const carry = a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
          hi[d] = (carry + Math.imul(al, bh) + Math.imul(hi[d] ?? 0, bl)) | 0;
          lo[d] = (mid << 16) | (p00 & 0xffff);
          break;
        }
        case 0x37:
        case 0x97:
          divmod64(lo, hi, d, imm, imm >> 31, w >> 16 === 1, op === 0x97);
          break;
        case 0x3f:
        case 0x9f:
          divmod64(lo, hi, d, lo[s] ?? 0, hi[s] ?? 0, w >> 16 === 1, op === 0x9f);
          break;
        case 0x47:
          lo[d] = (lo[d] ?? 0) | imm;
          hi[d] = (hi[d] ?? 0) | (imm >> 31);
          break;
        case 0x4f:
          lo[d] = (lo[d] ?? 0) | (lo[s] ?? 0);
          hi[d] = (hi[d] ?? 0) | (hi[s] ?? 0);
          break;
        case 0x57:
          lo[d] = (lo[d] ?? 0) & imm;
          hi[d] = (hi[d] ?? 0) & (imm >> 31);
          break;
        case 0x5f:
          lo[d] = (lo[d] ?? 0) & (lo[s] ?? 0);
          hi[d] = (hi[d] ?? 0) & (hi[s] ?? 0);
          break;
        case 0xa7:
          lo[d] = (lo[d] ?? 0) ^ imm;
          hi[d] = (hi[d] ?? 0) ^ (imm >> 31);
          break;
        case 0xaf:
          lo[d] = (lo[d] ?? 0) ^ (lo[s] ?? 0);
          hi[d] = (hi[d] ?? 0) ^ (hi[s] ?? 0);
          break;
        case 0x67:
        case 0x6f: {
          const n = (op === 0x67 ? imm : (lo[s] ?? 0)) & 63;
          const l = lo[d] ?? 0;
          if (n === 0) break;
          if (n < 32) {
            hi[d] = ((hi[d] ?? 0) << n) | (l >>> (32 - n));
            lo[d] = l << n;
          } else {
            hi[d] = l << (n - 32);
            lo[d] = 0;
          }
          break;
        }
        case 0x77:
        case 0x7f: {
          const n = (op === 0x77 ? imm : (lo[s] ?? 0)) & 63;
          const h = hi[d] ?? 0;
          if (n === 0) break;
          if (n < 32) {
            lo[d] = ((lo[d] ?? 0) >>> n) | (h << (32 - n));
            hi[d] = h >>> n;
          } else {
            lo[d] = h >>> (n - 32);
            hi[d] = 0;
          }
          break;
        }
        case 0xc7:
        case 0xcf: {
          const n = (op === 0xc7 ? imm : (lo[s] ?? 0)) & 63;
          const h = hi[d] ?? 0;
          if (n === 0) break;
          if (n < 32) {
            lo[d] = ((lo[d] ?? 0) >>> n) | (h << (32 - n));
            hi[d] = h >> n;
          } else {
            lo[d] = h >> (n - 32);
            hi[d] = h >> 31;
          }
          break;
        }
        case 0x87: {
          const l = lo[d] ?? 0;
          hi[d] = l === 0 ? -(hi[d] ?? 0) | 0 : ~(hi[d] ?? 0);
          lo[d] = -l | 0;
          break;
        }
        case 0xb7:
          lo[d] = imm;
          hi[d] = imm >> 31;
          break;
        case 0xbf: {
          const off = w >> 16;
          const l = lo[s] ?? 0;
          if (off === 0) {
            lo[d] = l;
            hi[d] = hi[s] ?? 0;
          } else {
            const v = off === 8 ? (l << 24) >> 24 : off === 16 ? (l << 16) >> 16 : l;
            lo[d] = v;
            hi[d] = v >> 31;
          }
          break;
        }
        case 0xd7:
          byteSwap(lo, hi, d, imm, true);
          break;

        // ---- ALU (32-bit; results zero-extend) ----
        case 0x04:
          lo[d] = ((lo[d] ?? 0) + imm) | 0;
          hi[d] = 0;
          break;
        case 0x0c:
          lo[d] = ((lo[d] ?? 0) + (lo[s] ?? 0)) | 0;
          hi[d] = 0;
          break;
        case 0x14:
          lo[d] = ((lo[d] ?? 0) - imm) | 0;
          hi[d] = 0;
          break;
        case 0x1c:
          lo[d] = ((lo[d] ?? 0) - (lo[s] ?? 0)) | 0;
          hi[d] = 0;
          break;
        case 0x24:
          lo[d] = Math.imul(lo[d] ?? 0, imm);
          hi[d] = 0;
          break;
        case 0x2c:
          lo[d] = Math.imul(lo[d] ?? 0, lo[s] ?? 0);
          hi[d] = 0;
          break;
        case 0x34:
        case 0x94:
          divmod32(lo, hi, d, imm, w >> 16 === 1, op === 0x94);
          break;
        case 0x3c:
        case 0x9c:
          divmod32(lo, hi, d, lo[s] ?? 0, w >> 16 === 1, op === 0x9c);
          break;
        case 0x44:
          lo[d] = (lo[d] ?? 0) | imm;
          hi[d] = 0;
          break;
        case 0x4c:
          lo[d] = (lo[d] ?? 0) | (lo[s] ?? 0);
          hi[d] = 0;
          break;
        case 0x54:
          lo[d] = (lo[d] ?? 0) & imm;
          hi[d] = 0;
          break;
        case 0x5c:
          lo[d] = (lo[d] ?? 0) & (lo[s] ?? 0);
          hi[d] = 0;
          break;
        case 0xa4:
          lo[d] = (lo[d] ?? 0) ^ imm;
          hi[d] = 0;
          break;
        case 0xac:
          lo[d] = (lo[d] ?? 0) ^ (lo[s] ?? 0);
          hi[d] = 0;
          break;
        case 0x64:
          lo[d] = (lo[d] ?? 0) << (imm & 31);
          hi[d] = 0;
          break;
        case 0x6c:
          lo[d] = (lo[d] ?? 0) << ((lo[s] ?? 0) & 31);
          hi[d] = 0;
          break;
        case 0x74:
          lo[d] = (lo[d] ?? 0) >>> (imm & 31);
          hi[d] = 0;
          break;
        case 0x7c:
          lo[d] = (lo[d] ?? 0) >>> ((lo[s] ?? 0) & 31);
          hi[d] = 0;
          break;
        case 0xc4:
          lo[d] = (lo[d] ?? 0) >> (imm & 31);
          hi[d] = 0;
          break;
        case 0xcc:
          lo[d] = (lo[d] ?? 0) >> ((lo[s] ?? 0) & 31);
          hi[d] = 0;
          break;
        case 0x84:
          lo[d] = -(lo[d] ?? 0) | 0;
          hi[d] = 0;
          break;
        case 0xb4:
          lo[d] = imm;
          hi[d] = 0;
          break;
        case 0xbc: {
          const off = w >> 16;
          const l = lo[s] ?? 0;
          lo[d] = off === 8 ? (l << 24) >> 24 : off === 16 ? (l << 16) >> 16 : l;
          hi[d] = 0;
          break;
        }
        case 0xd4:
        case 0xdc:
          byteSwap(lo, hi, d, imm, op === 0xdc);
          break;

        // ---- JMP (64-bit compares; immediates sign-extended) ----
        case 0x05:
          pc += w >> 16;
          break;
        case 0x06:
          pc += imm;
          break;
        case 0x15:
          if (lo[d] === imm && hi[d] === imm >> 31) pc += w >> 16;
          break;
        case 0x1d:
          if (lo[d] === lo[s] && hi[d] === hi[s]) pc += w >> 16;
          break;
        case 0x55:
          if (lo[d] !== imm || hi[d] !== imm >> 31) pc += w >> 16;
          break;
        case 0x5d:
          if (lo[d] !== lo[s] || hi[d] !== hi[s]) pc += w >> 16;
          break;
        case 0x45:
          if (((lo[d] ?? 0) & imm) !== 0 || ((hi[d] ?? 0) & (imm >> 31)) !== 0) pc += w >> 16;
          break;
        case 0x4d:
          if (((lo[d] ?? 0) & (lo[s] ?? 0)) !== 0 || ((hi[d] ?? 0) & (hi[s] ?? 0)) !== 0) pc += w >> 16;
          break;
        case 0xa5:
          // jlt imm (the common loop test): unsigned 64-bit compare on halves.
          if (
            (hi[d] ?? 0) >>> 0 < (imm >> 31) >>> 0 ||
            (hi[d] === imm >> 31 && (lo[d] ?? 0) >>> 0 < imm >>> 0)
          ) {
            pc += w >> 16;
          }
          break;
        case 0xad:
          if (
            (hi[d] ?? 0) >>> 0 < (hi[s] ?? 0) >>> 0 ||
            (hi[d] === hi[s] && (lo[d] ?? 0) >>> 0 < (lo[s] ?? 0) >>> 0)
          ) {
            pc += w >> 16;
          }
          break;
        case 0x25:
        case 0x2d:
        case 0x35:
        case 0x3d:
        case 0xb5:
        case 0xbd: {
          // Unsigned: compare high halves, then low halves.
          const k = (op & 0x08) === 0;
          const ah = (hi[d] ?? 0) >>> 0;
          const bh = (k ? imm >> 31 : (hi[s] ?? 0)) >>> 0;
          const al = (lo[d] ?? 0) >>> 0;
          const bl = (k ? imm : (lo[s] ?? 0)) >>> 0;
          const c = ah !== bh ? (ah > bh ? 1 : -1) : al !== bl ? (al > bl ? 1 : -1) : 0;
          const cc = op & 0xf0;
          if (cc === 0x20 ? c > 0 : cc === 0x30 ? c >= 0 : c <= 0) pc += w >> 16;
          break;
        }
        case 0x65:
        case 0x6d:
        case 0x75:
        case 0x7d:
        case 0xc5:
        case 0xcd:
        case 0xd5:
        case 0xdd: {
          const k = (op & 0x08) === 0;
          const ah = hi[d] ?? 0;
          const bh = k ? imm >> 31 : (hi[s] ?? 0);
          const al = (lo[d] ?? 0) >>> 0;
          const bl = (k ? imm : (lo[s] ?? 0)) >>> 0;
          const c = ah !== bh ? (ah > bh ? 1 : -1) : al !== bl ? (al > bl ? 1 : -1) : 0;
          const cc = op & 0xf0;
          if (cc === 0x60 ? c > 0 : cc === 0x70 ? c >= 0 : cc === 0xc0 ? c < 0 : c <= 0) pc += w >> 16;
          break;
        }

        // ---- JMP32 (low halves) ----
        case 0x16:
          if (lo[d] === imm) pc += w >> 16;
          break;
        case 0x1e:
          if (lo[d] === lo[s]) pc += w >> 16;
          break;
        case 0x56:
          if (lo[d] !== imm) pc += w >> 16;
          break;
        case 0x5e:
          if (lo[d] !== lo[s]) pc += w >> 16;
          break;
        case 0x46:
          if (((lo[d] ?? 0) & imm) !== 0) pc += w >> 16;
          break;
        case 0x4e:
          if (((lo[d] ?? 0) & (lo[s] ?? 0)) !== 0) pc += w >> 16;
          break;
        case 0x26:
        case 0x2e:
        case 0x36:
        case 0x3e:
        case 0xa6:
        case 0xae:
        case 0xb6:
        case 0xbe: {
          const a = (lo[d] ?? 0) >>> 0;
          const b = ((op & 0x08) === 0 ? imm : (lo[s] ?? 0)) >>> 0;
          const cc = op & 0xf0;
          if (cc === 0x20 ? a > b : cc === 0x30 ? a >= b : cc === 0xa0 ? a < b : a <= b) pc += w >> 16;
          break;
        }
        case 0x66:
        case 0x6e:
        case 0x76:
        case 0x7e:
        case 0xc6:
        case 0xce:
        case 0xd6:
        case 0xde: {
          const a = lo[d] ?? 0;
          const b = (op & 0x08) === 0 ? imm : (lo[s] ?? 0);
          const cc = op & 0xf0;
          if (cc === 0x60 ? a > b : cc === 0x70 ? a >= b : cc === 0xc0 ? a < b : a <= b) pc += w >> 16;
          break;
        }

        // ---- calls and exit ----
        case 0x85:
        case 0x8d: {
          if (op === 0x85 && s === 1) {
            if (depth + 1 >= MAX_FRAMES) {
              throw new RuntimeError(
                "EBPF_CALL_DEPTH",
                `too many nested calls at pc ${pc} (maximum ${MAX_FRAMES} frames)`,
                { pc },
              );
            }
            const f = depth * 9;
            for (let r = 6; r <= 9; r++) {
              frames[f + (r - 6) * 2] = lo[r] ?? 0;
              frames[f + (r - 6) * 2 + 1] = hi[r] ?? 0;
            }
            frames[f + 8] = pc;
            depth++;
            lo[10] = (lo[10] ?? 0) - FRAME_SIZE;
            pc += imm;
            break;
          }
          const id = op === 0x85 ? imm : (lo[d] ?? 0);
          const call = env.call;
          if (id === TAIL_CALL && !env.helpers.has(TAIL_CALL)) {
            // bpf_tail_call(ctx, prog_array, index): on success never returns; on failure falls through.
            const target =
              depth === 0 && tailCalls < MAX_TAIL_CALLS
                ? env.tailCall(lo[2] ?? 0, hi[2] ?? 0, lo[3] ?? 0)
                : undefined;
            if (target !== undefined) {
              tailCalls++;
              code = packProgram(target);
              pc = 0;
              continue;
            }
            break;
          }
          const args = call.args;
          for (let r = 1; r <= 5; r++) {
            args[2 * r - 2] = lo[r] ?? 0;
            args[2 * r - 1] = hi[r] ?? 0;
          }
          call.pc = pc;
          call.id = id;
          env.helpers.invoke(call);
          lo[0] = call.r0lo;
          hi[0] = call.r0hi;
          if (memory.epoch !== epoch) {
            epoch = memory.epoch;
            u8 = memory.u8;
            dv = memory.dataView;
            rS = rE = wS = wE = 0;
          }
          break;
        }
        case 0x95:
          if (depth === 0) {
            out[0] = lo[0] ?? 0;
            out[1] = hi[0] ?? 0;
            return budget - remaining;
          } else {
            depth--;
            const f = depth * 9;
            for (let r = 6; r <= 9; r++) {
              lo[r] = frames[f + (r - 6) * 2] ?? 0;
              hi[r] = frames[f + (r - 6) * 2 + 1] ?? 0;
            }
            pc = frames[f + 8] ?? 0;
            lo[10] = (lo[10] ?? 0) + FRAME_SIZE;
          }
          break;

        // ---- lddw ----
        case 0x18:
          lo[d] = imm;
          hi[d] = code[2 * pc + 3] ?? 0;
          pc++;
          break;

        // ---- loads ----
        case 0x61:
        case 0x69:
        case 0x71:
        case 0x79:
        case 0x81:
        case 0x89:
        case 0x91: {
          const size = op === 0x79 ? 8 : op === 0x61 || op === 0x81 ? 4 : op === 0x69 || op === 0x89 ? 2 : 1;
          const bl = lo[s] ?? 0;
          const off = w >> 16;
          const l = (bl >>> 0) + off;
          const h = ((hi[s] ?? 0) + (l > 0xffffffff ? 1 : l < 0 ? -1 : 0)) | 0;
          let a = l >>> 0;
          if (
            h !== BPF_ADDRESS_HI ||
            ((a < STACK_OFFSET || a + size > STACK_END) && (a < rS || a + size > rE))
          ) {
            a = memory.translate(l | 0, h, size, RegionFlag.READ);
            if (a < 0) throw fault(memory, false, l | 0, h, size, pc);
            rS = memory.lastStart;
            rE = memory.lastEnd;
          }
          switch (op) {
            case 0x61:
              lo[d] = dv.getInt32(a, true);
              hi[d] = 0;
              break;
            case 0x69:
              lo[d] = dv.getUint16(a, true);
              hi[d] = 0;
              break;
            case 0x71:
              lo[d] = u8[a] ?? 0;
              hi[d] = 0;
              break;
            case 0x79:
              lo[d] = dv.getInt32(a, true);
              hi[d] = dv.getInt32(a + 4, true);
              break;
            case 0x81: {
              const v = dv.getInt32(a, true);
              lo[d] = v;
              hi[d] = v >> 31;
              break;
            }
            case 0x89: {
              const v = dv.getInt16(a, true);
              lo[d] = v;
              hi[d] = v >> 31;
              break;
            }
            default: {
              const v = dv.getInt8(a);
              lo[d] = v;
              hi[d] = v >> 31;
            }
          }
          break;
        }

        // ---- stores ----
        case 0x62:
        case 0x6a:
        case 0x72:
        case 0x7a:
        case 0x63:
        case 0x6b:
        case 0x73:
        case 0x7b: {
          const sz = (op >>> 3) & 3;
          const size = sz === 0 ? 4 : sz === 1 ? 2 : sz === 2 ? 1 : 8;
          const l = ((lo[d] ?? 0) >>> 0) + (w >> 16);
          const h = ((hi[d] ?? 0) + (l > 0xffffffff ? 1 : l < 0 ? -1 : 0)) | 0;
          let a = l >>> 0;
          if (
            h !== BPF_ADDRESS_HI ||
            ((a < STACK_OFFSET || a + size > STACK_END) && (a < wS || a + size > wE))
          ) {
            a = memory.translate(l | 0, h, size, RegionFlag.WRITE);
            if (a < 0) throw fault(memory, true, l | 0, h, size, pc);
            wS = memory.lastStart;
            wE = memory.lastEnd;
          }
          const isImm = (op & 7) === 2;
          const vl = isImm ? imm : (lo[s] ?? 0);
          if (size === 4) dv.setInt32(a, vl, true);
          else if (size === 2) dv.setInt16(a, vl, true);
          else if (size === 1) u8[a] = vl;
          else {
            dv.setInt32(a, vl, true);
            dv.setInt32(a + 4, isImm ? imm >> 31 : (hi[s] ?? 0), true);
          }
          break;
        }

        // ---- atomics ----
        case 0xc3:
        case 0xdb: {
          const size = op === 0xc3 ? 4 : 8;
          const l = ((lo[d] ?? 0) >>> 0) + (w >> 16);
          const h = ((hi[d] ?? 0) + (l > 0xffffffff ? 1 : l < 0 ? -1 : 0)) | 0;
          let a = l >>> 0;
          if (
            h !== BPF_ADDRESS_HI ||
            ((a < STACK_OFFSET || a + size > STACK_END) &&
              (a < wS || a + size > wE || a < rS || a + size > rE))
          ) {
            a = memory.translate(l | 0, h, size, RW);
            if (a < 0) throw fault(memory, true, l | 0, h, size, pc);
            rS = wS = memory.lastStart;
            rE = wE = memory.lastEnd;
          }
          atomic(lo, hi, dv, a, size, imm, s);
          break;
        }

        // ---- legacy packet loads: big-endian from the run's context; out of bounds ends the run with 0 ----
        case 0x20:
        case 0x28:
        case 0x30:
        case 0x38:
        case 0x40:
        case 0x48:
        case 0x50:
        case 0x58:
          if (!packetLoad(lo, hi, op, s, imm, env, u8, dv)) {
            out[0] = 0;
            out[1] = 0;
            return budget - remaining;
          }
          break;

        default:
          throw new RuntimeError("EBPF_UNKNOWN_OPCODE", `unknown opcode 0x${op.toString(16)} at pc ${pc}`, {
            pc,
          });
      }
      pc++;
    }
  }
}

export const interpreterEngine: Engine = {
  name: "interpreter",
  prepare(program: VerifiedProgram, env: ExecEnv): PreparedProgram {
    return new Interpreter(program, env);
  },
};
