/**
 * The one table of BPF opcodes: RFC 9669 plus clang `-mcpu=v4`, and the later kernel additions this runtime
 * recognises in order to refuse them by name. Every other table (decoder, assembler, disassembler, verifier,
 * interpreter, JIT) derives from this one.
 *
 * A row is one instruction form. Most forms own an opcode byte; some share a byte and are told apart by a
 * field: `off` (sdiv/smod, movsx, addr_space_cast), `imm` (byte swaps, atomics) or `src` (lddw pseudo
 * sources, call kinds). Names come from the encoding (`<class>_<operation>_<source>`).
 */

/** Instruction classes (low 3 bits of the opcode). */
export const InsnClass = { LD: 0, LDX: 1, ST: 2, STX: 3, ALU: 4, JMP: 5, JMP32: 6, ALU64: 7 } as const;
export type InsnClassName = keyof typeof InsnClass;

/**
 * What an instruction does, at the granularity the engines and the verifier dispatch on. `later` marks
 * kernel additions after RFC 9669 (and kfunc calls): decoded, named, and refused by the verifier.
 */
export type InsnKind =
  | "alu"
  | "shift"
  | "divmod"
  | "neg"
  | "mov"
  | "movsx"
  | "end"
  | "ja"
  | "gotol"
  | "jcond"
  | "call"
  | "call_local"
  | "callx"
  | "exit"
  | "lddw"
  | "ldabs"
  | "ldind"
  | "ldx"
  | "ldxsx"
  | "st"
  | "stx"
  | "atomic"
  | "later";

export interface OpcodeInfo {
  /** The opcode byte. */
  readonly op: number;
  /** When set, the form also needs this `off` value (forms sharing the opcode byte differ by it). */
  readonly off?: number;
  /** When set, the form also needs this `imm` value. */
  readonly imm?: number;
  /** When set, the form also needs this `src` field (lddw pseudo sources, call kinds). */
  readonly src?: number;
  /** Mnemonic of the bpf_conformance assembler dialect. */
  readonly mnemonic: string;
  readonly cls: InsnClassName;
  /** Operand source: immediate (`K`), register (`X`), or neither. */
  readonly source: "K" | "X" | "none";
  /** Memory access width in bytes, for loads, stores and atomics. */
  readonly size?: 1 | 2 | 4 | 8;
  readonly kind: InsnKind;
}

