/**
 * A small matmul autotuner: times each candidate tile shape on this adapter with a representative product
 * and keeps the fastest. The choice is cached per adapter (in this process), so a second backend on the
 * same adapter does not tune again.
 */
import { fromTypedArray, matmul } from '@sciml/linalg';
import type { GpuBackend } from './backend/gpu-backend.js';
import { MATMUL_TILES, type MatmulTile, tileName } from './kernels/matmul.js';

/** One candidate's timing. */
export interface TileTiming {
  /** The candidate. */
  readonly tile: MatmulTile;
  /** Its short name (`tileName`). */
  readonly name: string;
  /** Median seconds per product. */
  readonly seconds: number;
}

/** What the autotuner chose. */
export interface AutotuneResult {
  /** The fastest tile, now set on the backend. */
  readonly tile: MatmulTile;
  /** Every candidate's timing. */
  readonly timings: readonly TileTiming[];
  /** True when the choice came from the cache. */
  readonly cached: boolean;
}

const cache = new Map<string, AutotuneResult>();

function adapterKey(b: GpuBackend): string {
  const i = b.info;
  return `${i.vendor}|${i.architecture}|${i.device}|${i.description}`;
}

/**
 * Picks the fastest matmul tile for `backend`'s adapter by timing each candidate on an n×n product
 * (default n = 256 on software adapters, 1024 otherwise) and sets it on the backend.
 */
export async function autotuneMatmul(
  backend: GpuBackend,
  options: { size?: number; reps?: number; candidates?: readonly MatmulTile[] } = {},
): Promise<AutotuneResult> {
  const key = adapterKey(backend);
  const hit = cache.get(key);
  if (hit && !options.candidates && !options.size) {
    backend.setMatmulTile(hit.tile);
    return { ...hit, cached: true };
  }
  const n = options.size ?? (backend.info.isSoftware ? 256 : 1024);
  const reps = options.reps ?? 3;
  const values = new Float32Array(n * n).map((_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
  const a = fromTypedArray(values, [n, n], { backend });
  const timings: TileTiming[] = [];
  for (const tile of options.candidates ?? MATMUL_TILES) {
    backend.setMatmulTile(tile);
    // warm-up compiles the kernel
    matmul(a, a).dispose();
    await backend.sync();
    const samples: number[] = [];
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      matmul(a, a).dispose();
      await backend.sync();
      samples.push((performance.now() - t0) / 1000);
    }
    samples.sort((x, y) => x - y);
    timings.push({ tile, name: tileName(tile), seconds: samples[Math.floor(samples.length / 2)]! });
  }
  a.dispose();
  const best = timings.reduce((x, y) => (y.seconds < x.seconds ? y : x));
  backend.setMatmulTile(best.tile);
  const result: AutotuneResult = { tile: best.tile, timings, cached: false };
  if (!options.candidates) cache.set(key, result);
  return result;
}
