// fit against an independent minibatch SGD written out by hand (plain float64 loops, no autodiff): one epoch
// visits the batches in the order the loader draws them, averages the cross-entropy over each batch (the
// last, short one included) and steps θ ← θ − η ∇θ. A wrong reduction, learning-rate scaling, bias
// initialisation, dropped last batch or batch order would move the parameters far beyond rounding.
import { batches } from '@sciml/data';
import { Generator, fromTypedArray } from '@sciml/linalg';
import { sgd } from '@sciml/optim';
import { describe, expect, it } from 'vitest';
import { relu } from '../activations.js';
import { linear } from '../layers/linear.js';
import { sequential } from '../layers/sequential.js';
import { crossEntropyWithLogits } from '../losses.js';
import { Module } from '../module.js';
import { fit } from './fit.js';

const N = 37; // batches of 8: four full ones and a short last one of 5
const BATCH = 8;
const DIMS = [5, 7, 3]; // 5 → 7 (ReLU) → 3 classes
const LR = 0.3;

const gen = new Generator(21);
const xData = Float64Array.from({ length: N * DIMS[0]! }, () => gen.nextFloat() * 2 - 1);
const yData = Int32Array.from({ length: N }, () => Math.floor(gen.nextFloat() * DIMS[2]!));
/** Weights [out, in] and biases of each layer (nonzero biases: their gradient and update are checked too). */
const start = DIMS.slice(0, -1).map((nIn, l) => {
  const nOut = DIMS[l + 1]!;
  return {
    w: Float64Array.from({ length: nOut * nIn }, () => gen.nextFloat() - 0.5),
    b: Float64Array.from({ length: nOut }, () => gen.nextFloat() * 0.2 - 0.1),
    nIn,
    nOut,
  };
});

/** One epoch of minibatch SGD over `order`, by the backpropagation equations; returns the layers. */
function referenceEpoch(order: ArrayLike<number>) {
  const layers = start.map((l) => ({ ...l, w: l.w.slice(), b: l.b.slice() }));
  for (let s = 0; s < N; s += BATCH) {
    const rows = Array.from({ length: Math.min(BATCH, N - s) }, (_, k) => order[s + k]!);
    const m = rows.length;
    // forward: a[0] = x, z = a Wᵀ + b, a = relu(z) on the hidden layer, logits on the last
    const acts: Float64Array[] = [
      Float64Array.from(rows.flatMap((r) => [...xData.subarray(r * DIMS[0]!, (r + 1) * DIMS[0]!)])),
    ];
    layers.forEach(({ w, b, nIn, nOut }, l) => {
      const a = acts[l]!;
      const z = new Float64Array(m * nOut);
      for (let i = 0; i < m; i++)
        for (let o = 0; o < nOut; o++) {
          let t = b[o]!;
          for (let k = 0; k < nIn; k++) t += a[i * nIn + k]! * w[o * nIn + k]!;
          z[i * nOut + o] = l < layers.length - 1 ? Math.max(0, t) : t;
        }
      acts.push(z);
    });
    // δ of the mean cross-entropy: (softmax − onehot) / m
    const C = DIMS[2]!;
    let delta = new Float64Array(m * C);
    const logits = acts[layers.length]!;
    rows.forEach((r, i) => {
      const row = logits.subarray(i * C, (i + 1) * C);
      const top = Math.max(...row);
      const e = Array.from(row, (v) => Math.exp(v - top));
      const total = e.reduce((p, q) => p + q, 0);
      for (let c = 0; c < C; c++) delta[i * C + c] = (e[c]! / total - (yData[r] === c ? 1 : 0)) / m;
    });
    for (let l = layers.length - 1; l >= 0; l--) {
      const { w, b, nIn, nOut } = layers[l]!;
      const a = acts[l]!;
      const back = new Float64Array(m * nIn);
      for (let i = 0; i < m; i++)
        for (let o = 0; o < nOut; o++)
          for (let k = 0; k < nIn; k++) back[i * nIn + k] += delta[i * nOut + o]! * w[o * nIn + k]!;
      for (let o = 0; o < nOut; o++) {
        let gb = 0;
        for (let i = 0; i < m; i++) gb += delta[i * nOut + o]!;
        b[o] -= LR * gb;
        for (let k = 0; k < nIn; k++) {
          let gw = 0;
          for (let i = 0; i < m; i++) gw += delta[i * nOut + o]! * a[i * nIn + k]!;
          w[o * nIn + k] -= LR * gw;
        }
      }
      // ReLU′ of the layer below (its output a > 0 exactly where z > 0)
      for (let k = 0; k < back.length; k++) if (a[k]! <= 0) back[k] = 0;
      delta = back;
    }
  }
  return layers;
}

/** A fresh model holding the start weights, trained for one epoch on `data` by fit. */
function fitEpoch(shuffle: boolean, jit: boolean) {
  const model = new Module(sequential(linear(DIMS[1]!), relu, linear(DIMS[2]!)), {
    inputShape: [DIMS[0]!],
  });
  model.loadStateDict(
    new Map(
      start.flatMap(({ w, b, nIn, nOut }, l) => [
        [`layers.${2 * l}.weight`, fromTypedArray(w.slice(), [nOut, nIn])],
        [`layers.${2 * l}.bias`, fromTypedArray(b.slice())],
      ]),
    ),
  );
  const x = fromTypedArray(xData, [N, DIMS[0]!]);
  const y = fromTypedArray(yData);
  const data = batches([x, y] as const, { batchSize: BATCH, shuffle, rng: new Generator(5) });
  fit(model, data, {
    optimizer: sgd({ lr: LR }),
    loss: crossEntropyWithLogits,
    verbose: false,
    jit,
  });
  return model.stateDict();
}

describe('fit against hand-written minibatch SGD', () => {
  const cases = [
    { shuffle: false, order: Int32Array.from({ length: N }, (_, i) => i) },
    // the loader's order: the permutation its generator draws
    { shuffle: true, order: new Generator(5).permutation(N) },
  ];
  for (const { shuffle, order } of cases)
    for (const jit of [false, true])
      it(`one epoch equals the reference to 1e-12 (float64, ${shuffle ? 'shuffled' : 'in order'}, jit ${jit})`, () => {
        const expected = referenceEpoch(order);
        const got = fitEpoch(shuffle, jit);
        expected.forEach(({ w, b }, l) => {
          for (const [name, ref] of [
            [`layers.${2 * l}.weight`, w],
            [`layers.${2 * l}.bias`, b],
          ] as const) {
            const actual = got.get(name)!.dataSync();
            const worst = Math.max(...Array.from(ref, (v, k) => Math.abs(v - actual[k]!)));
            expect(worst, name).toBeLessThan(1e-12);
            // and the epoch moved it: the comparison is not of two untouched copies
            const start0 = start[l]![name.endsWith('weight') ? 'w' : 'b'];
            expect(
              Math.max(...Array.from(ref, (v, k) => Math.abs(v - start0[k]!))),
            ).toBeGreaterThan(1e-3);
          }
        });
      });
});
