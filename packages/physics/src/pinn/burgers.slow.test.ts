// Burgers' equation u_t + u u_x = ν u_xx, ν = 0.01/π, x ∈ [−1, 1], t ∈ [0, 1], u(x, 0) = −sin(πx), u(±1, t) = 0:
// the PINN benchmark of Raissi, Perdikaris & Karniadakis (J. Comput. Phys. 378 (2019) 686–707, §3.1/§4.1),
// forward against the Cole–Hopf reference, by the recipe of Urbán, Stefanou & Pons (J. Comput. Phys. (2025)
// 113656, their 1DB example): a small network on a periodic input embedding, the initial data as a hard
// constraint, RAD resampling, Adam and then the dense self-scaled Broyden quasi-Newton method (trainPinn's
// `bfgs`), the inverse Hessian carried across the RAD rounds.
import {
  Generator,
  type NDArray,
  add,
  concat,
  cos,
  fromTypedArray,
  mul,
  sin,
  sub,
} from '@sciml/linalg';
import { activation, linear, sequential, tanh } from '@sciml/nn';
import { describe, expect, it } from 'vitest';
import { burgersReference, interval, timeSpace, trainPinn } from '../index.js';
import { column } from './geometry.js';

const NU = 0.01 / Math.PI;
const ADAM = 1000;
const QN = 2000;
/**
 * The target, 1e-3 (Raissi et al. report 6.7e-4 with 9 × 20 tanh, 10 000 points and L-BFGS). Measured
 * on Raissi's 256 × 100 grid, CPU seconds at load 7–13 (indicative):
 *
 * | seed | polishing                   | iterations | rel L2  | CPU   |
 * |------|-----------------------------|------------|---------|-------|
 * | 0    | self-scaled Broyden (dense) | 1500       | 2.47e-4 | 80 s  |
 * | 0    | self-scaled Broyden (dense) | 2000       | 2.63e-4 | 97 s  |
 * | 0    | self-scaled Broyden (dense) | 3000       | 2.10e-4 | 133 s |
 * | 1    | self-scaled Broyden (dense) | 2000       | 5.01e-4 | 112 s |
 * | 0    | L-BFGS, memory 20           | 3000       | 1.18e-2 | 104 s |
 *
 * (seed s: network init Generator(s), points and RAD Generator(s + 100).) Since `trainPinn` differentiates the
 * `simplify`d loss (CSE before AD merges the repeated forward passes; the arithmetic is reordered, so the run
 * takes another path), seed 0 with 2000 iterations reaches 9.72e-5.
 * The same recipe with L-BFGS stalls at
 * a loss of 1.1e-3 against 1.7e-8 for the self-scaled Broyden method.
 * The previous recipe of this test (4 × 20 on (x, t), hard IC/BC, 1000 RAD points, Adam 500 + L-BFGS 4500,
 * memory 20) reached 1.87e-2 in ~100 s.
 */
const ERROR_BOUND = 1e-3;
const domain = timeSpace(interval(-1, 1), 0, 1);
// (x, t) ↦ (cos πx, sin πx, t): the network is 2-periodic in x, like the solution (Urbán et al.'s kmax = 1)
const periodic = activation((x) =>
  concat([cos(mul(Math.PI, column(x, 0))), sin(mul(Math.PI, column(x, 0))), column(x, 1)], {
    axis: 1,
  }),
);
const net = sequential(periodic, linear(20), tanh, linear(20), tanh, linear(20), tanh, linear(1));

/** Relative L2 error over Raissi et al.'s 256 × 100 grid against the Cole–Hopf reference. */
function relL2(u: (x: NDArray) => NDArray): number {
  const xs = Array.from({ length: 256 }, (_, i) => -1 + (2 * i) / 255);
  const ts = Array.from({ length: 100 }, (_, j) => j / 99);
  const ref = burgersReference(xs, ts, NU).dataSync();
  const g = new Float64Array(xs.length * ts.length * 2);
  xs.forEach((x, i) => {
    ts.forEach((t, j) => {
      g[2 * (i * ts.length + j)] = x;
      g[2 * (i * ts.length + j) + 1] = t;
    });
  });
  const p = u(fromTypedArray(g, [xs.length * ts.length, 2])).dataSync();
  let num = 0;
  let den = 0;
  for (let k = 0; k < ref.length; k++) {
    num += (p[k]! - ref[k]!) ** 2;
    den += ref[k]! ** 2;
  }
  return Math.sqrt(num / den);
}

describe('Burgers PINN (Raissi et al. 2019)', () => {
  it('forward: periodic embedding, hard initial data, RAD, Adam then dense self-scaled Broyden', () => {
    const rng = new Generator(100);
    const t0 = process.cpuUsage();
    const res = trainPinn({
      net,
      // the embedding layer has no parameters; the first linear layer sees 3 features
      params: net.init(new Generator(0), [3]),
      pde: {
        residual: (D) => sub(add(D.d(1), mul(D.u, D.d(0))), mul(NU, D.d(0, 0))),
        points: domain.sampleInterior(2000, { sampler: 'random', rng }),
      },
      // û = −sin(πx) + t·N: the initial data exactly; u(±1, t) = 0 follows from periodicity and the
      // solution's odd symmetry, which the PDE residual enforces
      transform: (x, y) => add(mul(-1, sin(mul(Math.PI, column(x, 0)))), mul(column(x, 1), y)),
      adam: { steps: ADAM, lr: 5e-3 },
      bfgs: { maxIter: QN, update: 'self-scaled-broyden' },
      // RAD (k = 1, c = 1) every 500 Adam steps and quasi-Newton iterations, as Urbán et al.
      resample: {
        every: 500,
        lbfgsEvery: 500,
        candidates: () => domain.sampleInterior(20000, { sampler: 'random', rng }),
        rng,
      },
    });
    const cpu = process.cpuUsage(t0);
    const err = relL2(res.predict);
    console.log(
      `Burgers forward: rel L2 ${err.toExponential(2)} after Adam ${ADAM} + self-scaled Broyden ${res.quasiNewtonIterations} (${res.quasiNewtonEvaluations} evaluations; stopped: ${res.quasiNewtonMessage}), loss ${res.loss.toExponential(2)}, 2000 RAD points, periodic 3×20 tanh, ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s CPU (issue: ≤ 1e-3; paper: 6.7e-4)`,
    );
    expect(res.quasiNewtonIterations).toBe(QN);
    expect(err).toBeLessThan(ERROR_BOUND);
  });
});
