/**
 * The optimiser race with the rates table (course notes 001, lessons 04-11 to 25-11: convergence rates,
 * momentum, Nesterov, Adam, Newton, BFGS, L-BFGS, Levenberg–Marquardt).
 *
 * On a quadratic ½xᵀAx with spectrum in [μ, L] (κ = L/μ) the error contracts per step by
 *   GD, η = 1/L:                          1 − μ/L = 1 − 1/κ
 *   heavy ball, η = 4/(√L+√μ)², β = ρ²:   ρ = (√κ − 1)/(√κ + 1)         (Polyak 1964)
 *   Nesterov, η = 1/L, β = (√κ−1)/(√κ+1): 1 − 1/√κ                       (Nesterov 1983; Lessard et al. 2016)
 * and on Rosenbrock's function, from the classic start (−1.2, 1), Newton converges quadratically (order 2),
 * BFGS superlinearly (eₖ₊₁/eₖ → 0), L-BFGS fast-linearly, and Levenberg–Marquardt superlinearly on the
 * zero-residual least-squares form r = (10(x₂ − x₁²), 1 − x₁) — quadratically only when its damping shrinks
 * like ‖r‖ (Yamashita & Fukushima 2001); the damping update here divides μ by at most 3 per step
 * (Nocedal & Wright, Numerical Optimization, Thms 3.5, 6.6, 10.1). Adam has no linear rate to compare: with a constant step it hovers at the scale of η.
 */
import { grad } from '@sciml/autodiff';
import {
  type NDArray,
  array,
  fromTypedArray,
  linspace,
  mul,
  norm,
  slice,
  square,
  stack,
  sub,
  sum,
} from '@sciml/linalg';
import {
  type GradientOptimizer,
  adam,
  leastSquares,
  minimize,
  momentum,
  nesterov,
  rosenbrock,
} from '@sciml/optim';
import type { Example } from './lib/example.js';
import { lineChart, panels, series } from './lib/figure.js';

/** Per-step contraction measured over the second half of an error sequence: (e_T/e_{T/2})^{1/(T/2)}. */
export function measuredRate(errors: number[]): number {
  const T = errors.length - 1;
  const h = Math.floor(T / 2);
  return (errors[T]! / errors[h]!) ** (1 / (T - h));
}

/**
 * Order of convergence p: the least-squares slope of log eₖ₊₁ against log eₖ over the tail where
 * floor < eₖ < ceiling (eₖ₊₁ ≈ C eₖᵖ; the slope averages out the wandering constant C of a curved valley).
 */
export function measuredOrder(errors: number[], floor = 1e-11, ceiling = 1e-2): number {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let k = 0; k + 1 < errors.length; k++) {
    const [a, b] = [errors[k]!, errors[k + 1]!];
    if (a < ceiling && b > floor) {
      xs.push(Math.log(a));
      ys.push(Math.log(b));
    }
  }
  const mx = xs.reduce((s, v) => s + v, 0) / xs.length;
  const my = ys.reduce((s, v) => s + v, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  return sxy / sxx;
}

/** The quadratic ½xᵀAx with A = diag(linspace(μ, L, n)). */
function quadratic(mu: number, L: number, n: number) {
  const a = linspace(mu, L, n);
  return (x: NDArray) => mul(sum(mul(a, square(x))), 0.5);
}

/** ‖xₖ‖ for T steps of a stochastic-API optimiser driven by exact gradients (full batch). */
function runFirstOrder(
  opt: GradientOptimizer,
  f: (x: NDArray) => NDArray,
  x0: NDArray,
  steps: number,
): number[] {
  const df = grad(f);
  let x = x0;
  let state = opt.init(x);
  const errors = [norm(x).item()];
  for (let k = 0; k < steps; k++) {
    const out = opt.update(x, df(x), state);
    x = out.params as NDArray;
    state = out.state;
    errors.push(norm(x).item());
  }
  return errors;
}

/** Options of {@link optimiserRace}. */
export interface OptimiserRaceOptions {
  /** Condition number κ = L/μ of the quadratic (default 100). */
  kappa?: number;
  /** Dimension of the quadratic (default 10). */
  n?: number;
  /** Steps of the first-order methods (default 300). */
  steps?: number;
}

/** Error sequences of every method, and the theory's rates. */
export interface OptimiserRaceResult {
  kappa: number;
  quadratic: Record<'GD' | 'heavy ball' | 'Nesterov' | 'Adam', number[]>;
  rosenbrock: Record<'Newton' | 'BFGS' | 'L-BFGS' | 'LM', number[]>;
  theory: Record<'GD' | 'heavy ball' | 'Nesterov', number>;
}

/** Distances to x* = (1, 1) of the iterates of `minimize(method)` on Rosenbrock, from (−1.2, 1). */
function rosenbrockErrors(method: 'newton' | 'bfgs' | 'lbfgs'): number[] {
  const p = rosenbrock(2);
  const dist = (x: ArrayLike<number>) => Math.hypot(x[0]! - 1, x[1]! - 1);
  const errors = [dist(p.x0)];
  minimize(p.f, array(p.x0), {
    method,
    gtol: 1e-14,
    maxIter: 500,
    callback: (x) => {
      errors.push(dist(x));
    },
  });
  return errors;
}

/**
 * Iterates of `leastSquares(method)` on r = (10(x₂ − x₁²), 1 − x₁) (Rosenbrock as least squares), collected by
 * running it for k = 1, 2, … iterations (it takes no callback).
 */
