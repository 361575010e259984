/**
 * Gradient-descent stability and the edge of stability (course notes 000, 10–12 Feb: "Through gradient descent",
 * λmax(∇²L) < 2/η).
 *
 * On L(θ) = ½aθ², GD gives θₖ = (1 − ηa)ᵏθ₀: it converges for a < 2/η and diverges for a > 2/η. A network
 * trained by full-batch GD sees the same bound through the top Hessian eigenvalue λmax (the "sharpness"):
 * it rises during training ("progressive sharpening") until it reaches ≈ 2/η and hovers there (Cohen, Kaur,
 * Li, Kolter & Talwalkar 2021, "Gradient descent on neural networks typically occurs at the edge of
 * stability"). λmax is computed matrix-free: Hessian–vector products by forward-over-reverse autodiff
 * (Pearlmutter 1994) fed to the Lanczos eigensolver `eigsh`, cross-checked by power iteration.
 */
import { grad, jvp, ravelPytree } from '@sciml/autodiff';
import {
  Generator,
  type NDArray,
  add,
  array,
  fromTypedArray,
  linspace,
  matmul,
  mean,
  mul,
  reshape,
  sin,
  square,
  sub,
} from '@sciml/linalg';
import { LinearOperator, eigsh } from '@sciml/linalg/sparse';
import { tanh } from '@sciml/nn';
import type { Example } from './lib/example.js';
import { lineChart, panels, series } from './lib/figure.js';

/** GD on L = ½aθ² for K steps from θ₀ = 1: the iterates |θₖ| (k = 0…K). */
export function quadraticGd(a: number, eta: number, steps: number): number[] {
  const dL = grad((theta: NDArray) => mul(square(theta), a / 2));
  let theta: NDArray = array(1);
  const path = [1];
  for (let k = 0; k < steps; k++) {
    theta = sub(theta, mul(dL(theta), eta));
    path.push(Math.abs(theta.item()));
  }
  return path;
}

/** The Hessian of `loss` at the flat point θ as a matrix-free operator v ↦ ∇²L(θ)v (forward-over-reverse). */
export function hessianOperator(loss: (theta: NDArray) => NDArray, theta: NDArray): LinearOperator {
  const g = grad(loss);
  const n = theta.size;
  return new LinearOperator([n, n], (v) => {
    const [, hv] = jvp(g, [theta], [fromTypedArray(Float64Array.from(v), [n])]);
    return hv.dataSync() as Float64Array;
  });
}

/** λmax of a symmetric operator by the Lanczos method (`eigsh`, largest algebraic). */
export function lambdaMaxLanczos(H: LinearOperator): number {
  return eigsh(H, { k: 1, which: 'LA', tol: 1e-8 }).values.dataSync()[0]!;
}

/** λmax by plain power iteration v ← Hv/‖Hv‖ (Rayleigh quotient), the textbook cross-check. */
export function lambdaMaxPower(H: LinearOperator, iterations = 200, seed = 0): number {
  const n = H.shape[1];
  let v = new Generator(seed).normal([n]).dataSync() as Float64Array;
  let lambda = 0;
  for (let it = 0; it < iterations; it++) {
    const hv = H.matvec(v);
    let dot = 0;
    let norm2 = 0;
    for (let i = 0; i < n; i++) {
      dot += v[i]! * hv[i]!;
      norm2 += hv[i]! * hv[i]!;
    }
    let vv = 0;
    for (let i = 0; i < n; i++) vv += v[i]! * v[i]!;
    lambda = dot / vv;
    const s = 1 / Math.sqrt(norm2);
    v = hv.map((x) => x * s);
  }
  return lambda;
}

/** Options of {@link edgeOfStability}. */
export interface EdgeOfStabilityOptions {
  /** Learning rate η (default 0.16: 2/η = 12.5 lies above the starting sharpness ≈ 10.3). */
  eta?: number;
  /** GD steps (default 4000). */
  steps?: number;
  /** Measure λmax every this many steps (default 40). */
  every?: number;
  /** Hidden width of the tanh network (default 24). */
  width?: number;
  /** Training points (default 40). */
  n?: number;
  seed?: number;
}