export const OPCODES = {
  ALU64_ADD_K: { op: 0x07, mnemonic: "add", cls: "ALU64", source: "K", kind: "alu" },
  ALU64_ADD_X: { op: 0x0f, mnemonic: "add", cls: "ALU64", source: "X", kind: "alu" },
  ALU64_SUB_K: { op: 0x17, mnemonic: "sub", cls: "ALU64", source: "K", kind: "alu" },
  ALU64_SUB_X: { op: 0x1f, mnemonic: "sub", cls: "ALU64", source: "X", kind: "alu" },
  ALU64_MUL_K: { op: 0x27, mnemonic: "mul", cls: "ALU64", source: "K", kind: "alu" },
  ALU64_MUL_X: { op: 0x2f, mnemonic: "mul", cls: "ALU64", source: "X", kind: "alu" },
  ALU64_DIV_K: { op: 0x37, off: 0, mnemonic: "div", cls: "ALU64", source: "K", kind: "divmod" },
  ALU64_SDIV_K: { op: 0x37, off: 1, mnemonic: "sdiv", cls: "ALU64", source: "K", kind: "divmod" },
  ALU64_DIV_X: { op: 0x3f, off: 0, mnemonic: "div", cls: "ALU64", source: "X", kind: "divmod" },
  ALU64_SDIV_X: { op: 0x3f, off: 1, mnemonic: "sdiv", cls: "ALU64", source: "X", kind: "divmod" },
  ALU64_OR_K: { op: 0x47, mnemonic: "or", cls: "ALU64", source: "K", kind: "alu" },
  ALU64_OR_X: { op: 0x4f, mnemonic: "or", cls: "ALU64", source: "X", kind: "alu" },
  ALU64_AND_K: { op: 0x57, mnemonic: "and", cls: "ALU64", source: "K", kind: "alu" },
  ALU64_AND_X: { op: 0x5f, mnemonic: "and", cls: "ALU64", source: "X", kind: "alu" },
  ALU64_LSH_K: { op: 0x67, mnemonic: "lsh", cls: "ALU64", source: "K", kind: "shift" },
  ALU64_LSH_X: { op: 0x6f, mnemonic: "lsh", cls: "ALU64", source: "X", kind: "shift" },
  ALU64_RSH_K: { op: 0x77, mnemonic: "rsh", cls: "ALU64", source: "K", kind: "shift" },
  ALU64_RSH_X: { op: 0x7f, mnemonic: "rsh", cls: "ALU64", source: "X", kind: "shift" },
  ALU64_NEG_K: { op: 0x87, mnemonic: "neg", cls: "ALU64", source: "none", kind: "neg" },
  ALU64_MOD_K: { op: 0x97, off: 0, mnemonic: "mod", cls: "ALU64", source: "K", kind: "divmod" },
  ALU64_SMOD_K: { op: 0x97, off: 1, mnemonic: "smod", cls: "ALU64", source: "K", kind: "divmod" },
  ALU64_MOD_X: { op: 0x9f, off: 0, mnemonic: "mod", cls: "ALU64", source: "X", kind: "divmod" },
  ALU64_SMOD_X: { op: 0x9f, off: 1, mnemonic: "smod", cls: "ALU64", source: "X", kind: "divmod" },
  ALU64_XOR_K: { op: 0xa7, mnemonic: "xor", cls: "ALU64", source: "K", kind: "alu" },
  ALU64_XOR_X: { op: 0xaf, mnemonic: "xor", cls: "ALU64", source: "X", kind: "alu" },
  ALU64_MOV_K: { op: 0xb7, mnemonic: "mov", cls: "ALU64", source: "K", kind: "mov" },
  ALU64_MOV_X: { op: 0xbf, off: 0, mnemonic: "mov", cls: "ALU64", source: "X", kind: "mov" },
  ALU64_MOVSX8_X: { op: 0xbf, off: 8, mnemonic: "movsx864", cls: "ALU64", source: "X", kind: "movsx" },
  ALU64_MOVSX16_X: { op: 0xbf, off: 16, mnemonic: "movsx1664", cls: "ALU64", source: "X", kind: "movsx" },
  ALU64_MOVSX32_X: { op: 0xbf, off: 32, mnemonic: "movsx3264", cls: "ALU64", source: "X", kind: "movsx" },
  ALU64_ADDR_SPACE_CAST: {
    op: 0xbf,
    off: 1,
    mnemonic: "addr_space_cast",
    cls: "ALU64",
    source: "X",
    kind: "later",
  },
  ALU64_ARSH_K: { op: 0xc7, mnemonic: "arsh", cls: "ALU64", source: "K", kind: "shift" },
  ALU64_ARSH_X: { op: 0xcf, mnemonic: "arsh", cls: "ALU64", source: "X", kind: "shift" },
  ALU_ADD_K: { op: 0x04, mnemonic: "add32", cls: "ALU", source: "K", kind: "alu" },
  ALU_ADD_X: { op: 0x0c, mnemonic: "add32", cls: "ALU", source: "X", kind: "alu" },
  ALU_SUB_K: { op: 0x14, mnemonic: "sub32", cls: "ALU", source: "K", kind: "alu" },
  ALU_SUB_X: { op: 0x1c, mnemonic: "sub32", cls: "ALU", source: "X", kind: "alu" },
  ALU_MUL_K: { op: 0x24, mnemonic: "mul32", cls: "ALU", source: "K", kind: "alu" },
  ALU_MUL_X: { op: 0x2c, mnemonic: "mul32", cls: "ALU", source: "X", kind: "alu" },
  ALU_DIV_K: { op: 0x34, off: 0, mnemonic: "div32", cls: "ALU", source: "K", kind: "divmod" },
  ALU_SDIV_K: { op: 0x34, off: 1, mnemonic: "sdiv32", cls: "ALU", source: "K", kind: "divmod" },
  ALU_DIV_X: { op: 0x3c, off: 0, mnemonic: "div32", cls: "ALU", source: "X", kind: "divmod" },
  ALU_SDIV_X: { op: 0x3c, off: 1, mnemonic: "sdiv32", cls: "ALU", source: "X", kind: "divmod" },
  ALU_OR_K: { op: 0x44, mnemonic: "or32", cls: "ALU", source: "K", kind: "alu" },
  ALU_OR_X: { op: 0x4c, mnemonic: "or32", cls: "ALU", source: "X", kind: "alu" },
  ALU_AND_K: { op: 0x54, mnemonic: "and32", cls: "ALU", source: "K", kind: "alu" },
  ALU_AND_X: { op: 0x5c, mnemonic: "and32", cls: "ALU", source: "X", kind: "alu" },
  ALU_LSH_K: { op: 0x64, mnemonic: "lsh32", cls: "ALU", source: "K", kind: "shift" },
  ALU_LSH_X: { op: 0x6c, mnemonic: "lsh32", cls: "ALU", source: "X", kind: "shift" },
  ALU_RSH_K: { op: 0x74, mnemonic: "rsh32", cls: "ALU", source: "K", kind: "shift" },
  ALU_RSH_X: { op: 0x7c, mnemonic: "rsh32", cls: "ALU", source: "X", kind: "shift" },
  ALU_NEG_K: { op: 0x84, mnemonic: "neg32", cls: "ALU", source: "none", kind: "neg" },
  ALU_MOD_K: { op: 0x94, off: 0, mnemonic: "mod32", cls: "ALU", source: "K", kind: "divmod" },
  ALU_SMOD_K: { op: 0x94, off: 1, mnemonic: "smod32", cls: "ALU", source: "K", kind: "divmod" },
  ALU_MOD_X: { op: 0x9c, off: 0, mnemonic: "mod32", cls: "ALU", source: "X", kind: "divmod" },
  ALU_SMOD_X: { op: 0x9c, off: 1, mnemonic: "smod32", cls: "ALU", source: "X", kind: "divmod" },
  ALU_XOR_K: { op: 0xa4, mnemonic: "xor32", cls: "ALU", source: "K", kind: "alu" },
  ALU_XOR_X: { op: 0xac, mnemonic: "xor32", cls: "ALU", source: "X", kind: "alu" },
  ALU_MOV_K: { op: 0xb4, mnemonic: "mov32", cls: "ALU", source: "K", kind: "mov" },
  ALU_MOV_X: { op: 0xbc, off: 0, mnemonic: "mov32", cls: "ALU", source: "X", kind: "mov" },
  ALU_MOVSX8_X: { op: 0xbc, off: 8, mnemonic: "movsx832", cls: "ALU", source: "X", kind: "movsx" },
  ALU_MOVSX16_X: { op: 0xbc, off: 16, mnemonic: "movsx1632", cls: "ALU", source: "X", kind: "movsx" },
  ALU_ARSH_K: { op: 0xc4, mnemonic: "arsh32", cls: "ALU", source: "K", kind: "shift" },
  ALU_ARSH_X: { op: 0xcc, mnemonic: "arsh32", cls: "ALU", source: "X", kind: "shift" },
  ALU_END_LE16: { op: 0xd4, imm: 0x10, mnemonic: "le16", cls: "ALU", source: "K", kind: "end" },
  ALU_END_LE32: { op: 0xd4, imm: 0x20, mnemonic: "le32", cls: "ALU", source: "K", kind: "end" },
  ALU_END_LE64: { op: 0xd4, imm: 0x40, mnemonic: "le64", cls: "ALU", source: "K", kind: "end" },
  ALU_END_BE16: { op: 0xdc, imm: 0x10, mnemonic: "be16", cls: "ALU", source: "X", kind: "end" },
  ALU_END_BE32: { op: 0xdc, imm: 0x20, mnemonic: "be32", cls: "ALU", source: "X", kind: "end" },
  ALU_END_BE64: { op: 0xdc, imm: 0x40, mnemonic: "be64", cls: "ALU", source: "X", kind: "end" },
  ALU64_BSWAP16: { op: 0xd7, imm: 0x10, mnemonic: "bswap16", cls: "ALU64", source: "K", kind: "end" },
  ALU64_BSWAP32: { op: 0xd7, imm: 0x20, mnemonic: "bswap32", cls: "ALU64", source: "K", kind: "end" },
  ALU64_BSWAP64: { op: 0xd7, imm: 0x40, mnemonic: "bswap64", cls: "ALU64", source: "K", kind: "end" },
  JMP_JA: { op: 0x05, mnemonic: "ja", cls: "JMP", source: "K", kind: "ja" },
  JMP32_JA: { op: 0x06, mnemonic: "ja32", cls: "JMP32", source: "K", kind: "gotol" },
  JMP_JEQ_K: { op: 0x15, mnemonic: "jeq", cls: "JMP", source: "K", kind: "jcond" },
  JMP_JEQ_X: { op: 0x1d, mnemonic: "jeq", cls: "JMP", source: "X", kind: "jcond" },
  JMP_JGT_K: { op: 0x25, mnemonic: "jgt", cls: "JMP", source: "K", kind: "jcond" },
  JMP_JGT_X: { op: 0x2d, mnemonic: "jgt", cls: "JMP", source: "X", kind: "jcond" },
  JMP_JGE_K: { op: 0x35, mnemonic: "jge", cls: "JMP", source: "K", kind: "jcond" },
  JMP_JGE_X: { op: 0x3d, mnemonic: "jge", cls: "JMP", source: "X", kind: "jcond" },
  JMP_JSET_K: { op: 0x45, mnemonic: "jset", cls: "JMP", source: "K", kind: "jcond" },
  JMP_JSET_X: { op: 0x4d, mnemonic: "jset", cls: "JMP", source: "X", kind: "jcond" },
  JMP_JNE_K: { op: 0x55, mnemonic: "jne", cls: "JMP", source: "K", kind: "jcond" },
  JMP_JNE_X: { op: 0x5d, mnemonic: "jne", cls: "JMP", source: "X", kind: "jcond" },
  JMP_JSGT_K: { op: 0x65, mnemonic: "jsgt", cls: "JMP", source: "K", kind: "jcond" },
  JMP_JSGT_X: { op: 0x6d, mnemonic: "jsgt", cls: "JMP", source: "X", kind: "jcond" },
  JMP_JSGE_K: { op: 0x75, mnemonic: "jsge", cls: "JMP", source: "K", kind: "jcond" },
  JMP_JSGE_X: { op: 0x7d, mnemonic: "jsge", cls: "JMP", source: "X", kind: "jcond" },
  JMP_JLT_K: { op: 0xa5, mnemonic: "jlt", cls: "JMP", source: "K", kind: "jcond" },
  JMP_JLT_X: { op: 0xad, mnemonic: "jlt", cls: "JMP", source: "X", kind: "jcond" },
  JMP_JLE_K: { op: 0xb5, mnemonic: "jle", cls: "JMP", source: "K", kind: "jcond" },
  JMP_JLE_X: { op: 0xbd, mnemonic: "jle", cls: "JMP", source: "X", kind: "jcond" },
  JMP_JSLT_K: { op: 0xc5, mnemonic: "jslt", cls: "JMP", source: "K", kind: "jcond" },
  JMP_JSLT_X: { op: 0xcd, mnemonic: "jslt", cls: "JMP", source: "X", kind: "jcond" },
  JMP_JSLE_K: { op: 0xd5, mnemonic: "jsle", cls: "JMP", source: "K", kind: "jcond" },
  JMP_JSLE_X: { op: 0xdd, mnemonic: "jsle", cls: "JMP", source: "X", kind: "jcond" },
  JMP32_JEQ_K: { op: 0x16, mnemonic: "jeq32", cls: "JMP32", source: "K", kind: "jcond" },
  JMP32_JEQ_X: { op: 0x1e, mnemonic: "jeq32", cls: "JMP32", source: "X", kind: "jcond" },
  JMP32_JGT_K: { op: 0x26, mnemonic: "jgt32", cls: "JMP32", source: "K", kind: "jcond" },
  JMP32_JGT_X: { op: 0x2e, mnemonic: "jgt32", cls: "JMP32", source: "X", kind: "jcond" },
  JMP32_JGE_K: { op: 0x36, mnemonic: "jge32", cls: "JMP32", source: "K", kind: "jcond" },
  JMP32_JGE_X: { op: 0x3e, mnemonic: "jge32", cls: "JMP32", source: "X", kind: "jcond" },
  JMP32_JSET_K: { op: 0x46, mnemonic: "jset32", cls: "JMP32", source: "K", kind: "jcond" },
  JMP32_JSET_X: { op: 0x4e, mnemonic: "jset32", cls: "JMP32", source: "X", kind: "jcond" },
  JMP32_JNE_K: { op: 0x56, mnemonic: "jne32", cls: "JMP32", source: "K", kind: "jcond" },
  JMP32_JNE_X: { op: 0x5e, mnemonic: "jne32", cls: "JMP32", source: "X", kind: "jcond" },
  JMP32_JSGT_K: { op: 0x66, mnemonic: "jsgt32", cls: "JMP32", source: "K", kind: "jcond" },
  JMP32_JSGT_X: { op: 0x6e, mnemonic: "jsgt32", cls: "JMP32", source: "X", kind: "jcond" },
  JMP32_JSGE_K: { op: 0x76, mnemonic: "jsge32", cls: "JMP32", source: "K", kind: "jcond" },
  JMP32_JSGE_X: { op: 0x7e, mnemonic: "jsge32", cls: "JMP32", source: "X", kind: "jcond" },
  JMP32_JLT_K: { op: 0xa6, mnemonic: "jlt32", cls: "JMP32", source: "K", kind: "jcond" },
  JMP32_JLT_X: { op: 0xae, mnemonic: "jlt32", cls: "JMP32", source: "X", kind: "jcond" },
  JMP32_JLE_K: { op: 0xb6, mnemonic: "jle32", cls: "JMP32", source: "K", kind: "jcond" },
  JMP32_JLE_X: { op: 0xbe, mnemonic: "jle32", cls: "JMP32", source: "X", kind: "jcond" },
  JMP32_JSLT_K: { op: 0xc6, mnemonic: "jslt32", cls: "JMP32", source: "K", kind: "jcond" },
  JMP32_JSLT_X: { op: 0xce, mnemonic: "jslt32", cls: "JMP32", source: "X", kind: "jcond" },
  JMP32_JSLE_K: { op: 0xd6, mnemonic: "jsle32", cls: "JMP32", source: "K", kind: "jcond" },
  JMP32_JSLE_X: { op: 0xde, mnemonic: "jsle32", cls: "JMP32", source: "X", kind: "jcond" },
  JMP_CALL: { op: 0x85, src: 0, mnemonic: "call", cls: "JMP", source: "K", kind: "call" },
  JMP_CALL_LOCAL: { op: 0x85, src: 1, mnemonic: "call", cls: "JMP", source: "K", kind: "call_local" },
  JMP_CALL_KFUNC: { op: 0x85, src: 2, mnemonic: "call", cls: "JMP", source: "K", kind: "later" },
  JMP_CALLX: { op: 0x8d, mnemonic: "callx", cls: "JMP", source: "X", kind: "callx" },
  JMP_EXIT: { op: 0x95, mnemonic: "exit", cls: "JMP", source: "K", kind: "exit" },
  JMP_JCOND: { op: 0xe5, mnemonic: "may_goto", cls: "JMP", source: "K", kind: "later" },
  LD_IMM_DW: { op: 0x18, src: 0, mnemonic: "lddw", cls: "LD", source: "none", size: 8, kind: "lddw" },
  LD_IMM_DW_MAP_FD: { op: 0x18, src: 1, mnemonic: "lddw", cls: "LD", source: "none", size: 8, kind: "lddw" },
  LD_IMM_DW_MAP_VALUE: {
    op: 0x18,
    src: 2,
    mnemonic: "lddw",
    cls: "LD",
    source: "none",
    size: 8,
    kind: "lddw",
  },
  LD_IMM_DW_VAR_ADDR: {
    op: 0x18,
    src: 3,
    mnemonic: "lddw",
    cls: "LD",
    source: "none",
    size: 8,
    kind: "lddw",
  },
  LD_IMM_DW_CODE_ADDR: {
    op: 0x18,
    src: 4,
    mnemonic: "lddw",
    cls: "LD",
    source: "none",
    size: 8,
    kind: "lddw",
  },
  LD_IMM_DW_MAP_IDX: { op: 0x18, src: 5, mnemonic: "lddw", cls: "LD", source: "none", size: 8, kind: "lddw" },
  LD_IMM_DW_MAP_IDX_VALUE: {
    op: 0x18,
    src: 6,
    mnemonic: "lddw",
    cls: "LD",
    source: "none",
    size: 8,
    kind: "lddw",
  },
  LD_ABS_W: { op: 0x20, mnemonic: "ldabsw", cls: "LD", source: "none", size: 4, kind: "ldabs" },
  LD_ABS_H: { op: 0x28, mnemonic: "ldabsh", cls: "LD", source: "none", size: 2, kind: "ldabs" },
  LD_ABS_B: { op: 0x30, mnemonic: "ldabsb", cls: "LD", source: "none", size: 1, kind: "ldabs" },
  LD_ABS_DW: { op: 0x38, mnemonic: "ldabsdw", cls: "LD", source: "none", size: 8, kind: "ldabs" },
  LD_IND_W: { op: 0x40, mnemonic: "ldindw", cls: "LD", source: "X", size: 4, kind: "ldind" },
  LD_IND_H: { op: 0x48, mnemonic: "ldindh", cls: "LD", source: "X", size: 2, kind: "ldind" },
  LD_IND_B: { op: 0x50, mnemonic: "ldindb", cls: "LD", source: "X", size: 1, kind: "ldind" },
  LD_IND_DW: { op: 0x58, mnemonic: "ldinddw", cls: "LD", source: "X", size: 8, kind: "ldind" },
  LDX_MEM_W: { op: 0x61, mnemonic: "ldxw", cls: "LDX", source: "X", size: 4, kind: "ldx" },
  LDX_MEM_H: { op: 0x69, mnemonic: "ldxh", cls: "LDX", source: "X", size: 2, kind: "ldx" },
  LDX_MEM_B: { op: 0x71, mnemonic: "ldxb", cls: "LDX", source: "X", size: 1, kind: "ldx" },
  LDX_MEM_DW: { op: 0x79, mnemonic: "ldxdw", cls: "LDX", source: "X", size: 8, kind: "ldx" },
  LDX_MEMSX_W: { op: 0x81, mnemonic: "ldxsw", cls: "LDX", source: "X", size: 4, kind: "ldxsx" },
  LDX_MEMSX_H: { op: 0x89, mnemonic: "ldxsh", cls: "LDX", source: "X", size: 2, kind: "ldxsx" },
  LDX_MEMSX_B: { op: 0x91, mnemonic: "ldxsb", cls: "LDX", source: "X", size: 1, kind: "ldxsx" },
  ST_MEM_W: { op: 0x62, mnemonic: "stw", cls: "ST", source: "K", size: 4, kind: "st" },
  ST_MEM_H: { op: 0x6a, mnemonic: "sth", cls: "ST", source: "K", size: 2, kind: "st" },
  ST_MEM_B: { op: 0x72, mnemonic: "stb", cls: "ST", source: "K", size: 1, kind: "st" },
  ST_MEM_DW: { op: 0x7a, mnemonic: "stdw", cls: "ST", source: "K", size: 8, kind: "st" },
  STX_MEM_W: { op: 0x63, mnemonic: "stxw", cls: "STX", source: "X", size: 4, kind: "stx" },
  STX_MEM_H: { op: 0x6b, mnemonic: "stxh", cls: "STX", source: "X", size: 2, kind: "stx" },
  STX_MEM_B: { op: 0x73, mnemonic: "stxb", cls: "STX", source: "X", size: 1, kind: "stx" },
  STX_MEM_DW: { op: 0x7b, mnemonic: "stxdw", cls: "STX", source: "X", size: 8, kind: "stx" },
  STX_ATOMIC_W_ADD: {
    op: 0xc3,
    imm: 0x0,
    mnemonic: "lock add32",
    cls: "STX",
    source: "X",
    size: 4,
    kind: "atomic",
  },
  STX_ATOMIC_W_FETCH_ADD: {
    op: 0xc3,
    imm: 0x1,
    mnemonic: "lock fetch add32",
    cls: "STX",
    source: "X",
    size: 4,
    kind: "atomic",
  },
  STX_ATOMIC_W_OR: {
    op: 0xc3,
    imm: 0x40,
    mnemonic: "lock or32",
    cls: "STX",
    source: "X",
    size: 4,
    kind: "atomic",
  },
  STX_ATOMIC_W_FETCH_OR: {
    op: 0xc3,
    imm: 0x41,
    mnemonic: "lock fetch or32",
    cls: "STX",
    source: "X",
    size: 4,
    kind: "atomic",
  },
  STX_ATOMIC_W_AND: {
    op: 0xc3,
    imm: 0x50,
    mnemonic: "lock and32",
    cls: "STX",
    source: "X",
    size: 4,
    kind: "atomic",
  },
  STX_ATOMIC_W_FETCH_AND: {
    op: 0xc3,
    imm: 0x51,
    mnemonic: "lock fetch and32",
    cls: "STX",
    source: "X",
    size: 4,
    kind: "atomic",
  },
  STX_ATOMIC_W_XOR: {
    op: 0xc3,
    imm: 0xa0,
    mnemonic: "lock xor32",
    cls: "STX",
    source: "X",
    size: 4,
    kind: "atomic",
  },
  STX_ATOMIC_W_FETCH_XOR: {
    op: 0xc3,
    imm: 0xa1,
    mnemonic: "lock fetch xor32",
    cls: "STX",
    source: "X",
    size: 4,
    kind: "atomic",
  },
  STX_ATOMIC_W_XCHG: {
    op: 0xc3,
    imm: 0xe1,
    mnemonic: "lock xchg32",
    cls: "STX",
    source: "X",
    size: 4,
    kind: "atomic",
  },
  STX_ATOMIC_W_CMPXCHG: {
    op: 0xc3,
    imm: 0xf1,
    mnemonic: "lock cmpxchg32",
    cls: "STX",
    source: "X",
    size: 4,
    kind: "atomic",
  },
  STX_ATOMIC_W_LOAD_ACQ: {
    op: 0xc3,
    imm: 0x100,
    mnemonic: "load_acquire32",
    cls: "STX",
    source: "X",
    size: 4,
    kind: "later",
  },
  STX_ATOMIC_W_STORE_REL: {
    op: 0xc3,
    imm: 0x110,
    mnemonic: "store_release32",
    cls: "STX",
    source: "X",
    size: 4,
    kind: "later",
  },
  STX_ATOMIC_DW_ADD: {
    op: 0xdb,
    imm: 0x0,
    mnemonic: "lock add",
    cls: "STX",
    source: "X",
    size: 8,
    kind: "atomic",
  },
  STX_ATOMIC_DW_FETCH_ADD: {
    op: 0xdb,
    imm: 0x1,
    mnemonic: "lock fetch add",
    cls: "STX",
    source: "X",
    size: 8,
    kind: "atomic",
  },
  STX_ATOMIC_DW_OR: {
    op: 0xdb,
    imm: 0x40,
    mnemonic: "lock or",
    cls: "STX",
    source: "X",
    size: 8,
    kind: "atomic",
  },
  STX_ATOMIC_DW_FETCH_OR: {
    op: 0xdb,
    imm: 0x41,
    mnemonic: "lock fetch or",
    cls: "STX",
    source: "X",
    size: 8,
    kind: "atomic",
  },
  STX_ATOMIC_DW_AND: {
    op: 0xdb,
    imm: 0x50,
    mnemonic: "lock and",
    cls: "STX",
    source: "X",
    size: 8,
    kind: "atomic",
  },
  STX_ATOMIC_DW_FETCH_AND: {
    op: 0xdb,
    imm: 0x51,
    mnemonic: "lock fetch and",
    cls: "STX",
    source: "X",
    size: 8,
    kind: "atomic",
  },
  STX_ATOMIC_DW_XOR: {
    op: 0xdb,
    imm: 0xa0,
    mnemonic: "lock xor",
    cls: "STX",
    source: "X",
    size: 8,
    kind: "atomic",
  },
  STX_ATOMIC_DW_FETCH_XOR: {
    op: 0xdb,
    imm: 0xa1,
    mnemonic: "lock fetch xor",
    cls: "STX",
    source: "X",
    size: 8,
    kind: "atomic",
  },
  STX_ATOMIC_DW_XCHG: {
    op: 0xdb,
    imm: 0xe1,
    mnemonic: "lock xchg",
    cls: "STX",
    source: "X",
    size: 8,
    kind: "atomic",
  },
  STX_ATOMIC_DW_CMPXCHG: {
    op: 0xdb,
    imm: 0xf1,
    mnemonic: "lock cmpxchg",
    cls: "STX",
    source: "X",
    size: 8,
    kind: "atomic",
  },
  STX_ATOMIC_DW_LOAD_ACQ: {
    op: 0xdb,
    imm: 0x100,
    mnemonic: "load_acquire",
    cls: "STX",
    source: "X",
    size: 8,
    kind: "later",
  },
  STX_ATOMIC_DW_STORE_REL: {
    op: 0xdb,
    imm: 0x110,
    mnemonic: "store_release",
    cls: "STX",
    source: "X",
    size: 8,
    kind: "later",
  },
  STX_ATOMIC_B_LOAD_ACQ: {
    op: 0xd3,
    imm: 0x100,
    mnemonic: "load_acquire8",
    cls: "STX",
    source: "X",
    size: 1,
    kind: "later",
  },
  STX_ATOMIC_B_STORE_REL: {
    op: 0xd3,
    imm: 0x110,
    mnemonic: "store_release8",
    cls: "STX",
    source: "X",
    size: 1,
    kind: "later",
  },
  STX_ATOMIC_H_LOAD_ACQ: {
    op: 0xcb,
    imm: 0x100,
    mnemonic: "load_acquire16",
    cls: "STX",
    source: "X",
    size: 2,
    kind: "later",
  },
  STX_ATOMIC_H_STORE_REL: {
    op: 0xcb,
    imm: 0x110,
    mnemonic: "store_release16",
    cls: "STX",
    source: "X",
    size: 2,
    kind: "later",
  },
} as const satisfies Record<string, OpcodeInfo>;

