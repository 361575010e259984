/**
 * Heat-equation snapshots and their SVD (course notes 000, 8–13 Jan: data matrix, economy SVD, dyadic sum).
 *
 * The snapshots u(x, tⱼ) of u_t = νu_xx (Dirichlet, on [0, π]) are the columns of X (n × m). Its economy SVD
 * X = ÛΣ̂V̂ᵀ gives the dyadic sum X = Σₖ σₖuₖvₖᵀ, and the rank-r truncation X_r has
 *   ‖X − X_r‖_F² = Σ_{k>r} σₖ²
 * (the notes print ‖X − X_r‖_F = Σσₖ², without the square on the left). The grid's sine modes sin(kxᵢ) are
 * exact eigenvectors of the discrete Laplacian, so an initial condition of three modes gives snapshots of rank 3:
 * X = Σₖ bₖ sin(kx) e^(−λₖt) with λₖ = ν(4/Δx²) sin²(kΔx/2) (LeVeque 2007, §9.1); a rough initial condition (a
 * box) has singular values that decay but never stop.
 */
import { type NDArray, array, matmul, mul, norm, slice, sub, svd, transpose } from '@sciml/linalg';
import { heatEquation1D } from '@sciml/physics';
import type { Example } from './lib/example.js';
import { lineChart, panels, series } from './lib/figure.js';

/** Options of {@link heatSnapshots}. */
export interface HeatSnapshotOptions {
  /** Grid points (default 100). */
  nx?: number;
  /** Snapshots over t ∈ [0, 1] (default 51). */
  nt?: number;
  /** Diffusivity (default 0.1). */
  nu?: number;
}

/** The snapshot matrix of u_t = νu_xx on [0, π] with zero Dirichlet values, from `u0`. */
export function snapshots(u0: (x: number) => number, options: HeatSnapshotOptions = {}) {
  const nt = options.nt ?? 51;
  return heatEquation1D({
    nu: options.nu ?? 0.1,
    nx: options.nx ?? 100,
    domain: [0, Math.PI],
    bc: 'dirichlet',
    u0,
    tSpan: [0, 1],
    tEval: Array.from({ length: nt }, (_, j) => j / (nt - 1)),
    rtol: 1e-10,
    atol: 1e-12,
  });
}

/** Economy SVD of X, the dyadic sum of its first r terms, and the rank-r errors against Σ_{k>r} σₖ². */
export function snapshotSvd(X: NDArray, ranks: number[]) {
  const { U, S, Vt } = svd(X, { fullMatrices: false });
  const s = Array.from(S.dataSync());
  const dyadic = (r: number) =>
    matmul(mul(slice(U, null, `:${r}`), slice(S, `:${r}`)), slice(Vt, `:${r}`));
  const errors = ranks.map((r) => {
    let tail = 0;
    for (let k = r; k < s.length; k++) tail += s[k]! ** 2;
    return { r, measured: norm(sub(X, dyadic(r))).item() ** 2, theory: tail };
  });
  const fullError = norm(sub(X, dyadic(s.length))).item() / norm(X).item();
  return { U, s, errors, fullError };
}

/** Fraction of ‖sin(kx)‖² that lies in the span of the first r left singular vectors (1 = inside). */
export function captured(U: NDArray, x: Float64Array, k: number, r: number): number {
  const mode = array(Array.from(x, (xi) => Math.sin(k * xi)));
  const coeffs = matmul(transpose(slice(U, null, `:${r}`)), mode);
  return norm(coeffs).item() ** 2 / norm(mode).item() ** 2;
}

/** The three-mode initial condition and the rough one. */
export const THREE_MODES = (x: number) =>
  Math.sin(x) + 0.5 * Math.sin(3 * x) + 0.2 * Math.sin(7 * x);
export const BOX = (x: number) => (x > 1 && x < 2 ? 1 : 0);

export const example: Example = {
  name: 'heat-snapshots',
  title: 'Heat-equation snapshot matrix: economy SVD, dyadic sum, rank-r error = Σ_{k>r} σₖ²',
  source:
    'course-notes/000 (8–13 Jan): data matrix X̄, economy SVD, dyadic sum, ‖x − x̃‖ (erratum: squared norm)',
  run() {
    const smooth = snapshots(THREE_MODES);
    const a = snapshotSvd(smooth.u, [1, 2, 3]);
    const rough = snapshots(BOX);
    const ranks = [1, 2, 4, 8, 16];
    const b = snapshotSvd(rough.u, ranks);
    const checks = [
      {
        quantity: 'dyadic sum of all terms vs X (relative)',
        measured: b.fullError,
        theory: 0,
        note: 'X = Σ σₖuₖvₖᵀ',
      },
      ...b.errors.map((e) => ({
        quantity: `box u₀: ‖X − X_${e.r}‖_F²`,
        measured: e.measured,
        theory: e.theory,
        note: 'Σ_{k>r} σₖ²',
      })),
      {
        quantity: 'three-mode u₀: σ₄/σ₁',
        measured: a.s[3]! / a.s[0]!,
        theory: 0,
        note: 'rank 3 (to the ODE tolerance)',
      },
      ...[1, 3, 7].map((k) => ({
        quantity: `three-mode u₀: ‖P_U3 sin(${k}x)‖²/‖sin(${k}x)‖²`,
        measured: captured(a.U, smooth.x, k, 3),
        theory: 1,
        note: 'the modes span the POD basis',
      })),
    ];
    const idx = (s: number[]) => s.map((_, i) => i + 1);
    return {
      checks,
      remarks: [
        'Notes 000 write ‖x − x̃‖_F = Σ_{k>r} σₖ²; the identity holds for the squared norm.',
      ],
      figure: panels('Heat-equation snapshots', [
        lineChart(
          [
            ...series(
              'box u₀',
              idx(b.s),
              b.s.map((v) => Math.max(v, 1e-17)),
            ),
            ...series(
              'three-mode u₀',
              idx(a.s),
              a.s.map((v) => Math.max(v, 1e-17)),
            ),
          ],
          {
            title: 'Singular values of the snapshot matrix',
            xTitle: 'k',
            yTitle: 'σₖ',
            logY: true,
          },
        ),
        lineChart(
          [
            ...series(
              '‖X − X_r‖_F² measured',
              ranks,
              b.errors.map((e) => e.measured),
            ),
            ...series(
              'Σ_{k>r} σₖ²',
              ranks,
              b.errors.map((e) => e.theory),
            ),
          ],
          {
            title: 'Rank-r error, box u₀',
            xTitle: 'r',
            yTitle: 'squared error',
            logY: true,
            pointSeries: ['‖X − X_r‖_F² measured'],
          },
        ),
        lineChart(
          [0, 10, 25, 50].flatMap((j) =>
            series(
              `t = ${rough.t[j]!.toFixed(2)}`,
              rough.x,
              Array.from({ length: rough.x.length }, (_, i) => rough.u.get(i, j)),
            ),
          ),
          { title: 'Snapshots u(x, t), box u₀', xTitle: 'x', yTitle: 'u' },
        ),
      ]),
    };
  },
};
