import { AxebpfError } from "@axebpf/platform";

/** Every code a `RuntimeError` can carry, with what it means. Callers and tests match on codes, not text. */
export const RUNTIME_ERROR_CODES = {
  EBPF_BAD_LENGTH: "program length is not a multiple of 8 (offset: where the ragged tail starts)",
  EBPF_EMPTY_PROGRAM: "program has no instructions",
  EBPF_ENCODE_RANGE: "an instruction field does not fit its encoding (pc: instruction index)",
  EBPF_ASM_MNEMONIC: "assembler: unknown mnemonic (line, column)",
  EBPF_ASM_REGISTER: "assembler: bad register (line, column)",
  EBPF_ASM_OPERAND: "assembler: malformed operand (line, column)",
  EBPF_ASM_OPERANDS: "assembler: wrong number of operands (line, column)",
  EBPF_ASM_NUMBER: "assembler: malformed number (line, column)",
  EBPF_ASM_RANGE: "assembler: immediate, offset or jump out of range (line, column)",
  EBPF_ASM_LABEL: "assembler: unknown or duplicate label (line, column)",
  EBPF_DATA_FORMAT: "a bpf_conformance .data file has an unknown directive (line)",
  EBPF_VERIFY_TOO_LONG: "more than 1,000,000 instructions",
  EBPF_VERIFY_UNKNOWN_OPCODE: "no instruction form matches opcode and fields (pc)",
  EBPF_VERIFY_UNSUPPORTED: "may_goto, load-acquire, store-release, addr_space_cast or a kfunc call (pc)",
  EBPF_VERIFY_BAD_REGISTER: "register number above 10 (pc)",
  EBPF_VERIFY_R10_WRITE: "an instruction writes r10, the read-only frame pointer (pc)",
  EBPF_VERIFY_RESERVED_FIELD: "a field the instruction does not use is not zero (pc)",
  EBPF_VERIFY_STACK: "an r10-relative access leaves the 512-byte frame (pc)",
  EBPF_VERIFY_UNKNOWN_HELPER: "call to a helper id the Vm does not provide (pc)",
  EBPF_VERIFY_LDDW: "lddw without a valid second half (pc)",
  EBPF_VERIFY_PSEUDO: "lddw pseudo source (map, global, function) that the loader could not resolve (pc)",
  EBPF_VERIFY_JUMP_TARGET:
    "jump outside the program, into an lddw's second half, or into another function (pc)",
  EBPF_VERIFY_CALL_TARGET: "local call outside the program or into an lddw's second half (pc)",
  EBPF_VERIFY_FALL_THROUGH: "execution can run off the end of a function (pc)",
  EBPF_VERIFY_CALL_DEPTH: "recursion, or local calls nested deeper than 8 frames (pc)",
  EBPF_MEMORY_FAULT: "load or store outside every region, or without its permission (pc, address)",
  EBPF_BUDGET_EXCEEDED: "the run used up its instruction budget (pc)",
  EBPF_CALL_DEPTH: "more than 8 call frames at run time (pc)",
  EBPF_UNKNOWN_HELPER: "callx to a helper id the Vm does not provide (pc)",
  EBPF_HELPER_FAILED: "a helper threw something other than a RuntimeError (pc, cause)",
  EBPF_UNKNOWN_OPCODE: "an engine met an opcode it cannot run (pc; unreachable after the verifier)",
  EBPF_ENGINE_UNAVAILABLE: "no engine of that name",
  EBPF_BAD_ARGUMENT: "an API argument is out of range (budget, helper id, region index...)",
  EBPF_OUT_OF_MEMORY: "program memory or the region table cannot grow further",
  EBPF_JIT_BAD_PROGRAM: "the JIT was handed a program the verifier would reject (pc)",
  EBPF_JIT_INTERNAL: "the JIT produced an invalid module or reached an impossible trap",
  EBPF_JIT_TOO_LARGE:
    "a subprogram is too large for one WebAssembly function (pc); the JIT engine runs that program in the interpreter, but cannot tail-call into it",
} as const;

/** Stable codes of every `RuntimeError`. */
export type RuntimeErrorCode = keyof typeof RUNTIME_ERROR_CODES;

/** The one error class of `@axebpf/runtime`. */
export class RuntimeError extends AxebpfError<RuntimeErrorCode> {}
