export {
  AxebpfError,
  type AxebpfErrorOptions,
  type ErrorLocation,
  PlatformError,
  type PlatformErrorCode,
} from "./errors.ts";
export { HostPlatform, type HostPlatformOptions } from "./host.ts";
export {
  createLogger,
  type Logger,
  LogLevel,
  type LogLevelName,
  type LogWriter,
  levelEnabled,
} from "./logger.ts";
export {
  checkRequest,
  describeFault,
  type MemoryAccess,
  type MemoryFault,
  type MemoryFaultKind,
  type ReadResult,
  RegionMemory,
  type RegionOptions,
  readCString,
  readUint,
  unwrapRead,
} from "./memory.ts";
export { type ExecutionContext, NO_CONTEXT, type Platform } from "./platform.ts";
