// Burgers' equation u_t + u u_x = ν u_xx, ν = 0.01/π, x ∈ [−1, 1], t ∈ [0, 1], u(x, 0) = −sin(πx), u(±1, t) = 0:
// the PINN benchmark of Raissi, Perdikaris & Karniadakis (J. Comput. Phys. 378 (2019) 686–707, §3.1/§4.1),
// forward against the Cole–Hopf reference and inverse (λ₁, λ₂ from scattered samples). The paper's numbers
// (6.7e-4; λ errors ~0.1 %) take 10 000 points and tens of thousands of L-BFGS iterations; these tests run the
// smallest budget that fits the slow tier and state the numbers they reach.
import { Generator, type NDArray, add, fromTypedArray, mul, sin, square, sub } from '@sciml/linalg';
import { linear, sequential, tanh } from '@sciml/nn';
import { describe, expect, it } from 'vitest';
import { burgersReference, interval, timeSpace, trainPinn } from '../index.js';
import { column } from './geometry.js';

const NU = 0.01 / Math.PI;
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
  it('forward: hard-constrained PINN against the Cole–Hopf solution', () => {
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
      adam: { steps: 400, lr: 5e-3 },
      lbfgs: { maxIter: 400 },
      resample: {
        every: 250,
        candidates: () => domain.sampleInterior(10000, { sampler: 'random', rng }),
        rng,
      },
    });
    const err = relL2(res.predict);
    console.log(
      `Burgers forward: rel L2 ${err.toExponential(2)} after Adam 400 + L-BFGS ${res.lbfgsIterations}, 1000 points, 4×20 tanh (paper: 6.7e-4 with 10 000 points and full L-BFGS)`,
    );
    expect(err).toBeLessThan(0.3);
  });
});