function leastSquaresErrors(method: 'lm', maxSteps = 40): number[] {
  const r = (x: NDArray) => {
    const [x1, x2] = [slice(x, 0), slice(x, 1)];
    return stack([mul(sub(x2, square(x1)), 10), sub(1, x1)]);
  };
  const dist = (x: ArrayLike<number>) => Math.hypot(x[0]! - 1, x[1]! - 1);
  const errors = [dist([-1.2, 1])];
  for (let k = 1; k <= maxSteps; k++) {
    const fit = leastSquares(r, [-1.2, 1], { method, maxIter: k, ftol: 0, xtol: 0, gtol: 0 });
    errors.push(dist(fit.x.dataSync()));
    if (errors[k]! < 1e-14 || fit.nit < k) break;
  }
  return errors;
}

/** Runs every method and returns the error sequences. */
export function optimiserRace(options: OptimiserRaceOptions = {}): OptimiserRaceResult {
  const kappa = options.kappa ?? 100;
  const n = options.n ?? 10;
  const steps = options.steps ?? 300;
  const [mu, L] = [1, kappa];
  const f = quadratic(mu, L, n);
  const x0 = fromTypedArray(new Float64Array(n).fill(1), [n]);
  const sk = Math.sqrt(kappa);
  const rho = (sk - 1) / (sk + 1);
  const gd: number[] = [norm(x0).item()];
  minimize(f, x0, {
    method: 'gd',
    stepSize: 1 / L,
    gtol: 0,
    maxIter: steps,
    callback: (x) => {
      gd.push(Math.hypot(...x));
    },
  });
  return {
    kappa,
    quadratic: {
      GD: gd,
      'heavy ball': runFirstOrder(
        momentum({ lr: 4 / (Math.sqrt(L) + Math.sqrt(mu)) ** 2, momentum: rho * rho }),
        f,
        x0,
        steps,
      ),
      Nesterov: runFirstOrder(nesterov({ lr: 1 / L, momentum: rho }), f, x0, steps),
      Adam: runFirstOrder(adam({ lr: 0.01 }), f, x0, steps),
    },
    rosenbrock: {
      Newton: rosenbrockErrors('newton'),
      BFGS: rosenbrockErrors('bfgs'),
      'L-BFGS': rosenbrockErrors('lbfgs'),
      LM: leastSquaresErrors('lm'),
    },
    theory: { GD: 1 - 1 / kappa, 'heavy ball': rho, Nesterov: 1 - 1 / sk },
  };
}

/** The smallest ratio eₖ₊₁/eₖ among the last steps above round-off: → 0 means superlinear. */
export function lastRatio(errors: number[], floor = 1e-11): number {
  const e = errors.filter((v) => v > floor);
  return e[e.length - 1]! / e[e.length - 2]!;
}

export const example: Example = {
  name: 'optimiser-race',
  title:
    'Measured convergence rates of GD, heavy ball, Nesterov, Adam, Newton, BFGS, L-BFGS, LM vs theory',
  source:
    'course-notes/001 lessons 04-11 (rates table), 10-11 (momentum, Adam), 17-11 and 25-11 (Newton, BFGS, LM)',
  run() {
    const r = optimiserRace();
    const checks = (['GD', 'heavy ball', 'Nesterov'] as const).map((m) => ({
      quantity: `${m} contraction per step, quadratic κ = ${r.kappa}`,
      measured: measuredRate(r.quadratic[m]),
      theory: r.theory[m],
      note: 'linear rate',
    }));
    checks.push(
      {
        quantity: 'Adam error after 300 steps (η = 0.01)',
        measured: r.quadratic.Adam[r.quadratic.Adam.length - 1]!,
        theory: Number.NaN,
        note: 'no linear rate: hovers at the scale of η',
      },
      {
        quantity: 'Newton order of convergence (Rosenbrock)',
        measured: measuredOrder(r.rosenbrock.Newton),
        theory: 2,
        note: 'quadratic',
      },
      {
        quantity: 'LM last ratio eₖ₊₁/eₖ (zero residual)',
        measured: lastRatio(r.rosenbrock.LM),
        theory: 0,
        note: 'superlinear; quadratic only if μₖ = O(‖rₖ‖)',
      },
      {
        quantity: 'BFGS last ratio eₖ₊₁/eₖ (Rosenbrock)',
        measured: lastRatio(r.rosenbrock.BFGS),
        theory: 0,
        note: 'superlinear: ratio → 0',
      },
      {
        quantity: 'L-BFGS last ratio eₖ₊₁/eₖ (Rosenbrock)',
        measured: lastRatio(r.rosenbrock['L-BFGS']),
        theory: Number.NaN,
        note: 'linear, fast (m = 10 pairs)',
      },
    );
    const curves = (rec: Record<string, number[]>) =>
      Object.entries(rec).flatMap(([name, e]) =>
        series(
          name,
          e.map((_, k) => k),
          e.map((v) => Math.max(v, 1e-16)),
        ),
      );
    return {
      checks,
      figure: panels('Optimiser race', [
        lineChart(curves(r.quadratic), {
          title: `Quadratic, κ = ${r.kappa}: ‖xₖ − x*‖`,
          xTitle: 'iteration',
          yTitle: 'error',
          logY: true,
        }),
        lineChart(curves(r.rosenbrock), {
          title: 'Rosenbrock from (−1.2, 1): ‖xₖ − x*‖',
          xTitle: 'iteration',
          yTitle: 'error',
          logY: true,
        }),
      ]),
    };
  },
};
