/**
 * Emulator and weak-SINDy cases of `pnpm bench physics` (imported by physics.bench.ts):
 * 1. One training epoch of an Euler-residual Lorenz-63 emulator (MLP 3-32-32-3 tanh, 2000 one-step pairs,
 *    batches of 250, Adam) against the same model, loss and optimiser in TensorFlow.js (wasm backend).
 * 2. Rollout throughput of the trained-size emulator, 1000 autoregressive steps of one state (steps/s),
 *    against the same step map in TensorFlow.js.
 * 3. Weak-form SINDy on 10⁵ Lorenz-63 samples (400 test functions, half-width 50, degree-2 library, STLSQ)
 *    against the same weak system and STLSQ written with ml-matrix.
 */
import { Generator, type NDArray, fromTypedArray } from '@sciml/linalg';
import { linear, sequential, tanh } from '@sciml/nn';
import { adam } from '@sciml/optim';
import {
  Lorenz63,
  SINDy,
  autoregressiveEmulator,
  emulatorScales,
  sampleTrajectory,
  stlsq,
  trainEmulator,
  weakForm,
} from '@sciml/physics';
import { Matrix, solve } from 'ml-matrix';
import type { BenchCase } from './harness/index.js';
import { loadTfjsWasm } from './harness/index.js';

const dt = 0.01;
const data = sampleTrajectory(new Lorenz63(), { dt, samples: 2001, transient: 5 });
const scales = emulatorScales(data.x, { dt, form: 'euler' });
const emu = autoregressiveEmulator(sequential(linear(32), tanh, linear(32), tanh, linear(3)), {
  dim: 3,
  dt,
  form: 'euler',
  scales,
});
const params = emu.init(new Generator(0));
const epochOurs = () =>
  trainEmulator(emu, params, data.x, {
    epochs: 1,
    batchSize: 250,
    optimizer: adam({ lr: 1e-3 }),
    rng: new Generator(1),
  }).history[0];
const u0 = fromTypedArray(Float64Array.of(-8, 8, 27), [1, 3]);
const rollOurs = () => emu.rollout(params, u0, 1000).at(-1)!.dataSync()[0];

// ---- TensorFlow.js peer: the same network, scalings, Euler form, MSE and Adam
const tf = await loadTfjsWasm();
const xs = data.x.dataSync();
const inMean = tf.tensor2d(Array.from(scales.inputMean), [1, 3]);
const inScale = tf.tensor2d(Array.from(scales.inputScale), [1, 3]);
const outMean = tf.tensor2d(Array.from(scales.outputMean), [1, 3]);
const outScale = tf.tensor2d(Array.from(scales.outputScale), [1, 3]);
const leaves = (params.layers as unknown as { weight?: NDArray; bias?: NDArray }[]).filter(
  (l) => l.weight !== undefined,
) as { weight: NDArray; bias: NDArray }[];
const tfVars = leaves.map((l) => {
  const [o, i] = l.weight.shape as [number, number];
  const w = l.weight.dataSync();
  const wt = new Float32Array(i * o);
  for (let r = 0; r < o; r++) for (let c = 0; c < i; c++) wt[c * o + r] = w[r * i + c]!;
  return {
    w: tf.variable(tf.tensor2d(wt, [i, o])),
    b: tf.variable(tf.tensor1d(Array.from(l.bias.dataSync()))),
  };
});
const tfStep = (u: import('@tensorflow/tfjs').Tensor2D) => {
  let h = u.sub(inMean).div(inScale) as import('@tensorflow/tfjs').Tensor2D;
  tfVars.forEach((v, k) => {
    h = h.matMul(v.w).add(v.b) as import('@tensorflow/tfjs').Tensor2D;
    if (k < tfVars.length - 1) h = h.tanh();
  });
  return u.add(outMean.add(outScale.mul(h)).mul(dt)) as import('@tensorflow/tfjs').Tensor2D;
};
const tfU = tf.tensor2d(Array.from(xs.subarray(0, 2000 * 3)), [2000, 3]);
const tfNext = tf.tensor2d(Array.from(xs.subarray(3, 2001 * 3)), [2000, 3]);
const tfOpt = tf.train.adam(1e-3);
const epochTf = () => {
  let last = 0;
  for (let s = 0; s < 2000; s += 250) {
    const cost = tfOpt.minimize(
      () =>
        tfStep(tfU.slice([s, 0], [250, 3]))
          .sub(tfNext.slice([s, 0], [250, 3]))
          .square()
          .mean() as import('@tensorflow/tfjs').Scalar,
      true,
    );
    last = cost!.dataSync()[0]!;
    cost!.dispose();
  }
  return last;
};
const rollTf = () =>
  tf.tidy(() => {
    let u = tf.tensor2d([[-8, 8, 27]]);
    for (let k = 0; k < 1000; k++) u = tfStep(u);
    return u.dataSync()[0];
  });

