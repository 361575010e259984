/**
 * @sciml/gpu on WebGPU (Dawn, npm `webgpu`): float32 matmul throughput and the per-op cost of a chain of
 * 1 000 small elementwise ops, against @sciml's own CPU backend (float32, WebAssembly SIMD gemm) on the
 * same inputs in the same run. Run with `pnpm bench gpu`.
 *
 * Sizes default to 256, 512 and 1024 so the run finishes on Mesa lavapipe (Vulkan on the CPU). On a real
 * GPU set SCIML_GPU_BENCH_LARGE=1 for 1024, 2048, 4096 and 8192, or SCIML_GPU_BENCH_SIZES=… for a list
 * (the CPU peer is skipped above 2048, where one call takes minutes). On a software adapter the table says so: its numbers measure the CPU that runs the
 * shaders, and no GPU claim may be drawn from them.
 *
 * A GPU call is timed to completion: record, submit, and wait for the queue (`backend.sync()`).
 */

import { createGpuBackend } from '@sciml/gpu';
import { type NDArray, add, fromTypedArray, matmul, mul } from '@sciml/linalg';
import { type BenchCase, runBenchmark } from './harness/index.js';

const LARGE = '1024,2048,4096,8192';
const sizes = (
  process.env.SCIML_GPU_BENCH_SIZES ??
  (process.env.SCIML_GPU_BENCH_LARGE === '1' ? LARGE : '256,512,1024')
)
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0);

const gpu = await createGpuBackend();
const unfused = await createGpuBackend({ name: 'webgpu-unfused', fusion: false });
const adapter = gpu.info.description || gpu.info.device || 'unknown adapter';
console.log(`adapter: ${adapter} (${gpu.info.vendor}, ${gpu.info.architecture})`);
if (gpu.info.isSoftware) {
  console.log(
    'NOTE: this is a software (CPU) Vulkan adapter (lavapipe). These figures measure the CPU running the shaders; no GPU claim is drawn from them.',
  );
}

/** Deterministic inputs in [-1, 1) (32-bit LCG, Numerical Recipes constants). */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** ‖a − b‖ / ‖b‖ must be small: both sides compute the same product. */
function close(tol: number) {
  return (ours: unknown, peer: unknown, peerName: string) => {
    const a = ours as Float32Array;
    const b = peer as Float32Array;
    let num = 0;
    let den = 0;
    for (let i = 0; i < b.length; i++) {
      num += (a[i]! - b[i]!) ** 2;
      den += b[i]! ** 2;
    }
    const rel = Math.sqrt(num / den);
    if (!(rel <= tol))
      throw new Error(`gpu bench: ours differs from ${peerName} by ${rel} (relative)`);
  };
}

const cases: BenchCase[] = [];
const live: NDArray[] = [];
for (const n of sizes) {
  const av = values(n * n, 1);
  const bv = values(n * n, 2);
  const a = fromTypedArray(av, [n, n], { backend: gpu });
  const b = fromTypedArray(bv, [n, n], { backend: gpu });
  const ac = fromTypedArray(av, [n, n]);
  const bc = fromTypedArray(bv, [n, n]);
  live.push(a, b);
  // verify() compares results once (through reads); the timed runs only wait for completion
  let verifying = true;
  cases.push({
    case: `matmul ${n}×${n} float32`,
    work: 2 * n ** 3,
    unit: gpu.info.isSoftware ? 'GFLOP/s' : 'TFLOP/s',
    ours: async () => {
      const c = matmul(a, b);
      if (verifying) {
        const v = await c.data();
        c.dispose();
        return v;
      }
      await gpu.sync();
      c.dispose();
      return undefined;
    },
    peers:
      n <= 2048
        ? [
            {
              name: '@sciml cpu matmul float32',
              run: () => {
                const c = matmul(ac, bc);
                return verifying ? c.dataSync() : c;
              },
            },
          ]
        : [{ name: 'none (cpu too slow at this size)', run: () => undefined }],
    verify: (ours, peer, name) => {
      if (peer !== undefined) close(1e-5)(ours, peer, name);
      verifying = false;
    },
  });
}

/** y ← y·1.0001 + 0.001, 500 times: 1 000 elementwise ops on a small array. */
function chain(x: NDArray): NDArray {
  let y = x;
  for (let i = 0; i < 500; i++) {
    const t = mul(y, 1.0001);
    if (y !== x) y.dispose();
    y = add(t, 0.001);
    t.dispose();
  }
  return y;
}

const small = values(1024, 3);
for (const [label, backend] of [
  ['fused', gpu],
  ['unfused', unfused],
] as const) {
  const x = fromTypedArray(small, [1024], { backend });
  const xc = fromTypedArray(small, [1024]);
  live.push(x);
  cases.push({
    case: `chain of 1000 elementwise ops, 1024 float32, ${label} (time per chain)`,
    unit: 'us',
    ours: async () => {
      const y = chain(x);
      const v = await y.data();
      y.dispose();
      return v;
    },
    peer: () => chain(xc).dataSync(),
    peerName: '@sciml cpu',
    verify: close(1e-5),
  });
}

// The chain cases report time per call; divide by 1 000 ops in the printed note below.
const result = await runBenchmark({
  name: 'gpu',
  cases,
  gpu: `${adapter}${gpu.info.isSoftware ? ' (software)' : ''}`,
  reps: 5,
  warmup: 1,
});
for (const row of result.rows) {
  if (row.case.startsWith('chain')) {
    console.log(
      `${row.case}: ours ${(row.ours / 1000).toFixed(2)} us/op, peer ${(row.peer / 1000).toFixed(2)} us/op`,
    );
  }
}
for (const x of live) x.dispose();
console.log('gpu memory after the run:', JSON.stringify(gpu.memoryStats()));
gpu.destroy();
unfused.destroy();
