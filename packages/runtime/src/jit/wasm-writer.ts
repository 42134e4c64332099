import { RuntimeError } from "../errors.ts";

/**
 * A small WebAssembly binary writer: just what the JIT needs (MVP + sign-extension ops, which Node 20 has).
 * Module layout follows the binary format of the WebAssembly core spec §5; opcode values are the spec's.
 */

/** Value types (spec §5.3.1). */
export const ValType = {
  i32: 0x7f,
  i64: 0x7e,
  f32: 0x7d,
  f64: 0x7c,
} as const;
export type ValType = (typeof ValType)[keyof typeof ValType];

/** Block type for a block that yields nothing. */
export const BLOCK_VOID = 0x40;

/** Instruction opcodes (spec §5.4), single-byte space. */
export const Op = {
  unreachable: 0x00,
  nop: 0x01,
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  br_if: 0x0d,
  br_table: 0x0e,
  return: 0x0f,
  call: 0x10,
  call_indirect: 0x11,
  drop: 0x1a,
  select: 0x1b,
  local_get: 0x20,
  local_set: 0x21,
  local_tee: 0x22,
  global_get: 0x23,
  global_set: 0x24,
  i32_load: 0x28,
  i64_load: 0x29,
  i32_load8_s: 0x2c,
  i32_load8_u: 0x2d,
  i32_load16_s: 0x2e,
  i32_load16_u: 0x2f,
  i64_load8_s: 0x30,
  i64_load8_u: 0x31,
  i64_load16_s: 0x32,
  i64_load16_u: 0x33,
  i64_load32_s: 0x34,
  i64_load32_u: 0x35,
  i32_store: 0x36,
  i64_store: 0x37,
  i32_store8: 0x3a,
  i32_store16: 0x3b,
  i64_store8: 0x3c,
  i64_store16: 0x3d,
  i64_store32: 0x3e,
  i32_const: 0x41,
  i64_const: 0x42,
  i32_eqz: 0x45,
  i32_eq: 0x46,
  i32_ne: 0x47,
  i32_lt_s: 0x48,
  i32_lt_u: 0x49,
  i32_gt_s: 0x4a,
  i32_gt_u: 0x4b,
  i32_le_s: 0x4c,
  i32_le_u: 0x4d,
  i32_ge_s: 0x4e,
  i32_ge_u: 0x4f,
  i64_eqz: 0x50,
  i64_eq: 0x51,
  i64_ne: 0x52,
  i64_lt_s: 0x53,
  i64_lt_u: 0x54,
  i64_gt_s: 0x55,
  i64_gt_u: 0x56,
  i64_le_s: 0x57,
  i64_le_u: 0x58,
  i64_ge_s: 0x59,
  i64_ge_u: 0x5a,
  i32_add: 0x6a,
  i32_sub: 0x6b,
  i32_mul: 0x6c,
  i32_div_s: 0x6d,
  i32_div_u: 0x6e,
  i32_rem_s: 0x6f,
  i32_rem_u: 0x70,
  i32_and: 0x71,
  i32_or: 0x72,
  i32_xor: 0x73,
  i32_shl: 0x74,
  i32_shr_s: 0x75,
  i32_shr_u: 0x76,
  i32_rotl: 0x77,
  i32_rotr: 0x78,
  i64_add: 0x7c,
  i64_sub: 0x7d,
  i64_mul: 0x7e,
  i64_div_s: 0x7f,
  i64_div_u: 0x80,
  i64_rem_s: 0x81,
  i64_rem_u: 0x82,
  i64_and: 0x83,
  i64_or: 0x84,
  i64_xor: 0x85,
  i64_shl: 0x86,
  i64_shr_s: 0x87,
  i64_shr_u: 0x88,
  i64_rotl: 0x89,
  i64_rotr: 0x8a,
  i32_wrap_i64: 0xa7,
  i64_extend_i32_s: 0xac,
  i64_extend_i32_u: 0xad,
  i32_extend8_s: 0xc0,
  i32_extend16_s: 0xc1,
  i64_extend8_s: 0xc2,
  i64_extend16_s: 0xc3,
  i64_extend32_s: 0xc4,
} as const;
export type Op = (typeof Op)[keyof typeof Op];

