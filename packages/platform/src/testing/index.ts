export { DEFAULT_MANUAL_TIME_NS, type LogRecord, ManualPlatform } from "./manual.ts";
