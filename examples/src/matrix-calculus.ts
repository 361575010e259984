/**
 * Matrix calculus of a one-hidden-layer network (course notes 003, lecture 14 "Neural models"; Parr & Howard,
 * "The Matrix Calculus You Need for Deep Learning", 2018; Magnus & Neudecker, Matrix Differential Calculus).
 *
 * With X̄ = [1 X] (m × n̄), hidden weights Wʰ (n̄ × p), H = f(X̄Wʰ), H̄ = [1 H], output weights w̄ᵒ = [w₀ᵒ; wᵒ]
 * (p̄ = p + 1) and y = g(H̄w̄ᵒ), the vectorised chain rule (vec stacks columns) gives
 *   D_{w̄ᵒ} y = diag(g′) H̄                                         (m × p̄)
 *   D_{Wʰ} y = [(wᵒ)ᵀ ⊗ diag(g′)] · diag(f′(vec X̄Wʰ)) · (I_p ⊗ X̄)   (m × n̄p)
 * which for identity activations is (wᵒ)ᵀ ⊗ X̄. (The notes write (w̄ᵒ)ᵀ in one place; only the p weights
 * wᵒ that multiply H enter, since dH̄ w̄ᵒ = dH wᵒ.) These equal autodiff's `jacobian` to round-off, and
 * D_w ℓ = (y − d)ᵀ D_w y trains the network by gradient descent.
 */
import { grad, jacobian } from '@sciml/autodiff';
import {
  Generator,
  type NDArray,
  add,
  concat,
  diag,
  eye,
  kron,
  matmul,
  mul,
  ones,
  reshape,
  sin,
  slice,
  square,
  sub,
  sum,
  tanh,
  unvec,
  vec,
} from '@sciml/linalg';
import type { Example } from './lib/example.js';
import { lineChart, panels, series } from './lib/figure.js';

/** An elementwise activation with its derivative. */
export interface Activation {
  f: (z: NDArray) => NDArray;
  df: (z: NDArray) => NDArray;
}

export const TANH: Activation = { f: tanh, df: (z) => sub(1, square(tanh(z))) };
export const IDENTITY: Activation = { f: (z) => z, df: (z) => add(mul(z, 0), 1) };

/** [1 A]: a column of ones in front (the notes' "completion" Ā). */
export function complete(A: NDArray): NDArray {
  return concat([ones([A.shape[0]!, 1]), A], { axis: 1 });
}

/** The network y = g([1 f(X̄Wʰ)] w̄ᵒ). */
export function network(
  Xbar: NDArray,
  Wh: NDArray,
  wo: NDArray,
  f: Activation,
  g: Activation,
): NDArray {
  return g.f(matmul(complete(f.f(matmul(Xbar, Wh))), wo));
}

/** D_{w̄ᵒ}y and D_{Wʰ}y by the Kronecker formulas of the notes. */
export function kroneckerJacobians(
  Xbar: NDArray,
  Wh: NDArray,
  wo: NDArray,
  f: Activation,
  g: Activation,
) {
  const p = Wh.shape[1]!;
  const Z = matmul(Xbar, Wh);
  const Hbar = complete(f.f(Z));
  const gPrime = diag(g.df(matmul(Hbar, wo)));
  const woNoBias = reshape(slice(wo, '1:'), [1, p]); // (wᵒ)ᵀ, 1 × p
  const dOut = matmul(gPrime, Hbar);
  const dHidden = matmul(matmul(kron(woNoBias, gPrime), diag(f.df(vec(Z)))), kron(eye(p), Xbar));
  return { dOut, dHidden };
}

/** Autodiff's Jacobians of the same network, with Wʰ entering through vec(Wʰ) so the column order matches. */
export function autodiffJacobians(
  Xbar: NDArray,
  Wh: NDArray,
  wo: NDArray,
  f: Activation,
  g: Activation,
) {
  const [nbar, p] = Wh.shape as [number, number];
  const dOut = jacobian((w: NDArray) => network(Xbar, Wh, w, f, g))(wo);
  const dHidden = jacobian((v: NDArray) => network(Xbar, unvec(v, nbar, p), wo, f, g))(vec(Wh));
  return { dOut, dHidden };
}

/** max |Aᵢⱼ|. */
export function maxAbs(A: NDArray): number {
  let m = 0;
  for (const v of A.dataSync()) m = Math.max(m, Math.abs(v));
  return m;
}

/** The entries of a matrix as heatmap records. */
function cells(J: NDArray) {
  const [m, q] = J.shape as [number, number];
  const out: { i: number; j: number; v: number }[] = [];
  for (let i = 0; i < m; i++) for (let j = 0; j < q; j++) out.push({ i, j, v: J.get(i, j) });
  return out;
}

/** A small regression problem: m points in Rⁿ, target d = sin(x₁) + x₂/2, random weights. */
export function problem(m = 12, n = 2, p = 5, seed = 0) {
  const rng = new Generator(seed);
  const X = rng.uniform([m, n], { low: -2, high: 2 });
  const Xbar = complete(X);
  const d = add(sin(slice(X, null, 0)), mul(slice(X, null, 1), 0.5));
  return {
    Xbar,
    d,
    Wh: rng.normal([n + 1, p], { std: 0.7 }),
    wo: rng.normal([p + 1], { std: 0.5 }),
  };
}

