/** The engines a Vm can pick by name. The interpreter is the default; the JIT adds itself here. */

import type { Engine } from "./engine.ts";
import { interpreterEngine } from "./interp/interpreter.ts";
import { jitEngine } from "./jit/jit-engine.ts";

export const ENGINES: Readonly<Record<string, Engine>> = {
  interpreter: interpreterEngine,
  jit: jitEngine,
};

export const DEFAULT_ENGINE = "interpreter";