/** Section ids (spec §5.5.2). */
const Section = {
  type: 1,
  import: 2,
  function: 3,
  memory: 5,
  global: 6,
  export: 7,
  code: 10,
} as const;

/** External kinds for imports and exports (spec §5.5.5). */
export const ExternKind = { func: 0x00, table: 0x01, memory: 0x02, global: 0x03 } as const;

/** A growable byte buffer with LEB128 writers (spec §5.2.2). */
export class ByteWriter {
  private buf: Uint8Array;
  length = 0;

  constructor(capacity = 256) {
    this.buf = new Uint8Array(capacity);
  }

  private grow(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + extra) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  byte(b: number): this {
    this.grow(1);
    this.buf[this.length++] = b & 0xff;
    return this;
  }

  bytes(src: Uint8Array | readonly number[]): this {
    this.grow(src.length);
    if (src instanceof Uint8Array) {
      this.buf.set(src, this.length);
      this.length += src.length;
      return this;
    }
    for (let i = 0; i < src.length; i++) this.buf[this.length++] = (src[i] ?? 0) & 0xff;
    return this;
  }

  /** Unsigned LEB128 of a 32-bit value. */
  u32(v: number): this {
    v >>>= 0;
    do {
      let b = v & 0x7f;
      v >>>= 7;
      if (v !== 0) b |= 0x80;
      this.byte(b);
    } while (v !== 0);
    return this;
  }

  /** Signed LEB128 of a 32-bit value. */
  s32(v: number): this {
    v |= 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
        this.byte(b);
        return this;
      }
      this.byte(b | 0x80);
    }
  }

  /** Signed LEB128 of a 64-bit value given as two 32-bit halves (no bigint on the compile path). */
  s64(lo: number, hi: number): this {
    lo >>>= 0;
    hi |= 0;
    for (;;) {
      const b = lo & 0x7f;
      // Arithmetic shift of the 64-bit pair right by 7.
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>= 7;
      const signClear = (b & 0x40) === 0;
      if ((hi === 0 && lo === 0 && signClear) || (hi === -1 && lo === 0xffffffff && !signClear)) {
        this.byte(b);
        return this;
      }
      this.byte(b | 0x80);
    }
  }

  /** A UTF-8 name with its length prefix. */
  name(s: string): this {
    const enc = new TextEncoder().encode(s);
    this.u32(enc.length);
    return this.bytes(enc);
  }

  /** A length-prefixed copy of another writer's contents. */
  vec(w: ByteWriter): this {
    this.u32(w.length);
    this.grow(w.length);
    this.buf.set(w.view(), this.length);
    this.length += w.length;
    return this;
  }

  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  toBytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** Emits one function body. Methods mirror wasm instructions; immediates are LEB128-encoded here. */
export class CodeWriter {
  readonly w = new ByteWriter(1024);

