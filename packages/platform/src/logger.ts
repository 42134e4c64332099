/** Log levels, lowest first, as in the `log` crate the original used. */
export const LogLevel = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, off: 5 } as const;
export type LogLevelName = Exclude<keyof typeof LogLevel, "off">;

export interface Logger {
  /** Messages below this level are dropped before they are formatted. */
  readonly level: keyof typeof LogLevel;
  log(level: LogLevelName, message: string): void;
  enabled(level: LogLevelName): boolean;
}

export function levelEnabled(threshold: keyof typeof LogLevel, level: LogLevelName): boolean {
  return LogLevel[level] >= LogLevel[threshold];
}

export type LogWriter = (line: string) => void;

/**
 * A logger that writes `LEVEL [target] message` lines through `write` (stderr by default on Node,
 * `console.error` elsewhere).
 */
export function createLogger(
  options: { level?: keyof typeof LogLevel; target?: string; write?: LogWriter } = {},
): Logger {
  const level = options.level ?? "warn";
  const prefix = options.target === undefined ? "" : `[${options.target}] `;
  const write = options.write ?? defaultWriter;
  return {
    level,
    enabled: (l) => levelEnabled(level, l),
    log(l, message) {
      if (levelEnabled(level, l)) write(`${l.toUpperCase().padEnd(5)} ${prefix}${message}`);
    },
  };
}

function defaultWriter(line: string): void {
  const proc = (globalThis as { process?: { stderr?: { write(s: string): unknown } } }).process;
  if (proc?.stderr) proc.stderr.write(`${line}\n`);
  else console.error(line);
}