export type OpcodeName = keyof typeof OPCODES;

/** Atomic operation codes carried in `imm` of STX ATOMIC (RFC 9669 §5.3). */
export const AtomicOp = {
  ADD: 0x00,
  OR: 0x40,
  AND: 0x50,
  XOR: 0xa0,
  FETCH: 0x01,
  XCHG: 0xe1,
  CMPXCHG: 0xf1,
  LOAD_ACQ: 0x100,
  STORE_REL: 0x110,
} as const;

/** `src` values of `lddw` (RFC 9669 §5.4). */
export const LddwSource = {
  IMM64: 0,
  MAP_FD: 1,
  MAP_VALUE: 2,
  VAR_ADDR: 3,
  CODE_ADDR: 4,
  MAP_IDX: 5,
  MAP_IDX_VALUE: 6,
} as const;

/** `src` values of `call` (0x85). */
export const CallSource = { HELPER: 0, LOCAL: 1, KFUNC: 2 } as const;

/** What each field of an instruction of a given kind may hold: the verifier's "unused fields are zero". */
export interface FieldRules {
  /** `w`: a writable register r0–r9; `r`: any register r0–r10; `zero`: must be 0. */
  readonly dst: "w" | "r" | "zero";
  /** `r`: any register; `zero`: must be 0; `form`: fixed by the row (`src` column). */
  readonly src: "r" | "zero" | "form";
  /** `any`: a memory or jump offset; `zero`; `form`: fixed by the row (`off` column). */
  readonly off: "any" | "zero" | "form";
  /** `any`; `zero`; `form`: fixed by the row (`imm` column). */
  readonly imm: "any" | "zero" | "form";
}

