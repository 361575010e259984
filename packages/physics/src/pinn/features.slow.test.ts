// Each PINN feature against a problem where it should matter, at the same budget as the plain method.
import {
  Generator,
  type NDArray,
  add,
  exp,
  fromTypedArray,
  mean,
  mul,
  sin,
  square,
  sub,
} from '@sciml/linalg';
import { linear, sequential, tanh } from '@sciml/nn';
import { minimize } from '@sciml/optim';
import { describe, expect, it } from 'vitest';
import {
  dirichletBC,
  fourierFeatures,
  hardDirichlet,
  interval,
  partial,
  trainPinn,
  volterraIntegral,
} from '../index.js';
import { column } from './geometry.js';

/** Relative L2 error of predictions against reference values. */
function relL2(pred: ArrayLike<number>, ref: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < ref.length; i++) {
    num += (pred[i]! - ref[i]!) ** 2;
    den += ref[i]! ** 2;
  }
  return Math.sqrt(num / den);
}

const grid = (a: number, b: number, n: number) =>
  fromTypedArray(
    Float64Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1)),
    [n, 1],
  );

describe('gPINN (Yu et al. 2022, §3.1 Poisson)', () => {
  it('lowers the error of u and of u′ at the same budget', () => {
    // −u″ = Σ_{i=1}^4 i sin(ix) + 8 sin(8x) on [0, π], u(0) = 0, u(π) = π;
    // u = x + Σ sin(ix)/i + sin(8x)/8, 15 residual points as in the paper
    const geom = interval(0, Math.PI);
    const f = (x: NDArray) =>
      [1, 2, 3, 4, 8].reduce((s: NDArray, i) => add(s, mul(i, sin(mul(i, x)))), mul(0, x));
    const net = sequential(linear(20), tanh, linear(20), tanh, linear(20), tanh, linear(1));
    const params = net.init(new Generator(0), [1]);
    const common = {
      net,
      params,
      pde: {
        residual: (D: { d(...a: number[]): NDArray; x: NDArray }) => add(D.d(0, 0), f(D.x)),
        points: geom.sampleInterior(15, { sampler: 'uniform' }),
      },
      transform: hardDirichlet(geom.boundaryDistance, (x: NDArray) => x),
      adam: { steps: 500, lr: 1e-3 },
      lbfgs: { maxIter: 500 },
    };
    const xs = grid(0, Math.PI, 200);
    const x = xs.dataSync();
    const uRef = Array.from(
      x,
      (v) => v + [1, 2, 3, 4].reduce((s, i) => s + Math.sin(i * v) / i, 0) + Math.sin(8 * v) / 8,
    );
    const duRef = Array.from(
      x,
      (v) => 1 + [1, 2, 3, 4].reduce((s, i) => s + Math.cos(i * v), 0) + Math.cos(8 * v),
    );
    const errors = (res: ReturnType<typeof trainPinn>) => ({
      u: relL2(res.predict(xs).dataSync(), uRef),
      du: relL2(partial(res.predict, [0])(xs).dataSync(), duRef),
    });
    const plain = errors(trainPinn(common));
    const g = errors(trainPinn({ ...common, gradientEnhanced: { weight: 0.01 } }));
    console.log(
      `gPINN Poisson: u error PINN ${plain.u.toExponential(2)} → gPINN ${g.u.toExponential(2)}; u′ error ${plain.du.toExponential(2)} → ${g.du.toExponential(2)}`,
    );
    expect(g.du).toBeLessThan(plain.du);
    expect(g.u).toBeLessThan(plain.u);
  });
});

