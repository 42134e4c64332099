import { readdirSync, readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  elfSymbolTable,
  parseProcKallsyms,
  parseSystemMap,
  readElfSymbols,
  readKallsymsBlob,
  SymbolsError,
} from "../src/index.ts";

const root = new URL("./fixtures/corpus/", import.meta.url);
const parsers: Record<string, ((bytes: Uint8Array) => unknown)[]> = {
  blob: [(b) => readKallsymsBlob(b)],
  kallsyms: [(b) => parseProcKallsyms(new TextDecoder().decode(b))],
  "system-map": [(b) => parseSystemMap(new TextDecoder().decode(b))],
  elf: [(b) => readElfSymbols(b), (b) => elfSymbolTable(b)],
};

for (const [dir, fns] of Object.entries(parsers)) {
  for (const file of readdirSync(new URL(`${dir}/`, root))) {
    test(`corpus ${dir}/${file}`, () => {
      const bytes = new Uint8Array(readFileSync(new URL(`${dir}/${file}`, root)));
      const expected = file.split("--")[0];
      for (const fn of fns) {
        let got = "ok";
        try {
          fn(bytes);
        } catch (e) {
          if (!(e instanceof SymbolsError)) throw e;
          got = e.code;
        }
        if (!file.startsWith("fail-")) assert.is(got, expected);
      }
    });
  }
}

test.run();