/** Field rules of a row (K/X forms of the same kind differ in `src` and `imm`). */
export function fieldRules(info: OpcodeInfo): FieldRules {
  const x = info.source === "X";
  const offAlu = info.off !== undefined ? "form" : "zero";
  switch (info.kind) {
    case "alu":
    case "shift":
    case "divmod":
    case "mov":
      return { dst: "w", src: x ? "r" : "zero", off: offAlu, imm: x ? "zero" : "any" };
    case "movsx":
      return { dst: "w", src: "r", off: "form", imm: "zero" };
    case "neg":
      return { dst: "w", src: "zero", off: "zero", imm: "zero" };
    case "end":
      return { dst: "w", src: "zero", off: "zero", imm: "form" };
    case "ja":
      return { dst: "zero", src: "zero", off: "any", imm: "zero" };
    case "gotol":
      return { dst: "zero", src: "zero", off: "zero", imm: "any" };
    case "jcond":
      return { dst: "r", src: x ? "r" : "zero", off: "any", imm: x ? "zero" : "any" };
    case "call":
    case "call_local":
      return { dst: "zero", src: "form", off: "zero", imm: "any" };
    case "callx":
      return { dst: "r", src: "zero", off: "zero", imm: "zero" };
    case "exit":
      return { dst: "zero", src: "zero", off: "zero", imm: "zero" };
    case "lddw":
      return { dst: "w", src: "form", off: "zero", imm: "any" };
    case "ldabs":
      return { dst: "zero", src: "zero", off: "zero", imm: "any" };
    case "ldind":
      return { dst: "zero", src: "r", off: "zero", imm: "any" };
    case "ldx":
    case "ldxsx":
      return { dst: "w", src: "r", off: "any", imm: "zero" };
    case "st":
      return { dst: "r", src: "zero", off: "any", imm: "any" };
    case "stx":
      return { dst: "r", src: "r", off: "any", imm: "zero" };
    case "atomic":
      return { dst: "r", src: "r", off: "any", imm: "form" };
    case "later":
      return { dst: "r", src: "r", off: "any", imm: "any" };
  }
}

