/**
 * Ill-posed 1-D deblurring (course notes 003, parts 1–3: instability of generalised inverses, Tikhonov of
 * order 0/1/2, truncated SVD, iterative regularisation, parameter choice, resolution operators).
 *
 * b = Ax + e with A a Gaussian blur on [0, 1]. A's singular values decay to round-off, so the naive inverse
 * amplifies the noise beyond recognition. Every regulariser is a filter xf = Σ fᵢ(uᵢᵀb/σᵢ)vᵢ (Hansen,
 * Discrete Inverse Problems, 2010, ch. 4–6):
 *   Tikhonov fᵢ = σᵢ²/(σᵢ² + α²), TSVD fᵢ = [i ≤ k], Landweber after k steps fᵢ = 1 − (1 − ωσᵢ²)ᵏ.
 * The iteration count of Landweber (and of SGD) is a regularisation parameter: the error first falls, then
 * rises as noise is fitted (semi-convergence). α is chosen by the discrepancy principle ‖Ax_α − b‖ = δ, the
 * L-curve corner and GCV. The resolution matrix R = V diag(f) Vᵀ shows how each estimate averages the truth;
 * its trace Σfᵢ is the effective number of parameters.
 */
import {
  Generator,
  type NDArray,
  add,
  differenceOperator,
  discrepancyPrinciple,
  filteredSolution,
  fromTypedArray,
  gcv,
  lCurve,
  landweber,
  landweberFilterFactors,
  logGrid,
  matmul,
  mul,
  norm,
  resolutionMatrix,
  sub,
  svdSystem,
  tikhonov,
  tikhonovFilterFactors,
  transpose,
  tsvdFilterFactors,
  tsvdSolve,
} from '@sciml/linalg';
import { sgd } from '@sciml/optim';
import type { Example } from './lib/example.js';
import { lineChart, panels, series } from './lib/figure.js';

/** The blur problem: grid t, operator A (Gaussian kernel of width `width`), true x, noisy b, noise norm δ. */
export function blurProblem(n = 100, width = 0.03, noise = 1e-3, seed = 0) {
  const h = 1 / n;
  const t = Float64Array.from({ length: n }, (_, i) => (i + 0.5) * h);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      a[i * n + j] =
        (h / (width * Math.sqrt(2 * Math.PI))) *
        Math.exp(-((t[i]! - t[j]!) ** 2) / (2 * width ** 2));
  const A = fromTypedArray(a, [n, n]);
  // a smooth bump and a smooth plateau: what higher-order Tikhonov is built for
  const truth = t.map(
    (s) =>
      Math.exp(-(((s - 0.3) / 0.08) ** 2)) +
      (0.6 / (1 + Math.exp(-(s - 0.6) / 0.02))) * (s < 0.85 ? 1 : 0.5),
  );
  const x = fromTypedArray(truth, [n]);
  const e = new Generator(seed).normal([n], { std: noise });
  const b = add(matmul(A, x), e);
  return { t, A, x, b, delta: norm(e).item(), n };
}

/** ‖x̂ − x‖/‖x‖. */
function relError(xhat: NDArray, x: NDArray): number {
  return norm(sub(xhat, x)).item() / norm(x).item();
}

/** The α of a grid with the smallest true error (an oracle, to compare the parameter-choice rules against). */
function oracleAlpha(solveAt: (alpha: number) => NDArray, x: NDArray, alphas: number[]) {
  let best = { alpha: alphas[0]!, error: Number.POSITIVE_INFINITY };
  for (const alpha of alphas) {
    const error = relError(solveAt(alpha), x);
    if (error < best.error) best = { alpha, error };
  }
  return best;
}

/** Early-stopped minibatch SGD on ½‖Ax − b‖²: relative error after each epoch. */
export function sgdErrors(
  A: NDArray,
  b: NDArray,
  x: NDArray,
  epochs: number,
  batch = 10,
  lr = 1,
  seed = 1,
) {
  const [m, n] = A.shape as [number, number];
  const rng = new Generator(seed);
  const a = A.dataSync();
  const bv = b.dataSync();
  const opt = sgd({ lr });
  let xk = fromTypedArray(new Float64Array(n), [n]);
  let state = opt.init(xk);
  const errors = [relError(xk, x)];
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = rng.permutation(m);
    for (let start = 0; start < m; start += batch) {
      const rows = order.slice(start, start + batch);
      const Ab = new Float64Array(rows.length * n);
      for (const [i, r] of rows.entries()) Ab.set(a.subarray(r * n, (r + 1) * n), i * n);
      const AB = fromTypedArray(Ab, [rows.length, n]);
      const bb = fromTypedArray(
        Float64Array.from(rows, (r) => bv[r]!),
        [rows.length],
      );
      // unbiased minibatch gradient of ½‖Ax − b‖²: (m/|B|) A_Bᵀ(A_B x − b_B)
      const g = mul(matmul(transpose(AB), sub(matmul(AB, xk), bb)), m / rows.length);
      const out = opt.update(xk, g, state);
      xk = out.params as NDArray;
      state = out.state;
    }
    errors.push(relError(xk, x));
  }
  return errors;
}

