/**
 * The slice of the WebAssembly JS API the kernels use, typed locally: the package compiles
 * against ES2023 + Node types without the DOM lib, which is where TypeScript declares the
 * `WebAssembly` namespace. Reading the global through this interface keeps the emitted .d.ts
 * free of global augmentations that could clash with a consumer's DOM lib.
 */

/** A compiled module (opaque; may be posted to worker threads). */
export interface WasmModule {
  readonly __wasmModule?: never;
}

/** A linear memory; `buffer` is replaced (detached or re-created) whenever it grows. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(deltaPages: number): number;
}

/** An instantiated module. */
export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

type Imports = Record<string, Record<string, unknown>>;

/** The `WebAssembly` global (only the members used here). */
export interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Imports) => WasmInstance;
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  compile(bytes: Uint8Array): Promise<WasmModule>;
  instantiate(module: WasmModule, imports: Imports): Promise<WasmInstance>;
}

/** The engine's WebAssembly API, or undefined where there is none. */
export function wasmApi(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}
