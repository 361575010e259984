/**
 * The fused activation tanh(a·b + c) on 1e6 elements, float64 and float32, against a hand-written
 * typed-array loop and TensorFlow.js's `wasm` backend (three ops, float32), plus the reductions
 * (sum, dot) that @sciml runs in wasm, against their plain loops. Run with `pnpm bench elementwise`.
 *
 * Data lives in ordinary typed arrays on the JS heap, so every @sciml call below pays for copying
 * its inputs into wasm memory and the output back (in 16 Ki-element chunks); that is what the
 * rows measure. The NDArray row is the public, unfused op chain `tanh(add(mul(a, b), c))`.
 *
 * The small-op row measures what one eager op costs beyond its arithmetic (validation, dispatch, wrapping
 * the result): 10 000 pairs `add(mul(x, 0.5), b)` on 3-element float32 arrays, against the same two ops in
 * tfjs-wasm. ODE right-hand sides, optimiser updates of small leaves and emulators live at this size.
 */

import * as kernels from '@sciml/linalg/kernels';
import { add, fromTypedArray, Generator, mul, tanh } from '@sciml/linalg';
import { type BenchCase, loadTfjsCoreWasm, runBenchmark } from './harness/index.js';

const tf = await loadTfjsCoreWasm();

const N = 1_000_000;
const rng = new Generator(7);
const a64 = Float64Array.from({ length: N }, () => 2 * rng.nextFloat() - 1);
const b64 = Float64Array.from({ length: N }, () => 2 * rng.nextFloat() - 1);
const c64 = Float64Array.from({ length: N }, () => 2 * rng.nextFloat() - 1);
const a32 = Float32Array.from(a64);
const b32 = Float32Array.from(b64);
const c32 = Float32Array.from(c64);
const out64 = new Float64Array(N);
const out32 = new Float32Array(N);

/** The loop a user writes by hand. */
function loop64(): Float64Array {
  for (let i = 0; i < N; i++) out64[i] = Math.tanh(a64[i]! * b64[i]! + c64[i]!);
  return out64;
}
function loop32(): Float32Array {
  for (let i = 0; i < N; i++) out32[i] = Math.tanh(a32[i]! * b32[i]! + c32[i]!);
  return out32;
}

// Reductions as a user writes them, one monomorphic function per array type.
function sum64(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s;
}
function sum32(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s;
}
function dot64(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}
function dot32(x: Float32Array, y: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}

function read(x: unknown): ArrayLike<number> {
  if (x instanceof Float64Array || x instanceof Float32Array) return x.slice();
  if (typeof x === 'number') return [x];
  throw new Error(`elementwise bench: cannot read ${String(x)}`);
}

/** Largest difference relative to max(|peer|, 1) must stay under `tol`. */
function agree(tol: number) {
  return (ours: unknown, peer: unknown, peerName: string): void => {
    const a = read(ours);
    const b = read(peer);
    let worst = 0;
    for (let i = 0; i < b.length; i++) {
      worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), 1));
    }
    if (a.length !== b.length || worst > tol) {
      throw new Error(
        `elementwise: ours and ${peerName} differ (relative ${worst}); not the same computation`,
      );
    }
  };
}

const A = fromTypedArray(a64, [N]);
const B = fromTypedArray(b64, [N]);
const C = fromTypedArray(c64, [N]);
const tA = tf.tensor1d(a32);
const tB = tf.tensor1d(b32);
const tC = tf.tensor1d(c32);

const SMALL_PAIRS = 10_000;
const x3 = fromTypedArray(Float32Array.from([1, 2, 3]), [3]);
const b3 = fromTypedArray(Float32Array.from([0.1, 0.2, 0.3]), [3]);
const tx3 = tf.tensor1d([1, 2, 3]);
const tb3 = tf.tensor1d([0.1, 0.2, 0.3]);

const cases: BenchCase[] = [
  {
    case: 'small op: add(mul(x, 0.5), b) on 3 float32, 1e4 pairs (eager NDArray ops)',
    unit: 'ms',
    ours: () => {
      let y = x3;
      for (let k = 0; k < SMALL_PAIRS; k++) y = add(mul(x3, 0.5), b3);
      return y.dataSync();
    },
    peers: [
      {
        name: 'tfjs-wasm add(mul)',
        run: () => {
          let data: Float32Array = new Float32Array(0);
          for (let k = 0; k < SMALL_PAIRS; k++) {
            const t = tf.mul(tx3, 0.5);
            const y = tf.add(t, tb3);
            t.dispose();
            if (k === SMALL_PAIRS - 1) data = y.dataSync() as Float32Array;
            y.dispose();
          }
          return data;
        },
      },
    ],
    verify: agree(1e-6),
  },
  {
    case: 'tanh(a*b+c) n=1e6 float64 (fusedMulAddTanhF64)',
    unit: 'ms',
    ours: () => {
      kernels.fusedMulAddTanhF64(a64, b64, c64, out64);
      return out64;
    },
    peers: [{ name: 'Float64Array loop', run: loop64 }],
    verify: agree(1e-15),
  },
  {
    case: 'tanh(a*b+c) n=1e6 float64 (NDArray ops, unfused)',
    unit: 'ms',
    ours: () => tanh(add(mul(A, B), C)).dataSync(),
    peers: [{ name: 'Float64Array loop', run: loop64 }],
    verify: agree(1e-15),
  },
  {
    case: 'tanh(a*b+c) n=1e6 float32 (fusedMulAddTanhF32)',
    unit: 'ms',
    ours: () => {
      kernels.fusedMulAddTanhF32(a32, b32, c32, out32);
      return out32;
    },
    peers: [
      {
        name: 'tfjs-wasm tanh(add(mul))',
        run: () => {
          // tidy frees the two intermediates; the result is read back and freed here (a typed
          // array returned from tidy would be walked key by key looking for tensors: ~1 s)
          const z = tf.tidy(() => tf.tanh(tf.add(tf.mul(tA, tB), tC)));
          const data = z.dataSync() as Float32Array;
          z.dispose();
          return data;
        },
      },
      { name: 'Float32Array loop', run: loop32 },
    ],
    verify: agree(1e-6),
  },
  {
    case: 'sum n=1e6 float64 (sumF64)',
    unit: 'ms',
    ours: () => kernels.sumF64(a64),
    peers: [{ name: 'Float64Array loop', run: () => sum64(a64) }],
    verify: agree(1e-9),
  },
  {
    case: 'dot n=1e6 float64 (dotF64)',
    unit: 'ms',
    ours: () => kernels.dotF64(a64, b64),
    peers: [{ name: 'Float64Array loop', run: () => dot64(a64, b64) }],
    verify: agree(1e-9),
  },
  {
    case: 'sum n=1e6 float32 (sumF32)',
    unit: 'ms',
    ours: () => kernels.sumF32(a32),
    peers: [{ name: 'Float32Array loop', run: () => sum32(a32) }],
    verify: agree(1e-9),
  },
  {
    case: 'dot n=1e6 float32 (dotF32)',
    unit: 'ms',
    ours: () => kernels.dotF32(a32, b32),
    peers: [{ name: 'Float32Array loop', run: () => dot32(a32, b32) }],
    verify: agree(1e-9),
  },
];

await runBenchmark({ name: 'elementwise', cases });
process.exit(0); // tfjs-wasm keeps handles open