// ---- weak SINDy on 10⁵ samples
const weakDt = 0.001;
const weakData = sampleTrajectory(new Lorenz63(), { dt: weakDt, samples: 100_000, transient: 1 });
const weakOurs = () =>
  new SINDy({
    optimizer: stlsq({ threshold: 0.5, alpha: 0 }),
    weakForm: weakForm({ testFunctions: 400, halfWidth: 50 }),
  })
    .fit(weakData.x, { t: weakDt })
    .coefficients.toNested() as number[][];

/** The same weak system (bump test functions, trapezoid sums, normalised rows) and STLSQ with ml-matrix. */
function weakMlMatrix(): number[][] {
  const x = weakData.x.dataSync();
  const m = 100_000;
  const H = 50;
  const K = 400;
  const G = new Matrix(K, 10);
  const b = new Matrix(K, 3);
  const span = m - 1 - 2 * H;
  for (let k = 0; k < K; k++) {
    const c = H + Math.round((k * span) / (K - 1));
    let norm = 0;
    for (let i = c - H + 1; i < c + H; i++) {
      const s = (i - c) / H;
      const q = 1 - s * s;
      const phi = q ** 4;
      const dphi = (-8 * s * q ** 3) / (H * weakDt);
      const [p, r, z] = [x[3 * i]!, x[3 * i + 1]!, x[3 * i + 2]!];
      const row = [1, p, r, z, p * p, p * r, p * z, r * r, r * z, z * z];
      norm += weakDt * phi;
      for (let j = 0; j < 10; j++) G.set(k, j, G.get(k, j) + weakDt * phi * row[j]!);
      for (let j = 0; j < 3; j++) b.set(k, j, b.get(k, j) - weakDt * dphi * x[3 * i + j]!);
    }
    for (let j = 0; j < 10; j++) G.set(k, j, G.get(k, j) / norm);
    for (let j = 0; j < 3; j++) b.set(k, j, b.get(k, j) / norm);
  }
  const coef: number[][] = [];
  for (let target = 0; target < 3; target++) {
    const y = b.subMatrixColumn([target]);
    let support = Array.from({ length: 10 }, (_, j) => j);
    let xi = new Array<number>(10).fill(0);
    for (let it = 0; it < 20; it++) {
      const sol = solve(G.subMatrixColumn(support), y).to1DArray();
      xi = new Array<number>(10).fill(0);
      support.forEach((j, k) => {
        xi[j] = sol[k]!;
      });
      const kept = support.filter((j) => Math.abs(xi[j]!) >= 0.5);
      if (kept.length === support.length) break;
      support = kept;
    }
    coef.push(xi);
  }
  return coef;
}

export const emulatorCases: BenchCase[] = [
  {
    case: 'emulator epoch Lorenz-63 (MLP 3-32-32-3, Euler form, 2000 pairs, batch 250, Adam)',
    ours: epochOurs,
    peer: epochTf,
    peerName: 'same model and Adam loop in tfjs-wasm',
  },
  {
    case: 'emulator rollout Lorenz-63, 1000 steps of one state',
    ours: rollOurs,
    peer: rollTf,
    peerName: 'same step map in tfjs-wasm (tidy loop)',
    work: 1000,
    unit: 'steps/s',
    metric: 'throughput',
  },
  {
    case: 'weak SINDy fit Lorenz-63 1e5 samples (400 test functions, poly2, STLSQ)',
    ours: weakOurs,
    peer: weakMlMatrix,
    peerName: 'same weak system and STLSQ with ml-matrix',
    verify: (ours, peer, name) => {
      const a = (ours as number[][]).flat();
      const b = (peer as number[][]).flat();
      a.forEach((v, e) => {
        if ((v === 0) !== (b[e] === 0) || Math.abs(v - b[e]!) > 1e-6 * Math.max(1, Math.abs(b[e]!)))
          throw new Error(`weak SINDy coefficients differ from ${name} at ${e}: ${v} vs ${b[e]}`);
      });
    },
  },
];
