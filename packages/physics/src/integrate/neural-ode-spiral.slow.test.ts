import { grad, ravelPytree } from '@sciml/autodiff';
import {
  Generator,
  type NDArray,
  add,
  array,
  fromTypedArray,
  matmul,
  mean,
  mul,
  square,
  sub,
  tanh,
  zeros,
} from '@sciml/linalg';
import { minimize } from '@sciml/optim';
import { describe, expect, it } from 'vitest';
import { odeint } from './odeint.js';
import { solveIVP } from './solve-ivp.js';

/**
 * The spiral of Chen, Rubanova, Bettencourt & Duvenaud, "Neural Ordinary Differential Equations" (NeurIPS 2018;
 * torchdiffeq's `ode_demo.py`): y' = y³A, A = [[−0.1, 2], [−2, −0.1]] (row-vector convention), y(0) = (2, 0),
 * 1 000 samples on t ∈ [0, 25]. The model is the demo's: a tanh network applied to y³, here 2-16-2.
 */
const N = 1000;
const T = 25;
const ts = Array.from({ length: N }, (_, i) => (i * T) / (N - 1));
const A = [
  [-0.1, 2],
  [-2, -0.1],
];

function spiralData(): Float64Array {
  const r = solveIVP(
    (_t, y, d) => {
      const a = y[0] ** 3;
      const b = y[1] ** 3;
      d[0] = a * A[0][0] + b * A[1][0];
      d[1] = a * A[0][1] + b * A[1][1];
    },
    [0, T],
    [2, 0],
    { method: 'DOP853', rtol: 1e-12, atol: 1e-12, tEval: ts },
  );
  const data = new Float64Array(2 * N);
  for (let i = 0; i < N; i++) {
    data[2 * i] = r.y.get(0, i);
    data[2 * i + 1] = r.y.get(1, i);
  }
  return data;
}

type Net = { w1: NDArray; b1: NDArray; w2: NDArray; b2: NDArray };
const HIDDEN = 16;
/** f(t, y) = tanh(y³W₁ + b₁)W₂ + b₂ for a batch of states y (rows). */
const field = (_t: number, y: NDArray, p: Net): NDArray =>
  add(matmul(tanh(add(matmul(mul(y, mul(y, y)), p.w1), p.b1)), p.w2), p.b2);

/** Every window of `length` samples starting at a multiple of `stride`: initial states and targets [length, B, 2]. */
function windows(data: Float64Array, length: number, stride: number) {
  const starts = Array.from({ length: Math.floor((N - length) / stride) }, (_, i) => i * stride);
  const B = starts.length;
  const y0 = new Float64Array(2 * B);
  const target = new Float64Array(length * B * 2);
  starts.forEach((s, b) => {
    y0.set(data.subarray(2 * s, 2 * s + 2), 2 * b);
    for (let k = 0; k < length; k++)
      target.set(data.subarray(2 * (s + k), 2 * (s + k) + 2), (k * B + b) * 2);
  });
  return {
    y0: fromTypedArray(y0, [B, 2]),
    target: fromTypedArray(target, [length, B, 2]),
    times: ts.slice(0, length),
  };
}

/** The whole trajectory from y(0) = (2, 0), every `stride`-th sample: initial state and targets [m, 1, 2]. */
function trajectory(data: Float64Array, stride: number) {
  const times = ts.filter((_, i) => i % stride === 0);
  const target = Float64Array.from(
    times.flatMap((_, j) => [data[2 * j * stride], data[2 * j * stride + 1]]),
  );
  return { y0: array([[2, 0]]), target: fromTypedArray(target, [times.length, 1, 2]), times };
}

const adjoint = { rtol: 1e-5, atol: 1e-7, gradient: 'adjoint' as const, maxSteps: 5000 };

/**
 * L-BFGS stages [window length, stride, iterations]; length 0 is the whole trajectory from y(0), sampled every
 * `stride`-th point. Measured: window losses 1.8e-6 and 7.6e-6, then the trajectory MSE 2.8e-4 (37 s of CPU).
 */
const STAGES: readonly [number, number, number][] = [
  [10, 5, 250],
  [40, 10, 100],
  [0, 10, 30],
];
const MSE_BOUND = 1e-3;

describe('neural ODE on the spiral of Chen et al. 2018, trained through the adjoint', () => {
  it('fits the whole 25-time-unit trajectory (multiple shooting on windows, then L-BFGS)', () => {
    const data = spiralData();
    const rng = new Generator(0);
    const init: Net = {
      w1: rng.normal([2, HIDDEN], { std: 0.1 }),
      b1: zeros([HIDDEN]),
      w2: rng.normal([HIDDEN, 2], { std: 0.1 }),
      b2: zeros([2]),
    };
    const [x0, unravel] = ravelPytree(init);

    // the adjoint gradient of a window loss agrees with backprop through the solver's steps
    const w = windows(data, 10, 50);
    const windowLoss = (gradient: 'adjoint' | 'direct') => (p: Net) =>
      mean(
        square(
          sub(
            odeint(field, w.y0, w.times, p, { ...adjoint, rtol: 1e-10, atol: 1e-12, gradient }),
            w.target,
          ),
        ),
      );
    const ga = ravelPytree(grad(windowLoss('adjoint'))(init))[0].dataSync() as Float64Array;
    const gd = ravelPytree(grad(windowLoss('direct'))(init))[0].dataSync() as Float64Array;
    const scale = Math.max(...gd.map(Math.abs));
    for (let i = 0; i < ga.length; i++) expect(Math.abs(ga[i] - gd[i])).toBeLessThan(1e-6 * scale);

    // curriculum: short windows first (the fast start of the spiral cannot derail a short solve), then longer
    let x = x0;
    for (const [length, stride, iters] of STAGES) {
      const { y0, target, times } =
        length > 0 ? windows(data, length, stride) : trajectory(data, stride);
      const loss = (xx: NDArray) =>
        mean(square(sub(odeint(field, y0, times, unravel(xx) as Net, adjoint), target)));
      x = minimize(loss, x, { method: 'lbfgs', maxIter: iters, ftol: 0, gtol: 0 }).x;
    }

    // the whole trajectory from y(0) alone, at all 1 000 samples, solved tightly
    const pred = odeint(field, array([[2, 0]]), ts, unravel(x) as Net, { rtol: 1e-8, atol: 1e-10 });
    const pv = pred.dataSync() as Float64Array;
    let mse = 0;
    for (let i = 0; i < 2 * N; i++) mse += (pv[i] - data[i]) ** 2;
    mse /= 2 * N;
    expect(mse).toBeLessThan(MSE_BOUND);
  });
});
