/** The engines a Vm can pick by name. The interpreter is the default; the JIT adds itself here. */

import type { Engine } from "./engine.ts";
import { interpreterEngine } from "./interp/interpreter.ts";

export const ENGINES: Readonly<Record<string, Engine>> = {
  interpreter: interpreterEngine,
};

export const DEFAULT_ENGINE = "interpreter";
