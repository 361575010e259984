/**
 * conv2d forward + backward — batch 64, 32 → 64 channels, 3×3 filters, 28×28 images, 'same' padding,
 * float32 — side by side with TensorFlow.js on its `wasm` backend (XNNPACK). Run with `pnpm bench conv`.
 *
 * One call computes y = conv2d(x, w) and, for a given cotangent dy, both gradients dx and dw:
 * - ours: `vjp` of `conv2d` from @sciml/autodiff (the `conv` primitive forward, then `convTranspose` and
 *   `convWeightGrad`; im2col + the wasm SIMD GEMM, NCHW), read back with `dataSync`;
 * - tfjs-wasm, in its native NHWC layout (its wasm conv kernels take NHWC only), read back with
 *   `dataSync`. tfjs-wasm registers no `Conv2DBackpropFilter` kernel, so `tf.grads` of `conv2d` fails
 *   there, and its `Conv2DBackpropInput` kernel (`conv2dTranspose`) is a plain loop ~10× slower than its
 *   XNNPACK forward convolution. So the peer takes the fastest all-wasm route, three forward convolutions:
 *   y = conv2d(x, w); dx = conv2d(dy, w flipped in space with in/out channels swapped) (the adjoint of a
 *   stride-1 'same' convolution with an odd kernel); dw = conv2d(xᵀ (C, H, W, N), dyᵀ (H, W, N, O))
 *   transposed back (batch and channels swapped). Its flips and transposes are part of its cost. A second
 *   peer row uses `conv2dTranspose` for dx, as a tfjs user following the docs would. The inputs hold the
 *   same values, transposed once outside the timing.
 *
 * Two rows: ours with the kernel worker pool (its default) and ours pinned to one thread (tfjs-wasm is
 * single-threaded in Node: it only threads in a cross-origin-isolated browser).
 * FLOPs per call: 3 × 2·N·O·H·W·C·9 (forward and the two gradients).
 */
import { vjp } from '@sciml/autodiff';
import { Generator, type NDArray, conv2d, fromTypedArray } from '@sciml/linalg';
import { kernelPoolReady, setKernelThreads } from '@sciml/linalg/kernels';
import { type BenchCase, loadTfjsCoreWasm, runBenchmark } from './harness/index.js';

const tf = await loadTfjsCoreWasm();
const threads = await kernelPoolReady();

const [N, C, O, H, W, K] = [64, 32, 64, 28, 28, 3];
const rng = new Generator(2026);
const uniform = (n: number) => Float32Array.from({ length: n }, () => 2 * rng.nextFloat() - 1);

// NCHW / OIHW values (ours), and the same values in NHWC / HWIO (tfjs)
const x = uniform(N * C * H * W);
const w = uniform(O * C * K * K).map((v) => v / Math.sqrt(C * K * K));
const dy = uniform(N * O * H * W);

/** Copies a 4-D row-major array into the axis order `perm` (out axis i = in axis perm[i]). */
function permute4(src: Float32Array, shape: number[], perm: number[]): Float32Array {
  const out = new Float32Array(src.length);
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = [shape[1]! * shape[2]! * shape[3]!, shape[2]! * shape[3]!, shape[3]!, 1];
  const s = perm.map((p) => inStrides[p]!);
  let o = 0;
  for (let a = 0; a < outShape[0]!; a++)
    for (let b = 0; b < outShape[1]!; b++)
      for (let c = 0; c < outShape[2]!; c++)
        for (let d = 0; d < outShape[3]!; d++)
          out[o++] = src[a * s[0]! + b * s[1]! + c * s[2]! + d * s[3]!]!;
  return out;
}

const X = fromTypedArray(x, [N, C, H, W]);
const Wt = fromTypedArray(w, [O, C, K, K]);
const DY = fromTypedArray(dy, [N, O, H, W]);
const tx = tf.tensor4d(permute4(x, [N, C, H, W], [0, 2, 3, 1]), [N, H, W, C]);
const tw = tf.tensor4d(permute4(w, [O, C, K, K], [2, 3, 1, 0]), [K, K, C, O]);
const tdy = tf.tensor4d(permute4(dy, [N, O, H, W], [0, 2, 3, 1]), [N, H, W, O]);