/** Every method on one blur problem. */
export function deblurring(options: { n?: number; noise?: number; sgdEpochs?: number } = {}) {
  const p = blurProblem(options.n ?? 100, 0.03, options.noise ?? 1e-2);
  const { A, b, x, n, delta } = p;
  const sys = svdSystem(A, b);
  const alphas = logGrid(1e-5, 1, 40);
  const naive = relError(filteredSolution(sys, new Float64Array(n).fill(1)), x);
  const tikhonovOrders = ([0, 1, 2] as const).map((order) => {
    const L = differenceOperator(n, order);
    // order 0 by its filter factors (one SVD), orders 1, 2 as augmented least squares
    const solveAt =
      order === 0
        ? (a: number) => filteredSolution(sys, tikhonovFilterFactors(sys.s, a))
        : (a: number) => tikhonov(A, b, a, { L });
    const best = oracleAlpha(solveAt, x, alphas);
    const dp = discrepancyPrinciple(A, b, delta, { L });
    return {
      order,
      oracle: best,
      discrepancy: { ...dp, error: relError(tikhonov(A, b, dp.alpha, { L }), x) },
    };
  });
  let tsvd = { k: 0, error: Number.POSITIVE_INFINITY };
  for (let k = 1; k <= n; k++) {
    const error = relError(filteredSolution(sys, tsvdFilterFactors(sys.s, k)), x);
    if (error < tsvd.error) tsvd = { k, error };
  }
  const tsvdCheck = relError(tsvdSolve(A, b, tsvd.k), x) - tsvd.error;
  const omega = 1 / sys.s[0]! ** 2;
  const ks = Array.from(new Set(logGrid(1, 1e7, 80).map(Math.round)));
  const landweberErrors = ks.map((k) =>
    relError(filteredSolution(sys, landweberFilterFactors(sys.s, omega, k)), x),
  );
  const kBest = ks[landweberErrors.indexOf(Math.min(...landweberErrors))]!;
  const iterated = landweber(A, b, { iterations: 200, omega });
  const iterationVsFilter =
    norm(sub(iterated.x, filteredSolution(sys, landweberFilterFactors(sys.s, omega, 200)))).item() /
    norm(iterated.x).item();
  const lc = lCurve(A, b, { alphas });
  const g = gcv(A, b, { alphas });
  const dp0 = tikhonovOrders[0]!.discrepancy;
  const R = resolutionMatrix(A, dp0.alpha);
  const traceR = Array.from({ length: n }, (_, i) => R.get(i, i)).reduce((s, v) => s + v, 0);
  const sumF = tikhonovFilterFactors(sys.s, dp0.alpha).reduce((s, v) => s + v, 0);
  const sgdTrace = sgdErrors(A, b, x, options.sgdEpochs ?? 150);
  return {
    problem: p,
    singularValues: Array.from(sys.s),
    naive,
    tikhonovOrders,
    tsvd: { ...tsvd, check: tsvdCheck },
    landweber: { ks, errors: landweberErrors, kBest, omega, iterationVsFilter },
    lCurve: { ...lc, error: relError(tikhonov(A, b, lc.corner), x) },
    gcv: { ...g, error: relError(tikhonov(A, b, g.alpha), x) },
    resolution: { R, traceR, sumF, alpha: dp0.alpha },
    sgd: sgdTrace,
  };
}