export interface OpcodeRow extends OpcodeInfo {
  readonly name: OpcodeName;
}

/** Every row, in table order. */
export const OPCODE_ROWS: readonly OpcodeRow[] = (Object.keys(OPCODES) as OpcodeName[]).map((name) => ({
  name,
  ...(OPCODES[name] as OpcodeInfo),
}));

/** Rows by opcode byte (forms sharing a byte are listed together). */
export const ROWS_BY_OPCODE: readonly (readonly OpcodeRow[])[] = (() => {
  const by: OpcodeRow[][] = Array.from({ length: 256 }, () => []);
  for (const r of OPCODE_ROWS) by[r.op]?.push(r);
  return by;
})();

/**
 * The row of an instruction, or undefined when no form matches. Forms sharing a byte are matched on their
 * distinguishing field; a byte with one form and no distinguishing field matches whatever the fields hold
 * (the verifier then checks the fields against the rules).
 */
export function lookupOpcode(op: number, src: number, off: number, imm: number): OpcodeRow | undefined {
  const rows = ROWS_BY_OPCODE[op & 0xff];
  if (rows === undefined) return undefined;
  for (const r of rows) {
    if (r.off !== undefined && r.off !== off) continue;
    if (r.imm !== undefined && r.imm !== imm) continue;
    if (r.src !== undefined && r.src !== src) continue;
    return r;
  }
  return undefined;
}
