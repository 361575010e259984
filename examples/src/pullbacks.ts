/**
 * Pullbacks, pushforwards and adjoints (course notes 004, "Adjoints and pullbacks").
 *
 * For f: Rⁿ → Rᵐ with Jacobian J, the pushforward (JVP) v ↦ Jv and the pullback (VJP) ȳ ↦ Jᵀȳ; a JVP with
 * eᵢ is the i-th column of J, a VJP with eⱼ its j-th row. Matrix examples:
 *   Y = X⁻¹:          dY = −X⁻¹ dX X⁻¹, so X̄ = −X⁻ᵀ Ȳ X⁻ᵀ and  ∂vec(Y)/∂vec(X) = −(X⁻ᵀ ⊗ X⁻¹)
 *   y = tr(MᵀX):      ∇_X y = M
 *   d/dx with zero boundary values: ⟨u, Dv⟩ = −⟨Du, v⟩, i.e. Dᵀ = −D (integration by parts)
 * and the continuous adjoint of an ODE y′ = f(t, y, θ): a′ = −aᵀ∂f/∂y, dL/dθ = ∫ aᵀ∂f/∂θ dt (Pontryagin;
 * Chen et al. 2018), which gives the same gradient as finite differences and so learns θ.
 */
import { grad, jacobian, jvp, vjp } from '@sciml/autodiff';
import {
  Generator,
  type NDArray,
  add,
  array,
  fromTypedArray,
  inv,
  kron,
  matmul,
  mul,
  neg,
  slice,
  square,
  stack,
  sub,
  sum,
  trace,
  transpose,
  unvec,
  vec,
} from '@sciml/linalg';
import { minimize } from '@sciml/optim';
import { odeint } from '@sciml/physics';
import type { Example } from './lib/example.js';
import { lineChart, panels, series } from './lib/figure.js';

/** max |Aᵢⱼ − Bᵢⱼ|. */
export function maxAbsDiff(A: NDArray, B: NDArray): number {
  let m = 0;
  const [a, b] = [A.dataSync(), B.dataSync()];
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** The matrix identities of the notes, each as measured-vs-formula max differences. */
export function matrixPullbacks(n = 4, seed = 0) {
  const rng = new Generator(seed);
  // a well-conditioned X: identity plus a small random part
  const X = add(
    mul(rng.normal([n, n]), 0.3),
    fromTypedArray(
      Float64Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? 2 : 0)),
      [n, n],
    ),
  );
  const Xinv = inv(X);
  const XinvT = transpose(Xinv);
  // Y = X⁻¹: the pullback of a cotangent Ȳ
  const Ybar = rng.normal([n, n]);
  const [, pullback] = vjp(inv, X);
  const [Xbar] = pullback(Ybar);
  const inversePullback = maxAbsDiff(Xbar, neg(matmul(matmul(XinvT, Ybar), XinvT)));
  // the Jacobian of vec(X⁻¹) with respect to vec(X)
  const f = (v: NDArray) => vec(inv(unvec(v, n, n)));
  const J = jacobian(f)(vec(X));
  const inverseJacobian = maxAbsDiff(J, neg(kron(XinvT, Xinv)));
  // JVP with eᵢ = column i, VJP with eⱼ = row j
  const e = (k: number) =>
    fromTypedArray(
      Float64Array.from({ length: n * n }, (_, i) => (i === k ? 1 : 0)),
      [n * n],
    );
  let columns = 0;
  let rows = 0;
  const [, pullbackVec] = vjp(f, vec(X));
  for (let k = 0; k < n * n; k++) {
    const [, col] = jvp(f, [vec(X)], [e(k)]);
    columns = Math.max(columns, maxAbsDiff(col, slice(J, null, k)));
    const [row] = pullbackVec(e(k));
    rows = Math.max(rows, maxAbsDiff(row, slice(J, k)));
  }
  // ∇ tr(MᵀX) = M
  const M = rng.normal([n, n]);
  const traceGradient = maxAbsDiff(grad((Z: NDArray) => trace(matmul(transpose(M), Z)))(X), M);
  return { inversePullback, inverseJacobian, columns, rows, traceGradient };
}

/** The central difference (u_{i+1} − u_{i−1})/(2h) with u₀ = u_{n+1} = 0, as an n × n matrix. */
export function centralDifference(n: number, h: number): NDArray {
  const D = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    if (i + 1 < n) D[i * n + i + 1] = 1 / (2 * h);
    if (i > 0) D[i * n + i - 1] = -1 / (2 * h);
  }
  return fromTypedArray(D, [n, n]);
}

/** The pullback of u ↦ Du applied to v, against −Dv: (d/dx)ᵀ = −d/dx. */
export function differenceAdjoint(n = 50) {
  const h = 1 / (n + 1);
  const D = centralDifference(n, h);
  const grid = Float64Array.from({ length: n }, (_, i) => (i + 1) * h);
  const v = fromTypedArray(
    grid.map((x) => Math.sin(Math.PI * x) ** 2 * (1 + x)),
    [n],
  );
  const u = fromTypedArray(
    grid.map((x) => x * (1 - x) * Math.exp(x)),
    [n],
  );
  const [, pullback] = vjp((w: NDArray) => matmul(D, w), u);
  const [Dt_v] = pullback(v);
  const innerLeft = sum(mul(u, matmul(D, v))).item();
  const innerRight = -sum(mul(matmul(D, u), v)).item();
  return { adjointGap: maxAbsDiff(Dt_v, neg(matmul(D, v))), innerLeft, innerRight };
}

/** The damped oscillator x″ + cx′ + kx = 0 as y = (x, x′), θ = (c, k). */
const oscillator = (_t: number, y: NDArray, theta: NDArray): NDArray => {
  const [x, v] = [slice(y, 0), slice(y, 1)];
  const [c, k] = [slice(theta, 0), slice(theta, 1)];
  return stack([v, neg(add(mul(c, v), mul(k, x)))]);
};

