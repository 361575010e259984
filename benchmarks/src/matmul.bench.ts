/**
 * Dense matrix product at n = 128, 256, 512, 1024, float64 and float32, side by side with
 * ml-matrix (`mmul`, float64), a plain JavaScript i-k-j loop (float64), TensorFlow.js with its
 * `wasm` and `cpu` backends (float32) and jax-js on its `wasm` backend (float32). Run with
 * `pnpm bench matmul`.
 *
 * Two rows per size and dtype: the public `matmul` on NDArrays with its default threading
 * (the worker pool joins in from m·n·k ≥ PARALLEL_MIN_WORK), and the raw kernel pinned to one
 * thread, so the single-core figure is on record next to single-threaded peers (tfjs-wasm runs
 * single-threaded in Node: it only threads with a cross-origin-isolated browser). Every timed
 * call includes what its API costs a user: our copies into and out of wasm memory and the
 * output allocation; tfjs's and jax-js's download of the result (`dataSync` / `await data()`);
 * ml-matrix's Matrix allocation. Inputs are built once, outside the timing.
 */

import * as kernels from '@sciml/linalg/kernels';
import { Generator, fromTypedArray, matmul } from '@sciml/linalg';
import { Matrix } from 'ml-matrix';
import {
  type BenchCase,
  loadJaxJsWasm,
  loadTfjsCoreWasm,
  type Peer,
  runBenchmark,
} from './harness/index.js';

// the kernel API (gemm, sum/dot, tanh, pool control) lives on the @sciml/linalg/kernels subpath

// tfjs's cpu backend registers too, for the tfjs-cpu peer rows below
await import('@tensorflow/tfjs-backend-cpu');
const tf = await loadTfjsCoreWasm();
const jax = await loadJaxJsWasm();
const threads = await kernels.kernelPoolReady();

const SIZES = [128, 256, 512, 1024];
const rng = new Generator(2026);

function uniform(length: number): Float64Array {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = 2 * rng.nextFloat() - 1;
  return out;
}

/** Flatten whatever a contender returned into numbers, for `verify`. */
function flat(x: unknown): ArrayLike<number> {
  if (x instanceof Matrix) return x.to1DArray();
  if (x instanceof Float64Array || x instanceof Float32Array) return x;
  if (x && typeof (x as { dataSync?: unknown }).dataSync === 'function') {
    return (x as { dataSync(): ArrayLike<number> }).dataSync();
  }
  throw new Error(`matmul bench: cannot read a result of type ${String(x)}`);
}

/** Results agree to `tol` of the largest magnitude (float32 sums of 1024 terms: ~1e-4). */
function agree(tol: number) {
  return (ours: unknown, peer: unknown, peerName: string): void => {
    const a = flat(ours);
    const b = flat(peer);
    if (a.length !== b.length)
      throw new Error(`matmul: ${peerName} returned ${b.length} values, ours ${a.length}`);
    let scale = 0;
    let diff = 0;
    for (let i = 0; i < a.length; i++) {
      scale = Math.max(scale, Math.abs(b[i]!));
      diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    }
    if (diff > tol * scale) {
      throw new Error(
        `matmul: ours and ${peerName} differ by ${diff} (scale ${scale}); not the same product`,
      );
    }
  };
}

/** The textbook i-k-j loop on Float64Arrays (contiguous inner loop), as a user would write it. */
function ikj(n: number, a: Float64Array, b: Float64Array): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < n; p++) {
      const aip = a[i * n + p]!;
      const bp = p * n;
      const ci = i * n;
      for (let j = 0; j < n; j++) c[ci + j]! += aip * b[bp + j]!;
    }
  }
  return c;
}

/**
 * Read a tfjs result back and free it. (Not `tf.tidy(() => t.dataSync())`: tidy walks the
 * returned value looking for tensors, key by key, which costs ~1.4 s for a 512×512 array.)
 */
function download(t: { dataSync(): Float32Array | Int32Array | Uint8Array; dispose(): void }) {
  const data = t.dataSync();
  t.dispose();
  return data;
}

