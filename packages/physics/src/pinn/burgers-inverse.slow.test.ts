// Inverse Burgers (Raissi, Perdikaris & Karniadakis, J. Comput. Phys. 378 (2019) 686–707, §4.1): identify
// λ₁ and λ₂ in u_t + λ₁ u u_x − λ₂ u_xx = 0 from 2 000 scattered samples of the Cole–Hopf solution. The paper
// trains a 9×20 network to convergence; this runs the smallest budget of the slow tier and states the errors.
import { Generator, exp, fromTypedArray, mul, add, sub } from '@sciml/linalg';
import { linear, sequential, tanh } from '@sciml/nn';
import { describe, expect, it } from 'vitest';
import { burgersReference, dirichletBC, interval, timeSpace, trainPinn } from '../index.js';

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

describe('Burgers inverse PINN (Raissi et al. 2019)', () => {
  it('inverse: identifies λ₁ = 1 and λ₂ = 0.01/π from 2 000 scattered clean samples', () => {
    const t0 = performance.now();
    const obs = domain.sampleInterior(2000, { sampler: 'random', rng: new Generator(7) });
    const o = obs.dataSync();
    const values = new Float64Array(2000);
    for (let k = 0; k < 2000; k++)
      values[k] = burgersReference([o[2 * k]!], [o[2 * k + 1]!], NU).dataSync()[0]!;
    const res = trainPinn({
      net,
      params: net.init(new Generator(0), [2]),
      pde: {
        // u_t + λ₁ u u_x − e^{θ} u_xx with λ₂ = e^{θ} > 0 (Raissi et al. train log λ₂ too)
        residual: (D, v) =>
          sub(add(D.d(1), mul(v.lambda1!, mul(D.u, D.d(0)))), mul(exp(v.logLambda2!), D.d(0, 0))),
        points: domain.sampleInterior(1000),
      },
      conditions: [dirichletBC(obs, fromTypedArray(values, [2000, 1]), { name: 'data' })],
      variables: { lambda1: 0, logLambda2: -6 },
      adam: { steps: 300, lr: 1e-3 },
      lbfgs: { maxIter: 400 },
    });
    const l1 = res.variables.lambda1!;
    const l2 = Math.exp(res.variables.logLambda2!);
    const e1 = Math.abs(l1 - 1);
    const e2 = Math.abs(l2 / NU - 1);
    console.log(
      `Burgers inverse (clean): λ₁ = ${l1.toFixed(5)} (error ${(100 * e1).toFixed(2)} %), λ₂ = ${l2.toExponential(4)} (error ${(100 * e2).toFixed(2)} %), ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
    expect(e1).toBeLessThan(0.05);
    expect(e2).toBeLessThan(0.3);
  });
});