/** Adjoint gradient of the trajectory misfit against central differences, then θ learned by L-BFGS. */
export function odeAdjoint(options: { outputs?: number; noise?: number; fit?: boolean } = {}) {
  const truth = [0.3, 4];
  const ts = Array.from(
    { length: options.outputs ?? 21 },
    (_, i) => (i * 5) / ((options.outputs ?? 21) - 1),
  );
  const y0 = array([1, 0]);
  const opts = { rtol: 1e-10, atol: 1e-12, gradient: 'adjoint' as const };
  const clean = odeint(oscillator, y0, ts, array(truth), opts);
  const data = add(clean, new Generator(5).normal(clean.shape, { std: options.noise ?? 0.01 }));
  const loss = (theta: NDArray) =>
    mul(sum(square(sub(odeint(oscillator, y0, ts, theta, opts), data))), 0.5);
  const theta0 = array([0.6, 3]);
  const adjoint = grad(loss)(theta0).dataSync();
  const h = 1e-6;
  const fd = [0, 1].map((i) => {
    const plus = Float64Array.from(theta0.dataSync());
    const minus = Float64Array.from(theta0.dataSync());
    plus[i]! += h;
    minus[i]! -= h;
    return (loss(fromTypedArray(plus)).item() - loss(fromTypedArray(minus)).item()) / (2 * h);
  });
  const relGap = Math.max(...fd.map((g, i) => Math.abs(g - adjoint[i]!) / Math.abs(g)));
  const path: number[][] = [Array.from(theta0.dataSync())];
  if (options.fit === false)
    return { truth, adjoint: Array.from(adjoint), fd, relGap, fitted: [], path, ts, data, y0 };
  const fit = minimize(loss, theta0, {
    method: 'lbfgs',
    ftol: 1e-12,
    maxIter: 100,
    callback: (x) => {
      path.push(Array.from(x));
    },
  });
  return {
    truth,
    adjoint: Array.from(adjoint),
    fd,
    relGap,
    fitted: Array.from(fit.x.dataSync()),
    path,
    ts,
    data,
    y0,
  };
}

export const example: Example = {
  name: 'pullbacks',
  title:
    'Pullbacks of X⁻¹ and tr(MᵀX), JVP columns / VJP rows, (d/dx)ᵀ = −d/dx, ODE adjoint = finite differences',
  source:
    'course-notes/004 ("The pullback function", d(X⁻¹), adjoints of d/dx, learning ODE parameters)',
  run() {
    const m = matrixPullbacks();
    const d = differenceAdjoint();
    const ode = odeAdjoint();
    return {
      checks: [
        {
          quantity: 'max |vjp(inv)(Ȳ) − (−X⁻ᵀȲX⁻ᵀ)|',
          measured: m.inversePullback,
          theory: 0,
          note: 'pullback of X⁻¹',
        },
        {
          quantity: 'max |jacobian(vec∘inv) + X⁻ᵀ ⊗ X⁻¹|',
          measured: m.inverseJacobian,
          theory: 0,
          note: 'column-major vec',
        },
        {
          quantity: 'max |JVP(eᵢ) − column i of J|',
          measured: m.columns,
          theory: 0,
          note: 'pushforward',
        },
        { quantity: 'max |VJP(eⱼ) − row j of J|', measured: m.rows, theory: 0, note: 'pullback' },
        { quantity: 'max |∇tr(MᵀX) − M|', measured: m.traceGradient, theory: 0, note: '' },
        {
          quantity: 'max |Dᵀv + Dv| (central difference)',
          measured: d.adjointGap,
          theory: 0,
          note: '(d/dx)ᵀ = −d/dx',
        },
        {
          quantity: '⟨u, Dv⟩ vs −⟨Du, v⟩',
          measured: d.innerLeft,
          theory: d.innerRight,
          note: 'integration by parts',
        },
        {
          quantity: 'ODE: adjoint gradient vs central differences',
          measured: ode.relGap,
          theory: 0,
          note: `relative; dL/dθ = (${ode.adjoint.map((g) => g.toFixed(4)).join(', ')})`,
        },
        {
          quantity: 'ODE: learned damping c',
          measured: ode.fitted[0]!,
          theory: ode.truth[0]!,
          note: 'L-BFGS on adjoint gradients, 1 % noise',
        },
        {
          quantity: 'ODE: learned stiffness k',
          measured: ode.fitted[1]!,
          theory: ode.truth[1]!,
          note: '',
        },
      ],
      figure: panels('Adjoints: learning the damped oscillator x″ + cx′ + kx = 0', [
        lineChart(
          [
            ...series(
              'data x(t)',
              ode.ts,
              Array.from({ length: ode.ts.length }, (_, i) => ode.data.get(i, 0)),
            ),
            ...series(
              'fitted model',
              ode.ts,
              Array.from(
                odeint(oscillator, ode.y0, ode.ts, array(ode.fitted), { rtol: 1e-8 }).dataSync(),
              ).filter((_, i) => i % 2 === 0),
            ),
          ],
          { title: 'Trajectory', xTitle: 't', yTitle: 'x', pointSeries: ['data x(t)'] },
        ),
        lineChart(
          series(
            'L-BFGS iterates',
            ode.path.map((p) => p[0]!),
            ode.path.map((p) => p[1]!),
          ).concat(series('truth', [ode.truth[0]!], [ode.truth[1]!])),
          {
            title: 'Parameters (c, k) during the fit',
            xTitle: 'c',
            yTitle: 'k',
            pointSeries: ['truth', 'L-BFGS iterates'],
          },
        ),
      ]),
    };
  },
};
