/**
 * The logic of `axebpf-runtime` (entry point: `cli.ts`), with its input and output passed in so tests can
 * drive it in-process: the bpf_conformance plugin (program hex on stdin, memory hex as the first argument, r0 in
 * hex on stdout; errors on stderr with exit status 1), and `axebpf-runtime run <file>` to time a program.
 */

import { readFileSync } from "node:fs";

/** Where the CLI reads its program and writes its results. */
export interface CliIo {
  readStdin(): string;
  out(text: string): void;
  err(text: string): void;
}

import { dataFileProgram, parseDataFile } from "./conformance/data-file.ts";
import { RuntimeError } from "./errors.ts";
import { CONFORMANCE_HELPERS } from "./helpers/conformance-helpers.ts";
import { HelperTable } from "./helpers/helper-table.ts";
import { Vm } from "./vm.ts";

const USAGE = `usage:
  axebpf-runtime [<memory hex>] [--engine interpreter|jit] [--budget N]   (bpf_conformance plugin)
  axebpf-runtime run <program.data|program.bin> [--runs N] [--mem <hex>] [--engine interpreter|jit] [--budget N]

Plugin mode reads the program as hex bytes on stdin and prints r0 in hex. Programs get the uBPF test helpers
0-5 that the conformance vectors call.`;

class UsageError extends Error {}

function parseHex(text: string, what: string): Uint8Array {
  const t = text.replace(/\s+/g, "");
  if (t.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(t)) throw new UsageError(`${what} is not hex bytes`);
  const out = new Uint8Array(t.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(t.slice(2 * i, 2 * i + 2), 16);
  return out;
}

interface Options {
  engine: string;
  budget?: number;
  runs: number;
  mem?: string;
  elf: boolean;
  positional: string[];
}

function parseArgs(argv: readonly string[]): Options {
  const o: Options = { engine: "interpreter", runs: 1, elf: false, positional: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? "";
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    const int = (v: string): number => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`${a} needs a positive integer, got "${v}"`);
      return n;
    };
    if (a === "--engine") o.engine = value();
    else if (a === "--jit") o.engine = "jit";
    else if (a === "--interpreter") o.engine = "interpreter";
    else if (a === "--budget") o.budget = int(value());
    else if (a === "--runs") o.runs = int(value());
    else if (a === "--mem") o.mem = value();
    else if (a === "--elf") o.elf = true;
    else if (a === "--help" || a === "-h") throw new UsageError("");
    else if (a.startsWith("--")) throw new UsageError(`unknown option ${a}`);
    else o.positional.push(a);
  }
  return o;
}

function makeVm(o: Options): Vm {
  return new Vm({
    engine: o.engine,
    helpers: new HelperTable(CONFORMANCE_HELPERS),
    ...(o.budget === undefined ? {} : { budget: o.budget }),
  });
}

function plugin(o: Options, io: CliIo): void {
  if (o.elf)
    throw new UsageError("--elf: ELF programs are not supported by this plugin yet; pass raw instructions");
  const mem = parseHex(o.positional[0] ?? "", "memory argument");
  const program = parseHex(io.readStdin(), "program on stdin");
  const vm = makeVm(o);
  const r = vm.load(program).run({ context: mem });
  io.out(`${r.r0.toString(16)}\n`);
}

function runFile(o: Options, io: CliIo): void {
  const path = o.positional[1];
  if (path === undefined) throw new UsageError("run: missing program file");
  const bytes = readFileSync(path);
  let program: Uint8Array;
  let mem: Uint8Array = new Uint8Array(0);
  if (bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46) {
    throw new UsageError(
      `${path}: ELF objects are not supported by run yet; pass raw instructions or a .data file`,
    );
  }
  if (path.endsWith(".data")) {
    const f = parseDataFile(bytes.toString("utf8"));
    program = dataFileProgram(f);
    mem = f.mem;
  } else program = new Uint8Array(bytes);
  if (o.mem !== undefined) mem = parseHex(o.mem, "--mem");
  const vm = makeVm(o);
  const loaded = vm.load(program);
  let r0 = 0n;
  let instructions = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < o.runs; i++) {
    const r = loaded.run({ context: mem.slice() });
    r0 = r.r0;
    instructions = r.instructions;
  }
  const ns = Number(process.hrtime.bigint() - start) / o.runs;
  io.out(
    `engine ${vm.engine.name}\nr0 0x${r0.toString(16)}\ninstructions ${instructions}\nruns ${o.runs}\nns/run ${ns.toFixed(0)}\n`,
  );
}

/** Runs the CLI; returns the exit status. */
export function runCli(argv: readonly string[], io: CliIo): number {
  try {
    const o = parseArgs(argv);
    if (o.positional[0] === "run") runFile(o, io);
    else plugin(o, io);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(e.message === "" ? `${USAGE}\n` : `${e.message}\n${USAGE}\n`);
      return e.message === "" ? 0 : 2;
    }
    if (e instanceof RuntimeError) {
      io.err(`${e.message}\n`);
      return 1;
    }
    io.err(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}

/** The process's own standard streams. */
export const PROCESS_IO: CliIo = {
  readStdin: () => readFileSync(0, "utf8"),
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};