type Result = { y: Float32Array; dx: Float32Array; dw: Float32Array };

function ours(): Result {
  const [y, pullback] = vjp((a: NDArray, b: NDArray) => conv2d(a, b, { padding: 'same' }), X, Wt);
  const [dx, dw] = pullback(DY);
  return {
    y: y.dataSync() as Float32Array,
    dx: dx.dataSync() as Float32Array,
    dw: dw.dataSync() as Float32Array,
  };
}

const PAD = (K - 1) / 2;

/** Reads a tfjs result back and frees it. */
function download(t: { dataSync(): unknown; dispose(): void }): Float32Array {
  const data = t.dataSync() as Float32Array;
  t.dispose();
  return data;
}

function tfjs(transposeKernel: boolean): Result {
  // tidy returns the three tensors; they are read outside it (tidy walks a returned typed array key by key)
  const [y, dx, dw] = tf.tidy(() => {
    const y = tf.conv2d(tx, tw, 1, 'same');
    const dx = transposeKernel
      ? tf.conv2dTranspose(tdy, tw, [N, H, W, C], 1, 'same')
      : tf.conv2d(tdy, tf.transpose(tf.reverse(tw, [0, 1]), [0, 1, 3, 2]), 1, 'same');
    // dw[p, q, c, o] = Σ_{n,i,j} x[n, i + p − 1, j + q − 1, c] · dy[n, i, j, o]: a conv over (H, W) with
    // batch ↔ channels swapped, giving (C, K, K, O)
    const dwT = tf.conv2d(tf.transpose(tx, [3, 1, 2, 0]), tf.transpose(tdy, [1, 2, 0, 3]), 1, [
      [0, 0],
      [PAD, PAD],
      [PAD, PAD],
      [0, 0],
    ]);
    return [y, dx, tf.transpose(dwT, [1, 2, 0, 3])];
  });
  return { y: download(y!), dx: download(dx!), dw: download(dw!) };
}

/** Both computed the same three arrays (tfjs's moved back to NCHW / OIHW) to float32 accuracy. */
function verify(a: unknown, b: unknown, peerName: string): void {
  const r = a as Result;
  const t = b as Result;
  const pairs: [string, Float32Array, Float32Array][] = [
    ['y', r.y, permute4(t.y, [N, H, W, O], [0, 3, 1, 2])],
    ['dx', r.dx, permute4(t.dx, [N, H, W, C], [0, 3, 1, 2])],
    ['dw', r.dw, permute4(t.dw, [K, K, C, O], [3, 2, 0, 1])],
  ];
  for (const [name, u, v] of pairs) {
    let scale = 0;
    let diff = 0;
    for (let i = 0; i < u.length; i++) {
      scale = Math.max(scale, Math.abs(v[i]!));
      diff = Math.max(diff, Math.abs(u[i]! - v[i]!));
    }
    if (u.length !== v.length || diff > 1e-4 * scale) {
      throw new Error(`conv: ${name} differs from ${peerName} by ${diff} (scale ${scale})`);
    }
  }
}

const flops = 3 * 2 * N * O * H * W * C * K * K;
const peer = { name: 'tfjs-wasm (3 forward convs)', run: () => tfjs(false) };
const docsPeer = { name: 'tfjs-wasm (conv2dTranspose for dx)', run: () => tfjs(true) };
const single = () => {
  setKernelThreads(1);
  try {
    return ours();
  } finally {
    setKernelThreads(threads);
  }
};

const cases: BenchCase[] = [
  {
    case: `conv2d fwd+bwd N=${N} ${C}→${O} ${K}x${K} ${H}x${W} float32 (${threads} threads)`,
    work: flops,
    ours,
    peers: [peer, docsPeer],
    verify,
  },
  {
    case: `conv2d fwd+bwd N=${N} ${C}→${O} ${K}x${K} ${H}x${W} float32 (1 thread)`,
    work: flops,
    ours: single,
    peers: [peer],
    verify,
  },
];

await runBenchmark({ name: 'conv', cases, warmup: 1, reps: 7 });
