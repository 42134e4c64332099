// Shared by the MMU tests that replay the oracle images' page tables: a sparse physical RAM and the
// images' symbols (read with the package's own ELF reader).
import { readFileSync } from "node:fs";
import { parseMachineElf } from "../../src/elf.ts";
import type { PhysMemory } from "../../src/mmu/index.ts";

const ORACLE = new URL("../../oracle/images/", import.meta.url);

/** Sparse physical RAM of 4 KiB pages; reads of pages never written fail (no memory there). */
export class Ram implements PhysMemory {
  lo = 0;
  hi = 0;
  readonly pages = new Map<number, DataView>();
  page(addr: number): DataView {
    const n = Math.floor(addr / 4096);
    let p = this.pages.get(n);
    if (!p) {
      p = new DataView(new ArrayBuffer(4096));
      this.pages.set(n, p);
    }
    return p;
  }
  read64(lo: number, hi: number): boolean {
    const a = (hi >>> 0) * 2 ** 32 + (lo >>> 0);
    const p = this.pages.get(Math.floor(a / 4096));
    if (!p) return false;
    this.lo = p.getUint32(a % 4096, true);
    this.hi = p.getUint32((a % 4096) + 4, true);
    return true;
  }
  get(addr: bigint): bigint {
    return this.page(Number(addr)).getBigUint64(Number(addr % 4096n), true);
  }
  set(addr: bigint, v: bigint): void {
    this.page(Number(addr)).setBigUint64(Number(addr % 4096n), BigInt.asUintN(64, v), true);
  }
  /** Maps RAM pages [base, base+size) so descriptor reads there succeed (zeroed). */
  map(base: number, size: number): void {
    for (let a = base; a < base + size; a += 4096) this.page(a);
  }
}

/** The .symtab of oracle image `name` (`oracle/images/<name>/<name>.elf`). */
export function symbols(name: string): ReadonlyMap<string, bigint> {
  return parseMachineElf(readFileSync(new URL(`${name}/${name}.elf`, ORACLE))).symbols;
}

export function sym(m: ReadonlyMap<string, bigint>, n: string): bigint {
  const v = m.get(n);
  if (v === undefined) throw new Error(`no symbol ${n}`);
  return v;
}