/** GD with the hand-derived gradient (y − d)ᵀD_w y, checked against `grad` at every step. */
export function trainByMatrixCalculus(steps = 400, eta = 0.01) {
  const { Xbar, d, Wh: Wh0, wo: wo0 } = problem();
  const [nbar, p] = Wh0.shape as [number, number];
  let Wh: NDArray = Wh0;
  let wo: NDArray = wo0;
  const loss = (W: NDArray, w: NDArray) =>
    mul(sum(square(sub(network(Xbar, W, w, TANH, IDENTITY), d))), 0.5);
  const autoGrad = grad(loss, { argnums: [0, 1] });
  const losses: number[] = [];
  let worstGap = 0;
  for (let k = 0; k < steps; k++) {
    const y = network(Xbar, Wh, wo, TANH, IDENTITY);
    const r = reshape(sub(y, d), [1, y.size]); // D_y ℓ = (y − d)ᵀ
    const { dOut, dHidden } = kroneckerJacobians(Xbar, Wh, wo, TANH, IDENTITY);
    const gOut = reshape(matmul(r, dOut), [p + 1]);
    const gHidden = unvec(reshape(matmul(r, dHidden), [nbar * p]), nbar, p);
    const [aHidden, aOut] = autoGrad(Wh, wo);
    worstGap = Math.max(worstGap, maxAbs(sub(gHidden, aHidden)), maxAbs(sub(gOut, aOut)));
    losses.push(loss(Wh, wo).item());
    Wh = sub(Wh, mul(gHidden, eta));
    wo = sub(wo, mul(gOut, eta));
  }
  return { losses, worstGap };
}

export const example: Example = {
  name: 'matrix-calculus',
  title:
    'Kronecker-product Jacobians of a one-hidden-layer net equal autodiff to 1e-12, then train it by GD',
  source: 'course-notes/003 lecture 14 ("Neural models": D_{w̄ᵒ}y, D_{w̄ʰ}y, backpropagation)',
  run() {
    const { Xbar, Wh, wo } = problem();
    const rows = (
      [
        ['tanh hidden, identity output', TANH, IDENTITY],
        ['tanh hidden, tanh output', TANH, TANH],
        ['identity activations', IDENTITY, IDENTITY],
      ] as const
    ).flatMap(([name, f, g]) => {
      const k = kroneckerJacobians(Xbar, Wh, wo, f, g);
      const a = autodiffJacobians(Xbar, Wh, wo, f, g);
      return [
        {
          quantity: `${name}: max |D_{w̄ᵒ}y − jacobian|`,
          measured: maxAbs(sub(k.dOut, a.dOut)),
          theory: 0,
          note: 'diag(g′)H̄',
        },
        {
          quantity: `${name}: max |D_{Wʰ}y − jacobian|`,
          measured: maxAbs(sub(k.dHidden, a.dHidden)),
          theory: 0,
          note: '[(wᵒ)ᵀ⊗diag(g′)]diag(f′)(I⊗X̄)',
        },
      ];
    });
    const p = Wh.shape[1]!;
    const linear = kroneckerJacobians(Xbar, Wh, wo, IDENTITY, IDENTITY).dHidden;
    const reduced = kron(reshape(slice(wo, '1:'), [1, p]), Xbar);
    rows.push({
      quantity: 'identity activations: max |D_{Wʰ}y − (wᵒ)ᵀ ⊗ X̄|',
      measured: maxAbs(sub(linear, reduced)),
      theory: 0,
      note: 'Kronecker mixed product',
    });
    const train = trainByMatrixCalculus();
    rows.push(
      {
        quantity: 'training: max |hand gradient − grad| over 400 steps',
        measured: train.worstGap,
        theory: 0,
        note: '(y − d)ᵀ D_w y',
      },
      {
        quantity: 'training: loss after / before',
        measured: train.losses.at(-1)! / train.losses[0]!,
        theory: Number.NaN,
        note: 'GD, η = 0.01',
      },
    );
    return {
      checks: rows,
      figure: panels('Matrix calculus of a one-hidden-layer network', [
        lineChart(
          series(
            '½‖y − d‖²',
            train.losses.map((_, k) => k),
            train.losses,
          ),
          {
            title: 'GD with the Kronecker-formula gradient',
            xTitle: 'step',
            yTitle: 'loss',
            logY: true,
          },
        ),
        {
          title: 'D_{Wʰ}y (tanh, identity): rows = data points, columns = vec(Wʰ)',
          width: 300,
          height: 200,
          data: {
            values: cells(kroneckerJacobians(Xbar, Wh, wo, TANH, IDENTITY).dHidden),
          },
          mark: 'rect',
          encoding: {
            x: { field: 'j', type: 'ordinal', axis: null },
            y: { field: 'i', type: 'ordinal', axis: null },
            color: { field: 'v', type: 'quantitative', scale: { scheme: 'redblue', domainMid: 0 } },
          },
        },
      ]),
    };
  },
};
