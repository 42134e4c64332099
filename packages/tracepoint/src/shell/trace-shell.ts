import { AxebpfError } from "@axebpf/platform";
import { TracepointError } from "../errors.ts";
import { ProbeType, type ProbeTypeName } from "../events/probe-type.ts";
import type { TraceEvent } from "../events/trace-event.ts";
import { formatFilterError } from "../filter/format-error.ts";
import { compileGlob, matchGlob } from "../filter/glob.ts";
import { LinearHistogram } from "../histogram.ts";
import type { TracepointManager } from "../manager.ts";
import type { Tracepoint } from "../tracepoint.ts";
import { formatDuration, formatEvent, table } from "./format.ts";

/** The answer to one command: text to show, and whether the command succeeded. */
export interface CommandResult {
  readonly ok: boolean;
  readonly output: string;
}

/** Usage line of every command; a mistake in a command answers with its line. */
const USAGE = {
  list: "trace list [PATTERN]",
  enable: "trace enable <system:name|system:*|PATTERN>... [--handler NAME]",
  disable: "trace disable <system:name|system:*|PATTERN>...",
  format: "trace format <system:name>",
  filter:
    "trace filter set <system:name> <expr> | trace filter clear <system:name> | trace filter show <system:name>",
  stat: "trace stat [--top N]",
  hist: "trace hist <system:name> [linear <min> <max> <step>]",
  reset: "trace reset [system:name]",
  pipe: "trace pipe [-n N]",
  cat: "trace cat",
  dump: "trace dump [--filter tracepoint|hprobe|hretprobe|kprobe|kretprobe|vm<N>] [-n N]",
  attach: "trace attach <system:name> <handler>",
  detach: "trace detach <system:name> <handler>",
  handlers: "trace handlers",
  help: "trace help",
} as const;
type CommandName = keyof typeof USAGE;

/** Other spellings accepted for a command. */
const ALIASES: Readonly<Record<string, CommandName>> = { stats: "stat", events: "dump" };

/**
 * A command added by another layer (e.g. `trace hprobe …` from the probe package), so the shell
 * grows without this package depending on it. `run` returns the answer text; throwing (any Error)
 * reports a mistake with the command's usage line.
 */
export interface ShellCommand {
  /** The word after `trace`: lowercase letters, digits, `-` or `_`. */
  readonly name: string;
  /** The full usage line, e.g. `trace hprobe <symbol> <handler>`. */
  readonly usage: string;
  run(args: readonly string[], shell: TraceShell): string;
}

const COMMAND_NAME = /^[a-z][a-z0-9_-]*$/;

interface Word {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

function words(line: string): Word[] {
  const out: Word[] = [];
  const re = /\S+/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) {
    out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  }
  return out;
}

class UsageError extends Error {
  constructor(
    readonly command: CommandName,
    message: string,
  ) {
    super(message);
  }
}

const ok = (output: string): CommandResult => ({ ok: true, output });

/**
 * The `trace` command set of AxVisor's shell (spec §2.7) as a text interpreter over a
 * `TracepointManager`: `execute("trace enable vmm:timer_tick")` answers in text. Every mistake
 * answers `ok: false` with the error and the command's usage line.
 */
export class TraceShell {
  readonly #extra = new Map<string, ShellCommand>();

  constructor(readonly manager: TracepointManager) {}

  /** Adds a command; a name already taken (built-in, alias or added) is `TRACEPOINT_DUPLICATE`. */
  addCommand(command: ShellCommand): void {
    const name = command?.name;
    if (typeof name !== "string" || !COMMAND_NAME.test(name) || typeof command.run !== "function") {
      throw new TracepointError(
        "TRACEPOINT_BAD_ARGUMENT",
        `a shell command needs a name matching ${COMMAND_NAME} and run()`,
      );
    }
    if (Object.hasOwn(USAGE, name) || Object.hasOwn(ALIASES, name) || this.#extra.has(name)) {
      throw new TracepointError("TRACEPOINT_DUPLICATE", `shell command '${name}' already exists`);
    }
    this.#extra.set(name, command);
  }

