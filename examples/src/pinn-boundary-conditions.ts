/**
 * Physics-informed networks with hard and soft Dirichlet conditions (course notes 001, lesson 16-12; Lagaris,
 * Likas & Fotiadis, IEEE TNN 9 (1998) 987–1000; Raissi, Perdikaris & Karniadakis, J. Comput. Phys. 378 (2019)
 * 686–707).
 *
 * Problem: −u″ = π² sin(πx) on [0, 1], u(0) = u(1) = 0, exact u = sin(πx).
 * - soft: û = N(x), loss = mean(r²) + w·(û(0)² + û(1)²)/2 — the condition is only penalised, so û(0), û(1) ≠ 0;
 * - hard: û = x(1 − x)·N(x) — the condition holds exactly for every parameter value, the loss is the residual only.
 * Both start from the same parameters and train by the same Adam + L-BFGS budget (`trainPinn`).
 */
import {
  type NDArray,
  Generator,
  add,
  fromTypedArray,
  linspace,
  mul,
  reshape,
  sin,
} from '@sciml/linalg';
import { linear, sequential, tanh } from '@sciml/nn';
import {
  type PinnResult,
  type Residual,
  dirichletBC,
  hardDirichlet,
  interval,
  trainPinn,
} from '@sciml/physics';
import type { Example } from './lib/example.js';
import { lineChart, panels, series } from './lib/figure.js';

/** −u″ − π² sin(πx) = 0, written as u″ + π² sin(πx). */
const residual: Residual = (D) => add(D.d(0, 0), mul(Math.PI ** 2, sin(mul(Math.PI, D.x))));

/** ‖û − u‖₂/‖u‖₂ on the grid. */
function relativeL2(u: ArrayLike<number>, exact: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < u.length; i++) {
    num += (u[i]! - exact[i]!) ** 2;
    den += exact[i]! ** 2;
  }
  return Math.sqrt(num / den);
}

/** Options of {@link pinnBoundaryConditions}: the training budget and the soft condition's weight. */
export interface PinnBcOptions {
  adamSteps?: number;
  lbfgsIterations?: number;
  collocation?: number;
  softWeight?: number;
  seed?: number;
}

/** Trains the hard- and soft-constrained PINNs and measures their error and their boundary violation. */
export function pinnBoundaryConditions(o: PinnBcOptions = {}) {
  const domain = interval(0, 1);
  const net = sequential(linear(16), tanh, linear(16), tanh, linear(1));
  const params = net.init(new Generator(o.seed ?? 0), [1]);
  const pde = {
    residual,
    points: domain.sampleInterior(o.collocation ?? 32, { sampler: 'uniform' }),
  };
  const budget = {
    adam: { steps: o.adamSteps ?? 200, lr: 1e-2 },
    lbfgs: { maxIter: o.lbfgsIterations ?? 150 },
    logEvery: 10,
  };
  const hard = trainPinn({
    net,
    params,
    pde,
    transform: hardDirichlet(domain.boundaryDistance),
    ...budget,
  });
  const soft = trainPinn({
    net,
    params,
    pde,
    conditions: [
      dirichletBC(domain.sampleBoundary(2), 0, { name: 'bc', weight: o.softWeight ?? 1 }),
    ],
    ...budget,
  });
  const grid = Float64Array.from(linspace(0, 1, 201).dataSync());
  const xs: NDArray = reshape(fromTypedArray(grid, [201]), [201, 1]);
  const exact = grid.map((x) => Math.sin(Math.PI * x));
  const ends = fromTypedArray(Float64Array.of(0, 1), [2, 1]);
  const measure = (r: Pick<PinnResult<never>, 'predict' | 'history' | 'loss'>) => {
    const u = Float64Array.from(r.predict(xs).dataSync());
    const b = r.predict(ends).dataSync();
    return {
      u,
      error: relativeL2(u, exact),
      boundaryViolation: Math.max(Math.abs(b[0]!), Math.abs(b[1]!)),
      loss: r.loss,
      history: r.history.filter((h) => Number.isFinite(h.loss)),
    };
  };
  return { grid, exact, hard: measure(hard), soft: measure(soft) };
}

export const example: Example = {
  name: 'pinn-boundary-conditions',
  title:
    'PINN for −u″ = π² sin(πx): hard constraint x(1 − x)·N(x) (u(0) = u(1) = 0 exactly) vs a soft weighted BC loss',
  source:
    'course-notes/001 lesson 16-12 (PINNs: L = w_f L_f + w_b L_b; boundary conditions soft or built in)',
  run() {
    const r = pinnBoundaryConditions();
    // L-BFGS iterations are counted on after the 200 Adam steps
    const steps = (h: typeof r.hard.history) =>
      h.map((e) => (e.phase === 'adam' ? e.step : 200 + e.step));
    return {
      checks: [
        {
          quantity: 'hard BC: relative L2 error vs sin(πx)',
          measured: r.hard.error,
          theory: 0,
          note: '16-16 tanh net, 32 points, Adam 200 + L-BFGS 150',
        },
        {
          quantity: 'soft BC (weight 1): relative L2 error',
          measured: r.soft.error,
          theory: 0,
          note: 'same net, start and budget',
        },
        {
          quantity: 'hard BC: max(|û(0)|, |û(1)|)',
          measured: r.hard.boundaryViolation,
          theory: 0,
          note: 'exact by construction',
        },
        {
          quantity: 'soft BC: max(|û(0)|, |û(1)|)',
          measured: r.soft.boundaryViolation,
          theory: 0,
          note: 'only penalised',
        },
      ],
      remarks: [
        `error ratio soft/hard = ${(r.soft.error / r.hard.error).toFixed(1)}; final loss hard ${r.hard.loss.toExponential(2)}, soft ${r.soft.loss.toExponential(2)}`,
      ],
      figure: panels('PINN: hard vs soft Dirichlet conditions', [
        lineChart(
          [
            ...series(
              'hard: û − u',
              r.grid,
              r.hard.u.map((v, i) => v - r.exact[i]!),
            ),
            ...series(
              'soft: û − u',
              r.grid,
              r.soft.u.map((v, i) => v - r.exact[i]!),
            ),
          ],
          { title: 'Pointwise error, exact u = sin(πx)', xTitle: 'x', yTitle: 'û(x) − u(x)' },
        ),
        lineChart(
          [
            ...series(
              'hard',
              steps(r.hard.history),
              r.hard.history.map((h) => h.loss),
            ),
            ...series(
              'soft',
              steps(r.soft.history),
              r.soft.history.map((h) => h.loss),
            ),
          ],
          {
            title: 'Training loss (Adam, then L-BFGS)',
            xTitle: 'step',
            yTitle: 'loss',
            logY: true,
          },
        ),
      ]),
    };
  },
};