/** Wrap a call so it runs with `count` kernel threads (restored to the default after). */
function withThreads<T>(count: number, f: () => T): () => T {
  return () => {
    kernels.setKernelThreads(count);
    try {
      return f();
    } finally {
      kernels.setKernelThreads(threads);
    }
  };
}

const cases: BenchCase[] = [];
for (const n of SIZES) {
  const flops = 2 * n ** 3;
  const a64 = uniform(n * n);
  const b64 = uniform(n * n);
  const a32 = Float32Array.from(a64);
  const b32 = Float32Array.from(b64);

  // float64: ours against ml-matrix and the plain loop
  const A64 = fromTypedArray(a64, [n, n]);
  const B64 = fromTypedArray(b64, [n, n]);
  const mA = new Matrix(n, n);
  const mB = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      mA.set(i, j, a64[i * n + j]!);
      mB.set(i, j, b64[i * n + j]!);
    }
  }
  const f64Peers: Peer[] = [
    { name: 'ml-matrix mmul', run: () => mA.mmul(mB) },
    { name: 'JS i-k-j loop', run: () => ikj(n, a64, b64) },
  ];
  const c64 = new Float64Array(n * n);
  cases.push(
    {
      case: `matmul ${n}x${n} float64 (NDArray, ${threads} threads)`,
      work: flops,
      ours: () => matmul(A64, B64).dataSync(),
      peers: f64Peers,
      verify: agree(1e-12),
    },
    {
      case: `gemmF64 ${n}x${n} float64 (kernel, 1 thread)`,
      work: flops,
      ours: withThreads(1, () => {
        kernels.gemmF64(n, n, n, a64, b64, c64);
        return c64;
      }),
      peers: [f64Peers[0]!],
      verify: agree(1e-12),
    },
  );

  // float32: ours against tfjs (wasm, cpu) and jax-js (wasm)
  const A32 = fromTypedArray(a32, [n, n]);
  const B32 = fromTypedArray(b32, [n, n]);
  // one pair of tensors per tfjs backend, created under it, so no call moves data between them
  await tf.setBackend('cpu');
  const cA = tf.tensor2d(a32, [n, n]);
  const cB = tf.tensor2d(b32, [n, n]);
  await tf.setBackend('wasm');
  const tA = tf.tensor2d(a32, [n, n]);
  const tB = tf.tensor2d(b32, [n, n]);
  const tfWasmPeer: Peer = {
    name: 'tfjs-wasm matMul',
    run: () => download(tf.matMul(tA, tB)),
  };
  const tfCpuPeer: Peer = {
    name: 'tfjs-cpu matMul',
    run: () => {
      tf.setBackend('cpu');
      const out = download(tf.matMul(cA, cB));
      tf.setBackend('wasm');
      return out;
    },
  };
  const jA = jax.numpy.array(a32).reshape([n, n]);
  const jB = jax.numpy.array(b32).reshape([n, n]);
  const jaxPeer: Peer = {
    name: 'jax-js wasm matmul',
    // `.ref` keeps the inputs alive (jax-js consumes arguments); `data()` consumes the result
    run: () => jax.numpy.matmul(jA.ref, jB.ref).data(),
  };
  const c32 = new Float32Array(n * n);
  cases.push(
    {
      case: `matmul ${n}x${n} float32 (NDArray, ${threads} threads)`,
      work: flops,
      ours: () => matmul(A32, B32).dataSync(),
      peers: [tfWasmPeer, tfCpuPeer, jaxPeer],
      verify: agree(1e-4),
    },
    {
      case: `gemmF32 ${n}x${n} float32 (kernel, 1 thread)`,
      work: flops,
      ours: withThreads(1, () => {
        kernels.gemmF32(n, n, n, a32, b32, c32);
        return c32;
      }),
      peers: [tfWasmPeer, jaxPeer],
      verify: agree(1e-4),
    },
  );
}

await runBenchmark({ name: 'matmul', cases, warmup: 2, reps: 9 });
process.exit(0); // tfjs-wasm and jax-js keep handles open
