#!/usr/bin/env node
/** Entry point of `axebpf-runtime` (see cli-main.ts). */

import { PROCESS_IO, runCli } from "./cli-main.ts";

process.exitCode = runCli(process.argv.slice(2), PROCESS_IO);
