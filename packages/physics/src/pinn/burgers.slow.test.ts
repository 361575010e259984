// Burgers' equation u_t + u u_x = ν u_xx, ν = 0.01/π, x ∈ [−1, 1], t ∈ [0, 1], u(x, 0) = −sin(πx), u(±1, t) = 0:
// the PINN benchmark of Raissi, Perdikaris & Karniadakis (J. Comput. Phys. 378 (2019) 686–707, §3.1/§4.1),
// forward against the Cole–Hopf reference. The paper’s numbers
// (6.7e-4; λ errors ~0.1 %) take 10 000 points and tens of thousands of L-BFGS iterations; this test runs the
// budget of the slow tier's flagship (Adam 500 + L-BFGS 3000 in RAD rounds) and asserts what it reaches.
import { Generator, type NDArray, add, fromTypedArray, mul, sin, square, sub } from '@sciml/linalg';
import { linear, sequential, tanh } from '@sciml/nn';
import { describe, expect, it } from 'vitest';
import { burgersReference, interval, timeSpace, trainPinn } from '../index.js';
import { column } from './geometry.js';

const NU = 0.01 / Math.PI;
const ADAM = 500;
const LBFGS = 3000;
/**
 * What this budget reaches (measured, seeded: 2.32e-2; the earlier fixed-point recipe, Adam 400 + L-BFGS 400,
 * reached 7.1e-2), with a small margin. The paper's 1e-3 (6.7e-4) needs far more than the slow tier's budget.
 */
const ERROR_BOUND = 0.025;
const domain = timeSpace(interval(-1, 1), 0, 1);
const net = sequential(
  linear(20),
  tanh,
  linear(20),
  tanh,
  linear(20),
  tanh,
  linear(20),
  tanh,
  linear(1),
);

/** Relative L2 error over a 101 × 51 grid against the Cole–Hopf reference. */
function relL2(u: (x: NDArray) => NDArray): number {
  const xs = Array.from({ length: 101 }, (_, i) => -1 + i / 50);
  const ts = Array.from({ length: 51 }, (_, j) => j / 50);
  const ref = burgersReference(xs, ts, NU).dataSync();
  const g = new Float64Array(101 * 51 * 2);
  xs.forEach((x, i) => {
    ts.forEach((t, j) => {
      g[2 * (i * 51 + j)] = x;
      g[2 * (i * 51 + j) + 1] = t;
    });
  });
  const p = u(fromTypedArray(g, [101 * 51, 2])).dataSync();
  let num = 0;
  let den = 0;
  for (let k = 0; k < ref.length; k++) {
    num += (p[k]! - ref[k]!) ** 2;
    den += ref[k]! ** 2;
  }
  return Math.sqrt(num / den);
}

describe('Burgers PINN (Raissi et al. 2019)', () => {
  it('forward: hard-constrained PINN with RAD rounds against the Cole–Hopf solution', () => {
    const rng = new Generator(1);
    const res = trainPinn({
      net,
      params: net.init(new Generator(0), [2]),
      pde: {
        residual: (D) => sub(add(D.d(1), mul(D.u, D.d(0))), mul(NU, D.d(0, 0))),
        points: domain.sampleInterior(1000),
      },
      // û = −sin(πx) + t(1 − x²)·N(x, t)
      transform: (x, y) =>
        add(
          mul(-1, sin(mul(Math.PI, column(x, 0)))),
          mul(mul(column(x, 1), sub(1, square(column(x, 0)))), y),
        ),
      adam: { steps: ADAM, lr: 5e-3 },
      lbfgs: { maxIter: LBFGS, memory: 20 },
      // RAD (k = 1, c = 1) every 250 Adam steps and every 300 L-BFGS iterations: the points follow the
      // shock at x = 0, which a fixed set of 1000 points samples too thinly for L-BFGS not to overfit
      resample: {
        every: 250,
        lbfgsEvery: 300,
        candidates: () => domain.sampleInterior(10000, { sampler: 'random', rng }),
        rng,
      },
    });
    const err = relL2(res.predict);
    console.log(
      `Burgers forward: rel L2 ${err.toExponential(2)} after Adam ${ADAM} + L-BFGS ${res.lbfgsIterations} (${res.lbfgsEvaluations} evaluations; stopped: ${res.lbfgsMessage}), 1000 RAD points, 4×20 tanh (paper: 6.7e-4 with 10 000 points, 9×20 and L-BFGS to convergence)`,
    );
    expect(res.lbfgsIterations).toBe(LBFGS);
    expect(err).toBeLessThan(ERROR_BOUND);
  });
});
