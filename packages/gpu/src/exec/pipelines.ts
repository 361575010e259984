/**
 * Shader modules and compute pipelines, compiled once per kernel key and cached. Kernel sources are
 * generated from enums and numbers only (user strings never reach WGSL). A compilation failure becomes a
 * `WgslCompileError` naming the kernel and quoting the offending line; it is reported at the next read.
 */
import { WgslCompileError } from '../errors.js';

/** A generated kernel: a unique key, a readable name and its WGSL source. */
export interface KernelSource {
  /** Cache key (the generator's parameters). */
  readonly key: string;
  /** Name used in errors and profiles. */
  readonly name: string;
  /** WGSL source, generated from enums and integers only. */
  readonly code: string;
}

/** Formats a compiler message with the offending line of `code`. */
export function formatCompileError(
  name: string,
  code: string,
  messages: readonly GPUCompilationMessage[],
): WgslCompileError {
  const first = messages.find((m) => m.type === 'error') ?? messages[0];
  if (!first)
    return new WgslCompileError(
      name,
      'the shader failed to compile (no message from the compiler)',
      0,
    );
  const line = first.lineNum;
  const text = line > 0 ? (code.split('\n')[line - 1] ?? '') : '';
  const where = line > 0 ? ` at line ${line}:${first.linePos}\n  ${line} | ${text.trim()}` : '';
  return new WgslCompileError(name, `${first.message}${where}`, line);
}

/** Cache of compute pipelines keyed by kernel key. */
export class PipelineCache {
  readonly #device: GPUDevice;
  readonly #pipelines = new Map<string, GPUComputePipeline>();
  readonly #onError: (e: Error) => void;
  readonly #checks: Promise<void>[] = [];
  /** Kernels compiled so far (a cache hit compiles none). */
  compiled = 0;

  constructor(device: GPUDevice, onError: (e: Error) => void) {
    this.#device = device;
    this.#onError = onError;
  }

  /** The pipeline of `kernel`, compiling it on first use. */
  get(kernel: KernelSource): GPUComputePipeline {
    const hit = this.#pipelines.get(kernel.key);
    if (hit) return hit;
    const device = this.#device;
    device.pushErrorScope('validation');
    const module = device.createShaderModule({ code: kernel.code, label: kernel.name });
    const pipeline = device.createComputePipeline({
      layout: 'auto',
      compute: { module, entryPoint: 'main' },
      label: kernel.name,
    });
    const check = device.popErrorScope().then(async (error) => {
      if (!error) return;
      const info = await module.getCompilationInfo();
      const e =
        info.messages.length > 0
          ? formatCompileError(kernel.name, kernel.code, info.messages)
          : new WgslCompileError(kernel.name, error.message, 0);
      this.#pipelines.delete(kernel.key);
      this.#onError(e);
    });
    this.#checks.push(check.catch(() => {}));
    this.#pipelines.set(kernel.key, pipeline);
    this.compiled++;
    return pipeline;
  }

  /** Resolves once every compilation started so far has been checked. */
  async settled(): Promise<void> {
    const pending = this.#checks.splice(0);
    await Promise.all(pending);
  }

  /** Number of cached pipelines. */
  get size(): number {
    return this.#pipelines.size;
  }
}
