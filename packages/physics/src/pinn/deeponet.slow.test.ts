// DeepONet learns the antiderivative operator G[u](x) = ∫₀ˣ u from random Gaussian-field inputs
// (Lu, Jin, Pang, Zhang & Karniadakis, Nat. Mach. Intell. 3 (2021) 218–229, §3.1).
import { Generator, type NDArray, fromTypedArray } from '@sciml/linalg';
import { linear, sequential, tanh } from '@sciml/nn';
import { cosineDecay } from '@sciml/optim';
import { describe, expect, it } from 'vitest';
import { deepONet, gaussianRandomField, trainDeepONet } from '../index.js';

/** n GRF inputs at the m sensors and their antiderivatives at the same points (trapezoid on a 4× finer grid). */
function antiderivativeData(n: number, seed: number): { u: NDArray; s: NDArray; x: Float64Array } {
  const fine = 401;
  const stride = 4;
  const xf = Float64Array.from({ length: fine }, (_, i) => i / (fine - 1));
  const m = (fine - 1) / stride + 1;
  const f = gaussianRandomField(xf, n, { lengthScale: 0.2, rng: new Generator(seed) }).dataSync();
  const u = new Float64Array(n * m);
  const s = new Float64Array(n * m);
  for (let k = 0; k < n; k++) {
    let acc = 0;
    for (let i = 0; i < fine; i++) {
      if (i > 0) acc += (f[k * fine + i - 1]! + f[k * fine + i]!) / (2 * (fine - 1));
      if (i % stride === 0) {
        u[k * m + i / stride] = f[k * fine + i]!;
        s[k * m + i / stride] = acc;
      }
    }
  }
  const x = Float64Array.from({ length: m }, (_, j) => xf[j * stride]!);
  return { u: fromTypedArray(u, [n, m]), s: fromTypedArray(s, [n, m]), x };
}

describe('DeepONet', () => {
  // 500 training functions, a short Adam phase, then full-batch L-BFGS with 50 curvature pairs: test rel L2
  // 8.41e-3 measured (init seed 0; 6.61e-3 with seed 1; ~35 s CPU at load ~3). Train and test errors are
  // alike, so the fit, not overfitting, was what limited the earlier 100 functions with Adam 6000 + L-BFGS
  // 500 (4.7e-2); L-BFGS memory 10 instead of 50 gives 1.25e-2.
  it('learns the antiderivative operator on unseen GRF inputs to the issue target 1e-2 (measured 8.4e-3)', () => {
    const train = antiderivativeData(500, 1);
    const test = antiderivativeData(100, 2);
    const m = train.x.length;
    const y = fromTypedArray(train.x, [m, 1]);
    const model = deepONet(
      sequential(linear(40), tanh, linear(40)),
      sequential(linear(40), tanh, linear(40), tanh),
    );
    const steps = 1000;
    const { params, loss } = trainDeepONet(
      model,
      model.init(new Generator(0), m, 1),
      { u: train.u, y, s: train.s },
      {
        adam: { steps, lr: cosineDecay(3e-3, { steps, minLr: 1e-5 }) },
        lbfgs: { maxIter: 5000, memory: 50 },
      },
    );
    const pred = model.apply(params, test.u, y).dataSync();
    const ref = test.s.dataSync();
    let num = 0;
    let den = 0;
    for (let i = 0; i < ref.length; i++) {
      num += (pred[i]! - ref[i]!) ** 2;
      den += ref[i]! ** 2;
    }
    const err = Math.sqrt(num / den);
    console.log(
      `DeepONet antiderivative: test rel L2 ${err.toExponential(2)} (train MSE ${loss.toExponential(2)})`,
    );
    expect(err).toBeLessThan(1e-2);
  });
});