/** The sharpness trace of one GD run. */
export interface EdgeOfStabilityResult {
  eta: number;
  steps: number[];
  sharpness: number[];
  loss: number[];
}

/** Full-batch GD on a one-hidden-layer tanh network fitting sin(3x), tracking λmax(∇²L) every few steps. */
export function edgeOfStability(options: EdgeOfStabilityOptions = {}): EdgeOfStabilityResult {
  const eta = options.eta ?? 0.16;
  const total = options.steps ?? 4000;
  const every = options.every ?? 40;
  const width = options.width ?? 24;
  const n = options.n ?? 40;
  const rng = new Generator(options.seed ?? 0);
  const x = reshape(linspace(-2, 2, n), [n, 1]);
  const y = sin(mul(x, 3));
  const init = {
    W1: rng.normal([1, width]),
    b1: rng.normal([width], { std: 0.5 }),
    W2: rng.normal([width, 1], { std: 1 / Math.sqrt(width) }),
    b2: rng.normal([1], { std: 0.1 }),
  };
  const [flat, unravel] = ravelPytree(init);
  const loss = (theta: NDArray) => {
    const p = unravel(theta);
    const out = add(matmul(tanh(add(matmul(x, p.W1), p.b1)), p.W2), p.b2);
    return mul(mean(square(sub(out, y))), 0.5);
  };
  const dL = grad(loss);
  let theta = flat;
  const trace: EdgeOfStabilityResult = { eta, steps: [], sharpness: [], loss: [] };
  for (let k = 0; k <= total; k++) {
    if (k % every === 0) {
      trace.steps.push(k);
      trace.sharpness.push(lambdaMaxLanczos(hessianOperator(loss, theta)));
      trace.loss.push(loss(theta).item());
    }
    if (k < total) theta = sub(theta, mul(dL(theta), eta));
  }
  return trace;
}

export const example: Example = {
  name: 'edge-of-stability',
  title: 'GD on ½aθ² diverges exactly for a > 2/η; a network trained by GD sharpens to λmax ≈ 2/η',
  source: 'course-notes/000 "Through gradient descent" (10 Feb) and λmax(∇²L) < 2/η (12 Feb)',
  run() {
    const eta = 0.16;
    const K = 60;
    const quad = [0.5, 1.5, 1.99, 2.01, 2.5].map((c) => ({
      c,
      path: quadraticGd(c / eta, eta, K),
    }));
    const checks = quad.map(({ c, path }) => ({
      quantity: `GD contraction |θₖ₊₁/θₖ| at a = ${c}/η`,
      measured: (path[K]! / path[0]!) ** (1 / K),
      theory: Math.abs(1 - c),
      note: c < 2 ? 'converges' : 'diverges',
    }));
    const eos = edgeOfStability({ eta });
    const last = eos.sharpness.slice(-Math.ceil(eos.sharpness.length / 4));
    checks.push({
      quantity: 'λmax(∇²L), mean of the last quarter of training',
      measured: last.reduce((s, v) => s + v, 0) / last.length,
      theory: 2 / eta,
      note: `edge of stability; λmax at step 0 was ${eos.sharpness[0]!.toFixed(2)}`,
    });
    return {
      checks,
      figure: panels('Gradient-descent stability', [
        lineChart(
          quad.flatMap(({ c, path }) =>
            series(
              `a = ${c}/η`,
              path.map((_, k) => k),
              path,
            ),
          ),
          { title: '|θₖ| on L = ½aθ²', xTitle: 'step k', yTitle: '|θₖ|', logY: true },
        ),
        lineChart(
          [
            ...series('λmax(∇²L) (Lanczos on HVPs)', eos.steps, eos.sharpness),
            ...series(
              '2/η',
              eos.steps,
              eos.steps.map(() => 2 / eta),
            ),
          ],
          {
            title: `Sharpness of a tanh network, GD with η = ${eta}`,
            xTitle: 'step',
            yTitle: 'λmax',
          },
        ),
      ]),
    };
  },
};