describe('learning-rate annealing (Wang et al. 2021)', () => {
  it('raises the boundary weight and lowers the error of a stiff soft-constrained problem', () => {
    // −u″ = 36π² sin(6πx) + ... with u = sin(6πx) + 1: the residual's gradients dwarf the boundary term's
    const geom = interval(0, 1);
    const net = sequential(linear(32), tanh, linear(32), tanh, linear(1));
    const params = net.init(new Generator(3), [1]);
    const k = 6 * Math.PI;
    const common = {
      net,
      params,
      pde: {
        residual: (D: { d(...a: number[]): NDArray; x: NDArray }) =>
          add(D.d(0, 0), mul(k * k, sin(mul(k, D.x)))),
        points: geom.sampleInterior(64),
      },
      conditions: [dirichletBC(geom.sampleBoundary(2), 1, { name: 'bc' })],
      adam: { steps: 1500, lr: 1e-3 },
      lbfgs: { maxIter: 0 },
    };
    const xs = grid(0, 1, 200);
    const ref = Array.from(xs.dataSync(), (v) => Math.sin(k * v) + 1);
    const fixed = trainPinn(common);
    const annealed = trainPinn({ ...common, adaptiveWeights: { method: 'annealing', every: 10 } });
    const eFixed = relL2(fixed.predict(xs).dataSync(), ref);
    const eAnnealed = relL2(annealed.predict(xs).dataSync(), ref);
    console.log(
      `annealing: bc weight 1 → ${annealed.weights.bc!.toFixed(1)}; rel L2 fixed ${eFixed.toExponential(2)}, annealed ${eAnnealed.toExponential(2)}`,
    );
    expect(annealed.weights.bc).toBeGreaterThan(10);
    expect(eAnnealed).toBeLessThan(0.5 * eFixed);
  });
});

describe('Fourier features (Tancik et al. 2020)', () => {
  it('fit a high-frequency target that a plain tanh network of the same size cannot', () => {
    // u = sin(20πx) + 0.5 sin(2πx) on [0, 1] from 256 samples, 300 L-BFGS iterations each
    const xs = grid(0, 1, 256);
    const target = add(sin(mul(20 * Math.PI, xs)), mul(0.5, sin(mul(2 * Math.PI, xs))));
    const fit = (net: ReturnType<typeof sequential>, inDim: number) => {
      const res = minimize(
        (p: unknown) => mean(square(sub(net.apply(p as never, xs).y, target))),
        net.init(new Generator(1), [inDim]) as unknown,
        { method: 'lbfgs', maxIter: 300, gtol: 1e-12 },
      );
      return relL2(net.apply(res.x as never, xs).y.dataSync(), target.dataSync());
    };
    const plain = fit(sequential(linear(32), tanh, linear(32), tanh, linear(1)), 1);
    const ff = fit(
      sequential(
        fourierFeatures(1, 16, { sigma: 10, rng: new Generator(2) }),
        linear(32),
        tanh,
        linear(1),
      ),
      1,
    );
    console.log(
      `Fourier features: rel L2 plain tanh ${plain.toExponential(2)}, with features ${ff.toExponential(2)}`,
    );
    expect(ff).toBeLessThan(1e-2);
    expect(plain).toBeGreaterThan(0.3);
  });
});

describe('integro-differential equation (Gauss–Legendre integral term)', () => {
  it('solves y′ + y = ∫₀ˣ e^{t−x} y(t) dt, y(0) = 1 against y = e^{−x} cosh x', () => {
    const geom = interval(0, 5);
    const net = sequential(linear(20), tanh, linear(20), tanh, linear(1));
    const res = trainPinn({
      net,
      params: net.init(new Generator(0), [1]),
      pde: {
        residual: (D) =>
          sub(
            add(D.d(0), D.u),
            volterraIntegral(D.field, D.x, {
              order: 20,
              kernel: (x, t) => exp(sub(t, column(x, 0))),
            }),
          ),
        points: geom.sampleInterior(32, { sampler: 'uniform' }),
      },
      // y = 1 + x·N(x): the initial condition holds exactly
      transform: (x, y) => add(1, mul(x, y)),
      adam: { steps: 300, lr: 1e-2 },
      lbfgs: { maxIter: 300 },
    });
    const xs = grid(0, 5, 101);
    const ref = Array.from(xs.dataSync(), (v) => Math.exp(-v) * Math.cosh(v));
    const err = relL2(res.predict(xs).dataSync(), ref);
    console.log(`Volterra IDE PINN rel L2 ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-3);
  });
});
