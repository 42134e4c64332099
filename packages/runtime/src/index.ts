export { type DataFile, dataFileProgram, parseDataFile } from "./conformance/data-file.ts";
export { type Engine, type ExecEnv, MAX_TAIL_CALLS, type PreparedProgram } from "./engine.ts";
export { DEFAULT_ENGINE, ENGINES } from "./engines.ts";
export { RUNTIME_ERROR_CODES, RuntimeError, type RuntimeErrorCode } from "./errors.ts";
export { CONFORMANCE_HELPERS } from "./helpers/conformance-helpers.ts";
export {
  HelperCall,
  type HelperDefinition,
  type HelperFunction,
  HelperTable,
} from "./helpers/helper-table.ts";
export { HELPER_NAMES, HelperId, type HelperName } from "./helpers/ids.ts";
export { formatPrintk, type LinuxHelperOptions, linuxHelpers } from "./helpers/linux-helpers.ts";
export { Interpreter, interpreterEngine } from "./interp/interpreter.ts";
export { assemble } from "./isa/asm.ts";
export {
  type DecodedInstruction,
  type DecodedProgram,
  decodeInstructions,
  decodeProgram,
  type Instruction,
} from "./isa/decode.ts";
export { type DisassembleOptions, disassemble, formatConformance, formatLlvm } from "./isa/disasm.ts";
export { encodeProgram } from "./isa/encode.ts";
export {
  AtomicOp,
  CallSource,
  InsnClass,
  type InsnKind,
  LddwSource,
  lookupOpcode,
  OPCODE_ROWS,
  OPCODES,
  type OpcodeInfo,
  type OpcodeName,
  type OpcodeRow,
} from "./isa/opcodes.ts";
export { JIT_MAX_BUDGET, JitProgram, jitEngine } from "./jit/jit-engine.ts";
export {
  BPF_ADDRESS_BASE,
  FRAME_SIZE,
  MAX_FRAMES,
  REGION_TABLE_LAYOUT,
  RegionFlag,
  RegionKind,
  type RegionKindName,
} from "./memory/layout.ts";
export {
  ProgramMemory,
  type ProgramMemoryOptions,
  type RegionInfo,
} from "./memory/program-memory.ts";
export {
  MAX_INSTRUCTIONS,
  type PseudoSource,
  type VerifiedProgram,
  type VerifyOptions,
  verifyProgram,
} from "./verifier/verify.ts";
export {
  DEFAULT_BUDGET,
  engineByName,
  type LoadOptions,
  Program,
  type ProgramArray,
  type RunOptions,
  type RunResult,
  Vm,
  type VmOptions,
} from "./vm.ts";
