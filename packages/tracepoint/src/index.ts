export { TracepointError, type TracepointErrorCode, type TracepointErrorOptions } from "./errors.ts";
export { EventNameTable, MAX_NAME_OFFSET } from "./events/name-table.ts";
export {
  DEFAULT_EVENT_QUEUE_CAPACITY,
  type EmitOptions,
  EventPipeline,
  type EventSink,
  EventSource,
  MAX_EMIT_NESTING,
  type SinkAttachment,
} from "./events/pipeline.ts";
export { isProbeType, ProbeType, type ProbeTypeName, probeTypeName } from "./events/probe-type.ts";
export {
  decodeTraceEvent,
  encodeTraceEvent,
  TRACE_EVENT_ARGS,
  TRACE_EVENT_SIZE,
  type TraceEvent,
  type TraceEventInit,
  TraceEventLayout,
} from "./events/trace-event.ts";
export {
  COMMON_FIELDS,
  type FieldLayout,
  type FieldSpec,
  type FieldType,
  INT_FIELD_TYPES,
  type IntFieldType,
  MAX_STRING_FIELD,
  RECORD_HEADER_SIZE,
} from "./fields.ts";
export {
  type CompareNode,
  CompareOp,
  type FilterNode,
  type Literal,
  type LogicalNode,
  printFilter,
} from "./filter/ast.ts";
export { CompiledFilter, compileFilter, type FilterValues, type TriName } from "./filter/compile.ts";
export { formatFilterError } from "./filter/format-error.ts";
export { type Span, type Token, TokenKind, tokenize } from "./filter/lexer.ts";
export { MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, parseFilter } from "./filter/parser.ts";
export { HIST_BAR_WIDTH, LinearHistogram, Log2Histogram, MAX_LINEAR_BUCKETS } from "./histogram.ts";
export {
  type HandlerAttachment,
  parseTracepointName,
  type TracepointInfo,
  TracepointManager,
  type TracepointManagerOptions,
} from "./manager.ts";
export { type CommandResult, type ShellCommand, TraceShell } from "./shell/trace-shell.ts";
export { StaticKey } from "./static-key.ts";
export { EventStats, type EventStatsSnapshot } from "./stats.ts";
export { DEFAULT_PIPE_CAPACITY, type PipeRecord, type PipeSource, TracePipe } from "./trace-pipe.ts";
export {
  type ArgsOf,
  type HandlerEntry,
  MAX_FIRE_NESTING,
  type TraceArg,
  Tracepoint,
  type TracepointDefinition,
  type TracepointHandler,
} from "./tracepoint.ts";
export { defineVmmTracepoints, VMM_TRACEPOINTS, type VmmTracepoints } from "./vmm.ts";
