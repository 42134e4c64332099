/**
 * The slice of the WebAssembly JS API the JIT uses, typed here because the project compiles with
 * `lib: ES2022` and Node's typings do not declare the `WebAssembly` global.
 */

export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(deltaPages: number): number;
}

export interface WasmGlobal {
  value: unknown;
}

export interface WasmModule {
  readonly __wasmModule?: never;
}

export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

export type WasmImports = Record<string, Record<string, unknown>>;

interface WasmNamespace {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports?: WasmImports) => WasmInstance;
  Memory: new (desc: { initial: number; maximum?: number }) => WasmMemory;
  CompileError: new (...args: never[]) => Error;
  RuntimeError: new (...args: never[]) => Error;
}

/** The host's `WebAssembly` object (Node ≥ 20 and every current browser have it). */
export const Wasm: WasmNamespace = (globalThis as unknown as { WebAssembly: WasmNamespace }).WebAssembly;