export const example: Example = {
  name: 'deblurring',
  title:
    'Ill-posed 1-D deblurring: Tikhonov 0/1/2, TSVD, Landweber and SGD semi-convergence, L-curve/GCV/discrepancy',
  source:
    'course-notes/003 parts 1–3 (instability, Tikhonov, TSVD, iterative regularisation, parameter choice)',
  run() {
    const r = deblurring();
    const lw = r.landweber;
    const sgdMin = Math.min(...r.sgd);
    const checks = [
      {
        quantity: 'naive inverse A⁻¹b: relative error',
        measured: r.naive,
        theory: Number.NaN,
        note: `σ_n/σ₁ = ${(r.singularValues.at(-1)! / r.singularValues[0]!).toExponential(1)}`,
      },
      ...r.tikhonovOrders.map((o) => ({
        quantity: `Tikhonov order ${o.order}: ‖Ax_α − b‖ at the discrepancy α`,
        measured: o.discrepancy.residualNorm,
        theory: r.problem.delta,
        note: `δ = ‖e‖; error ${o.discrepancy.error.toFixed(3)} (oracle ${o.oracle.error.toFixed(3)})`,
      })),
      {
        quantity: `TSVD best k = ${r.tsvd.k}: relative error`,
        measured: r.tsvd.error,
        theory: Number.NaN,
        note: 'oracle k',
      },
      {
        quantity: 'Landweber x₂₀₀ vs filter 1 − (1 − ωσ²)²⁰⁰',
        measured: lw.iterationVsFilter,
        theory: 0,
        note: 'relative difference',
      },
      {
        quantity: `Landweber: best error (k = ${lw.kBest}) / error at k = 10⁷`,
        measured: Math.min(...lw.errors) / lw.errors.at(-1)!,
        theory: Number.NaN,
        note: 'semi-convergence: < 1',
      },
      {
        quantity: 'SGD: best epoch error / last epoch error',
        measured: sgdMin / r.sgd.at(-1)!,
        theory: Number.NaN,
        note: `best at epoch ${r.sgd.indexOf(sgdMin)}`,
      },
      ...(
        [
          ['discrepancy', r.tikhonovOrders[0]!.discrepancy],
          ['GCV', r.gcv],
          ['L-curve', { alpha: r.lCurve.corner, error: r.lCurve.error }],
        ] as const
      ).map(([rule, v]) => ({
        quantity: `order 0, α by ${rule}: error / oracle error`,
        measured: v.error / r.tikhonovOrders[0]!.oracle.error,
        theory: 1,
        note: `α = ${v.alpha.toExponential(2)} (oracle ${r.tikhonovOrders[0]!.oracle.alpha.toExponential(2)})`,
      })),
      {
        quantity: 'trace of the resolution matrix',
        measured: r.resolution.traceR,
        theory: r.resolution.sumF,
        note: 'Σ σᵢ²/(σᵢ² + α²)',
      },
    ];
    const { t, x } = r.problem;
    const mid = Math.floor(r.problem.n / 2);
    return {
      checks,
      figure: panels('Ill-posed deblurring', [
        lineChart(
          [
            ...series('truth', t, x.dataSync()),
            ...series('blurred + noise', t, r.problem.b.dataSync()),
            ...r.tikhonovOrders.flatMap((o) =>
              series(
                `Tikhonov ${o.order} (discrepancy)`,
                t,
                tikhonov(r.problem.A, r.problem.b, o.discrepancy.alpha, {
                  L: differenceOperator(r.problem.n, o.order),
                }).dataSync(),
              ),
            ),
          ],
          { title: 'Reconstructions', xTitle: 't', yTitle: 'x(t)' },
        ),
        lineChart(
          [
            ...series('Landweber', lw.ks, lw.errors),
            ...series(
              'SGD (k = epochs × 10 steps)',
              r.sgd.map((_, e) => e * 10 || 1),
              r.sgd,
            ),
          ],
          {
            title: 'Semi-convergence',
            xTitle: 'iteration k',
            yTitle: 'relative error',
            logX: true,
            logY: true,
          },
        ),
        lineChart(series('L-curve', r.lCurve.residualNorms, r.lCurve.solutionNorms), {
          title: 'L-curve (order 0)',
          xTitle: '‖Ax_α − b‖',
          yTitle: '‖x_α‖',
          logX: true,
          logY: true,
        }),
        lineChart(
          [25, mid, 75].flatMap((i) =>
            series(
              `row ${i} of R`,
              t,
              Array.from({ length: r.problem.n }, (_, j) => r.resolution.R.get(i, j)),
            ),
          ),
          { title: 'Resolution matrix rows (discrepancy α)', xTitle: 't', yTitle: 'Rᵢⱼ' },
        ),
      ]),
    };
  },
};