  op(o: Op): this {
    this.w.byte(o);
    return this;
  }
  block(): this {
    this.w.byte(Op.block).byte(BLOCK_VOID);
    return this;
  }
  loop(): this {
    this.w.byte(Op.loop).byte(BLOCK_VOID);
    return this;
  }
  /** `if` whose arms each leave one value of type `t`. */
  ifValue(t: ValType): this {
    this.w.byte(Op.if).byte(t);
    return this;
  }
  if(): this {
    this.w.byte(Op.if).byte(BLOCK_VOID);
    return this;
  }
  else(): this {
    this.w.byte(Op.else);
    return this;
  }
  end(): this {
    this.w.byte(Op.end);
    return this;
  }
  br(depth: number): this {
    this.w.byte(Op.br).u32(depth);
    return this;
  }
  brIf(depth: number): this {
    this.w.byte(Op.br_if).u32(depth);
    return this;
  }
  brTable(depths: readonly number[], dflt: number): this {
    this.w.byte(Op.br_table).u32(depths.length);
    for (const d of depths) this.w.u32(d);
    this.w.u32(dflt);
    return this;
  }
  return(): this {
    this.w.byte(Op.return);
    return this;
  }
  call(fn: number): this {
    this.w.byte(Op.call).u32(fn);
    return this;
  }
  localGet(i: number): this {
    this.w.byte(Op.local_get).u32(i);
    return this;
  }
  localSet(i: number): this {
    this.w.byte(Op.local_set).u32(i);
    return this;
  }
  localTee(i: number): this {
    this.w.byte(Op.local_tee).u32(i);
    return this;
  }
  globalGet(i: number): this {
    this.w.byte(Op.global_get).u32(i);
    return this;
  }
  globalSet(i: number): this {
    this.w.byte(Op.global_set).u32(i);
    return this;
  }
  i32Const(v: number): this {
    this.w.byte(Op.i32_const).s32(v);
    return this;
  }
  /** i64.const from two 32-bit halves. */
  i64Const(lo: number, hi: number): this {
    this.w.byte(Op.i64_const).s64(lo, hi);
    return this;
  }
  /** i64.const of a sign-extended 32-bit value (the usual BPF immediate). */
  i64ConstS32(v: number): this {
    return this.i64Const(v | 0, v < 0 ? -1 : 0);
  }
  /** A memory access with alignment hint `align` (log2) and a constant offset. */
  mem(o: Op, align: number, offset = 0): this {
    this.w.byte(o).u32(align).u32(offset);
    return this;
  }
}

export interface FuncType {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

interface FuncImport {
  readonly kind: "func";
  readonly module: string;
  readonly name: string;
  readonly type: number;
}
interface MemoryImport {
  readonly kind: "memory";
  readonly module: string;
  readonly name: string;
  readonly min: number;
  readonly max: number | undefined;
}
interface GlobalImport {
  readonly kind: "global";
  readonly module: string;
  readonly name: string;
  readonly type: ValType;
  readonly mutable: boolean;
}

interface FuncDef {
  readonly type: number;
  readonly locals: readonly (readonly [count: number, type: ValType])[];
  readonly body: CodeWriter;
}

interface GlobalDef {
  readonly type: ValType;
  readonly mutable: boolean;
  /** Initial value as two halves (i64) or one (i32). */
  readonly lo: number;
  readonly hi: number;
}

/**
 * Builds a module. Function indices count imports first (spec §2.5.1): import every function before
 * defining any, so indices handed out by `addFunction` stay valid.
 */
export class ModuleWriter {
  private readonly types: FuncType[] = [];
  private readonly typeKeys = new Map<string, number>();
  private readonly imports: (FuncImport | MemoryImport | GlobalImport)[] = [];
  private readonly funcs: FuncDef[] = [];
  private readonly globals: GlobalDef[] = [];
  private readonly exports: { name: string; kind: number; index: number }[] = [];
  private importedFuncs = 0;
  private importedGlobals = 0;

  /** Interns a function type and returns its index. */
  type(params: readonly ValType[], results: readonly ValType[]): number {
    const key = `${params.join(",")}>${results.join(",")}`;
    const hit = this.typeKeys.get(key);
    if (hit !== undefined) return hit;
    const idx = this.types.length;
    this.types.push({ params, results });
    this.typeKeys.set(key, idx);
    return idx;
  }

  importFunction(module: string, name: string, type: number): number {
    if (this.funcs.length > 0)
      throw new RuntimeError("EBPF_JIT_INTERNAL", "wasm-writer: import functions before defining any");
    this.imports.push({ kind: "func", module, name, type });
    return this.importedFuncs++;
  }