  /** Usage lines of every command, built-in and added. */
  help(): string {
    const lines = [...Object.values(USAGE), ...[...this.#extra.values()].map((c) => c.usage)];
    return `commands:\n${lines.map((u) => `  ${u}`).join("\n")}`;
  }

  execute(line: string): CommandResult {
    const all = words(typeof line === "string" ? line : "");
    const ws = all[0]?.text === "trace" ? all.slice(1) : all;
    const cmd = ws[0]?.text;
    if (cmd === undefined) return { ok: false, output: `error: no command\n${this.help()}` };
    const extra = this.#extra.get(cmd);
    if (extra !== undefined) {
      try {
        return ok(
          extra.run(
            ws.slice(1).map((w) => w.text),
            this,
          ),
        );
      } catch (e) {
        return {
          ok: false,
          output: `error: ${e instanceof Error ? e.message : String(e)}\nusage: ${extra.usage}`,
        };
      }
    }
    const name = Object.hasOwn(ALIASES, cmd) ? ALIASES[cmd]! : (cmd as CommandName);
    if (!Object.hasOwn(USAGE, name))
      return { ok: false, output: `error: unknown command '${cmd}'\n${this.help()}` };
    try {
      return this.#run(name, ws.slice(1), line);
    } catch (e) {
      if (e instanceof UsageError) {
        return { ok: false, output: `error: ${e.message}\nusage: ${USAGE[e.command]}` };
      }
      if (AxebpfError.isInstance(e)) {
        return { ok: false, output: `error: ${e.message}\nusage: ${USAGE[name]}` };
      }
      throw e;
    }
  }

  #run(cmd: CommandName, argWords: Word[], line: string): CommandResult {
    let args = argWords;
    const m = this.manager;
    const usage = (msg: string): never => {
      throw new UsageError(cmd, msg);
    };
    const maxArgs = (n: number): void => {
      if (args.length > n) usage(`unexpected argument '${args[n]!.text}'`);
    };
    const tp = (w: Word | undefined): Tracepoint => {
      if (w === undefined) return usage("missing tracepoint name");
      return m.get(w.text);
    };
    switch (cmd) {
      case "help":
        maxArgs(0);
        return ok(this.help());
      case "list": {
        maxArgs(1);
        const tps = args[0] === undefined ? m.tracepoints() : this.#select(args[0].text, false);
        const rows = tps.map((t) => [
          t.fullName,
          t.enabled ? "enabled" : "disabled",
          String(t.id),
          t.filter ?? "-",
          t.handlerLabels().join(",") || "-",
        ]);
        return ok(table(["NAME", "STATUS", "ID", "FILTER", "HANDLERS"], rows));
      }
      case "enable":
      case "disable": {
        // `enable … --handler NAME` also attaches a registered handler (AxVisor's `--prog`).
        let handler: string | undefined;
        const h = args.findIndex((a) => a.text === "--handler");
        if (h >= 0) {
          if (cmd !== "enable") usage("--handler only goes with enable");
          handler = args[h + 1]?.text;
          if (handler === undefined || h + 2 !== args.length) usage("expected --handler NAME at the end");
          args = args.slice(0, h);
          if (m.handler(handler!) === undefined) {
            throw new TracepointError("TRACEPOINT_HANDLER_NOT_FOUND", `no handler named '${handler}'`);
          }
        }
        if (args.length === 0) usage("missing tracepoint name");
        const hit: Tracepoint[] = [];
        for (const a of args) {
          hit.push(...this.#select(a.text, true));
        }
        const lines: string[] = [];
        for (const t of hit) {
          if (cmd === "enable") t.key.enable();
          else t.key.disable();
          let line = `${t.fullName}: ${cmd}d`;
          if (handler !== undefined && !t.handlerLabels().includes(handler)) {
            m.attach(t.fullName, m.handler(handler)!, handler);
            line += `, attached ${handler}`;
          }
          lines.push(line);
        }
        return ok(lines.join("\n"));
      }
      case "format":
        maxArgs(1);
        return ok(tp(args[0]).format().trimEnd());
      case "filter": {
        const sub = args[0]?.text;
        if (sub !== "set" && sub !== "clear" && sub !== "show") {
          return usage(sub === undefined ? "missing subcommand" : `unknown subcommand '${sub}'`);
        }
        const t = tp(args[1]);
        if (sub === "clear") {
          maxArgs(2);
          t.clearFilter();
          return ok(`${t.fullName}: filter cleared`);
        }
        if (sub === "show") {
          maxArgs(2);
          return ok(`${t.fullName}: ${t.filter ?? "none"}`);
        }
        if (args[2] === undefined) usage("missing filter expression");
        const expr = line.slice(args[2]!.start).trim();
        try {
          t.setFilter(expr);
        } catch (e) {
          if (e instanceof TracepointError) {
            return { ok: false, output: `error: ${formatFilterError(e, expr)}\nusage: ${USAGE.filter}` };
          }
          throw e;
        }
        return ok(`${t.fullName}: filter set: ${expr}`);
      }
      case "stat": {
        let top = Number.POSITIVE_INFINITY;
        if (args.length > 0) {
          if (args[0]!.text !== "--top" || args.length !== 2) usage(`unexpected argument '${args[0]!.text}'`);
          top = this.#count(args[1]!.text, cmd);
        }
        const rows = m.events
          .allStats()
          .sort((a, b) => b.stats.count - a.stats.count || a.id - b.id)
          .slice(0, top)
          .map((s) => {
            const st = s.stats;
            const d = (v: number | undefined): string => (v === undefined ? "-" : formatDuration(v));
            return [
              String(s.id),
              s.name,
              s.probeType,
              String(st.count),
              String(st.filtered),
              d(st.durationMinNs),
              d(st.durationAvgNs),
              d(st.durationMaxNs),
              d(st.p99Ns),
            ];
          });
        if (rows.length === 0) return ok("no events recorded");
        return ok(table(["ID", "EVENT", "TYPE", "COUNT", "FILTERED", "MIN", "AVG", "MAX", "P99"], rows));
      }
      case "hist": {
        const t = tp(args[0]);
        const stats = t.source.stats;
        if (args.length > 1) {
          if (args[1]!.text !== "linear" || args.length !== 5) usage("expected: linear <min> <max> <step>");
          const [lo, hi, step] = args.slice(2).map((w) => this.#int(w.text));
          stats.setLinear(new LinearHistogram(lo!, hi!, step!));
          return ok(`${t.fullName}: linear histogram [${lo}, ${hi}) step ${step} started`);
        }
        const snap = stats.snapshot();
        if (snap.durationSamples === 0) return ok(`${t.fullName}: no duration samples`);
        let out = `@${t.fullName} duration_ns:\n${stats.durations.render()}`;
        if (stats.linear !== undefined && stats.linear.total > 0)
          out += `\n@${t.fullName} duration_ns (linear):\n${stats.linear.render()}`;
        out += `\nP50 ${formatDuration(snap.p50Ns!)}  P90 ${formatDuration(snap.p90Ns!)}  P99 ${formatDuration(snap.p99Ns!)}`;
        return ok(out);
      }
      case "reset": {
        maxArgs(1);
        if (args[0] === undefined) {
          m.resetStats();
          return ok("statistics reset");
        }
        m.resetStats(args[0].text);
        return ok(`${args[0].text}: statistics reset`);
      }
      case "pipe": {
        const n = this.#dashN(args, usage, cmd);
        const lines = m.pipe.read(n);
        return ok(lines.length === 0 ? "trace pipe is empty" : lines.join("\n"));
      }
      case "cat":
        maxArgs(0);
        return ok(m.pipe.snapshot().trimEnd());
      case "dump": {
        let n = 0;
        let keep: (e: TraceEvent) => boolean = () => true;
        for (let i = 0; i < args.length; i += 2) {
          const opt = args[i]!.text;
          const val = args[i + 1]?.text;
          if (val === undefined || (opt !== "-n" && opt !== "--filter"))
            usage(`unexpected argument '${opt}'`);
          if (opt === "-n") n = this.#count(val!, cmd);
          else if (/^vm\d+$/.test(val!)) {
            const vm = Number(val!.slice(2));
            keep = (e) => e.vmId === vm;
          } else if (Object.hasOwn(ProbeType, val!)) {
            const t = ProbeType[val as ProbeTypeName];
            keep = (e) => e.probeType === t;
          } else usage(`unknown filter '${val}'`);
        }
        // Like AxVisor's `trace dump`: consume the events, show those that match.
        const evs = m.events.consume(n).filter(keep);
        return ok(
          evs.length === 0
            ? "no events"
            : evs
                .map((e) =>
                  formatEvent(e, m.events.names.get(e.nameOffset) ?? m.events.eventNameForId(e.eventId)),
                )
                .join("\n"),
        );
      }
      case "attach": {
        maxArgs(2);
        const t = tp(args[0]);
        if (args[1] === undefined) return usage("missing handler name");
        const h = m.handler(args[1].text);
        if (h === undefined) {
          const known = m.handlerNames();
          throw new TracepointError(
            "TRACEPOINT_HANDLER_NOT_FOUND",
            `no handler named '${args[1].text}' (registered: ${known.length === 0 ? "none" : known.join(", ")})`,
          );
        }
        m.attach(t.fullName, h, args[1].text);
        return ok(`${t.fullName}: attached ${args[1].text}`);
      }
      case "detach": {
        maxArgs(2);
        const t = tp(args[0]);
        if (args[1] === undefined) return usage("missing handler name");
        if (!m.detach(t.fullName, args[1].text)) {
          throw new TracepointError(
            "TRACEPOINT_HANDLER_NOT_FOUND",
            `${t.fullName} has no handler '${args[1].text}'`,
          );
        }
        return ok(`${t.fullName}: detached ${args[1].text}`);
      }
      case "handlers": {
        maxArgs(0);
        const names = m.handlerNames();
        return ok(names.length === 0 ? "no handlers registered" : names.join("\n"));
      }
    }
  }

  /**
   * Tracepoints named by `sel`: an exact `system:name`, a glob (`vmm:t*`), or a bare subsystem
   * (`vmm` = `vmm:*`). With `required`, selecting nothing is `TRACEPOINT_NOT_FOUND`.
   */
  #select(sel: string, required: boolean): Tracepoint[] {
    const tps =
      /[*?[]/.test(sel) || !sel.includes(":")
        ? this.#match(sel.includes(":") ? sel : `${sel}:*`)
        : [this.manager.get(sel)];
    if (required && tps.length === 0) {
      throw new TracepointError("TRACEPOINT_NOT_FOUND", `Tracepoint not found: ${sel}`);
    }
    return tps;
  }

  #match(pattern: string): Tracepoint[] {
    let g: ReturnType<typeof compileGlob>;
    try {
      g = compileGlob(pattern);
    } catch {
      throw new TracepointError("TRACEPOINT_INVALID_NAME", `bad pattern '${pattern}'`);
    }
    const enc = new TextEncoder();
    return this.manager.tracepoints().filter((t) => {
      const b = enc.encode(t.fullName);
      return matchGlob(g, b, 0, b.length);
    });
  }

  #dashN(args: Word[], usage: (m: string) => never, cmd: CommandName): number {
    if (args.length === 0) return Number.POSITIVE_INFINITY;
    if (args[0]!.text !== "-n" || args.length !== 2) return usage(`unexpected argument '${args[0]!.text}'`);
    return this.#count(args[1]!.text, cmd);
  }

  #count(s: string, cmd: CommandName): number {
    const n = this.#int(s);
    if (n < 1) throw new UsageError(cmd, `expected a positive count, got '${s}'`);
    return n;
  }

  #int(s: string): number {
    if (!/^-?\d+$/.test(s) || !Number.isSafeInteger(Number(s))) {
      throw new TracepointError("TRACEPOINT_INVALID_OPTION", `expected an integer, got '${s}'`);
    }
    return Number(s);
  }
}