  importMemory(module: string, name: string, min: number, max?: number): void {
    this.imports.push({ kind: "memory", module, name, min, max });
  }

  importGlobal(module: string, name: string, type: ValType, mutable: boolean): number {
    if (this.globals.length > 0)
      throw new RuntimeError("EBPF_JIT_INTERNAL", "wasm-writer: import globals before defining any");
    this.imports.push({ kind: "global", module, name, type, mutable });
    return this.importedGlobals++;
  }

  addGlobal(type: ValType, mutable: boolean, lo = 0, hi = 0): number {
    this.globals.push({ type, mutable, lo, hi });
    return this.importedGlobals + this.globals.length - 1;
  }

  /** Defines a function; returns its index in the function index space. */
  addFunction(type: number, locals: readonly (readonly [number, ValType])[], body: CodeWriter): number {
    this.funcs.push({ type, locals, body });
    return this.importedFuncs + this.funcs.length - 1;
  }

  /** Index the next `addFunction` call will return (for forward calls between functions). */
  get nextFunctionIndex(): number {
    return this.importedFuncs + this.funcs.length;
  }

  exportFunction(name: string, index: number): void {
    this.exports.push({ name, kind: ExternKind.func, index });
  }

  exportGlobal(name: string, index: number): void {
    this.exports.push({ name, kind: ExternKind.global, index });
  }

  toBytes(): Uint8Array {
    const out = new ByteWriter(4096);
    out.bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

    const sec = (id: number, body: ByteWriter) => {
      out.byte(id).vec(body);
    };

    if (this.types.length > 0) {
      const s = new ByteWriter();
      s.u32(this.types.length);
      for (const t of this.types) {
        s.byte(0x60).u32(t.params.length);
        for (const p of t.params) s.byte(p);
        s.u32(t.results.length);
        for (const r of t.results) s.byte(r);
      }
      sec(Section.type, s);
    }
    if (this.imports.length > 0) {
      const s = new ByteWriter();
      s.u32(this.imports.length);
      for (const imp of this.imports) {
        s.name(imp.module).name(imp.name);
        if (imp.kind === "func") s.byte(ExternKind.func).u32(imp.type);
        else if (imp.kind === "memory") {
          s.byte(ExternKind.memory);
          if (imp.max === undefined) s.byte(0x00).u32(imp.min);
          else s.byte(0x01).u32(imp.min).u32(imp.max);
        } else
          s.byte(ExternKind.global)
            .byte(imp.type)
            .byte(imp.mutable ? 1 : 0);
      }
      sec(Section.import, s);
    }
    if (this.funcs.length > 0) {
      const s = new ByteWriter();
      s.u32(this.funcs.length);
      for (const f of this.funcs) s.u32(f.type);
      sec(Section.function, s);
    }
    if (this.globals.length > 0) {
      const s = new ByteWriter();
      s.u32(this.globals.length);
      for (const g of this.globals) {
        s.byte(g.type).byte(g.mutable ? 1 : 0);
        if (g.type === ValType.i64) s.byte(Op.i64_const).s64(g.lo, g.hi);
        else s.byte(Op.i32_const).s32(g.lo);
        s.byte(Op.end);
      }
      sec(Section.global, s);
    }
    if (this.exports.length > 0) {
      const s = new ByteWriter();
      s.u32(this.exports.length);
      for (const e of this.exports) s.name(e.name).byte(e.kind).u32(e.index);
      sec(Section.export, s);
    }
    if (this.funcs.length > 0) {
      const s = new ByteWriter(4096);
      s.u32(this.funcs.length);
      for (const f of this.funcs) {
        const body = new ByteWriter(f.body.w.length + 16);
        body.u32(f.locals.length);
        for (const [n, t] of f.locals) body.u32(n).byte(t);
        body.bytes(f.body.w.view()).byte(Op.end);
        s.vec(body);
      }
      sec(Section.code, s);
    }
    return out.toBytes();
  }
}
